"""How heavy each word is printed: the stroke width of its ink, measured on the cleaned page.

Decree 30 sets the title and the subject in bold and the body in regular type; the weight tells
them apart where no rule is drawn under the subject and the geometry of one template says nothing.
"""
import cv2
import numpy as np

from sohoa.core.page_text import PageText

INK = 128  # the cleaned page is flattened to white paper: darker than this is ink
MIN_INK_PIXELS = 12  # fewer are a speck or a mark: no weight to measure


def measure_weights(image: np.ndarray, text: PageText) -> None:
    """Set each word's weight: twice the mean distance of its ink pixels to the paper, which grows
    with the stroke width (for a stroke w pixels wide it is about w / 2)."""
    ink = (image < INK).astype(np.uint8)
    depth = cv2.distanceTransform(ink, cv2.DIST_L2, 3)
    height, width = ink.shape
    for word in text.words:
        x0, y0, x1, y1 = (max(0, word.box[0]), max(0, word.box[1]), min(width, word.box[2]), min(height, word.box[3]))
        inside = ink[y0:y1, x0:x1].astype(bool)
        if np.count_nonzero(inside) >= MIN_INK_PIXELS:
            word.weight = round(2 * float(depth[y0:y1, x0:x1][inside].mean()), 2)
