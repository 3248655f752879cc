"""A correction rewrites the words of the PDF/A's text layer that held the old value, wherever its lines break,
and only those: each case fails if the matching or the spreading of the new words over the old ones changes."""
from sohoa.archive.pdfa_revision import TextChange, _rewrite_words, literal, replace_once
from sohoa.pipeline.corrections import date_pattern, printed_date, text_changes


def test_a_value_broken_over_two_lines_is_replaced_word_for_word():
    words = ["V/v ", "phân ", "bổ ", "kinh ", "phí", "năm ", "2024", "Kính ", "gửi:"]  # a line ends after "phí"
    revised = _rewrite_words(words, TextChange(literal("V/v phân bổ kinh phí năm 2024"),
                                               "V/v phân bổ kinh phí năm 2025"))
    assert revised == ["V/v ", "phân ", "bổ ", "kinh ", "phí", "năm ", "2025", "Kính ", "gửi:"]


def test_a_longer_value_fills_the_old_words_and_a_shorter_one_empties_the_rest():
    words = ["Về ", "việc ", "họp", "Căn ", "cứ"]
    longer = _rewrite_words(words, TextChange(literal("Về việc họp"), "Về việc tổ chức họp tổng kết"))
    assert longer == ["Về ", "việc ", "tổ chức họp tổng kết", "Căn ", "cứ"]
    shorter = _rewrite_words(words, TextChange(literal("Về việc họp"), "Họp"))
    assert shorter == ["Họp ", "", "", "Căn ", "cứ"]


def test_a_number_is_found_inside_its_word_and_never_inside_a_longer_number():
    words = ["Số: ", "1498/QĐ-UBND"]
    assert _rewrite_words(words, TextChange(literal("1498/QĐ-UBND"), "1499/QĐ-UBND")) == ["Số: ", "1499/QĐ-UBND"]
    assert _rewrite_words(["Số: ", "21498/QĐ-UBND"], TextChange(literal("1498/QĐ-UBND"), "1/QĐ-UBND")) is None
    assert _rewrite_words(words, TextChange(literal("15/QĐ-UBND"), "16/QĐ-UBND")) is None


def test_dates_are_found_as_printed_and_written_as_decree_30_prints_them():
    assert printed_date("2024-01-07") == "ngày 07 tháng 01 năm 2024"
    assert printed_date("2024-11-17") == "ngày 17 tháng 11 năm 2024"
    change = TextChange(date_pattern("2024-01-07"), printed_date("2024-01-08"))
    assert replace_once("Ninh Bình, ngày 7 tháng 01\nnăm 2024", change) == "Ninh Bình, ngày 08 tháng 01 năm 2024"


def test_a_number_and_its_symbol_are_one_change_and_an_unread_value_is_placed_apart():
    old = {"code_number": "15", "code_notation": "QĐ-UBND", "subject": None}
    new = {"code_number": "16", "code_notation": "QĐ-UBND", "subject": "Về việc họp"}
    changes = text_changes(old, new, {"code_number", "subject"})
    assert [c.new for c in changes] == ["16/QĐ-UBND", "Về việc họp"]
    assert replace_once("Số: 15/QĐ-UBND", changes[0]) == "Số: 16/QĐ-UBND"
    assert replace_once("Về việc họp", changes[1]) is None  # never read: it goes over the margin instead


def test_a_signature_blocks_value_is_found_from_the_end_not_where_the_body_names_the_same_title():
    text = "Giao Phó Chủ tịch UBND tỉnh chỉ đạo.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A"
    old = {"signer_position": "PHÓ CHỦ TỊCH"}
    change, = text_changes(old, {"signer_position": "CHỦ TỊCH"}, {"signer_position"})
    assert replace_once(text, change) == "Giao Phó Chủ tịch UBND tỉnh chỉ đạo.\nKT. CHỦ TỊCH\nCHỦ TỊCH\nNguyễn Văn A"
    words = ["Giao ", "Phó ", "Chủ ", "tịch ", "UBND", "PHÓ ", "CHỦ ", "TỊCH"]
    assert _rewrite_words(words, change) == ["Giao ", "Phó ", "Chủ ", "tịch ", "UBND", "CHỦ ", "TỊCH ", ""]
