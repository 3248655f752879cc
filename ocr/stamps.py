"""Read boxed red stamps (secrecy, urgency) that the OCR copy deliberately leaves out.

Stamps are found as rectangular frames in the red-ink layer; round seals are not rectangles and
are skipped. Each stamp's inside is read as one line of text.
"""
import cv2
import numpy as np

from sohoa.core.page_text import PageText
from sohoa.ocr.engine import OcrEngine

FRAME_COVERAGE = 0.65  # share of each side of a box that red ink must run along (faded frames break)


def outlined(red: np.ndarray, x: int, y: int, w: int, h: int) -> bool:
    """True when red ink runs along most of each side of the box: a stamp's frame, even where a faded
    or blurred line breaks it (a closed contour would need it whole)."""
    band = max(3, round(0.12 * h))  # wide enough for a frame a few degrees askew
    box = red[y:y + h, x:x + w]
    along = [box[:band].any(axis=0), box[-band:].any(axis=0), box[:, :band].any(axis=1), box[:, -band:].any(axis=1)]
    return runs_along_each(along)


def runs_along_each(sides: list[np.ndarray]) -> bool:
    """Whether ink runs along most of each side of a box, given where along each side it runs."""
    return min(float(side.mean()) for side in sides) >= FRAME_COVERAGE


def find_stamp_boxes(red: np.ndarray, dpi: int) -> list[tuple[int, int, int, int]]:
    mask = red.astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    mm = dpi / 25.4
    boxes = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if 4 * mm <= h <= 20 * mm and 1.3 <= w / h <= 12 and outlined(red, x, y, w, h):
            boxes.append((x, y, x + w, y + h))
    return boxes


def read_stamps(red: np.ndarray, dpi: int, engine: OcrEngine) -> list[dict]:
    """Boxed red stamps (MẬT, KHẨN, …) read from the page's red ink mask."""
    stamps = []
    for x0, y0, x1, y1 in find_stamp_boxes(red, dpi):
        text = read_inside(red[y0:y1, x0:x1], dpi, engine, layout="line")
        if text.words:
            stamps.append({"text": text.text, "confidence": text.confidence, "box": [x0, y0, x1, y1]})
    return stamps


def read_inside(stamp: np.ndarray, dpi: int, engine: OcrEngine, layout: str) -> PageText:
    """The words inside a stamp's frame, from its ink mask (the frame's box), the frame left out."""
    inset = max(2, stamp.shape[0] // 8)
    inside = stamp[inset:-inset, inset:-inset]
    if inside.size == 0 or not inside.any():
        return PageText(0, 0)
    ink = cv2.copyMakeBorder(np.where(inside, 0, 255).astype(np.uint8), 20, 20, 20, 20, cv2.BORDER_CONSTANT,
                             value=255)
    return engine.recognize(ink, dpi, layout=layout)
