"""What real scans do that the generator did not: a signing service's box above the header, columns
read as one line, stamps beside the title and the subject, a wide subject, the issuing authority's
line under it, a seal over the signer's name, marks confused in names, a number read with doubt."""
import pytest

from sohoa.classifiers.layout import reading_text, segments
from sohoa.classifiers.lexicon import restore_marks, split_glued
from sohoa.classifiers.metadata import extract, review_reasons
from sohoa.classifiers.names import (check_name, family_name_ending, family_name_misread, mend_syllable, name_tail,
                                     trimmed)
from sohoa.classifiers.segment import segment_dossier
from sohoa.classifiers.signing_titles import title_run_together
from sohoa.core.layout import FIRST_RECIPIENTS, RECIPIENTS
from sohoa.core.page_text import Line, PageText
from sohoa.core.text import fold

from tests.test_classifiers import line, page

SIGNATURE_BOX = [line(("Người ký: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", 560, 20)),
                 line(("Cơ quan: VĂN PHÒNG CHÍNH PHỦ", 560, 55)),
                 line(("Thời gian ký: 16.09.2024 16:29:07 +07:00", 560, 90))]


def decision(*body: Line, number_confidence: float = 95.0) -> list:
    """Page 1 of a Prime Minister's decision as scanned: the header columns on one OCR line."""
    header = line(("THỦ TƯỚNG CHÍNHPHỦ", 220, 150), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 640, 150))
    number = line(("Số: 970/QĐ-TTg", 300, 260), ("Hà Nội, ngày 13 tháng 9 năm 2024", 800, 262))
    for word in number.words[1:2]:
        word.confidence = number_confidence
    return [*SIGNATURE_BOX, header, line(("Độc lập - Tự do - Hạnh phúc", 860, 195)), number, *body]


def fields_of(*pages):
    group = segment_dossier(list(pages))[0]
    fields, extra = extract(group)
    return {name: value.value for name, value in fields.items()}, fields, extra


def test_the_signing_box_is_left_out_and_the_header_read_column_by_column():
    text = reading_text(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))).text)
    assert "Người ký" not in text and "16:29" not in text
    lines = text.splitlines()
    assert lines[:2] == ["THỦ TƯỚNG CHÍNHPHỦ", "Số: 970/QĐ-TTg"]
    assert lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == 2


def test_an_organ_read_as_glued_words_is_split_by_the_lexicon():
    assert restore_marks("THỦ TƯỚNG CHÍNHPHỦ") == ("THỦ TƯỚNG CHÍNH PHỦ", True)
    values, _, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))))
    assert values["organ_name"] == "THỦ TƯỚNG CHÍNH PHỦ"
    assert restore_marks("quyết định chínhphủ", running_text=True)[0] == "quyết định chínhphủ"
    # one letter of the glued words misread: cut where the one pair that nearly spells them parts
    assert restore_marks("VĂN PHÒNG CHÍYHPHỦ") == ("VĂN PHÒNG CHÍNH PHỦ", True)
    assert split_glued(["NỘIXỤ"]) == ["NỘIXỤ"]  # five letters, one off: too few to tell NỘI VỤ



def test_a_word_that_heads_an_organ_is_respelled_only_where_it_heads_it():
    assert restore_marks("UY BAN NHAN DAN HUYEN NHO QUAN")[0] == "ỦY BAN NHÂN DÂN HUYỆN NHO QUAN"  # not QUẬN
    assert restore_marks("ỦY BAN NHÂN DÂN XÃ PHONG NIÊN")[0] == "ỦY BAN NHÂN DÂN XÃ PHONG NIÊN"  # not PHÒNG
    assert restore_marks("ỦY BAN NHÂN DÂN QUAN BA ĐÌNH")[0] == "ỦY BAN NHÂN DÂN QUẬN BA ĐÌNH"
    assert restore_marks("PHONG NOI VU")[0] == "PHÒNG NỘI VỤ"


