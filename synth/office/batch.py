"""Family C: a batch of dossiers typed in an office suite (python-docx), printed to PDF by LibreOffice, signed,
sealed and stamped by hand, and scanned by an office scanner; ground truth in the format of families A
and B, so that one benchmark scores all three. Family C is kept out of tuning: it is the held-out family."""
import json
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from sohoa.synth.office import marks
from sohoa.synth.office.content import ORGANS, PLACES, Document, make_document
from sohoa.synth.office.document import write_docx
from sohoa.synth.office.scanner import DPI, MODES, scan
from sohoa.synth.printed.printer import Line, page_lines, rasterise

FONTS = ("Tinos", "FreeSerif", "Gentium Plus", "Arimo")
CONVERT_TIMEOUT_S = 600


def office() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise RuntimeError("family C prints its documents with LibreOffice: install Debian's "
                           "libreoffice-writer-nogui package")
    return found


def print_all(sources: list[Path], work: Path) -> None:
    """Every document to PDF in one LibreOffice run, with a profile of its own (a running LibreOffice of the
    user's would otherwise take the job and return at once). LibreOffice exits normally when a document fails:
    each PDF is looked for."""
    done = subprocess.run([office(), f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(work), *map(str, sources)],
                          capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S)
    missing = [source.name for source in sources if not source.with_suffix(".pdf").exists()]
    if done.returncode or missing:
        raise RuntimeError(f"LibreOffice did not print {', '.join(missing) or 'the documents'}: "
                           f"{(done.stderr or done.stdout).strip()[-500:]}")


def box_of(lines: list[Line], text: str) -> tuple[float, float, float, float] | None:
    return next((box for line, box in lines if " ".join(line.split()) == text), None)


def sign_and_stamp(pages: list[Image.Image], lines: list[list[Line]], doc: Document, dpi: int,
                   rng: random.Random) -> dict:
    """Put the hand's and the stamps' marks where the printed lines say; what was put, for the truth."""
    scale, mm = dpi / 72, dpi / 25.4
    put = {}
    last, last_lines = pages[-1], lines[-1]
    position, name = box_of(last_lines, doc.signer_position), box_of(last_lines, doc.signer_name)
    if position and name:
        middle_x = (name[0] + name[2]) / 2 * scale
        gap_top, gap_bottom = position[3] * scale, name[1] * scale
        sign = marks.signature(int(rng.uniform(35, 48) * mm), rng)
        marks.ink(last, sign, marks.PEN_BLUE, (int(middle_x - sign.width / 2),
                                                 int((gap_top + gap_bottom) / 2 - sign.height / 2)), rng, 0.95)
        seal = marks.seal(int(rng.uniform(34, 40) * mm), doc.organ_name, rng)
        marks.ink(last, seal, marks.SEAL_RED, (int(middle_x - sign.width / 2 - seal.width * 0.55),
                                               int((gap_top + gap_bottom) / 2 - seal.height / 2)), rng)
        put["signed"] = True
    first, first_lines = pages[0], lines[0]
    number = next((box for text, box in first_lines if text.startswith("Số:")), None)
    if number and rng.random() < 0.45:
        # Stamped on arrival in the space under the number; now and then across it.
        stamp = marks.received_stamp(int(rng.uniform(38, 48) * mm), int(doc.issued_date[:4]), rng)
        x = number[0] * scale + rng.uniform(-10, 25) * mm
        y = number[3] * scale + (rng.uniform(-8, -2) if rng.random() < 0.25 else rng.uniform(1, 8)) * mm
        marks.ink(first, stamp, marks.STAMP_VIOLET, (max(0, int(x)), int(y)), rng)
        put["received_stamp"] = True
    if rng.random() < 0.3:
        note = marks.instruction(int(6 * mm), rng)
        marks.ink(first, note, marks.PEN_BLUE, (int(rng.uniform(25, 60) * mm), int(rng.uniform(3, 9) * mm)), rng, 0.95)
        put["instruction"] = True
    return put


