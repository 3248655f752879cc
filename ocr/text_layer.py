"""A PDF page's own text layer, where it can be trusted.

A born-digital page carries its text exactly, and reading it beats any OCR. A text layer is never
trusted blindly, though: a scanned page may carry another program's OCR, and a digitally signed scan
often carries nothing but the text of its signature box. So the layer is used only on a page that is
not a scan (no image covers it) and where its words lie over the ink the page shows.
"""
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pikepdf

from sohoa.core.page_text import Line, PageText, Word
from sohoa.core.text import nfc

LAYER_CONFIDENCE = 99.0  # the words are the document's own, not a recognition
MIN_INK_COVERED = 0.85  # share of the page's ink that must lie under the layer's words
SCAN_SHARE = 0.5  # an image over half the page is a scan
TIMEOUT_S = 60
_XHTML = "{http://www.w3.org/1999/xhtml}"


def is_scanned_page(path: Path, frame: int) -> bool:
    """True when an image on the page would cover half of it or more at 100 dpi."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[frame]
        box = [float(v) for v in page.mediabox]
        page_px = abs(box[2] - box[0]) / 72 * 100 * abs(box[3] - box[1]) / 72 * 100
        return any(int(image.get("/Width", 0)) * int(image.get("/Height", 0)) >= SCAN_SHARE * page_px
                   for image in page.images.values())


def read_text_layer(path: Path, frame: int, dpi: int, size: tuple[int, int]) -> PageText:
    """The words of a page's text layer with their boxes in pixels of the page rasterised at dpi."""
    done = subprocess.run(["pdftotext", "-f", str(frame + 1), "-l", str(frame + 1), "-bbox-layout", str(path), "-"],
                          capture_output=True, timeout=TIMEOUT_S)
    if done.returncode != 0:
        return PageText(*size)
    scale = dpi / 72
    lines = []
    for line in ET.fromstring(done.stdout).iter(f"{_XHTML}line"):
        words = [Word(nfc(w.text or ""), tuple(round(float(w.get(k)) * scale) for k in ("xMin", "yMin", "xMax", "yMax")),
                      LAYER_CONFIDENCE) for w in line.iter(f"{_XHTML}word")]
        words = [w for w in words if w.text]
        if words:
            lines.append(Line(words))
    return PageText(size[0], size[1], lines)


def ink_covered(layer: PageText, grey: np.ndarray) -> float:
    """Share of the page's dark pixels that lie under a word of the layer (boxes padded a little)."""
    ink = grey < 128
    total = int(np.count_nonzero(ink))
    if total == 0:
        return 0.0
    under = np.zeros_like(ink)
    for word in layer.words:
        x0, y0, x1, y1 = word.box
        pad = max(2, (y1 - y0) // 4)  # marks above capitals reach past a word's box
        under[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad] = True
    return int(np.count_nonzero(ink & under)) / total


def trusted_text_layer(path: Path, frame: int, dpi: int, grey: np.ndarray) -> PageText | None:
    """The page's text layer if it is the page's own text, else None (OCR it)."""
    if is_scanned_page(path, frame):
        return None
    layer = read_text_layer(path, frame, dpi, (grey.shape[1], grey.shape[0]))
    if len(layer.words) < 3 or ink_covered(layer, grey) < MIN_INK_COVERED:
        return None
    return layer
