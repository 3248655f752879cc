"""Family B: a batch of scanned dossiers laid out in HTML, printed by Chromium and scanned, with the
same ground truth as family A (`sohoa.synth.batch`), so that one benchmark scores both. Some
dossiers are whole, as archives keep them: a cover and a table of contents first, attachments
without a Decree 30 header after the documents they belong with."""
import json
import random
from pathlib import Path

from PIL import Image

from sohoa.synth.printed import marks
from sohoa.synth.printed.content import Document, make_attachment, make_document
from sohoa.synth.printed.layouts import (FONTS, Sheet, appendix_sheet, attachment_sheet, cover_sheet, document_sheet,
                                         toc_sheet)
from sohoa.synth.printed.printer import Line, print_sheet
from sohoa.synth.printed.scanner import MODES, scan

RETENTIONS = ("Vĩnh viễn", "70 năm", "20 năm", "10 năm")


def document_marks(doc: Document, font: str, dpi: int, rng: random.Random) -> dict:
    px = dpi / 25.4
    found = {"seal": marks.png(marks.seal(int(36 * px), doc.organ_name, font, rng)),
             "signature": marks.png(marks.signature(int(40 * px), rng))}
    if rng.random() < 0.3:
        found["pen_number"] = marks.png(marks.handwritten(doc.code_number, int(6 * px), rng))
        found["pen_day"] = marks.png(marks.handwritten(doc.issued_date[-2:], int(6 * px), rng))
    if rng.random() < 0.4:
        found["stamp"] = marks.png(marks.received_stamp(int(24 * px), "…/…/" + doc.issued_date[:4], font, rng))
    if rng.random() < 0.3:
        day = "-".join(reversed(doc.issued_date.split("-"))).replace("-", ".")
        found["signing_box"] = marks.png(marks.signing_box(int(85 * px), f"{day} 16:29:07", font))
    return found


def truth_text(lines: list[Line], pen: dict) -> str:
    """The page's printed lines with the digits written in by pen put back, as the page reads. The PDF's
    text breaks a line where the pen's image sits ("Số:" | "/QĐ-UBND"): the two parts, level with each
    other, are one line."""
    lines = [(" ".join(text.replace("\u00a0", " ").split()), box) for text, box in lines]
    merged, used = [], set()
    for i, (text, box) in enumerate(lines):
        if i in used:
            continue
        value, opens = ((pen.get("number"), "/") if text == "Số:" else
                        (pen.get("day"), "tháng") if text.endswith(" ngày") or text == "ngày" else (None, None))
        partner = next((j for j, (other, other_box) in enumerate(lines) if value and j not in used and j != i
                        and other.startswith(opens) and abs(other_box[1] - box[1]) < 4 and other_box[0] > box[2]),
                       None)
        if partner is not None:
            used.add(partner)
            text = f"{text} {value}{'' if opens == '/' else ' '}{lines[partner][0]}"
        merged.append(text)
    return "\n".join(merged)


class DossierPrinter:
    """Pages and truth of one dossier, sheet by sheet."""

    def __init__(self, dpi: int, mode: str, rng: random.Random):
        self.dpi, self.mode, self.rng = dpi, mode, rng
        self.images: list[Image.Image] = []
        self.pages: list[dict] = []

    def add(self, sheet: Sheet, ordinal: int | None, type_name: str | None) -> list[int]:
        images, lines = print_sheet(sheet.html, self.dpi)
        numbers = []
        for image, page_lines in zip(images, lines):
            self.images.append(scan(image, self.mode, self.rng))
            numbers.append(len(self.images))
            kind = sheet.kind if sheet.kind != "document" else "first" if len(numbers) == 1 else "continuation"
            self.pages.append({"number": len(self.images), "doc_ordinal": ordinal, "type_name": type_name,
                               "kind": kind, "text": truth_text(page_lines, sheet.pen if len(numbers) == 1 else {})})
        return numbers

    def blank(self, ordinal: int, type_name: str | None) -> int:
        self.images.append(scan(Image.new("RGB", self.images[-1].size, "white"), self.mode, self.rng))
        self.pages.append({"number": len(self.images), "doc_ordinal": ordinal, "type_name": type_name,
                           "kind": "blank", "text": ""})
        return len(self.images)


