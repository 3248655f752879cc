"""OpenCV cleanup: a grey copy of the page made for OCR; the archival colour image is untouched.

Steps: coloured ink (red seals, blue signatures) is lifted out by colour, dark scanner borders are
whitened and cropped, skew is measured by projection profiles and undone, and uneven light and
paper tone are flattened by dividing by an estimated background.
"""
from dataclasses import dataclass

import cv2
import numpy as np

WORK_WIDTH = 900  # measuring skew and borders on a small copy is as good and far faster


PEN_ZONE = 0.5  # share of the page, from the top, kept with pen ink for the number and date lines
INK_LEVEL = 128  # below this grey level a pixel of the cleaned page is ink
PAPER_LEVEL = 235  # above it, paper; between the two, the tones of a photo or a map (print has few)
PICTURE_TONES = 0.3  # a patch this much in mid-tones is part of a picture
PICTURE_PATCH_MM = 5


@dataclass
class CleanPage:
    image: np.ndarray  # grey uint8, OCR frame
    to_source: np.ndarray  # 2x3 affine: OCR-frame pixel -> source-image pixel
    skew_deg: float
    crop: tuple[int, int, int, int]
    ink_ratio: float  # share of dark pixels: near zero on a blank page
    header_with_pen: np.ndarray | None = None  # top of the OCR frame with blue pen ink kept (red lifted)
    red_ink: np.ndarray | None = None  # red ink of the source image (seals, stamps), for the stamp reader


def ink_masks(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(coloured, red) as 0/255 masks from one colour conversion. Coloured: saturated, not-dark pixels, i.e.
    stamp, seal and signature ink rather than black print. Red: the seals' and stamps' ink alone."""
    hue, saturation, value = cv2.split(cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV))
    vivid = cv2.min(saturation, value)  # both saturated and bright: one threshold instead of two
    reddish = cv2.bitwise_or(below(hue, 12), above(hue, 165))  # hue wraps around at red
    return above(vivid, 70), cv2.bitwise_and(above(vivid, 80), reddish)


def above(channel: np.ndarray, level: int) -> np.ndarray:
    return cv2.threshold(channel, level, 255, cv2.THRESH_BINARY)[1]


def below(channel: np.ndarray, level: int) -> np.ndarray:
    return cv2.threshold(channel, level - 1, 255, cv2.THRESH_BINARY_INV)[1]


def work_copy(grey: np.ndarray) -> np.ndarray:
    """The page WORK_WIDTH pixels wide, where its borders and its skew are measured."""
    scale = WORK_WIDTH / grey.shape[1]
    return cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def border_crop(grey: np.ndarray, small: np.ndarray) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """Whiten dark regions touching the image edge and crop rows/columns that are only border (grey itself
    where there are none). small is grey's work copy."""
    scale = WORK_WIDTH / grey.shape[1]
    dark = (small < 70).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    h, w = small.shape
    border = np.zeros_like(dark)
    for label in range(1, count):
        x, y, bw, bh, area = stats[label]
        touches_edge = x == 0 or y == 0 or x + bw == w or y + bh == h
        if touches_edge and area > 0.002 * h * w:
            border[labels == label] = 1
    if not border.any():
        return grey, (0, 0, grey.shape[1], grey.shape[0])
    page_rows = np.where(border.mean(axis=1) < 0.5)[0]
    page_cols = np.where(border.mean(axis=0) < 0.5)[0]
    mask = cv2.resize(border * 255, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_NEAREST)
    whitened = cv2.max(grey, cv2.dilate(mask, np.ones((5, 5), np.uint8)))
    if page_rows.size == 0 or page_cols.size == 0:
        return whitened, (0, 0, grey.shape[1], grey.shape[0])
    x0, x1 = int(page_cols[0] / scale), int(min(grey.shape[1], (page_cols[-1] + 1) / scale))
    y0, y1 = int(page_rows[0] / scale), int(min(grey.shape[0], (page_rows[-1] + 1) / scale))
    return whitened[y0:y1, x0:x1], (x0, y0, x1, y1)


def estimate_skew(small: np.ndarray, max_deg: float = 5.0) -> float:
    """Angle that makes text rows horizontal, by maximising the sharpness of the row profile of the page's
    work copy."""
    ink = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    if ink.sum() < 50:
        return 0.0
    h, w = ink.shape
    # Each ink pixel's row once the page is turned about its centre, as a rotation of the image would place
    # it (pixels turned out of the frame left out): the profile without rasterising a rotated copy.
    ys, xs = np.nonzero(ink)
    dx, dy = xs - w / 2, ys - h / 2
    # Ink clear of the frame's edges (most of a page with margins) stays in the frame at every angle tried:
    # only the rest is tested at each angle. A pixel turned by at most a moves by under |dx|·sin a across
    # the rows and |dy|·sin a across the columns; one pixel is kept to spare.
    reach = np.sin(np.deg2rad(max_deg + 0.5))
    across, down = np.abs(dx), np.abs(dy)
    stays = (down + across * reach < h / 2 - 1.5) & (across + down * reach < w / 2 - 1.5)
    dx_in, dy_in, dx_edge, dy_edge = dx[stays], dy[stays], dx[~stays], dy[~stays]

    def sharpness(angle: float) -> float:
        cos, sin = np.cos(np.deg2rad(angle)), np.sin(np.deg2rad(angle))
        rows = np.rint(dy_edge * cos - dx_edge * sin + h / 2).astype(np.int64)
        cols = dx_edge * cos + dy_edge * sin + w / 2
        rows = rows[(rows >= 0) & (rows < h) & (cols >= -0.5) & (cols < w - 0.5)]
        profile = np.bincount(rows, minlength=h) + np.bincount(
            np.rint(dy_in * cos - dx_in * sin + h / 2).astype(np.int64), minlength=h)
        return float(np.sum(np.diff(profile.astype(np.float64)) ** 2))

    best = max(np.arange(-max_deg, max_deg + 1e-9, 0.5), key=sharpness)
    best = max(np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05), key=sharpness)
    return float(round(best, 2))


def flatten_background(grey: np.ndarray) -> np.ndarray:
    """Divide by the page background (text removed by a large closing) to even out light and tone."""
    scale = 0.25
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    background = cv2.GaussianBlur(background, (0, 0), 5)
    background = cv2.resize(background, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(grey, np.maximum(background, 1), scale=255)
    return flat


def printed_ink(image: np.ndarray, dpi: int) -> np.ndarray:
    """The cleaned page's dark ink in black on white, its pictures (photos, maps) whitened whole: what
    is left is the print round them, a title and a caption, with nothing to make Tesseract take the
    page for one picture and nothing of the picture to read as words."""
    patch = max(3, round(PICTURE_PATCH_MM * dpi / 25.4))
    tones = ((image >= INK_LEVEL) & (image < PAPER_LEVEL)).astype(np.float32)
    picture = cv2.blur(tones, (patch, patch)) > PICTURE_TONES
    picture = cv2.dilate(picture.astype(np.uint8), np.ones((patch // 3, patch // 3), np.uint8)) > 0
    return np.where((image < INK_LEVEL) & ~picture, 0, 255).astype(np.uint8)


def clean_page(pixels: np.ndarray) -> CleanPage:
    """The OCR frame of an RGB or grey page: coloured ink lifted, borders cropped, skew undone, background
    flattened. The number and the day are often written in with a blue pen after signing, so the header
    zone is also kept in a second copy that lifts only red ink (seals, stamps)."""
    if pixels.ndim == 2:  # a grey or bilevel scan: no ink can be told apart by its colour
        original, red = pixels, np.zeros(pixels.shape, np.uint8)
        grey = original
    else:
        original = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
        coloured, red = ink_masks(pixels)
        grey = cv2.max(original, coloured)  # coloured ink turned white
    small = work_copy(grey)
    cropped, crop = border_crop(grey, small)
    angle = estimate_skew(small if cropped is grey else work_copy(cropped))  # most pages have no border
    grey = cropped
    h, w = grey.shape
    rotation = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    if angle:
        grey = cv2.warpAffine(grey, rotation, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    flat = flatten_background(grey)
    to_source = cv2.invertAffineTransform(rotation)
    to_source[:, 2] += (crop[0], crop[1])
    ink_ratio = float(np.count_nonzero(flat < INK_LEVEL)) / flat.size
    return CleanPage(flat, to_source, angle, crop, ink_ratio, header_with_pen(original, red, crop, rotation), red > 0)


def header_with_pen(grey: np.ndarray, red: np.ndarray, crop: tuple[int, int, int, int],
                    rotation: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = crop
    pen = cv2.max(grey[y0:y1, x0:x1], red[y0:y1, x0:x1])  # red ink turned white
    h, w = pen.shape
    top = cv2.warpAffine(pen, rotation, (w, int(h * PEN_ZONE)), flags=cv2.INTER_LINEAR, borderValue=255)
    return flatten_background(top)
