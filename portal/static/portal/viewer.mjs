// The page viewer of a record: its reading copy in PDF.js, the words the search matched highlighted on
// the page images through the invisible OCR text, and a strip of page thumbnails.
// PDF.js cannot fold "đ" to "d", so the page passes the words as printed (data-words), found exactly.
const container = document.getElementById("viewer-container");

async function start() {
  const pdfjsLib = await import("./pdfjs/pdf.min.mjs");
  globalThis.pdfjsLib = pdfjsLib; // pdf_viewer.mjs reads the library from here
  const { EventBus, PDFLinkService, PDFFindController, PDFViewer } = await import("./pdfjs/pdf_viewer.mjs");
  pdfjsLib.GlobalWorkerOptions.workerSrc = new URL("./pdfjs/pdf.worker.min.mjs", import.meta.url).href;

  const eventBus = new EventBus();
  const linkService = new PDFLinkService({ eventBus });
  const findController = new PDFFindController({ eventBus, linkService });
  const viewer = new PDFViewer({ container, eventBus, linkService, findController });
  linkService.setViewer(viewer);

  const words = JSON.parse(container.dataset.words || "[]");
  eventBus.on("pagesinit", () => {
    viewer.currentScaleValue = "page-width";
    if (words.length) {
      eventBus.dispatch("find", {
        source: null, type: "", query: words, caseSensitive: false, entireWord: true,
        highlightAll: true, findPrevious: false, matchDiacritics: true,
      });
    }
  });
  eventBus.on("updatefindmatchescount", ({ matchesCount }) => {
    container.dataset.matches = String(matchesCount.total);
  });

  const pdf = await pdfjsLib.getDocument({ url: container.dataset.pdf, isEvalSupported: false }).promise;
  viewer.setDocument(pdf);
  linkService.setDocument(pdf, null);
  await thumbnails(pdf, linkService);
  container.dataset.ready = "true";
}

async function thumbnails(pdf, linkService) {
  const strip = document.getElementById("thumbnails");
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const viewport = page.getViewport({ scale: 120 / page.getViewport({ scale: 1 }).width });
    const canvas = document.createElement("canvas");
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    await page.render({ canvas, viewport }).promise;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "thumbnail";
    button.setAttribute("aria-label", `${strip.dataset.pageLabel} ${number}`);
    button.append(canvas);
    button.addEventListener("click", () => linkService.goToPage(number));
    strip.append(button);
  }
}

start().catch((error) => {
  container.dataset.error = String(error);
  document.getElementById("viewer-error").hidden = false;
});
