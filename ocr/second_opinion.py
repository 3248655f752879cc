"""A second, independent reading of the header lines that carry the number and the date.

Tesseract's Vietnamese model misreads italic digits with high confidence (18 as 16, 11 as II);
its English model, a different network, reads digits well but not Vietnamese marks. Extraction
compares the two: agreement confirms a value, disagreement sends the record to review.
"""
import re

import cv2
import numpy as np

from ocr.engine import OcrEngine, PageText
from pipeline.text import fold

SECOND_ENGINE_LANGUAGE = "eng"
HEADER_SHARE = 0.45
CARRIES_NUMBER_OR_DATE = re.compile(r"(^|\s)s\S{0,2}\s*[:;.]|ngay")
COLUMN_SPLIT = 0.48  # the two header columns meet near the middle of the page


def second_readings(image: np.ndarray, text: PageText, dpi: int, engine: OcrEngine) -> list[dict]:
    """Readings of the header rows that carry a number or a date, each across its whole column: a
    number or day written in by pen may have split the printed line. image is the top of the OCR
    frame with pen ink kept, so that what was written in by hand is read too."""
    readings, done = [], []
    for line in text.lines:
        x0, y0, x1, y1 = line.box
        if y0 > HEADER_SHARE * text.height or not CARRIES_NUMBER_OR_DATE.search(fold(line.text)):
            continue
        split = int(COLUMN_SPLIT * text.width)
        for cx0, cx1 in [c for c in ((0, split), (split, text.width)) if x0 < c[1] and x1 > c[0]]:
            if any(a == cx0 and min(y1, b) - max(y0, top) > 0.5 * (y1 - y0) for a, top, b in done):
                continue  # another piece of this row was read already
            done.append((cx0, y0, y1))
            pad = max(4, (y1 - y0) // 2)  # handwriting rises above and sinks below the printed line
            crop = image[max(0, y0 - pad):y1 + pad, cx0:cx1]
            crop = cv2.copyMakeBorder(crop, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)
            reading = engine.recognize(crop, dpi, single_line=True)
            if reading.words:
                readings.append({"box": [cx0, y0, cx1, y1], "text": reading.text,
                                 "confidence": reading.confidence})
    return readings
