"""Corrections of Tesseract's Vietnamese confusions need evidence, and touch nothing else."""
from sohoa.core.page_text import Line, PageText, Word
from sohoa.ocr.confusions import (compound_words, correct_article_numbers, correct_broken_capital_a, correct_marks,
                                  correct_pair, swapped)


def page(*lines: str) -> PageText:
    return PageText(100, 100, [Line([Word(w, (0, 0, 1, 1), 90.0) for w in line.split()]) for line in lines])


def test_swaps_only_acute_and_hook_on_shaped_vowels():
    assert swapped("kiếm") == "kiểm" and swapped("Chuyển") == "Chuyến"
    assert swapped("tin") is None and swapped("tìm") is None and swapped("bán") is None


def test_a_misread_compound_is_corrected():
    text = page("Về việc kiếm tra công tác", "chuyến đổi số và tống hợp số liệu")
    assert correct_marks(text) == 3
    assert text.text == "Về việc kiểm tra công tác\nchuyển đổi số và tổng hợp số liệu"


def test_words_that_are_right_stay_as_read():
    right = "tìm kiếm cứu nạn, kiểm tra việc thực hiện, tổ chức Hội nghị"
    text = page(right)
    assert correct_marks(text) == 0 and text.text == right


def test_no_change_without_exactly_one_known_spelling():
    words = compound_words()
    assert correct_pair("kiếm", "xyz", words) == ("kiếm", "xyz")
    assert correct_pair("tìm", "kiểm", words, keep_first=True) == ("tìm", "kiếm")
    assert correct_pair("tìm", "kiểm", words, keep_second=True) == ("tìm", "kiểm")  # second kept as read


def test_an_article_is_always_numbered():
    text = page("Điều L. Phê duyệt Kế hoạch", "Điều I: Giao Sở Nội vụ", "ĐIỀU l.", "Điều L hay")
    assert correct_article_numbers(text) == 4
    assert text.text.splitlines()[:3] == ["Điều 1. Phê duyệt Kế hoạch", "Điều 1: Giao Sở Nội vụ", "ĐIỀU 1."]
    untouched = page("Điều Lệ công ty", "theo L. và I.")
    assert correct_article_numbers(untouched) == 0


def test_a_capital_a_read_as_a_backslash_is_an_a_again():
    text = page("KẾ HO.\\CH", "CỘNG HÒ.\\ XÃ HỘI", "HUYỆN M.\\I SƠN")
    assert correct_broken_capital_a(text) == 3
    assert text.text == "KẾ HOACH\nCỘNG HÒA XÃ HỘI\nHUYỆN MAI SƠN"
    untouched = page("thư mục C:\\hoso", "a.\\b", "\\ v xuất cấp")
    before = untouched.text
    assert correct_broken_capital_a(untouched) == 0 and untouched.text == before
