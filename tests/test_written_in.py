"""A number and a day written in by pen after signing are found in their gaps and read by real Tesseract."""
import json

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from sohoa.core.page_text import Line, PageText, Word
from sohoa.ocr.clean import clean_page
from sohoa.ocr.hand_digits import hand_written
from sohoa.ocr.header_rows import header_rows
from sohoa.ocr.tesseract import TesseractEngine
from sohoa.ocr.written_in import read_written_in, with_flagged_ones
from sohoa.synth.fonts import available_families, pen_font_file

DPI = 300
BLUE = (30, 50, 160)


def header(number: str, day: str) -> np.ndarray:
    """The top of an A4 page at 300 dpi: "Số: <pen> /QĐ-UBND" left, "Hà Nội, ngày <pen> tháng 06 năm
    2024" right, the pen digits tilted and lifted off the printed baseline."""
    page = Image.new("RGB", (2480, 3508), (246, 243, 236))
    draw = ImageDraw.Draw(page)
    serif = ImageFont.truetype(available_families()[0].files["regular"], 54)
    italic = ImageFont.truetype(available_families()[0].files["italic"], 54)
    pen = ImageFont.truetype(pen_font_file(), 70)
    draw.text((420, 300), "ỦY BAN NHÂN DÂN", font=serif, fill="black")
    draw.text((1250, 300), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=serif, fill="black")
    draw.text((380, 420), "Số:", font=serif, fill="black")
    draw.text((720, 420), "/QĐ-UBND", font=serif, fill="black")
    draw.text((1300, 520), "Hà Nội, ngày", font=italic, fill="black")
    draw.text((1900, 520), "tháng 06 năm 2024", font=italic, fill="black")
    for text, x, y in ((number, 500, 400), (day, 1720, 505)):
        for ch in text:
            glyph = Image.new("L", (140, 140), 0)
            ImageDraw.Draw(glyph).text((30, 20), ch, font=pen, fill=255)
            glyph = glyph.rotate(6, resample=Image.BICUBIC)
            page.paste(Image.new("RGB", glyph.size, BLUE), (x - 30, y), glyph)
            x += int(pen.getlength(ch))
    draw.text((300, 900), "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020;", font=italic, fill="black")
    return np.asarray(page)


def test_pen_digits_are_read_in_their_gaps():
    cleaned = clean_page(header("1743", "05"))
    vie, eng = TesseractEngine("vie"), TesseractEngine("eng")
    text = vie.recognize(cleaned.image, DPI)
    assert "1743" not in text.text  # the blue pen is lifted from the page's OCR copy
    rows = header_rows(text)
    found = {g["field"]: g["readings"] for g in read_written_in(cleaned.header_with_pen, rows, DPI, [eng, vie])}
    assert found["number"][0] == "1743"
    assert found["day"][0].lstrip("0") == "5"


def words_line(*words: tuple[str, int]) -> Line:
    return Line([Word(t, (x, 500, x + 30 * len(t), 540), 90.0) for t, x in words])


def test_a_cited_number_or_date_in_the_body_is_no_header_row():
    body = PageText(2480, 3508, [words_line(("Căn", 300), ("cứ", 420), ("Nghị", 500), ("định", 640), ("số", 780),
                                            ("30/2020/NĐ-CP", 850), ("ngày", 1300), ("05", 1450),
                                            ("tháng", 1530), ("3", 1700))])
    assert header_rows(body) == []
    header = PageText(2480, 3508, [words_line(("Số:", 380), ("/QĐ-UBND", 720), ("Hà", 1300), ("Nội,ngày", 1380),
                                              ("tháng", 1900))])
    number, day = header_rows(header)
    assert (number.field, number.anchor.text, number.gap_right) == ("number", "Số:", 720)
    assert number.box[2] < 1190 and day.box[0] >= 1190  # each row keeps to its column
    assert (day.field, day.anchor.text, day.gap_right) == ("day", "Nội,ngày", 1900)
    stamped = PageText(2480, 3508, [words_line(("1975", 380), ("/BTT-BNV", 520))])
    assert [(r.field, r.anchor) for r in header_rows(stamped)] == [("number", None)]  # "Số:" lost under a stamp


