"""Bold from the image: the subject is set in bold like the title, the body in regular type, whatever
the template's geometry. Real scans and the held-out family draw no rule under many subjects."""
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from sohoa.classifiers.metadata import extract
from sohoa.classifiers.segment import segment_dossier
from sohoa.core.page_text import Line, PageText, Word
from sohoa.ocr.typography import measure_weights
from sohoa.synth.fonts import available_families

from tests.test_classifiers import line, page

TITLE, SUBJECT, BODY = 3.3, 3.2, 2.5  # stroke widths as measured on a real 200 dpi scan


@pytest.mark.parametrize("family", available_families(), ids=lambda family: family.name)
def test_bold_words_weigh_more_than_regular_ones_in_every_typeface(family):
    image = Image.new("L", (1400, 200), 255)
    draw = ImageDraw.Draw(image)
    words = []
    for x, style in ((40, "regular"), (720, "bold")):
        font = ImageFont.truetype(family.files[style], 39)  # 14 pt at 200 dpi
        draw.text((x, 60), "quyết định hành", font=font, fill=0)
        words.append(Word(style, draw.textbbox((x, 60), "quyết định hành", font=font), 95.0))
    measure_weights(np.asarray(image), PageText(1400, 200, [Line(words)]))
    regular, bold = (w.weight for w in words)
    assert bold > 1.25 * regular
    kept = PageText.from_json(PageText(1400, 200, [Line(words)]).to_json())  # as the page cache keeps it
    assert [w.weight for w in kept.words] == [regular, bold]


def weighed(text_line: Line, weight: float) -> Line:
    for word in text_line.words:
        word.weight = weight
    return text_line


def decision_page(subject_lines: list[Line], weights: bool, title: bool = True):
    return decision_subject(subject_lines, weights, title).value


