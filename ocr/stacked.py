"""Several one-line crops read in one OCR call. Every Tesseract call pays a fixed start (its model is
loaded again, about 0.1 s), more than reading a short line costs; so the crops of a page are stacked one
under another, with white space between, and read as one block."""
import numpy as np

from ocr.engine import OcrEngine, PageText

SPACING = 40  # pixels of white around and between the crops


def read_lines(crops: list[np.ndarray], dpi: int, engine: OcrEngine, digits_only: bool = False) -> list[PageText]:
    """One reading per crop, in order; the lines of the block go to the crop their middle falls in."""
    if len(crops) <= 1:
        return [engine.recognize(np.pad(crop, SPACING // 2, constant_values=255), dpi, layout="line",
                                 digits_only=digits_only) for crop in crops]
    width = max(c.shape[1] for c in crops) + 2 * SPACING
    canvas = np.full((sum(c.shape[0] for c in crops) + SPACING * (len(crops) + 1), width), 255, np.uint8)
    bands, y = [], SPACING
    for crop in crops:
        canvas[y:y + crop.shape[0], SPACING:SPACING + crop.shape[1]] = crop
        bands.append((y - SPACING // 2, y + crop.shape[0] + SPACING // 2))
        y += crop.shape[0] + SPACING
    block = engine.recognize(canvas, dpi, layout="block", digits_only=digits_only)
    readings = [PageText(c.shape[1], c.shape[0]) for c in crops]
    for line in block.lines:
        middle = (line.box[1] + line.box[3]) / 2
        for reading, (top, bottom) in zip(readings, bands):
            if top <= middle < bottom:
                reading.lines.append(line)
    return readings
