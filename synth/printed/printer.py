"""HTML printed to PDF by headless Chromium, its pages rasterised by Poppler, and the printed text of
each page read back from the PDF's own text layer (a line per visual line, columns apart)."""
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.etree import ElementTree

from PIL import Image

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
PRINT_TIMEOUT_S = 120


def chromium() -> str:
    found = next((path for name in CHROMIUM if (path := shutil.which(name))), None)
    if found is None:
        raise RuntimeError("family B prints its pages with Chromium: install Debian's chromium package")
    return found


def print_pdf(html: str, work: Path) -> Path:
    source, target = work / "sheet.html", work / "sheet.pdf"
    source.write_text(html, encoding="utf-8")
    subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={work / 'profile'}", f"--print-to-pdf={target}", source.as_uri()],
                   check=True, capture_output=True, timeout=PRINT_TIMEOUT_S)
    return target


Line = tuple[str, tuple[float, float, float, float]]  # text and box (points) of one printed line


def page_lines(pdf: Path) -> list[list[Line]]:
    """Each page's printed lines with their boxes, in the order the PDF's layout analysis gives them."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    root = ElementTree.fromstring(xml.replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    return [[(" ".join(word.text or "" for word in line.iter("word")),
              tuple(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))) for line in page.iter("line")]
            for page in root.iter("page")]


def rasterise(pdf: Path, dpi: int, work: Path) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(work / "page")], check=True,
                   capture_output=True)
    pages = sorted(work.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    images = [Image.open(p).convert("RGB") for p in pages]
    for p in pages:
        p.unlink()
    return images


def print_sheet(html: str, dpi: int) -> tuple[list[Image.Image], list[list[Line]]]:
    """The sheet's page images at dpi and each page's printed lines. A last page that holds nothing but
    its page number (a seal image reaching past the foot of the page) is not kept."""
    with tempfile.TemporaryDirectory(prefix="sohoa-print-") as folder:
        work = Path(folder)
        pdf = print_pdf(html, work)
        images, lines = rasterise(pdf, dpi, work), page_lines(pdf)
    while len(lines) > 1 and all(text.strip().isdigit() for text, _ in lines[-1]):
        images, lines = images[:-1], lines[:-1]
    return images, lines