def test_an_organ_whose_hairlines_broke_is_put_right_by_the_lexicon_in_doubt():
    assert restore_marks("THAVNH TR TỈNH AN GIANG")[0] == "THANH TRA TỈNH AN GIANG"  # a letter added, one lost
    assert restore_marks("ỦY BAN NHÂN DÂN TỈNH AN GLVNG")[0] == "ỦY BAN NHÂN DÂN TỈNH AN GLVNG"  # two off of five
    assert restore_marks("TH VNH TRÀ TỈNH VĨNH LONG")[0] == "THANH TRA TỈNH VĨNH LONG"  # the broken A read " V"
    # Words read right are not taken for another phrase's words a letter off ("KHOA TỈNH" is not "HÒA BÌNH").
    assert restore_marks("BỆNH VIỆN ĐA KHOA TỈNH BẮC GIANG") == ("BỆNH VIỆN ĐA KHOA TỈNH BẮC GIANG", False)
    header = [line(("ỦY BAN NHÂN DÂN", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
              line(("THÀNH PHỐ KOXN TM", 170, 140), ("Độc lập - Tự do - Hạnh phúc", 860, 140)),
              line(("Số: 15/QĐ-UBND", 200, 200)), line(("Kon Tum, ngày 17 tháng 01 năm 2024", 820, 210)),
              line(("QUYẾT ĐỊNH", 740, 300)), line(("Về việc kiện toàn Ban Chỉ đạo", 600, 340))]
    values, fields, _ = fields_of(page(1, header))
    assert values["organ_name"] == "ỦY BAN NHÂN DÂN THÀNH PHỐ KON TUM"
    assert fields["organ_name"].confidence < 0.8


def test_the_word_before_a_province_that_lost_a_letter_is_put_right_by_the_province_after_it():
    assert restore_marks("TÒA ÁN NHÂN DÂN ÏNH VĨNH LONG") == ("TÒA ÁN NHÂN DÂN TỈNH VĨNH LONG", True)
    assert restore_marks("ỦY BAN NHÂN DÂN HÀNH PHỐ HẢI PHÒNG")[0] == "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"
    # A city governed from the centre is no TỈNH; another word before a province is left as read.
    assert restore_marks("ỦY BAN NHÂN DÂN INH HẢI PHÒNG")[0] == "ỦY BAN NHÂN DÂN INH HẢI PHÒNG"
    assert restore_marks("ỦY BAN NHÂN DÂN HUYỆN VĨNH LONG") == ("ỦY BAN NHÂN DÂN HUYỆN VĨNH LONG", False)


def test_a_word_of_two_letters_a_letter_off_is_put_right_only_beside_words_read_exactly():
    assert restore_marks("PHÒNG NỘI VỊ") == ("PHÒNG NỘI VỤ", True)  # the bowl of Ụ broken in a bold face
    assert restore_marks("CÔNG AM TỈNH")[0] == "CÔNG AN TỈNH"
    assert restore_marks("PHÒNG NỘ VỊ") == ("PHÒNG NỘ VỊ", False)  # two words off: no evidence left


def test_an_organ_word_read_as_two_is_joined_by_the_lexicon():
    assert restore_marks("PHÒNG NỘI V Ụ") == ("PHÒNG NỘI VỤ", True)
    assert restore_marks("SỞ Y TẾ") == ("SỞ Y TẾ", False)  # a lone letter that is a word of its own


def test_the_title_under_stamp_lines_and_a_wide_subject_up_to_the_authority_line():
    values, _, _ = fields_of(page(1, decision(
        line(("CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", 40, 320)),
        line(("ĐẾN Giờ: ....", 40, 350)),
        line(("Ngày: 16/9/2024", 40, 380)),
        line(("S02 NW", 40, 410)),
        line(("QUYÉT ĐỊNH", 760, 450)),  # the mark of Ế read as É
        line(("————Phê duyệt nhiệm vụ điều chỉnh quy hoạch chung", 460, 490)),
        line(("Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn đến năm 2045", 400, 530)),  # as wide as the body
        line(("CỔNG THÔNG TIN ĐIỆN TỬ hỗ trợ các địa phương", 470, 570)),  # a stamp beside the last line
        line(("THỦ TƯỚNG CHÍNH PHỦ", 700, 640)),
        line(("Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;", 300, 700)))))
    assert values["type_name"] == "Quyết định"
    assert values["subject"] == ("Phê duyệt nhiệm vụ điều chỉnh quy hoạch chung Khu kinh tế cửa khẩu Đồng Đăng - "
                                 "Lạng Sơn đến năm 2045 hỗ trợ các địa phương")


def signed_last_page(*block: Line, reread: list[Line] | None = None):
    last = page(2, [line(("Điều 3. Quyết định này có hiệu lực từ ngày ký.", 300, 300)),
                    line(("Nơi nhận:", 300, 420)), *block])
    if reread is not None:
        last.signature_block = PageText(last.text.width, last.text.height, reread)
    return last


def test_a_family_name_whose_capital_a_seal_cut_is_the_signers_in_doubt():
    last = signed_last_page(line(("CHÁNH ÁN", 1050, 400)), line(("châu Thành Hà", 1040, 640)))
    values, fields, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_name"] == "Châu Thành Hà" and fields["signer_name"].confidence <= 0.6
    running = signed_last_page(line(("CHÁNH ÁN", 1050, 400)), line(("các xã ven hồ Hòa Bình", 1040, 640)))
    assert fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), running)[0]["signer_name"] is None


@pytest.mark.parametrize("read, name", [("Nguyễn Như kiên", "Nguyễn Như Kiên"),
                                        ("Lê văn Sơn", "Lê Văn Sơn"), ("Phạm Thị xuân", "Phạm Thị Xuân"),
                                        ("Lê Văn nam", None)])
