"""The number and the day written in by pen after signing ("Số: 1743 /CTr-BNV", "ngày 05 tháng 02").

Whole-line OCR reads them badly or not at all: a blue pen is lifted with the coloured ink, a
calligraphic hand is not print. So the gap the form leaves for them, between "Số:" and the symbol and
between "ngày" and "tháng", is cut out of the header image that keeps pen ink and read as digits alone,
by both Tesseract models. Extraction trusts such a value only where independent readings agree.

A Vietnamese hand writes 1 with a long flag from the top of its stem, which Tesseract reads as 4: a 4 read
in the gap whose glyph has no bar, no loop and a foot of one narrow stem is taken for the 1 it is.
"""
import cv2
import numpy as np

from sohoa.core.page_text import Word
from sohoa.ocr.engine import OcrEngine
from sohoa.ocr.header_rows import HeaderRow
from sohoa.ocr.stacked import read_lines

ROW_TOLERANCE = 0.45  # of a line height: written-in digits ride above or below the printed baseline
INK = 160  # the header image keeps pen ink, lighter than print
GLYPH_HEIGHT = 0.4  # of the gap's ink: lower pieces are dots and specks, not digits
STEM = 0.5  # of a glyph's width: the most a flagged 1's stem takes of a row (its flag makes the glyph wide)
BAR = 0.85  # of a glyph's width: a 4's bar runs across nearly all of it in one row
FOOT = 0.2  # of a glyph's height: a 1's foot, below its flag, however long the flag
HOLE = 0.01  # of a glyph's box: smaller enclosed paper is a gap in a thick stroke, not a loop


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
    count, labels, stats, centroids = cv2.connectedComponentsWithStats((region < INK).astype(np.uint8))
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
    return [{"field": field, "box": box,
             "readings": [with_flagged_ones(ink, texts[i].text.replace(" ", "")) for texts in by_engine]}
            for i, (field, (ink, box)) in enumerate(found)]


def with_flagged_ones(ink: np.ndarray, digits: str) -> str:
    """The digits read in the gap, each 4 whose glyph is a flagged 1 a 1; as read where the glyphs of the
    gap cannot be paired with the digits one to one."""
    if "4" not in digits:
        return digits
    glyphs = glyph_masks(ink)
    if len(glyphs) != len(digits):
        return digits
    return "".join("1" if digit == "4" and flagged_one(glyph) else digit for digit, glyph in zip(digits, glyphs))


def glyph_masks(ink: np.ndarray) -> list[np.ndarray]:
    """The ink of each glyph, left to right: pieces as tall as a digit, those one above the other joined
    (a 4 drawn in two strokes)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats((ink < INK).astype(np.uint8))
    pieces = sorted((stats[i][0], stats[i][0] + stats[i][2], i) for i in range(1, count)
                    if stats[i][3] > GLYPH_HEIGHT * ink.shape[0])
    groups: list[tuple[int, list[int]]] = []  # (the right edge, the pieces) of each glyph
    for x0, x1, label in pieces:
        if groups and x0 < groups[-1][0]:
            right, labels_of = groups.pop()
            groups.append((max(right, x1), labels_of + [label]))
        else:
            groups.append((x1, [label]))
    masks = []
    for _, labels_of in groups:
        mask = np.isin(labels, labels_of)
        rows, columns = np.nonzero(mask)
        masks.append(mask[rows.min():rows.max() + 1, columns.min():columns.max() + 1])
    return masks


def flagged_one(glyph: np.ndarray) -> bool:
    """Whether a glyph is a 1 with its flag: no bar across it (a 4's), no loop (a 4's, 6's or 9's), and its
    foot a stem alone, one narrow run of ink in every row (not a 3's curve)."""
    height, width = glyph.shape
    edges = np.diff(np.pad(glyph.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    runs = [np.nonzero(row == -1)[0] - np.nonzero(row == 1)[0] for row in edges]
    stem = all(len(run) == 1 and run[0] <= STEM * width for run in runs[height - round(FOOT * height):])
    return stem and max(run.max(initial=0) for run in runs) < BAR * width and not looped(glyph)


def looped(glyph: np.ndarray) -> bool:
    """Whether the glyph's ink closes round some paper."""
    paper = np.pad(~glyph, 1, constant_values=True).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(paper, connectivity=4)
    return any(stats[i][4] >= HOLE * glyph.size for i in range(2, count))  # label 1: the paper round the glyph
