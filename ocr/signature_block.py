"""The signature block read again on its own.

On the last page of a document the signature block (authority, position, the signer's name) sits
right of the recipients ("Nơi nhận:"), under a seal and a handwritten signature. The page's OCR
often reads the block and the recipients as one column, and a seal printed in black on a bilevel
scan can make it skip the titles and the name. The zone right of the page's middle, from a little above
"Nơi nhận" down, is cut out, a black seal lifted off it (ocr.seals), and read as one block of lines;
extraction weighs this reading beside the page's.
"""
from typing import Callable

import numpy as np

from sohoa.core.layout import opens_recipients
from sohoa.core.page_text import PageText
from sohoa.core.text import fold
from sohoa.ocr.engine import OcrEngine
from sohoa.ocr.seals import find_seal, lift_seal

LINES_ABOVE = 3  # the authority line may stand up to this many lines above "Nơi nhận"
LINES_BELOW = 16  # a long list of recipients: the name is never further down than this


def recipients_line(text: PageText):
    """The "Nơi nhận" line of the page's left half, or None. OCR may have read it as one line with the
    signature block's titles beside it: only the words of the left half count."""
    for line in text.lines:
        left = " ".join(w.text for w in line.words if w.box[0] < text.width // 2)
        if opens_recipients(fold(left)) and line.box[0] < 0.4 * text.width:
            return line
    return None


def read_signature_block(image: np.ndarray, text: PageText, dpi: int, engine: OcrEngine,
                         holds_the_signer: Callable[[list[list[str]]], bool]) -> PageText | None:
    """The zone of the signature block read as one block, a seal in black lifted off it first, its boxes in
    the page's pixels; None on a page without recipients, or where holds_the_signer finds the signer's
    position and name in the page's reading of the zone, its lines as words (the usual case: the re-reading
    is paid for only where a seal or a signature hid them). That test is extraction's, with its lexicons:
    a name whose family name a seal's rim wiped off ("Như Quyết" for Châu Như Quyết) still looks like a name,
    and "TM. ỦY BAN NHÂN DÂN" looks like a title but names no position."""
    anchor = recipients_line(text)
    if anchor is None:
        return None
    _, y0, _, y1 = anchor.box
    height = y1 - y0
    top, bottom = max(0, y0 - LINES_ABOVE * height), min(image.shape[0], y0 + LINES_BELOW * height)
    left = image.shape[1] // 2
    zone = [[w.text for w in line.words if w.box[0] >= left] for line in text.lines if top <= line.box[1] <= bottom]
    if holds_the_signer(zone):
        return None
    pixels = np.ascontiguousarray(image[top:bottom, left:])
    seal = find_seal(pixels, dpi)
    block = engine.recognize(lift_seal(pixels, seal) if seal else pixels, dpi, layout="block")
    for line in block.lines:
        for word in line.words:
            bx0, by0, bx1, by1 = word.box
            word.box = (bx0 + left, by0 + top, bx1 + left, by1 + top)
    return PageText(text.width, text.height, block.lines)