def make_dossier(file_code: str, year: int, rng: random.Random, dpi: int, mode: str, whole: bool
                 ) -> tuple[list[Image.Image], dict]:
    font = rng.choice(FONTS)
    docs = [make_document(rng, year) for _ in range(rng.randint(1, 3))]
    printer = DossierPrinter(dpi, mode, rng)
    cover = None
    if whole:
        title = f"Hồ sơ về việc {docs[0].subject_lines[0].lower()}"
        dates = sorted(d.issued_date for d in docs)
        cover = {"title": title, "start": dates[0], "end": dates[-1], "retention": rng.choice(RETENTIONS)}
        printer.add(cover_sheet(title, file_code, iso_to_vn(dates[0]), iso_to_vn(dates[-1]), 0, cover["retention"],
                                docs[0].organ_name, font), None, None)
        rows = [(f"{d.code_number}/{d.code_notation}", iso_to_vn(d.issued_date), d.organ_name, d.subject, 2 + i)
                for i, d in enumerate(docs)]
        printer.add(toc_sheet(rows, font), None, None)
    documents = []
    for doc in docs:
        found = document_marks(doc, font, dpi, rng)
        ordinal = len(documents) + 1
        pages = printer.add(document_sheet(doc, font, found, rng), ordinal, doc.type_name)
        if doc.appendix:
            pages += printer.add(appendix_sheet(doc, font, rng), ordinal, doc.type_name)
        if rng.random() < 0.15:  # a blank back side scanned with the document
            pages.append(printer.blank(ordinal, doc.type_name))
        documents.append(doc.truth(ordinal, pages, font, written_by_hand="pen_number" in found,
                                   received_stamp="stamp" in found, signing_box="signing_box" in found))
        if whole and rng.random() < 0.6:
            attachment = make_attachment(rng)
            ordinal = len(documents) + 1
            pages = printer.add(attachment_sheet(attachment, font, rng), ordinal, None)
            documents.append({"doc_ordinal": ordinal, "kind": "attachment", "title": attachment.title,
                              "type_name": None, "pages": pages, "font": font})
    truth = {"file_code": file_code, "family": "B", "scan": mode, "dpi": dpi, "page_count": len(printer.images),
             "cover": cover, "documents": documents, "pages": printer.pages}
    return printer.images, truth


def iso_to_vn(date: str) -> str:
    year, month, day = date.split("-")
    return f"{day}/{month}/{year}"


def write_dossier(batch_dir: Path, file_code: str, pages: list[Image.Image], dpi: int, mode: str) -> tuple[str, str]:
    if mode == "bilevel":
        path = batch_dir / f"{file_code}.pdf"
        pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
        return path.name, "pdf"
    if mode == "photocopy":
        path = batch_dir / f"{file_code}.tif"
        pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="tiff_lzw")
        return path.name, "tiff-multipage"
    folder = batch_dir / file_code
    folder.mkdir(parents=True, exist_ok=True)
    for n, page in enumerate(pages, 1):
        page.save(folder / f"{n:03d}.jpg", dpi=(dpi, dpi), quality=92)
    return folder.name, "jpeg-folder"


def make_batch(batch_dir: Path, truth_path: Path, dossiers: int = 4, seed: int = 11, year: int = 2024,
               whole_share: float = 0.5) -> dict:
    """Write dossiers of family B into batch_dir and their ground truth to truth_path."""
    rng = random.Random(seed)
    batch_dir.mkdir(parents=True, exist_ok=True)
    truth = {"seed": seed, "family": "B", "dossiers": []}
    for n in range(1, dossiers + 1):
        file_code = f"G12.05.17.{year}.{n:03d}"
        mode = MODES[(n - 1) % len(MODES)]
        dpi = 200 if mode == "bilevel" else rng.choice((200, 300))
        pages, dossier = make_dossier(file_code, year, rng, dpi, mode, whole=rng.random() < whole_share)
        source, fmt = write_dossier(batch_dir, file_code, pages, dpi, mode)
        truth["dossiers"].append({**dossier, "source": source, "format": fmt})
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth
