"""A line the page's OCR passed over is found by its ink and read again; rules and specks are not text."""
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from sohoa.core.page_text import PageText
from sohoa.ocr.missed_lines import recover_missed_lines
from sohoa.ocr.tesseract import TesseractEngine
from sohoa.synth.fonts import available_families

DPI = 200
LINES = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Về thực hiện chế độ báo cáo thống kê",
         "Căn cứ Luật Lưu trữ ngày 21 tháng 6 năm 2024;", "Giao Văn phòng chủ trì, phối hợp thực hiện."]


def page_image() -> np.ndarray:
    image = Image.new("L", (1654, 900), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(available_families()[0].files["regular"], 36)
    for i, line in enumerate(LINES):
        draw.text((150, 100 + 120 * i), line, font=font, fill=0)
    draw.line((150, 760, 900, 760), fill=0, width=3)  # a rule: ink, but not a line of text
    draw.point([(1200, 800), (1203, 801)], fill=0)
    return np.asarray(image)


def test_a_dropped_line_is_read_again_in_its_place():
    image, vie = page_image(), TesseractEngine("vie")
    text = vie.recognize(image, DPI)
    assert [line.text for line in text.lines] == LINES
    dropped = PageText(text.width, text.height, [line for line in text.lines if not line.text.startswith("Về")])
    assert recover_missed_lines(image, dropped, DPI, vie) == 1
    assert [line.text for line in dropped.lines] == LINES
    recovered = dropped.lines[1]
    assert abs(recovered.box[1] - text.lines[1].box[1]) <= 2 and abs(recovered.box[0] - text.lines[1].box[0]) <= 2


def test_a_page_read_whole_gains_nothing():
    image, vie = page_image(), TesseractEngine("vie")
    text = vie.recognize(image, DPI)
    assert recover_missed_lines(image, text, DPI, vie) == 0 and len(text.lines) == len(LINES)
