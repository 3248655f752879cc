"""Several small crops of a page read in one OCR call: stacked one under another, with white space
between, and read as one block of lines. One call costs less than one per crop, and a crop may hold
more than one line (the number row looked for where a stamp hid it)."""
import numpy as np

from sohoa.core.page_text import Box, Line, PageText, Word
from sohoa.ocr.engine import OcrEngine

SPACING = 40  # pixels of white around and between the crops


def read_lines(crops: list[np.ndarray], dpi: int, engine: OcrEngine, digits_only: bool = False) -> list[PageText]:
    """One reading per crop, in order, its boxes in the crop's pixels; the lines of the block go to the
    crop their middle falls in."""
    if not crops:
        return []
    width = max(c.shape[1] for c in crops) + 2 * SPACING
    canvas = np.full((sum(c.shape[0] for c in crops) + SPACING * (len(crops) + 1), width), 255, np.uint8)
    tops, y = [], SPACING
    for crop in crops:
        canvas[y:y + crop.shape[0], SPACING:SPACING + crop.shape[1]] = crop
        tops.append(y)
        y += crop.shape[0] + SPACING
    block = engine.recognize(canvas, dpi, layout="block", digits_only=digits_only)
    readings = [PageText(c.shape[1], c.shape[0]) for c in crops]
    for line in block.lines:
        middle = (line.box[1] + line.box[3]) / 2
        for reading, top in zip(readings, tops):
            if top - SPACING // 2 <= middle < top + reading.height + SPACING // 2:
                reading.lines.append(Line([Word(w.text, shifted(w.box, -SPACING, -top), w.confidence)
                                           for w in line.words]))
    return readings


def shifted(box: Box, dx: int, dy: int) -> Box:
    return box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy
