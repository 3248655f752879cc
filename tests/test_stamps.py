"""Boxed red stamps are found by their frame, even a faded one, and read; round seals are not boxes."""
import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from sohoa.ocr.clean import ink_masks
from sohoa.ocr.stamps import find_stamp_boxes, read_stamps
from sohoa.ocr.tesseract import TesseractEngine
from sohoa.synth.fonts import available_families

DPI = 200
RED = (200, 30, 35)


def page_with_stamps() -> np.ndarray:
    image = Image.new("RGB", (1654, 800), (245, 242, 235))
    draw = ImageDraw.Draw(image)
    bold = ImageFont.truetype(available_families()[0].files["bold"], 40)
    draw.rectangle((300, 200, 520, 275), outline=RED, width=3)
    draw.text((340, 212), "MẬT", font=bold, fill=RED)
    draw.rectangle((900, 200, 1180, 275), outline=RED, width=3)
    draw.text((935, 212), "KHẨN", font=bold, fill=RED)
    for y in range(205, 270, 9):  # the right side of the second frame faded in places
        draw.line((1177, y, 1182, y + 4), fill=(245, 242, 235), width=4)
    draw.ellipse((600, 450, 800, 650), outline=RED, width=5)  # a round seal
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    return np.asarray(image)


def test_framed_stamps_are_found_and_read_and_seals_are_not():
    _, red = ink_masks(page_with_stamps())
    boxes = find_stamp_boxes(red, DPI)
    assert len(boxes) == 2 and all(abs(y0 - 200) < 6 for _, y0, _, _ in boxes)
    texts = sorted(s["text"] for s in read_stamps(red, DPI, TesseractEngine("vie")))
    assert texts == ["KHẨN", "MẬT"]


def test_red_ink_without_a_frame_is_no_stamp():
    image = np.full((400, 800, 3), 245, np.uint8)
    cv2.putText(image, "2024", (100, 250), cv2.FONT_HERSHEY_SIMPLEX, 4, (30, 35, 200)[::-1], 12)
    _, red = ink_masks(image)
    assert red.any() and find_stamp_boxes(red, DPI) == []