def test_a_given_name_read_a_size_too_small_is_capitalised_where_only_size_tells_its_capital(read, name):
    last = signed_last_page(line(("THỨ TRƯỞNG", 1050, 400)), line((read, 1040, 640)))
    values, fields, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_name"] == name  # n and N differ in shape: a small n is no misread capital


def test_a_name_the_seal_hid_from_the_page_is_taken_from_the_block_read_again():
    last = signed_last_page(line(("KT. THỦ TƯỚNG", 1000, 400)), line(("Ò THỦ TƯỚNG", 1010, 440)),
                            reread=[line(("Z6 co. THỦ TƯỚNG", 900, 400)), line(("ƒ© mà 0Ù THỦ TƯỚNG", 900, 440)),
                                    line(("—_— Hồ Đức Phớc", 940, 640))])
    values, fields, extra = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_name"] == "Hồ Đức Phớc" and fields["signer_name"].confidence > 0.8
    # "KT." is signed by the head's deputy: the title whose start the seal hid is the deputy's, with doubt
    assert values["signer_position"] == "PHÓ THỦ TƯỚNG" and fields["signer_position"].confidence < 0.8
    assert extra["signing_authority"] == "KT. THỦ TƯỚNG"


@pytest.mark.parametrize("on_the_page, in_the_block, name", [
    ("'—... Đình Trâm", "‹uỳnh Đình Trâm", "Huỳnh Đình Trâm"),  # its Huỳnh lost, Đình is no family name
    ("@» Khai Đình Quyết", "/lai Đình Quyết", "Mai Đình Quyết"),  # Khải is a given name, Mai a family name
    ("Trần Văn Tâm", "rần Văn Tâm", "Trần Văn Tâm")])  # the lexicon knows the page's reading
def test_of_two_readings_of_a_name_in_doubt_the_one_holding_more_of_a_full_name_is_taken(on_the_page, in_the_block,
                                                                                         name):
    last = signed_last_page(line(("THỦ TƯỚNG", 1050, 400)), line((on_the_page, 1000, 640)),
                            reread=[line(("THỦ TƯỚNG", 1050, 400)), line((in_the_block, 1040, 640))])
    values, _, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_name"] == name


@pytest.mark.parametrize("lone, position", [("TƯỚNG", "THỦ TƯỚNG"), ("TỊCH", "CHỦ TỊCH"), ("PHÒNG", None)])
def test_a_title_whose_first_words_the_seal_lifted_is_the_one_its_last_word_can_only_end(lone, position):
    """Decision 999: "THỦ" and the family name went with the seal lifted off the block; "TƯỚNG" ends THỦ TƯỚNG
    (or PHÓ THỦ TƯỚNG, the deputy's, who signs under "KT."), "PHÒNG" TRƯỞNG PHÒNG or CHÁNH VĂN PHÒNG."""
    last = signed_last_page(line(("- Văn phòng Chủ tịch nước;", 240, 786)),
                            reread=[line((lone, 1258, 529)), line(("l -_ «", 1025, 805), ("Minh Chính", 1250, 805))])
    values, fields, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_position"] == position and values["signer_name"] == "Minh Chính"
    assert fields["signer_position"].confidence < 0.8 and fields["signer_name"].confidence < 0.8


def test_the_titles_come_from_the_reading_surer_of_them():
    """Decision 1009: the page read "KT. THỦ TƯỚNG" alone, mangled, and the name; the block read again read both
    title lines, "KT." and "PHÓ" under the seal, and no name. The signer is the deputy, from the block."""
    mangled = line(("_e=dGT, THỦ TƯỚNG", 1040, 400))
    for word in mangled.words:
        word.confidence = 61.0
    last = signed_last_page(mangled, line(("Nà. _Trấñ Hông Hà", 993, 733)),
                            reread=[line(("+, THỦ TƯỚNG", 1123, 400)), line(("à THỦ TƯỜNG", 872, 450)),
                                    line(("Sơn; -4 Hồng Hà", 844, 729))])
    values, fields, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_position"] == "PHÓ THỦ TƯỚNG" and fields["signer_position"].confidence < 0.8
    assert values["signer_name"] == "Trần Hồng Hà"


