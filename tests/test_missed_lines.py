"""A line the page's OCR passed over is found by its ink and read again; rules and specks are not text."""
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from sohoa.core.page_text import Line, PageText, Word
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


def test_lines_under_a_seal_are_read_again():
    """A seal's ring joins the lines it crosses into one run of ink too tall for a line: the rows of their
    letters, far inkier than the ring's, tell the lines apart."""
    image = Image.new("L", (1654, 2339), 255)  # an A4 page: the lines in its top half
    image.paste(Image.fromarray(page_image()), (0, 0))
    draw = ImageDraw.Draw(image)  # a seal's two rings, inked like the seals of real scans
    draw.ellipse((560, 150, 860, 450), outline=0, width=9)
    draw.ellipse((590, 180, 830, 420), outline=0, width=5)
    image, vie = np.asarray(image), TesseractEngine("vie")
    text = vie.recognize(image, DPI)
    under = PageText(text.width, text.height, [line for line in text.lines if not 150 < line.box[1] < 440])
    assert recover_missed_lines(image, under, DPI, vie) >= 2
    recovered = " ".join(line.text for line in under.lines)
    assert "thực hiện chế độ báo cáo" in recovered and "Luật Lưu trữ ngày 21" in recovered


def test_lines_under_a_seal_low_on_the_page_are_left_to_the_signature_block_reader():
    image = Image.new("L", (1654, 2339), 255)
    image.paste(Image.fromarray(page_image()), (0, 1300))
    draw = ImageDraw.Draw(image)
    draw.ellipse((560, 1450, 860, 1750), outline=0, width=9)
    draw.ellipse((590, 1480, 830, 1720), outline=0, width=5)
    image, vie = np.asarray(image), TesseractEngine("vie")
    text = vie.recognize(image, DPI)
    under = PageText(text.width, text.height, [line for line in text.lines if not 1450 < line.box[1] < 1740])
    assert recover_missed_lines(image, under, DPI, vie) == 0


def test_a_line_beside_the_other_columns_rule_is_read_on_its_own():
    """A header's two columns: the organ's line on the left, the rule under the motto on the right at the same
    height. Read together, the rule's dashes sink the line's confidence below what is kept."""
    image = Image.fromarray(page_image())
    ImageDraw.Draw(image).line((1000, 120, 1500, 120), fill=0, width=4)
    image, vie = np.asarray(image), TesseractEngine("vie")
    text = vie.recognize(image, DPI)
    dropped = PageText(text.width, text.height, [line for line in text.lines if line.box[1] > 180])
    assert recover_missed_lines(image, dropped, DPI, vie) == 1
    assert [line.text for line in dropped.lines] == LINES


def test_a_line_taken_for_a_smear_of_few_letters_is_read_again_in_its_place():
    """Tesseract now and then reads a bold line whose rule touches it as a "word" of two letters, of almost no
    confidence, whose box spans the line and more: that is no reading of its ink."""
    image, vie = page_image(), TesseractEngine("vie")
    text = vie.recognize(image, DPI)
    x0, y0, x1, y1 = text.lines[1].box
    smear = Word("nh.", (x0, y0 - 10, x1, y1 + (y1 - y0)), 8)
    smeared = PageText(text.width, text.height, [text.lines[0], Line([smear]), *text.lines[2:]])
    assert recover_missed_lines(image, smeared, DPI, vie) == 1
    assert [line.text for line in smeared.lines] == LINES
