"""Copies handed out are stamped, never the stored object: each page gets a line naming who the copy was
made for (name, unit, time, copy number) at the top, the agency's name at the foot, and a secret record's
copy "BẢN SAO" at the top right of page 1 (Decree 30, Circular 05). The stamp is drawn over the page; the
scan and its invisible OCR text stay as they are, so the copy still reads and searches."""
import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from fpdf import FPDF

FONTS = ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
         "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf")  # each has every Vietnamese letter
MARGIN_PT = 14
SIZE_PT = 8
COPY_MARK_PT = 14
RED = (179, 38, 30)


@dataclass(frozen=True)
class CopyStamp:
    made_for: str  # "Bản sao số 12/2026 cấp cho Nguyễn Văn An (Văn phòng), 04/12/2026 10:15"
    footer: str  # the agency's name
    copy_mark: bool  # "BẢN SAO" on page 1: a copy of a secret record


def stamp_font() -> Path:
    for candidate in FONTS:
        if Path(candidate).exists():
            return Path(candidate)
    raise FileNotFoundError("no font with Vietnamese letters for copy stamps: install fonts-dejavu-core")


def stamped(pdf: bytes, stamp: CopyStamp) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        with pikepdf.open(io.BytesIO(_overlay([page.mediabox for page in document.pages], stamp))) as overlay:
            for page, drawn in zip(document.pages, overlay.pages):
                page.add_overlay(drawn)
            out = io.BytesIO()
            document.save(out)
    return out.getvalue()


def _overlay(boxes: list, stamp: CopyStamp) -> bytes:
    """One page of stamp per page of the copy, each the size of its page (A3 appendices included)."""
    drawing = FPDF(unit="pt")
    drawing.set_auto_page_break(False)
    drawing.add_font("stamp", fname=str(stamp_font()))
    for number, box in enumerate(boxes, 1):
        width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
        drawing.add_page(format=(width, height))
        drawing.set_text_color(*RED)
        drawing.set_font("stamp", size=SIZE_PT)
        drawing.set_xy(MARGIN_PT, MARGIN_PT / 2)
        drawing.cell(width - 2 * MARGIN_PT, SIZE_PT + 2, stamp.made_for)
        drawing.set_xy(MARGIN_PT, height - MARGIN_PT - SIZE_PT)
        drawing.cell(width - 2 * MARGIN_PT, SIZE_PT + 2, f"{stamp.footer} · trang {number}/{len(boxes)}", align="C")
        if stamp.copy_mark and number == 1:
            drawing.set_font("stamp", size=COPY_MARK_PT)
            drawing.set_draw_color(*RED)
            drawing.set_xy(width - MARGIN_PT - 90, MARGIN_PT + SIZE_PT + 4)
            drawing.cell(90, COPY_MARK_PT + 8, "BẢN SAO", border=1, align="C")
    return bytes(drawing.output())