def test_a_misread_ngay_anchors_the_date_row_where_thang_follows_and_a_place_named_ng_does_not():
    misread = PageText(2480, 3508, [words_line(("Quảng", 1300), ("Ngãi,", 1480), ("ngàv", 1660), ("04", 1800),
                                               ("tháng", 1900))])
    assert [(r.field, r.anchor.text) for r in header_rows(misread) if r.field == "day"] == [("day", "ngàv")]
    no_month = PageText(2480, 3508, [words_line(("Quảng", 1300), ("Ngãi,", 1480), ("ngàv", 1660))])
    assert [r for r in header_rows(no_month) if r.field == "day"] == []


def test_a_number_row_read_as_nothing_is_looked_for_level_with_the_date():
    smudged = PageText(2480, 3508, [words_line(("CÓ", 380), ("hà", 470), ("Hà", 1300), ("Nội,", 1380), ("ngày", 1520),
                                               ("tháng", 1900))])
    day = next(r for r in header_rows(smudged) if r.field == "day")
    number = next(r for r in header_rows(smudged) if r.field == "number")
    assert number.anchor is None and number.column[0] == 0 and number.box[3] == day.box[3]
    assert number.box[1] < day.box[1] - 1.5 * (day.box[3] - day.box[1])  # some forms set it higher


def header_line(y: int, *words: tuple[str, int]) -> Line:
    return Line([Word(t, (x, y, x + 30 * len(t), y + 40), 90.0) for t, x in words])


def test_the_header_columns_part_where_the_ink_leaves_a_gutter_not_at_a_fixed_share_of_the_width():
    """A long organ and symbol take the left column past the page's middle (1240 of 2480)."""
    wide_left = PageText(2480, 3508, [
        header_line(150, ("TRUNG", 100), ("TÂM", 280), ("CÔNG", 400), ("NGHỆ", 550), ("THÔNG", 700), ("TIN", 900),
                    ("VÀ", 1010), ("TRUYỀN", 1090), ("THÔNG", 1300), ("CỘNG", 1620), ("HÒA", 1780)),
        header_line(230, ("Số:", 300), ("1234/QĐ-TTCNTTVTT", 400)),
        header_line(330, ("Hà", 1620), ("Nội,", 1700), ("ngày", 1840), ("tháng", 2100)),
        header_line(500, ("QUYẾT", 1000), ("ĐỊNH", 1200)),  # the title crosses the middle: no column
    ])
    number, day = header_rows(wide_left)
    assert 1450 <= number.column[1] <= 1620 and day.column[0] == number.column[1]
    json.dumps([number.column, day.column])  # kept in the page cache
    narrow_left = PageText(2480, 3508, [
        header_line(150, ("BỘ", 200), ("NỘI", 300), ("VỤ", 420), ("CỘNG", 980), ("HÒA", 1140), ("XÃ", 1260)),
        header_line(230, ("Số:", 150), ("12/BNV", 260)),
        header_line(330, ("Thành", 1000), ("phố", 1170), ("Hồ", 1280), ("Chí", 1360), ("Minh,", 1460),
                    ("ngày", 1630), ("tháng", 1900)),
    ])
    number, day = header_rows(narrow_left)
    assert 440 <= day.column[0] <= 980 and day.box[0] == 1000  # the whole place, though it starts left of 1190