@pytest.mark.parametrize("block, position, authority, sure", [
    (["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH", True),
    (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "PHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH",
     True),
    (["TL. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG"], "CHÁNH VĂN PHÒNG", "TL. BỘ TRƯỞNG", True),
    (["Q. GIÁM ĐỐC"], "Q. GIÁM ĐỐC", None, True),  # acting: the head's powers, not the head's post
    (["BỘ TRƯỞNG, CHỦ NHIỆM"], "BỘ TRƯỞNG, CHỦ NHIỆM", None, True),  # two positions held at once
    (["ĐỘ TRƯỞNG, CHỦ NHIỆM"], "BỘ TRƯỞNG, CHỦ NHIỆM", None, False),  # the first a letter off: not CHỦ NHIỆM alone
    (["2Ô TRƯỞNG, CHỦ NHIỆM"], "BỘ TRƯỞNG, CHỦ NHIỆM", None, False),  # BỘ's B lost: Ô ends no other first word
    (["TQ. CHỦ TỊCH", "CH ẤNH VĂN PHÒNG"], "CHÁNH VĂN PHÒNG", "TUQ. CHỦ TỊCH", False),  # U lost; Á broke in two
    (["TUQ. CHỦ TỊCH", "C7ïÁNH VĂN PHÒNG"], "CHÁNH VĂN PHÒNG", "TUQ. CHỦ TỊCH", False),  # a signature's stroke
    (["KT. BỘ TRƯỞNG", "BỘ TRƯỞNG"], "THỨ TRƯỞNG", "KT. BỘ TRƯỞNG", False),  # the head cannot sign KT.
    (["KT. THỦ TƯỚNG"], "PHÓ THỦ TƯỚNG", "KT. THỦ TƯỚNG", False),  # the position's line lost: the deputy's, in doubt
    (["xr. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"], "PHÓ THỦ TƯỚNG", "KT. THỦ TƯỚNG", True),  # the K a seal's rim ran into
    (["„ THỦ TƯỚNG", "¡THỦ TƯỚNG"], "PHÓ THỦ TƯỚNG", None, False),  # "KT." and "PHÓ" both under the seal
    (["<T. CHÁNH ÁN", "PHÓ CHÁNH ÁN"], "PHÓ CHÁNH ÁN", "KT. CHÁNH ÁN", True),  # the K's stem lost
    (["TT. CHÁNH THANH TRA", "^HÁNH THANH TRA"], "PHÓ CHÁNH THANH TRA", "KT. CHÁNH THANH TRA", False),  # K's arms
    (["*T, THỦ TƯỚNG", "“THỦ TƯỚNG"], "PHÓ THỦ TƯỚNG", "KT. THỦ TƯỚNG", False),  # the K lost whole, PHÓ too
    (["MT, THỦ TƯỚNG", '"HỦTƯỚNG'], "PHÓ THỦ TƯỚNG", "KT. THỦ TƯỚNG", False),  # K read M, "PHÓ T" lost
    (["_=m—. KT CHÁNH ÁN", "Ấ£-””“HÓ CHÁNH ÁN"], "PHÓ CHÁNH ÁN", None, False),  # "PHÓ" less its P: both lines
    (["CHÁNH THANH TRA", "IÓXHÁNH THANH TRA"], "PHÓ CHÁNH THANH TRA", None, False),  # and "PHÓ C" with "KT."
    # the deputy of a head of two titles is the deputy of the one read under them
    (["⁄T. BỘ TRƯỞNG, CHỦ NHIỆM", "*HÓ CHỦ NHIỆM"], "PHÓ CHỦ NHIỆM", "KT. BỘ TRƯỞNG, CHỦ NHIỆM", False),
    (["KT. BỘ TRƯỞNG, CHỦ NHIỆM", "THỨ TRƯỞNG, PHÓ CHỦ NHIỆM"], "THỨ TRƯỞNG, PHÓ CHỦ NHIỆM",
     "KT. BỘ TRƯỞNG, CHỦ NHIỆM", True),
    (["RKT.CHẤNH ẤN", "MIÓ CHẤNH ẤN"], "PHÓ CHÁNH ÁN", "KT. CHÁNH ÁN", False),  # a speck read R glued to "KT."
])
def test_the_authority_signed_for_is_never_the_signers_position(block, position, authority, sure):
    lines = [line((text, 1000, 400 + 40 * i)) for i, text in enumerate(block)]
    last = signed_last_page(*lines, line(("Trần Hồng Hà", 1040, 640)))
    values, fields, extra = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert (values["signer_position"], extra["signing_authority"]) == (position, authority)
    assert (fields["signer_position"].confidence >= 0.9) == sure
    assert values["signer_name"] == "Trần Hồng Hà"


def test_a_name_the_lexicon_does_not_know_goes_to_review():
    last = signed_last_page(line(("THỦ TƯỚNG", 1050, 400)), line(("Hđ Đức Phớcs", 1040, 640)))
    values, fields, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_name"] == "Hđ Đức Phớcs"
    assert "signer_name unsure (0.60)" in review_reasons(fields, 0.8)


def test_marks_are_mended_only_where_one_name_syllable_fits():
    assert mend_syllable("Đúc") == ("Đức", True)
    assert mend_syllable("Đỉnh") == ("Đỉnh", False)  # Đinh, Đình and Định all fit: nothing is guessed
    assert check_name(["Nguyễn", "Văn", "Đúc"]).text == "Nguyễn Văn Đức"
    assert check_name(["Nguyễn", "Văn", "Đúc"]).known and check_name(["Nguyễn", "Văn", "Đúc"]).mended
    assert not check_name(["Minh", "Chính"]).known  # no family name
    assert name_tail(["G-", "thuy", "Minh", "Chính"]) == []
    assert name_tail(["—_—", "Hồ", "Đức", "Phớc"]) == ["Hồ", "Đức", "Phớc"]


def test_a_family_name_whose_first_letters_a_seal_took_is_completed_in_doubt():
    assert [family_name_ending(w) for w in ("rần", "1rần", "IIồ", "Xiuỳnh")] == ["Trần", "Trần", "Hồ", "Huỳnh"]
    assert family_name_ending("ương") is None  # Lương, Dương, Trương and Vương all end so: nothing is guessed
    assert family_name_ending("Tịnh") is None  # a name syllable as read
    assert family_name_ending("rầ") is None  # Trần would need its n, and no family name ends in one letter "ầ"
    assert family_name_ending("aỳnh") == "Huỳnh"  # three letters of Huỳnh, two only of Đinh and Ninh
    assert family_name_ending("„uyễn") == "Nguyễn"  # in small letters and with another mark no Uyên
    assert family_name_ending("xuân") is None  # Xuân whose capital lost its top, not Thân's end
    assert family_name_ending("rinh") == "Trịnh"  # its marks lost too: no other family name ends so
    assert family_name_ending("chư") is None  # not Chu with its capital and its mark lost: too little is left
    assert family_name_ending("Xguyên") == "Nguyễn"  # its capital misread and its mark lost: five letters left
    assert family_name_ending("châu") is None  # a family name whose capital lost its top: taken as it is
    # a given name in small letters whose first letter stands for the family name's lost ones
    assert [family_name_ending(w) for w in ("cần", "định", "hồng")] == ["Trần", "Trịnh", "Đồng"]
    assert check_name(name_tail(["định", "Công", "Quyết"])).text == "Trịnh Công Quyết"
    assert check_name(name_tail([trimmed(w) for w in ("l.ương", "Khắc", "Định")])).text == "Lương Khắc Định"
    assert trimmed("t'han") == "t'han"  # no family name without the speck: its "t'" may be a misread P
    # one letter of Hồ after a letter no Vietnamese word has (a mark on a consonant) is the capital's remains;
    # after a Vietnamese small letter it may be the word's own
    assert [family_name_ending(w) for w in ("2ñồ", "çồ", "nồ", "5n")] == ["Hồ", "Hồ", None, None]  # n: no mark
    assert check_name(name_tail(["2ñồ", "Thành", "Toàn"])).text == "Hồ Thành Toàn"
    misread = [family_name_misread(w) for w in ("Đính", "Tịnh", "Khuất", "Văn", "tịnh")]
    assert misread == ["Đinh", "Trịnh", None, None, None]
    last = signed_last_page(line(("GIÁM ĐỐC", 1050, 400)), line(("rần Văn Tâm", 1040, 640)))
    values, fields, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_name"] == "Trần Văn Tâm"
    assert "signer_name unsure (0.60)" in review_reasons(fields, 0.8)


@pytest.mark.parametrize("read, name", [("Nà Trần Hồng Hà", "Trần Hồng Hà"), ("Khuất Văn Hà", "Khuất Văn Hà"),
                                        ("`“ XS <4 Quách Khắc Bình", "Quách Khắc Bình"),
                                        ("TT. Ý' aỳnh Thành Trâm", "Huỳnh Thành Trâm"),
                                        ("W6uyễn Kim Trâm", "Nguyễn Kim Trâm"),  # Kim: family or middle name
                                        (">=—. ;rinh Kim Quyết", "Trịnh Kim Quyết"),
                                        ("Ko Đính Hồng Duyên", "Đinh Hồng Duyên"),  # Đình, Định: no family's
                                        ("Tịnh Kim Kiên", "Trịnh Kim Kiên"),  # no family name: Trịnh, its r lost
                                        ("- tạ Kim Duyên", "Tạ Kim Duyên"),  # Tạ whose capital lost its top
                                        ("fạ Thành Châu", "Tạ Thành Châu")])  # f: no Vietnamese word's letter
def test_specks_before_a_known_name_are_left_out_but_not_a_family_name_the_lexicon_lacks(read, name):
    last = signed_last_page(line(("GIÁM ĐỐC", 1050, 400)), line((read, 1040, 640)))
    values, _, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_name"] == name


def test_running_text_that_ends_like_a_name_is_no_signer():
    # "tịnh" (tỉnh misread) ends like Trịnh, "Bắc" is a name syllable: the line is still a sentence.
    body = line(("Điều 3. Ủy ban nhân dân tịnh Bắc", 1000, 380))
    last = page(2, [body, line(("Nơi nhận:", 300, 420)), line(("KT. THỦ TƯỚNG", 1050, 430)),
                    line(("PHÓ THỦ TƯỚNG", 1040, 470)), line(("_ „xen Hòa Bình", 1040, 640))])
    values, _, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_name"] is None and values["signer_position"] == "PHÓ THỦ TƯỚNG"


def test_recipients_whose_n_was_read_v_still_mark_where_the_signature_block_starts():
    assert RECIPIENTS.match("voi nhan:") and RECIPIENTS.match("'yoi nhan") and RECIPIENTS.match("noi nhan: - nhu tren")
    assert RECIPIENTS.match("oi nhan:") and RECIPIENTS.match(".\\øi nhan:")  # the N lost, or read as a sign
    assert not RECIPIENTS.match("voi nhan thuc cua can bo")
    # No title over the name (a seal covered it): only a name below the recipients' line is the signer's.
    last = page(2, [line(("Điều 3. Quyết định này có hiệu lực từ ngày ký.", 300, 300)),
                    line(("Với nhận:", 300, 420)), line(("Hồ Thị Châu", 1040, 640))])
    values, _, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_name"] == "Hồ Thị Châu"


def test_the_first_recipients_mark_where_the_signature_block_starts_where_noi_nhan_was_lost():
    assert FIRST_RECIPIENTS.match("- nhu tren;") and FIRST_RECIPIENTS.match("- nhu dieu 3;")
    assert FIRST_RECIPIENTS.match("- luu: vt, th.") and not FIRST_RECIPIENTS.match("nhu vay, cac don vi")
    assert FIRST_RECIPIENTS.match("ˆ luu: vt,th.")  # the dash read as a modifier letter
    assert RECIPIENTS.match("nhan:") and not RECIPIENTS.match("ca nhan:")  # "Nơi" lost whole
    # "Nơi nhận", a small line in bold italics, not read; the titles lost under the seal.
    last = page(2, [line(("Điều 3. Quyết định này có hiệu lực từ ngày ký.", 300, 300)),
                    line(("- Như trên;", 300, 460)), line(("- Lưu: VT, TH.", 300, 500)),
                    line(("Trịnh Hồng Định", 1040, 640))])
    values, _, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_name"] == "Trịnh Hồng Định"


def test_a_form_after_a_last_page_whose_recipients_lost_their_n_is_an_attachment_of_its_own():
    last = page(2, [line(("Điều 3. Quyết định này có hiệu lực từ ngày ký.", 300, 300)),
                    line(("ơi nhận:", 300, 420)), line(("GIÁM ĐỐC", 1050, 420)), line(("Trần Văn Nam", 1040, 640))])
    form = page(3, [line(("MẪU PHIẾU LẤY Ý KIẾN", 600, 150)), line(("Họ và tên: ..............", 200, 260))])
    groups = segment_dossier([page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last, form])
    assert [group.kind for group in groups] == ["document", "attachment"]


def test_a_form_after_a_last_page_whose_noi_nhan_was_lost_is_an_attachment_of_its_own():
    last = page(2, [line(("Điều 3. Quyết định này có hiệu lực từ ngày ký.", 300, 300)),
                    line(("- Lưu: VT, TH.", 300, 460)), line(("Trần Văn Nam", 1040, 640))])
    form = page(3, [line(("MẪU PHIẾU LẤY Ý KIẾN", 600, 150)), line(("Họ và tên: ..............", 200, 260))])
    groups = segment_dossier([page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last, form])
    assert [group.kind for group in groups] == ["document", "attachment"]


def test_a_speck_read_as_a_colon_does_not_join_the_recipients_to_the_signers_title():
    last = page(2, [line(("Điều 3. Quyết định này có hiệu lực từ ngày ký.", 300, 300)),
                    line(("Nơi nhận:", 300, 420), (":", 900, 420), ("TRƯỞNG PHÒNG", 940, 420)),
                    line(("Tạ Kim Kiên", 1000, 640))])
    values, _, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert (values["signer_position"], values["signer_name"]) == ("TRƯỞNG PHÒNG", "Tạ Kim Kiên")


def test_a_title_read_a_letter_off_over_a_name_lost_is_the_position_in_doubt():
    last = signed_last_page(line(("TRƯỞNG PHÒYG", 1050, 400)))
    values, fields, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_position"] == "TRƯỞNG PHÒNG" and fields["signer_position"].confidence < 0.8


def test_a_signature_block_at_the_top_of_a_later_page_is_read():
    last = page(2, [line(("2", 820, 40)), line(("BỘ TRƯỞNG", 1050, 150)), line(("Nơi nhận:", 300, 160)),
                    line(("Lương Bá Bình", 1040, 380))])
    values, _, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert (values["signer_position"], values["signer_name"]) == ("BỘ TRƯỞNG", "Lương Bá Bình")


def test_a_number_the_page_read_with_doubt_is_not_confirmed_by_readings_of_the_same_strokes():
    """(The number runs into its symbol, as a typed one does: only the doubt of the reading counts.)"""
    doubtful = page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)), number_confidence=40.0),
                    written_in=[{"field": "number", "box": [0, 0, 1, 1], "readings": ["970", "970"]}])
    _, fields, _ = fields_of(doubtful)
    assert fields["code_number"].value == "970" and fields["code_number"].confidence < 0.8
    sure = page(1, decision(line(("QUYẾT ĐỊNH", 740, 360))),
                written_in=[{"field": "number", "box": [0, 0, 1, 1], "readings": ["970", "970"]}])
    assert fields_of(sure)[1]["code_number"].confidence > 0.9


def test_a_number_apart_from_its_symbol_was_written_into_the_blank_and_is_confirmed_by_a_person():
    header = decision(line(("QUYẾT ĐỊNH", 740, 360)))
    header[-2] = line(("Số: 1114", 300, 260), ("/QĐ-TTg", 440, 262), ("Hà Nội, ngày 7 tháng 10 năm 2024", 800, 262))
    written = [{"field": "number", "box": [0, 0, 1, 1], "readings": ["1114", "1114"]}]
    _, fields, _ = fields_of(page(1, header, written_in=written))
    assert fields["code_number"].value == "1114" and fields["code_number"].confidence < 0.8


def test_digits_not_in_the_rows_type_are_confirmed_by_a_person_however_sure_every_reading_is():
    """A hand's "1039" glued to its symbol and read "4033" alike by every reading (ocr.hand_digits saw
    the glyphs taller than the row's capitals)."""
    written = [{"field": "number", "box": [0, 0, 1, 1], "readings": ["970", "970"]}]
    by_hand = page(1, decision(line(("QUYẾT ĐỊNH", 740, 360))), written_in=written)
    by_hand.hand_written = ["number", "day"]
    _, fields, _ = fields_of(by_hand)
    assert fields["code_number"].value == "970" and fields["code_number"].confidence < 0.8
    assert fields["issued_date"].value == "2024-09-13" and fields["issued_date"].confidence < 0.8
    typed = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360))), written_in=written))[1]
    assert typed["code_number"].confidence > 0.9 and typed["issued_date"].confidence > 0.9


