"""Symbols are respelled only from what the title and the organ name say, and only when one spelling fits."""
from sohoa.classifiers.notation import SymbolEvidence, organ_initials


def test_initials_of_an_organ_keep_the_stroke_of_d_and_skip_connectives():
    assert "SKHĐT" in organ_initials("SỞ KẾ HOẠCH VÀ ĐẦU TƯ")
    assert "UBND" in organ_initials("ỦY BAN NHÂN DÂN TỈNH HÀ NAM")
    assert "CCVTLT" in organ_initials("CHI CỤC VĂN THƯ - LƯU TRỮ")
    assert organ_initials(None) == []


def respell_notation(notation: str | None, type_abbreviation: str | None, organ: str | None) -> str | None:
    return SymbolEvidence(type_abbreviation, organ).respell(notation)


def test_a_lost_stroke_is_restored_from_the_title_or_the_organ():
    assert respell_notation("QD-STC", "QĐ", "SỞ TÀI CHÍNH") == "QĐ-STC"
    assert respell_notation("2024/TT-SKHDT", None, "SỞ KẾ HOẠCH VÀ ĐẦU TƯ") == "2024/TT-SKHĐT"
    assert respell_notation("BB-HDND", "BB", "HỘI ĐỒNG NHÂN DÂN TỈNH NAM ĐỊNH") == "BB-HĐND"
    assert respell_notation("CTR-BNV", "CTr", "BỘ NỘI VỤ") == "CTr-BNV"


def test_a_letter_read_twice_is_read_once():
    assert respell_notation("QĐĐ-BXD", "QĐ", "BỘ XÂY DỰNG") == "QĐ-BXD"
    assert respell_notation("QĐ-SGDDĐT", "QĐ", "SỞ GIÁO DỤC VÀ ĐÀO TẠO") == "QĐ-SGDĐT"
    assert respell_notation("TTr-TTr", "TTr", "THANH TRA TỈNH LẠNG SƠN") == "TTr-TTr"  # twice by right


def test_a_lost_hyphen_and_a_look_alike_are_restored():
    assert respell_notation("2024/TTSKHĐT", None, "SỞ KẾ HOẠCH VÀ ĐẦU TƯ") == "2024/TT-SKHĐT"
    assert respell_notation("CCVTLTVP", None, "CHI CỤC VĂN THƯ - LƯU TRỮ") == "CCVTLT-VP"
    assert respell_notation("CT-CCVTIT", "CT", "CHI CỤC VĂN THƯ - LƯU TRỮ") == "CT-CCVTLT"
    assert respell_notation("QĐ-SINMT", "QĐ", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG") == "QĐ-STNMT"  # a T's bar broke off
    # a short part, only off what the page names outright: the title's type, the organ's customary abbreviation
    assert respell_notation("TIr-SYT", "TTr", "SỞ Y TẾ") == "TTr-SYT"
    assert respell_notation("QĐ-TIr", "QĐ", "THANH TRA TỈNH AN GIANG") == "QĐ-TTr"
    assert respell_notation("TIr-SYT", None, "SỞ Y TẾ") == "TIr-SYT"


def test_nothing_changes_without_evidence_for_exactly_one_spelling():
    assert respell_notation("QĐ-UBND", "QĐ", "ỦY BAN NHÂN DÂN TỈNH HÀ NAM") == "QĐ-UBND"
    assert respell_notation("HD-UBND", None, "ỦY BAN NHÂN DÂN") == "HD-UBND"  # Hướng dẫn or Hợp đồng: as read
    assert respell_notation("HD-UBND", "HĐ", "ỦY BAN NHÂN DÂN") == "HĐ-UBND"  # the title says Hợp đồng
    assert respell_notation("QĐ-XYZ", "QĐ", "SỞ NỘI VỤ") == "QĐ-XYZ"  # an organ it cannot explain
    assert respell_notation("CT-CCVTAT", "CT", "CHI CỤC VĂN THƯ - LƯU TRỮ") == "CT-CCVTAT"  # not a look-alike
    assert respell_notation(None, "QĐ", "SỞ NỘI VỤ") is None


def test_a_symbol_is_explained_when_type_and_organ_account_for_every_abbreviation():
    evidence = SymbolEvidence("TB", "BỘ NỘI VỤ")
    assert evidence.explains("TB-BNV") and evidence.explains("2024/TB-BNV")
    assert not evidence.explains("TB-B") and not evidence.explains("QĐ-BNV")


def test_organs_with_a_customary_abbreviation_explain_it():
    assert respell_notation("TTrTTg", "TTr", "THỦ TƯỚNG CHÍNH PHỦ") == "TTr-TTg"  # the hyphen lost
    assert respell_notation("QĐTTr", "QĐ", "THANH TRA TỈNH AN GIANG") == "QĐ-TTr"
    assert SymbolEvidence("TB", "THỦ TƯỚNG CHÍNH PHỦ").explains("TB-TTg")
    assert not SymbolEvidence("TB", "BỘ NỘI VỤ").explains("TB-TTg")
