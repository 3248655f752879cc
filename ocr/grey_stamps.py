"""Boxed stamps on a grey scan, lifted off the page that Tesseract reads.

A received stamp ("ĐẾN Số: … Ngày: …/…/2024") lands across the header's date line and the title. In
colour its ink is lifted by its hue (`clean`); scanned in grey, or photocopied before, the red or blue
ink prints mid-grey while print stays near black. So a stamp is a rectangular frame, of a stamp's size,
round light ink that is no stroke's soft edge; inside it all but print's dark core is whitened. Light ink
no frame runs round (a faded line of print, a signing service's grey box, a round seal) is left as it is.
"""
import cv2
import numpy as np

from sohoa.ocr.engine import OcrEngine
from sohoa.ocr.stamps import read_inside, runs_along_each

PRINT_LEVEL = 90  # of the cleaned page: print's strokes are darker; a stamp's ink, printed grey, lighter
PAPER_LEVEL = 220  # lighter is paper
EDGE_MM = 0.5  # light pixels this close to print are its strokes' soft edges, not a stamp's ink
STAMP_HEIGHT_MM = (10, 45)  # a received stamp is about 30 by 50 mm; secrecy and urgency stamps are smaller
STAMP_ASPECT = (1.2, 6)
DETECTION_DPI = 50  # stamps are looked for on a copy this coarse...
GRAIN_SHARE = 0.25  # ...whose pixels light ink must fill this much: the paper's grain, single specks, fades
CLUSTER_MM = 2  # a stamp's letters and frame lie closer than this to one another...
PRINT_LINE_MM = 6  # ...or a line of print apart at most, where the print took the light ink next to it
LINE_MM, SLACK_MM = 5, 0.6  # a frame's side runs straight this far, leaning by up to this much over it

Box = tuple[int, int, int, int]


def grey_stamp_frames(image: np.ndarray, dpi: int) -> list[Box]:
    """The frames of the stamps printed grey on the cleaned page."""
    return stamp_frames(image, light_ink(image, dpi), dpi)


def without_stamps(image: np.ndarray, frames: list[Box]) -> np.ndarray:
    """image (the cleaned page, or its header's copy, in the same frame) with the stamps' ink whitened:
    inside a frame print keeps its dark core; the stamp's lighter ink round it goes."""
    if not frames:
        return image
    lifted = image.copy()
    for x0, y0, x1, y1 in frames:
        inside = lifted[y0:y1, x0:x1]
        inside[inside >= PRINT_LEVEL] = 255
    return lifted


def read_grey_stamps(image: np.ndarray, frames: list[Box], to_source: np.ndarray, dpi: int, engine: OcrEngine
                     ) -> list[dict]:
    """The stamps lifted off the page, read as the red ones are (`stamps`), their boxes in the source
    image's pixels as theirs: a secrecy or urgency stamp printed grey still marks the document."""
    read = []
    for x0, y0, x1, y1 in frames:
        stamp = image[y0:y1, x0:x1]
        text = read_inside((stamp >= PRINT_LEVEL) & (stamp < PAPER_LEVEL), dpi, engine, layout="block")
        if text.words:
            corners = cv2.transform(np.array([[[x0, y0], [x1, y1]]], np.float64), to_source)[0]
            box = [int(round(v)) for v in (*corners.min(axis=0), *corners.max(axis=0))]
            read.append({"text": text.text, "confidence": text.confidence, "box": box})
    return read


def light_ink(image: np.ndarray, dpi: int) -> np.ndarray:
    """Mid-grey ink that is not the soft edge of a darker stroke."""
    reach = 2 * max(1, round(EDGE_MM * dpi / 25.4)) + 1
    near_print = cv2.dilate((image < PRINT_LEVEL).astype(np.uint8), np.ones((reach, reach), np.uint8)) > 0
    return (image >= PRINT_LEVEL) & (image < PAPER_LEVEL) & ~near_print


def stamp_frames(image: np.ndarray, light: np.ndarray, dpi: int) -> list[Box]:
    """(x0, y0, x1, y1) of the clusters of light ink, of a stamp's size, that a frame runs round."""
    mm = dpi / 25.4
    scale = min(1.0, DETECTION_DPI / dpi)
    small = cv2.resize(light.astype(np.uint8) * 255, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = (small >= GRAIN_SHARE * 255).astype(np.uint8)
    small_mm = scale * dpi / 25.4
    reach = max(3, round(CLUSTER_MM * small_mm))
    _, _, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(ink, np.ones((reach, reach), np.uint8)))
    boxes = [(x + reach // 2, y + reach // 2, x + w - reach // 2, y + h - reach // 2) for x, y, w, h, _ in stats[1:]
             if max(w, h) - reach >= LINE_MM * small_mm]  # smaller ones are no part of a frame
    frames = []
    margin = round(mm)  # the coarse copy's boxes are half a millimetre out either way: the frame may lie outside
    for box in parted_by_print(boxes, small_mm):
        x0, y0, x1, y1 = (int(round(v / scale)) for v in box)
        x0, y0 = max(0, x0 - margin), max(0, y0 - margin)
        x1, y1 = min(image.shape[1], x1 + margin), min(image.shape[0], y1 + margin)
        w, h = x1 - x0, y1 - y0
        if (STAMP_HEIGHT_MM[0] * mm <= h <= STAMP_HEIGHT_MM[1] * mm and STAMP_ASPECT[0] <= w / h <= STAMP_ASPECT[1]
                and framed(*straight_lines(image[y0:y1, x0:x1], mm))):
            frames.append((x0, y0, x1, y1))
    return frames


def parted_by_print(boxes: list[Box], mm: float) -> list[Box]:
    """Boxes joined where one lies under the other across a line of print: a stamp over the date line is
    cut in two where the line's print takes its light ink away."""
    joined: list[Box] = []
    for box in sorted(boxes, key=lambda b: b[1]):
        for i, other in enumerate(joined):
            overlap = min(box[2], other[2]) - max(box[0], other[0])
            if overlap >= 0.5 * min(box[2] - box[0], other[2] - other[0]) and box[1] - other[3] <= PRINT_LINE_MM * mm:
                joined[i] = (min(box[0], other[0]), other[1], max(box[2], other[2]), max(box[3], other[3]))
                break
        else:
            joined.append(box)
    return joined


def straight_lines(image: np.ndarray, mm: float) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) runs of ink at least LINE_MM long, a few degrees askew, light or dark (print
    over a frame hides it): a frame's sides, not letters."""
    length, slack = max(3, round(LINE_MM * mm)), max(3, round(SLACK_MM * mm))
    ink = (image < PAPER_LEVEL).astype(np.uint8)
    across = cv2.morphologyEx(cv2.dilate(ink, np.ones((slack, 1), np.uint8)), cv2.MORPH_OPEN,
                              np.ones((1, length), np.uint8))
    down = cv2.morphologyEx(cv2.dilate(ink, np.ones((1, slack), np.uint8)), cv2.MORPH_OPEN,
                            np.ones((length, 1), np.uint8))
    return across > 0, down > 0


def framed(across: np.ndarray, down: np.ndarray) -> bool:
    """Whether straight lines run along most of each side of a box: the top across most columns of its
    upper half, and so on, however the frame leans."""
    height, width = across.shape
    sides = [across[:height // 2].any(axis=0), across[height // 2:].any(axis=0),
             down[:, :width // 2].any(axis=1), down[:, width // 2:].any(axis=1)]
    return runs_along_each(sides)