def decision_subject(subject_lines: list[Line], weights: bool, title: bool = True, code: str = "15/QĐ-UBND"):
    lines = [
        line(("ỦY BAN NHÂN DÂN", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
        line(("TỈNH NINH BÌNH", 190, 140), ("Độc lập - Tự do - Hạnh phúc", 860, 140)),
        line((f"Số: {code}", 200, 200)), line(("Ninh Bình, ngày 17 tháng 01 năm 2024", 820, 210)),
        *([weighed(line(("QUYẾT ĐỊNH", 760, 330)), TITLE)] if title else []), *subject_lines,
        *[weighed(line(("Ủy ban nhân dân tỉnh triển khai việc số hóa tài liệu lưu trữ của các sở", 300, y)), BODY)
          for y in range(700, 1500, 40)]]
    if not weights:
        for word in (w for text_line in lines for w in text_line.words):
            word.weight = None
    fields, _ = extract(segment_dossier([page(1, lines)])[0])
    return fields["subject"]


@pytest.mark.parametrize("weights", [True, False])
def test_a_centred_line_of_the_body_under_a_subject_without_a_rule_is_left_out_by_its_weight(weights):
    subject = [weighed(line(("Về việc phê duyệt Kế hoạch số hóa", 560, 370)), SUBJECT),
               weighed(line(("Ủy ban nhân dân tỉnh đã thống nhất", 560, 410)), BODY)]  # regular, centred, narrow
    expected = "Về việc phê duyệt Kế hoạch số hóa"
    assert (decision_page(subject, weights) == expected) == weights  # geometry alone takes the body line in


@pytest.mark.parametrize("weights", [True, False])
def test_a_subject_line_as_wide_as_the_body_is_kept_by_its_weight(weights):
    subject = [weighed(line(("Về việc thi hành kỷ luật đối với ông Lê Ánh Dương, Phó Chủ tịch Ủy ban nhân dân tỉnh "
                             "Bắc", 300, 370)), SUBJECT),
               weighed(line(("Giang", 800, 410)), SUBJECT)]
    expected = "Về việc thi hành kỷ luật đối với ông Lê Ánh Dương, Phó Chủ tịch Ủy ban nhân dân tỉnh Bắc Giang"
    assert (decision_page(subject, weights) == expected) == weights  # geometry alone stops at the wide line


@pytest.mark.parametrize("named_by", ["its symbol", "the enacting formula"])
def test_where_a_stamp_took_the_title_a_subject_in_bold_is_read_in_doubt(named_by):
    # The received stamp's words run into what is left of the title, set in bold as well.
    subject = [weighed(line(("QUYẾT ĐẾN Ngày: .../.../2024", 700, 330)), SUBJECT),
               weighed(line(("Xuất cấp hạt giống cây trồng từ nguồn dự trữ quốc gia", 420, 370)), SUBJECT),
               weighed(line(("hỗ trợ tỉnh Kon Tum khắc phục hậu quả thiên tai", 460, 410)), SUBJECT)]
    code = "15/QĐ-UBND"
    if named_by == "the enacting formula":
        code = "15/UBND"
        subject += [weighed(line(("Căn cứ Luật Tổ chức chính quyền địa phương;", 300, 560)), BODY),
                    weighed(line(("QUYẾT ĐỊNH:", 760, 640)), TITLE)]
    found = decision_subject(subject, weights=True, title=False, code=code)
    assert found.value == "Xuất cấp hạt giống cây trồng từ nguồn dự trữ quốc gia hỗ trợ tỉnh Kon Tum khắc phục hậu " \
                          "quả thiên tai"
    assert found.confidence <= 0.6
    # Without the weights nothing tells the subject from the body: none is guessed.
    assert decision_subject(subject, weights=False, title=False, code=code).value is None


def test_a_stamps_words_in_bold_do_not_open_a_subject_whose_title_was_lost():
    subject = [weighed(line(("Xuất cấp hạt giống cây trồng từ nguồn dự trữ quốc gia", 420, 370)), SUBJECT)]
    speck = weighed(line(("No", 760, 330)), SUBJECT)  # a word of the stamp: no sentence
    assert decision_page([speck, *subject], weights=True, title=False) == subject[0].text
    stamp = weighed(line(("Chuyển đến", 720, 330)), SUBJECT)  # the stamp's words, before "Về việc"
    about = weighed(line(("Về việc tổ chức thi tuyển công chức", 520, 370)), SUBJECT)
    assert decision_page([stamp, about], weights=True, title=False) == about.text


def organ_of(*header: tuple[str, float], symbol: str = "UBND"):
    """(organ, its confidence, parent organ) of a first page whose left header column holds these lines."""
    lines = [weighed(line((text, 150, 100 + 40 * i)), weight) for i, (text, weight) in enumerate(header)]
    number_row = 120 + 40 * len(header)
    lines += [line(("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)), line((f"Số: 15/QĐ-{symbol}", 200, number_row)),
              line(("Ninh Bình, ngày 17 tháng 01 năm 2024", 820, number_row)),
              weighed(line(("QUYẾT ĐỊNH", 760, 400)), TITLE),
              *[weighed(line(("Ủy ban nhân dân tỉnh triển khai việc số hóa tài liệu lưu trữ", 300, top)), BODY)
                for top in range(700, 1500, 40)]]
    fields, extra = extract(segment_dossier([page(1, lines)])[0])
    return fields["organ_name"].value, fields["organ_name"].confidence, extra["parent_organ"]


def test_the_parent_organ_in_regular_capitals_is_parted_from_the_organ_in_bold_where_the_words_do_not():
    organ, confidence, parent = organ_of(("VĂN PHÒNG UBND TỈNH", BODY), ("TRUNG TÂM", SUBJECT),
                                         ("HỘI NGHỊ TỈNH", SUBJECT))  # "HỘI" opens an organ's name too
    assert (organ, parent) == ("TRUNG TÂM HỘI NGHỊ TỈNH", "VĂN PHÒNG UBND TỈNH")
    assert confidence <= 0.7  # the head words part them otherwise: a person confirms
    organ, confidence, parent = organ_of(("ỦY BAN NHÂN DÂN", BODY), ("TỈNH NINH BÌNH", BODY),
                                         ("SỞ NỘI VỤ", SUBJECT), symbol="SNV")
    assert (organ, parent) == ("SỞ NỘI VỤ", "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH") and confidence > 0.9


def test_an_organ_all_in_bold_is_parted_by_its_head_words_as_before():
    organ, confidence, parent = organ_of(("ỦY BAN NHÂN DÂN TỈNH", SUBJECT), ("SỞ Y TẾ", SUBJECT), symbol="SYT")
    assert (organ, parent) == ("SỞ Y TẾ", "ỦY BAN NHÂN DÂN TỈNH") and confidence > 0.9


@pytest.mark.parametrize("title", [True, False], ids=["under its title", "its title lost"])
def test_a_received_stamps_line_over_the_subject_is_left_out(title):
    # As read on a scan: the stamp's ink joined to one word of the subject's line stretches that line's box
    # up over the stamp's own line "Ngày: …/…/2024", which comes after it in the page's order.
    first = weighed(line(("Về việc tổ chức thi", 560, 400)), SUBJECT)
    first.words.append(Word("tuyển", (820, 362, 900, 430), 60.0, weight=SUBJECT))
    first.words += weighed(line(("công chức", 912, 400)), SUBJECT).words
    stamp = weighed(line(("Ngày: .../.../2024", 850, 365)), SUBJECT)
    subject = [first, stamp, weighed(line(("năm 2024", 700, 440)), SUBJECT)]
    assert decision_page(subject, weights=True, title=title) == "Về việc tổ chức thi tuyển công chức năm 2024"


def test_a_subject_row_a_stamp_cut_in_two_is_read_whole_without_what_lies_over_it():
    first = weighed(line(("Triển khai thu hồi đất để thực hiện dự án", 380, 370)), SUBJECT)
    rest_x = first.words[-1].box[2] - 5  # the pieces touch: Tesseract did not join them
    over = weighed(line(("ïr", first.words[-4].box[0], 372)), SUBJECT)  # the stamp's frame, read into the row
    rest = weighed(line(("mở rộng đường", rest_x, 371)), SUBJECT)
    subject = [first, over, rest, weighed(line(("tỉnh lộ qua địa bàn huyện Nho Quan", 560, 410)), SUBJECT)]
    expected = "Triển khai thu hồi đất để thực hiện dự án mở rộng đường tỉnh lộ qua địa bàn huyện Nho Quan"
    assert decision_page(subject, weights=True) == expected


@pytest.mark.parametrize("title", [True, False], ids=["under its title", "its title lost"])
def test_a_subject_row_a_stamp_cut_in_pieces_goes_on_and_counts_as_one_row(title):
    first = weighed(line(("Về việc phê duyệt nhiệm vụ", 480, 400)), SUBJECT)
    end = first.words[-1].box[2]
    under_the_stamp = [weighed(line(("điề", end + 80, 402)), BODY), weighed(line(("ỉ", end + 200, 401)), BODY)]
    rest = weighed(line(("quy hoạch", end + 300, 403)), SUBJECT)
    subject = [first, *under_the_stamp, rest, weighed(line(("chung xây dựng khu kinh tế", 560, 440)), SUBJECT),
               weighed(line(("cửa khẩu Lạng Sơn", 600, 480)), SUBJECT),
               weighed(line(("đến năm 2045", 640, 520)), SUBJECT)]
    expected = "Về việc phê duyệt nhiệm vụ quy hoạch chung xây dựng khu kinh tế cửa khẩu Lạng Sơn đến năm 2045"
    assert decision_page(subject, weights=True, title=title) == expected


def test_a_stamps_speck_read_as_a_letter_between_title_and_subject_does_not_end_the_subject():
    speck = weighed(line(("ị", 1373, 350)), BODY)
    speck.words[0].confidence = 18.0
    subject = [speck, weighed(line(("Về việc tổ chức thi tuyển công chức năm 2024", 440, 400)), SUBJECT)]
    assert decision_page(subject, weights=True) == "Về việc tổ chức thi tuyển công chức năm 2024"