def typed_header(number_size: int, number_drop: int, day_size: int, day_drop: int) -> np.ndarray:
    """"Số: 1039/QĐ-TTg" and "Hà Nội, ngày 24 tháng 9 năm 2024" in black at 300 dpi; the number and the
    day in the row's type when size 54 and drop 0, else as a numbering stamp or a hand sets them: larger,
    off the baseline."""
    page = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(page)
    serif = available_families()[0].files["regular"]
    font = ImageFont.truetype(serif, 54)
    draw.text((250, 300), "THỦ TƯỚNG CHÍNH PHỦ", font=font, fill=0)
    draw.text((1250, 300), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font, fill=0)
    x = 380 + draw.textlength("Số: ", font=font)
    draw.text((380, 460), "Số: ", font=font, fill=0)
    number = ImageFont.truetype(serif, number_size)
    draw.text((x, 460 + 54 - number_size + number_drop), "1039", font=number, fill=0)
    draw.text((x + draw.textlength("1039", font=number), 460), "/QĐ-TTg", font=font, fill=0)
    draw.text((1300, 460), "Hà Nội, ngày ", font=font, fill=0)
    x = 1300 + draw.textlength("Hà Nội, ngày ", font=font)
    day = ImageFont.truetype(serif, day_size)
    draw.text((x, 460 + 54 - day_size + day_drop), "24", font=day, fill=0)
    draw.text((x + draw.textlength("24 ", font=day), 460), "tháng 9 năm 2024", font=font, fill=0)
    draw.text((300, 900), "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;", font=font, fill=0)
    return np.asarray(page.convert("RGB"))


def test_digits_written_into_a_typed_row_are_told_from_typed_ones_by_their_glyphs():
    vie = TesseractEngine("vie")
    found = {}
    for name, image in (("typed", typed_header(54, 0, 54, 0)), ("by hand", typed_header(68, 6, 70, 10))):
        cleaned = clean_page(image)
        text = vie.recognize(cleaned.image, DPI)
        assert "1039/" in text.text.replace(" ", "")  # the page's reading holds the number either way
        found[name] = hand_written(cleaned.header_with_pen, text, header_rows(text))
    assert found == {"typed": [], "by hand": ["number", "day"]}


def test_a_row_beyond_the_header_image_or_without_height_gives_no_verdict():
    header_image = np.full((400, 2480), 255, np.uint8)  # the header copy ends above the rows
    for box in ((380, 460, 480, 514), (380, 300, 480, 300)):
        row = PageText(2480, 3508, [Line([Word("Số:", (300, box[1], 370, box[3]), 90.0),
                                          Word("1039/QĐ-TTg", (box[0], box[1], 700, box[3]), 90.0)])])
        assert hand_written(header_image, row, header_rows(row)) == []


def pen_glyphs(*strokes_of_each: list[list[tuple[float, float]]]) -> np.ndarray:
    """Digits drawn by pen side by side, each from its strokes on a 0-1 box 40 px wide and 60 high."""
    image = np.full((80, 60 * len(strokes_of_each)), 255, np.uint8)
    for i, strokes in enumerate(strokes_of_each):
        for stroke in strokes:
            points = np.array([(10 + 60 * i + 40 * x, 10 + 60 * y) for x, y in stroke], np.int32)
            cv2.polylines(image, [points], False, 0, thickness=5)
    return image


FLAGGED_ONE = [[(0.0, 0.75), (0.75, 0.0), (0.7, 1.0)]]  # a long flag from the top of the stem, as Vietnamese write
CLOSED_FOUR = [[(0.8, 1.0), (0.8, 0.0), (0.0, 0.7), (1.0, 0.7)]]
OPEN_FOUR = [[(0.3, 0.0), (0.0, 0.6), (1.0, 0.6)], [(0.7, 0.2), (0.7, 1.0)]]
NINE = [[(0.9, 0.3), (0.5, 0.5), (0.1, 0.3), (0.5, 0.0), (0.9, 0.3), (0.8, 1.0)]]
THREE = [[(0.1, 0.1), (0.9, 0.1), (0.4, 0.45), (0.9, 0.7), (0.5, 1.0), (0.0, 0.85)]]


def test_a_flagged_one_read_as_four_is_a_one_and_a_four_nine_or_three_stays_as_read():
    assert with_flagged_ones(pen_glyphs(FLAGGED_ONE, CLOSED_FOUR), "44") == "14"
    assert with_flagged_ones(pen_glyphs(FLAGGED_ONE, OPEN_FOUR), "44") == "14"
    for other in (CLOSED_FOUR, OPEN_FOUR, NINE, THREE):
        assert with_flagged_ones(pen_glyphs(FLAGGED_ONE, other), "44")[1] == "4"
    assert with_flagged_ones(pen_glyphs(FLAGGED_ONE, CLOSED_FOUR), "4") == "4"  # glyphs and digits not paired