def page_text(lines: list[Line]) -> str:
    return "\n".join(text for text in (" ".join(line.replace("\u00a0", " ").split()) for line, _ in lines) if text)


def write_dossier(batch_dir: Path, file_code: str, pages: list[Image.Image], dpi: int, mode: str) -> tuple[str, str]:
    if mode == "grey":
        path = batch_dir / f"{file_code}.pdf"
        pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=dpi, quality=85)
        return path.name, "pdf"
    if mode == "bilevel":
        path = batch_dir / f"{file_code}.tif"
        pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="group4")
        return path.name, "tiff-multipage"
    folder = batch_dir / file_code
    folder.mkdir(parents=True, exist_ok=True)
    for n, page in enumerate(pages, 1):
        page.save(folder / f"{n:03d}.png", dpi=(dpi, dpi))
    return folder.name, "png-folder"


def dossier_documents(rng: random.Random, year: int) -> list[Document]:
    """One to three documents of one place, as a dossier on one matter holds them: often from the same organ."""
    place, organ, documents = rng.choice(PLACES), None, []
    for _ in range(rng.randint(1, 3)):
        organ = organ if organ and rng.random() < 0.5 else rng.choice(ORGANS)
        documents.append(make_document(rng, year, place, organ))
    return documents


def make_batch(batch_dir: Path, truth_path: Path, dossiers: int = 4, seed: int = 23, year: int = 2024) -> dict:
    """Write dossiers of family C into batch_dir and their ground truth to truth_path."""
    batch_dir.mkdir(parents=True, exist_ok=True)
    plans = []
    with tempfile.TemporaryDirectory(prefix="sohoa-office-") as folder:
        work = Path(folder)
        for n in range(1, dossiers + 1):
            # A stream of its own for each dossier: another LibreOffice paginating one dossier differently
            # leaves the others as they were.
            rng = random.Random(f"{seed}:{n}")
            docs = dossier_documents(rng, year)
            font = rng.choice(FONTS)
            for k, doc in enumerate(docs):
                write_docx(doc, font, work / f"{n:03d}-{k}.docx", rng)
            plans.append((f"H27.03.{year}.{n:03d}", MODES[(n - 1) % len(MODES)], font, docs, rng))
        print_all(sorted(work.glob("*.docx")), work)
        truth = {"seed": seed, "family": "C", "dossiers": []}
        for n, (file_code, mode, font, docs, rng) in enumerate(plans, 1):
            dpi, punched = DPI[mode], rng.random() < 0.4
            images, pages, documents = [], [], []
            for k, doc in enumerate(docs):
                pdf = work / f"{n:03d}-{k}.pdf"
                printed, lines = rasterise(pdf, dpi, work), page_lines(pdf)
                put = sign_and_stamp(printed, lines, doc, dpi, rng)
                numbers = []
                for i, (image, page_lines_) in enumerate(zip(printed, lines)):
                    images.append(scan(image, mode, rng, punched))
                    numbers.append(len(images))
                    pages.append({"number": len(images), "doc_ordinal": k + 1, "type_name": doc.type_name,
                                  "kind": "first" if i == 0 else "continuation", "text": page_text(page_lines_)})
                if rng.random() < 0.15:  # the blank back of the last sheet, scanned duplex
                    images.append(scan(Image.new("RGB", printed[-1].size, "white"), mode, rng, punched))
                    numbers.append(len(images))
                    pages.append({"number": len(images), "doc_ordinal": k + 1, "type_name": doc.type_name,
                                  "kind": "blank", "text": ""})
                documents.append(doc.truth(k + 1, numbers, font, written_by_hand=False,
                                           signed_and_sealed=put.get("signed", False),
                                           received_stamp=put.get("received_stamp", False),
                                           instruction=put.get("instruction", False)))
            source, fmt = write_dossier(batch_dir, file_code, images, dpi, mode)
            truth["dossiers"].append({"file_code": file_code, "family": "C", "scan": mode, "dpi": dpi,
                                      "page_count": len(images), "cover": None, "documents": documents,
                                      "pages": pages, "source": source, "format": fmt})
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth
