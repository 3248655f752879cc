"""A round seal printed in black over the signature block, found and lifted off before the block is read.

On a bilevel scan a red seal turns black: colour no longer tells it from the text, and its rim runs into
the titles and the name, which Tesseract then reads as one picture. The seal is found by its rim, a
circle of 26 to 48 mm across inked nearly all the way round; its circles, and whatever lies within
its rim (the emblem, the words round it), are whitened. On a bilevel scan a letter the seal covered is lost
with it; what the seal only touched is read. A photocopy prints the seal mid-grey: the print it covered keeps
its darker core.
"""
from dataclasses import dataclass

import cv2
import numpy as np

MIN_RADIUS_MM, MAX_RADIUS_MM = 13, 24
RIM_INKED = 0.8  # a seal's rim is inked at least this share of the way round (letters crossing it included)
CIRCLE_INKED = 0.6  # a radius inked this share of the way round is one of the seal's circles
INSIDE = 0.6  # a shape with this share of its ink within the rim belongs to the seal
HOUGH_DPI = 100  # the resolution circles are first looked for at
GREY_SEAL = 64  # a seal whose rim is this light at least was printed grey (black print is near 0)...
SEAL_OVER_PRINT = 2  # ...and the print under it darker than half its level
FRINGE = 5  # pixels: the grey edge round a lifted seal's ink, whitened with it
_ANGLES = np.linspace(0, 2 * np.pi, 360, endpoint=False)


@dataclass(frozen=True)
class Seal:
    x: float
    y: float
    radius: float  # of its outer rim, in pixels


def thickened_ink(grey: np.ndarray) -> np.ndarray:
    """Ink grown by a pixel each way, so that a circle sampled a pixel off a printed line still meets it."""
    return cv2.dilate((grey < 128).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0


def inked_share(ink: np.ndarray, x: float, y: float, radii: np.ndarray) -> np.ndarray:
    """For each radius, the share of the circle round (x, y) that falls on ink (of its part in the image)."""
    xs = np.rint(x + radii[:, None] * np.cos(_ANGLES)).astype(int)
    ys = np.rint(y + radii[:, None] * np.sin(_ANGLES)).astype(int)
    within = (xs >= 0) & (xs < ink.shape[1]) & (ys >= 0) & (ys < ink.shape[0])
    hit = np.zeros(xs.shape, bool)
    hit[within] = ink[ys[within], xs[within]]
    return hit.sum(axis=1) / np.maximum(within.sum(axis=1), 1)


def find_seal(grey: np.ndarray, dpi: int) -> Seal | None:
    """The seal whose rim is inked most nearly all round, or None. Hough's circles are rough on a rim
    broken by letters: each of the strongest three is moved and resized to the best-inked circle near it."""
    ink = grey < 128
    mm = dpi / 25.4
    scale = min(1.0, HOUGH_DPI / dpi)  # Hough's search at full size takes seconds; at 100 dpi, hundredths
    small = cv2.resize(ink.astype(np.uint8) * 255, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    circles = cv2.HoughCircles(cv2.GaussianBlur(small, (0, 0), 1), cv2.HOUGH_GRADIENT, dp=1,
                               minDist=int(20 * mm * scale), param1=100, param2=30,
                               minRadius=int(MIN_RADIUS_MM * mm * scale), maxRadius=int(MAX_RADIUS_MM * mm * scale))
    if circles is None:
        return None
    circles = circles[0] / scale
    thick = thickened_ink(grey)
    step = max(1, round(0.5 * mm))
    best, best_share = None, RIM_INKED
    for x, y, r in circles[:3]:
        radii = np.arange(0.8 * r, 1.2 * r)
        for dx in range(-2 * step, 2 * step + 1, step):
            for dy in range(-2 * step, 2 * step + 1, step):
                shares = inked_share(thick, x + dx, y + dy, radii)
                if shares.max() >= best_share:
                    best, best_share = (x + dx, y + dy, r), shares.max()
    if best is None:
        return None
    # The circle found may be one of the seal's inner circles: its rim is the outermost one round that centre.
    x, y, r = best
    radii = np.arange(0.8 * r, MAX_RADIUS_MM * mm + 2)
    outermost = radii[np.nonzero(inked_share(thick, x, y, radii) > 0.5)[0][-1]]
    return Seal(float(x), float(y), float(outermost))


def lift_seal(grey: np.ndarray, seal: Seal) -> np.ndarray:
    """The image with the seal's circles and everything mostly within its rim whitened; of a seal printed grey,
    everything within its rim but the darker print it covered."""
    lifted = grey.copy()
    centre = (round(seal.x), round(seal.y))
    thick = thickened_ink(grey)
    radii = np.arange(0.4 * seal.radius, seal.radius + 4)
    circles = np.zeros(grey.shape, np.uint8)
    for radius in radii[inked_share(thick, seal.x, seal.y, radii) > CIRCLE_INKED]:
        cv2.circle(circles, centre, round(radius), 255, 3)
    disc = np.zeros(grey.shape, np.uint8)
    cv2.circle(disc, centre, round(seal.radius + 3), 1, -1)
    rim = grey[(circles > 0) & (grey < 128)]
    rim_level = float(np.median(rim)) if rim.size else 0.0
    if rim_level >= GREY_SEAL:
        # A seal printed grey lies over print darker than its own ink: within its rim all but that print's
        # core goes, and the letters it covered stay ("Huỳnh" under the rim, read "— nh" when lifted with it).
        lifted[(disc > 0) & (grey >= rim_level / SEAL_OVER_PRINT)] = 255
        return lifted
    lifted[circles > 0] = 255
    count, labels = cv2.connectedComponents((lifted < 128).astype(np.uint8), connectivity=8)
    area = np.bincount(labels.ravel(), minlength=count)
    within = np.bincount(labels[disc > 0], minlength=count)
    seal_shapes = within > INSIDE * area
    seal_shapes[0] = False  # the paper
    lifted[seal_shapes[labels]] = 255
    # The seal's grey fringe, left where its ink was whitened, still reads as strokes next to a letter
    # ("TƯỚNG" read "*ƯỚNG" beside a lifted rim): light pixels close to what was lifted go too.
    fringe = cv2.dilate(((grey < 128) & (lifted == 255)).astype(np.uint8), np.ones((FRINGE, FRINGE), np.uint8))
    lifted[(fringe > 0) & (lifted >= 128)] = 255
    return lifted
