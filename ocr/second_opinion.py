"""A second, independent reading of the header rows that carry the number and the date.

Tesseract's Vietnamese model misreads italic digits with high confidence (18 as 16, 11 as II);
its English model, a different network, reads digits well but not Vietnamese marks. Extraction
compares the two: agreement confirms a value, disagreement sends the record to review.
"""
import numpy as np

from sohoa.ocr.engine import OcrEngine
from sohoa.ocr.header_rows import HeaderRow
from sohoa.ocr.stacked import read_lines

SECOND_ENGINE_LANGUAGE = "eng"


def second_readings(image: np.ndarray, rows: list[HeaderRow], dpi: int, engine: OcrEngine) -> list[dict]:
    """Readings of the number and date rows, each across its whole column: a number or day written in by
    pen may have split the printed line. image is the top of the OCR frame with pen ink kept, so that
    what was written in by hand is read too."""
    crops, boxes = [], []
    for row in rows:
        (cx0, cx1), (_, y0, _, y1) = row.column, row.box
        pad = max(4, (y1 - y0) // 2)  # handwriting rises above and sinks below the printed line
        crops.append(image[max(0, y0 - pad):y1 + pad, cx0:cx1])
        boxes.append([cx0, y0, cx1, y1])
    return [{"box": box, "text": reading.text, "confidence": reading.confidence}
            for box, reading in zip(boxes, read_lines(crops, dpi, engine)) if reading.words]