def test_the_place_keeps_no_stray_mark():
    header = decision(line(("QUYẾT ĐỊNH", 740, 360)))
    header[-2] = line(("Số: 970/QĐ-TTg", 300, 260), ("¬ Hà Nội, ngày 13 tháng 9 năm 2024", 760, 262))
    assert fields_of(page(1, header))[2]["place"] == "Hà Nội"


def test_a_signing_box_needs_its_time_or_two_labels():
    lonely = PageText(1654, 2339, [line(("Email: van.thu@ubnd.gov.vn", 560, 30)), line(("ỦY BAN NHÂN DÂN", 150, 100))])
    assert [s.text for s in segments(lonely)][0].startswith("Email")


def test_a_name_read_beside_the_recipients_is_the_signer_even_with_its_titles_lost_under_the_seal():
    last = signed_last_page(line(("ẳ Wv7 ID ề", 1000, 400)), line(("Phạm Minh Chính", 1040, 640)))
    values, fields, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_name"] == "Phạm Minh Chính" and fields["signer_name"].confidence > 0.8


def test_a_name_like_line_on_a_page_without_recipients_is_not_a_signer():
    appendix = page(2, [line(("Khu kinh tế cửa khẩu", 300, 300)), line(("Đồng Đăng", 1100, 640))])
    values, _, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), appendix)
    assert values["signer_name"] is None


