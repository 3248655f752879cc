from sohoa.core.text import fold, is_upper_text, nfc


def test_fold_removes_vietnamese_marks_and_d_stroke():
    assert fold("Hồ sơ") == "ho so"
    assert fold("ĐỀ ÁN Đầu tư") == "de an dau tu"
    assert fold("Quyết   định\n") == "quyet dinh"


def test_nfc_joins_combining_marks():
    decomposed = "Vie\u0302\u0323t"  # e + circumflex + dot below
    assert nfc(decomposed) == "Việt"
    assert len(nfc(decomposed)) == 4


def test_is_upper_text():
    assert is_upper_text("ỦY BAN NHÂN DÂN")
    assert not is_upper_text("Ủy ban")
    assert not is_upper_text("1942")
