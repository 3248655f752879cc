"""The number and the day written in by pen after signing ("Số: 1743 /CTr-BNV", "ngày 05 tháng 02").

Whole-line OCR reads them badly or not at all: a blue pen is lifted with the coloured ink, a
calligraphic hand is not print. So the gap the form leaves for them, between "Số:" and the symbol and
between "ngày" and "tháng", is cut out of the header image that keeps pen ink and read as digits alone,
by both Tesseract models. Extraction trusts such a value only where independent readings agree.
"""
import cv2
import numpy as np

from sohoa.core.page_text import Word
from sohoa.ocr.engine import OcrEngine
from sohoa.ocr.header_rows import HeaderRow
from sohoa.ocr.stacked import read_lines

ROW_TOLERANCE = 0.45  # of a line height: written-in digits ride above or below the printed baseline


def ink_in_gap(image: np.ndarray, anchor: Word, right: int) -> tuple[np.ndarray, list[int]] | None:
    """(the ink in the gap after an anchor word that belongs to the anchor's row, on white; its box),
    or None when the gap is empty."""
    x0, y0, x1, y1 = anchor.box
    height = y1 - y0
    top, bottom = max(0, y0 - height), min(image.shape[0], y1 + height)
    left, right = max(0, x1 + 2), min(image.shape[1], right - 2)
    if right - left < height // 2 or bottom <= top:
        return None
    region = image[top:bottom, left:right]
    count, labels, stats, centroids = cv2.connectedComponentsWithStats((region < 160).astype(np.uint8))
    kept = [i for i in range(1, count)
            if stats[i][4] >= 0.02 * height * height  # specks of noise are not strokes
            and y0 - ROW_TOLERANCE * height <= top + centroids[i][1] <= y1 + ROW_TOLERANCE * height]
    if not kept:
        return None
    ink = np.where(np.isin(labels, kept), region, 255).astype(np.uint8)
    bx0, by0 = min(stats[i][0] for i in kept), min(stats[i][1] for i in kept)
    bx1, by1 = max(stats[i][0] + stats[i][2] for i in kept), max(stats[i][1] + stats[i][3] for i in kept)
    return ink[by0:by1, bx0:bx1], [int(v) for v in (left + bx0, top + by0, left + bx1, top + by1)]


def read_written_in(image: np.ndarray, rows: list[HeaderRow], dpi: int, engines: list[OcrEngine]) -> list[dict]:
    """{"field": "number" | "day", "box", "readings": [digits read by each engine]} for every header row
    whose gap holds ink. image: the top of the OCR frame with pen ink kept."""
    found = [(row.field, gap) for row in rows if row.anchor and (gap := ink_in_gap(image, row.anchor, row.gap_right))]
    crops = [cv2.copyMakeBorder(ink, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255) for _, (ink, _) in found]
    by_engine = [read_lines(crops, dpi, engine, digits_only=True) for engine in engines]
    return [{"field": field, "box": box, "readings": [texts[i].text.replace(" ", "") for texts in by_engine]}
            for i, (field, (_, box)) in enumerate(found)]