def test_a_position_read_a_letter_or_two_off_is_taken_with_doubt():
    last = signed_last_page(line(("Z7; GIÁN Đốc", 1000, 380)), line(("` Dương Văn Tuấn", 1000, 640)))
    values, fields, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
    assert values["signer_name"] == "Dương Văn Tuấn"
    assert values["signer_position"] == "GIÁM ĐỐC" and fields["signer_position"].confidence <= 0.7
    for cut in ("ÁNH VĂN PHÒNG", "NH VĂN PHÒNG"):  # the first letters lost
        start_lost = signed_last_page(line((cut, 1000, 380)), line(("` Dương Văn Tuấn", 1000, 640)))
        values, fields, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), start_lost)
        assert values["signer_position"] == "CHÁNH VĂN PHÒNG" and fields["signer_position"].confidence <= 0.7
    for broken, title in (("NRÁNH VĂN PHÒNG", "CHÁNH VĂN PHÒNG"), ("Q. GLÁÝM ĐỐC", "Q. GIÁM ĐỐC")):
        hairlines = signed_last_page(line((broken, 1000, 380)), line(("` Dương Văn Tuấn", 1000, 640)))
        values, fields, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), hairlines)
        assert values["signer_position"] == title and fields["signer_position"].confidence <= 0.7
    seal_cut = signed_last_page(line(("sa. Ủ TƯỚNG", 1000, 380)), line(("` Dương Văn Tuấn", 1000, 640)))
    assert fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), seal_cut)[0]["signer_position"] is None


