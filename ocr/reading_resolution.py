"""A page scanned finer than 220 dpi is read by Tesseract at 200 dpi.

Tesseract's cost grows with the page's pixels, and its reading of the print of official documents does
not improve above 200 dpi (Circular 05/2025's resolution for administrative documents): on the generated
families' 300 dpi pages, reading them at 200 dpi took a quarter to a third less time, at the same or a
lower character error rate. The page is reduced for the page reading only; the words' boxes are brought
back to the page's own pixels, where the finer readings (digits, stamps, the signature block) look again
at full resolution.
"""
import cv2
import numpy as np

from sohoa.core.page_text import Line, PageText, Word
from sohoa.ocr.engine import OcrEngine

READING_DPI = 200
FINER = 1.1  # a page is reduced only when scanned this much finer (a real scan's 202 dpi is read as it is)


def read_page(engine: OcrEngine, image: np.ndarray, dpi: int) -> PageText:
    """The page's words, read at READING_DPI when scanned finer, with boxes in the pixels of image."""
    if dpi <= FINER * READING_DPI:
        return engine.recognize(image, dpi)
    scale = READING_DPI / dpi
    reduced = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return enlarged(engine.recognize(reduced, READING_DPI), image.shape[1], image.shape[0], 1 / scale)


def enlarged(text: PageText, width: int, height: int, factor: float) -> PageText:
    """text's boxes multiplied by factor, clipped to a page of width × height pixels."""
    def box(b):
        x0, y0, x1, y1 = b
        return (min(width, round(x0 * factor)), min(height, round(y0 * factor)),
                min(width, round(x1 * factor)), min(height, round(y1 * factor)))
    return PageText(width, height, [Line([Word(w.text, box(w.box), w.confidence, w.weight) for w in line.words])
                                    for line in text.lines])
