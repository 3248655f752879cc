"""A seal printed in black over the signature block (a red seal on a bilevel scan) is found by its rim and
lifted off, so the titles and the name it ran into are read."""
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from sohoa.classifiers.signing_titles import holds_the_signer
from sohoa.core.page_text import PageText
from sohoa.ocr.seals import find_seal, lift_seal
from sohoa.ocr.signature_block import read_signature_block
from sohoa.ocr.tesseract import TesseractEngine
from sohoa.synth.fonts import available_families

from tests.test_signature_block import last_page

DPI = 200
SEAL = (1010, 560, 150)  # centre and radius in pixels: 38 mm across at 200 dpi


def sealed_last_page(seal: tuple[int, int, int] = SEAL, ink: int = 0) -> np.ndarray:
    """A last page with a seal beside and under its titles and name, whose words and emblem Tesseract reads
    into their lines; the seal in black, or in grey (ink) as a photocopy prints a red one."""
    image = Image.fromarray(last_page(right=1140))
    draw = ImageDraw.Draw(image)
    family = available_families()[0]
    x, y, r = seal
    draw.ellipse((x - r, y - r, x + r, y + r), outline=ink, width=7)
    draw.ellipse((x - r + 14, y - r + 14, x + r - 14, y + r - 14), outline=ink, width=3)
    letters = ImageFont.truetype(family.files["bold"], 26)
    for i, letter in enumerate("ỦY BAN NHÂN DÂN TỈNH"):  # the words round the rim
        angle = math.pi * (1.1 + 0.8 * i / 19)
        draw.text((x + 0.8 * r * math.cos(angle) - 10, y + 0.8 * r * math.sin(angle) - 14), letter, font=letters,
                  fill=ink)
    draw.regular_polygon((x, y, 45), 5, fill=ink)  # the emblem
    # The print under the seal stays black where the seal's ink is lighter: drawn again over it.
    return np.minimum(np.asarray(image), last_page(right=1140))


def test_a_black_seal_is_found_by_its_rim():
    seal = find_seal(sealed_last_page(), DPI)
    assert seal is not None
    assert math.dist((seal.x, seal.y), SEAL[:2]) <= 6 and abs(seal.radius - SEAL[2]) <= 8
    assert find_seal(np.full((900, 800), 255, np.uint8), DPI) is None  # no seal: nothing lifted


def test_titles_and_name_under_a_black_seal_are_read_once_it_is_lifted():
    image, vie = sealed_last_page(), TesseractEngine("vie")
    lifted = lift_seal(image, find_seal(image, DPI))
    x, y, r = SEAL
    assert (lifted[y - 20:y + 20, x - 20:x + 20] == 255).all()  # the emblem is gone
    assert (lifted[y - r - 3:y - r + 3, x - 5:x + 5] == 255).all()  # and the rim
    assert (lifted[390:480, 1200:1500] < 128).any()  # the titles beside it are not
    text = vie.recognize(image, DPI)
    recipients_only = PageText(text.width, text.height, [line for line in text.lines if line.box[0] < 800])
    block = read_signature_block(image, recipients_only, DPI, vie, holds_the_signer)
    read = [line.text for line in block.lines]
    assert {"KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Hồng Hà"} <= set(read), read


def test_a_name_under_a_grey_seal_keeps_its_letters_when_the_seal_is_lifted():
    """A photocopy prints a red seal mid-grey over black print: lifting the seal whole took the first letters
    of the name its rim covered ("Huỳnh" lost to "— nh"); they stay, and the name is read whole."""
    x, y, r = seal = (1010, 640, 150)  # the rim runs over the name's first letters
    image, vie = sealed_last_page(seal, ink=100), TesseractEngine("vie")
    lifted = lift_seal(image, find_seal(image, DPI))
    assert (lifted[y - 20:y + 20, x - 20:x + 20] == 255).all()  # the emblem is gone
    assert (lifted[y - r - 3:y - r + 3, x - 5:x + 5] == 255).all()  # and the rim
    text = vie.recognize(image, DPI)
    recipients_only = PageText(text.width, text.height, [line for line in text.lines if line.box[0] < 800])
    block = read_signature_block(image, recipients_only, DPI, vie, holds_the_signer)
    assert "Trần Hồng Hà" in [line.text for line in block.lines]


def test_the_grey_fringe_of_a_lifted_seal_goes_with_it():
    """A bilevel scan's cleaned copy has grey edges. Whitening only the seal's dark pixels left its outline in
    grey, which Tesseract read into the title beside it ("TƯỚNG" as "*ƯỚNG", decision 999)."""
    import cv2

    image = cv2.GaussianBlur(sealed_last_page(), (0, 0), 0.8)
    lifted = lift_seal(image, find_seal(image, DPI))
    x, y, r = SEAL
    assert (lifted[y - 55:y + 55, x - 55:x + 55] >= 250).all()  # no outline of the emblem
    assert ((lifted[y - 60:y + 60, x - r:x - r + 40] < 250).sum() < 10)  # nor of the words round the rim
    assert (lifted[390:480, 1200:1500] < 128).any()  # the titles beside it are not