def test_a_title_in_a_display_face_whose_as_broke_and_spaces_went_is_taken_with_doubt():
    # its other hairlines broken too: two letters off the title's thirteen ("E" for A, "Y" for N)
    for broken in ("CHÁNHTH.\\NHTR.\\", ": CHẤNHTH\\NHTRÀ", "CHẾNH TH\\YHTR\\"):
        last = signed_last_page(line((broken, 1000, 380)), line(("Võ Bá Phước", 1000, 640)))
        values, fields, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), last)
        assert values["signer_position"] == "CHÁNH THANH TRA" and fields["signer_position"].confidence <= 0.7
    assert title_run_together(fold("CHẾNH Í\\X")) is None  # two letters off CHÁNH ÁN's seven: too many
    # over a name read past knowing, the line still opens the titles: the position stands alone
    unnamed = signed_last_page(line(("CHẤNHTH.VXHTR\\", 1000, 380)), line(("oàn Công Lyvên", 1000, 640)))
    values, fields, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), unnamed)
    assert values["signer_position"] == "CHÁNH THANH TRA" and fields["signer_position"].confidence <= 0.7
    # without a broken A, letters run together are no mark of a display face: the rule stays out
    run_together = signed_last_page(line(("CHÁNHTHANHTRA", 1000, 380)), line(("Võ Bá Phước", 1000, 640)))
    values, _, _ = fields_of(page(1, decision(line(("QUYẾT ĐỊNH", 740, 360)))), run_together)
    assert values["signer_position"] != "CHÁNH THANH TRA"


def test_a_title_a_seal_left_only_the_end_of_is_named_by_the_enacting_formula_with_doubt():
    title = line(("/# Ki ` ĐỊNH", 740, 360))
    title.words[0].box = (740, 280, 768, 390)  # the seal's ink reaches up beside the date row
    body = [title, line((">`", 600, 380)),  # and leaves a speck under the title
            line(("Về việc xuất cấp hóa chất khử khuẩn từ nguồn dự trữ quốc gia", 420, 410)),
            line(("Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;", 300, 500)),
            line(("QUYẾT ĐỊNH:", 740, 600)), line(("Điều 1. Xuất cấp hóa chất khử khuẩn", 300, 650))]
    values, fields, _ = fields_of(page(1, decision(*body)))
    assert values["type_name"] == "Quyết định" and fields["type_name"].confidence > 0.9  # "QĐ" in the symbol
    unnumbered = [seg for seg in decision(*body) if not seg.text.startswith("Số:")]
    assert fields_of(page(1, unnumbered))[1]["type_name"].confidence < 0.8  # the formula alone: with doubt
    assert values["subject"] == "Về việc xuất cấp hóa chất khử khuẩn từ nguồn dự trữ quốc gia"
    without_formula = [seg for seg in body if seg.text != "QUYẾT ĐỊNH:"]
    unnumbered = [seg for seg in decision(*without_formula) if not seg.text.startswith("Số:")]
    assert fields_of(page(1, unnumbered))[0]["type_name"] is None  # "…ĐỊNH" alone: Nghị định?


def test_a_title_a_stamp_took_whole_is_named_by_the_symbol_and_the_subject_read_from_ve_viec_in_doubt():
    body = [line(("Ngày: ....../2024", 700, 360)),  # the received stamp over the title
            line(("Về việc tổ chức thi tuyển công chức", 520, 400)), line(("năm 2024", 700, 440)),
            line(("Căn cứ Luật Cán bộ, công chức ngày 13 tháng 11 năm 2008;", 300, 500))]
    values, fields, _ = fields_of(page(1, decision(*body)))
    assert values["type_name"] == "Quyết định" and fields["type_name"].confidence < 0.8  # "QĐ" in the symbol
    assert values["subject"] == "Về việc tổ chức thi tuyển công chức năm 2024"
    assert "subject unsure (0.60)" in review_reasons(fields, 0.8)
    unnumbered = [seg for seg in decision(*body) if not seg.text.startswith("Số:")]
    assert fields_of(page(1, unnumbered))[0]["type_name"] is None  # nothing names the type: nothing is guessed
