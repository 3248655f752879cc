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
CARRIES_NUMBER_OR_DATE = re.compile(r"(^|\s)s\S{0,2}\s*[:;.]|ngay.*thang")


def second_readings(image: np.ndarray, text: PageText, dpi: int, engine: OcrEngine) -> list[dict]:
    """Readings of the header lines that carry a number or a date. image is the top of the OCR frame
    with pen ink kept, so that numbers and days written in by hand are read too."""
    readings = []
    for line in text.lines:
        x0, y0, x1, y1 = line.box
        if y0 > HEADER_SHARE * text.height or not CARRIES_NUMBER_OR_DATE.search(fold(line.text)):
            continue
        pad = max(4, (y1 - y0) // 2)  # handwriting rises above and sinks below the printed line
        crop = image[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
        crop = cv2.copyMakeBorder(crop, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)
        reading = engine.recognize(crop, dpi, single_line=True)
        if reading.words:
            readings.append({"box": [x0, y0, x1, y1], "text": reading.text, "confidence": reading.confidence})
    return readings
