"""The Tesseract engine on real pages: blank ones, tiny ones, and its settings never leak between calls."""
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from sohoa.ocr.tesseract import TesseractEngine
from sohoa.synth.fonts import available_families


def line_image(text: str) -> np.ndarray:
    image = Image.new("L", (900, 90), 255)
    ImageDraw.Draw(image).text((20, 15), text, font=ImageFont.truetype(available_families()[0].files["regular"], 44),
                               fill=0)
    return np.asarray(image)


def test_a_blank_or_tiny_page_reads_as_nothing():
    engine = TesseractEngine("vie")
    assert engine.recognize(np.full((2339, 1654), 255, np.uint8), 200).words == []
    assert engine.recognize(np.zeros((8, 8), np.uint8), 200).words == []


def test_words_lines_and_boxes_and_a_digits_only_read_that_does_not_leak():
    engine = TesseractEngine("vie")
    digits = engine.recognize(line_image("Số: 215/QĐ-UBND"), 200, layout="line", digits_only=True)
    assert set(digits.text.replace(" ", "")) <= set("0123456789") and "215" in digits.text
    text = engine.recognize(line_image("Số: 215/QĐ-UBND"), 200, layout="line")
    assert text.text == "Số: 215/QĐ-UBND" and len(text.lines) == 1
    first = text.words[0]
    assert first.box[0] < 60 and 10 < first.box[1] < first.box[3] < 80 and first.confidence > 80
    assert engine.version().startswith("tesseract 5")
