"""Layout rules of Decree 30 on hand-made OCR results: fast checks of what the end-to-end run relies on."""
import pytest

from sohoa.classifiers.layout import segments
from sohoa.classifiers.lexicon import restore_marks
from sohoa.classifiers.metadata import extract, review_reasons
from sohoa.classifiers.number_and_date import clean_notation, month_and_year, parse_date
from sohoa.classifiers.readings import DISAGREED_CONFIDENCE
from sohoa.classifiers.segment import segment_dossier
from sohoa.core.model import RecognizedPage
from sohoa.core.page_text import Line, PageText, Word

W, H = 1654, 2339  # A4 at 200 dpi


def line(*pieces: tuple[str, int, int]) -> Line:
    """Words laid out from (text, x, y): each word 14 px per character wide, 30 px high."""
    words = []
    for text, x, y in pieces:
        for token in text.split():
            words.append(Word(token, (x, y, x + 14 * len(token), y + 30), 95.0))
            x += 14 * len(token) + 12
    return Line(words)


def page(number: int, lines: list[Line], second: list[dict] | None = None, ink: float = 0.05,
         written_in: list[dict] | None = None) -> RecognizedPage:
    return RecognizedPage(number=number, source_name=f"{number}.jpg", dpi=200, dpi_estimated=False, width=W,
                          height=H, archival_image=None, text=PageText(W, H, lines),
                          to_source=[[1, 0, 0], [0, 1, 0]], skew_deg=0.0, ink_ratio=ink,
                          second_readings=second or [], written_in=written_in or [])


def first_page(number=1, title="QUYẾT ĐỊNH", code="15/QĐ-UBND", date="ngày 17 tháng 01 năm 2024", second=None,
               letter_subject=None):
    lines = [
        line(("ỦY BAN NHÂN DÂN", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
        line(("TỈNH NINH BÌNH", 190, 140), ("Độc lập - Tự do - Hạnh phúc", 860, 140)),
        line((f"Số: {code}", 200, 200)),
        line((f"Ninh Bình, {date}", 820, 210)),
    ]
    if letter_subject:
        lines.append(line((letter_subject, 160, 240)))
    else:
        lines += [line((title, 720, 330)), line(("Về việc phê duyệt Kế hoạch số hóa", 560, 370))]
    lines += [line(("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", 300, 450))]
    return page(number, lines, second)


def signature_page(number=2):
    return page(number, [
        line(("2", 820, 120)),
        line(("Điều 3. Các cơ quan, đơn vị có trách nhiệm thi hành Quyết định này.", 300, 300)),
        line(("Nơi nhận:", 300, 420), ("TM. ỦY BAN NHÂN DÂN", 1000, 420)),
        line(("- Như Điều 3;", 300, 460), ("CHỦ TỊCH", 1080, 460)),
        line(("Trần Văn Nam", 1050, 640)),
    ])


def test_header_columns_are_split_and_the_motto_starts_its_own_segment():
    texts = [s.text for s in segments(first_page().text)]
    assert "ỦY BAN NHÂN DÂN" in texts and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts


def test_a_quyet_dinh_over_two_pages():
    groups = segment_dossier([first_page(), signature_page()])
    assert len(groups) == 1 and groups[0].classes == ["first", "continuation"]
    fields, extra = extract(groups[0])
    values = {k: v.value for k, v in fields.items()}
    assert values["type_name"] == "Quyết định" and values["type_code"] == "02"
    assert (values["code_number"], values["code_notation"]) == ("15", "QĐ-UBND")
    assert values["issued_date"] == "2024-01-17"
    assert values["organ_name"] == "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH"
    assert values["subject"] == "Về việc phê duyệt Kế hoạch số hóa"
    assert (values["signer_position"], values["signer_name"]) == ("CHỦ TỊCH", "Trần Văn Nam")
    assert extra["signing_authority"] == "TM. ỦY BAN NHÂN DÂN" and extra["place"] == "Ninh Bình"
    assert values["secrecy"] is None and values["urgency"] is None


@pytest.mark.parametrize("stamp, field, value, sure", [
    ("HỎA TỐC", "urgency", "HỎA TỐC", True), ("TÔI MẬT", "secrecy", "TỐI MẬT", True),  # marks aside, read whole
    ("HÓAA TỐC", "urgency", "HỎA TỐC", False), ("TUYẾT MẬ", "secrecy", "TUYỆT MẬT", False),  # a letter off
    ("KHẤM", "urgency", None, True)])  # four letters: too few to tell KHẨN a letter off
def test_a_secrecy_or_urgency_stamp_is_read_whole_or_a_letter_off_in_doubt(stamp, field, value, sure):
    stamped = first_page()
    stamped.text.lines.append(line((stamp, 200, 260)))
    fields, _ = extract(segment_dossier([stamped])[0])
    assert fields[field].value == value
    assert (fields[field].confidence >= 0.9) == sure


def test_a_word_boxed_as_a_sliver_stays_on_its_line():
    """Tesseract boxed "BỘ" 11 px wide, 48 px short of "TRƯỞNG,": the title is one line, not CHỦ NHIỆM alone."""
    title = Line([Word("BỘ", (950, 1456, 961, 1474), 97.0), Word("TRƯỞNG,", (1009, 1443, 1186, 1484), 96.0),
                  Word("CHỦ", (1200, 1444, 1278, 1479), 93.0), Word("NHIỆM", (1292, 1444, 1410, 1485), 91.0)])
    body = line(("Sở Tài chính chủ trì thẩm định dự toán kinh phí", 300, 1300))
    assert "BỘ TRƯỞNG, CHỦ NHIỆM" in [s.text for s in segments(PageText(W, H, [body, title]))]
    specks = Line([Word("GẦN", (473, 441, 482, 447), 4.0), Word("TÁ", (540, 433, 546, 438), 0.0)])  # a rule, read
    assert {"GẦN", "TÁ"} <= {s.text for s in segments(PageText(W, H, [body, specks]))}


def test_a_left_column_line_run_into_the_motto_is_parted_from_it():
    lines = [line(("THANH TRA TỈNH LẠNG SƠNCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 330, 100)),
             line(("Độc lập - Tự do - Hạnh phúc", 860, 140)), line(("Số: 15/KH-TTr", 200, 200)),
             line(("Lạng Sơn, ngày 17 tháng 01 năm 2024", 820, 210)), line(("KẾ HOẠCH", 760, 330))]
    texts = [s.text for s in segments(PageText(W, H, lines))]
    assert "THANH TRA TỈNH LẠNG SƠN" in texts and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts
    fields, _ = extract(segment_dossier([page(1, lines)])[0])
    assert fields["organ_name"].value == "THANH TRA TỈNH LẠNG SƠN"


def test_an_organ_the_symbol_does_not_name_goes_to_review():
    def organ(code):
        lines = first_page(code=code).text.lines
        return extract(segment_dossier([page(1, lines)])[0])[0]["organ_name"]
    assert organ("15/QĐ-UBND").confidence > 0.9
    assert organ("15/QĐ").confidence > 0.9  # the organ's part not read: no evidence against it
    # The header's last line, "PHÒNG NỘI VỤ", was not read: its parent is no issuer of a "…-PNV".
    doubted = organ("15/QĐ-PNV")
    assert doubted.value == "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH" and doubted.confidence <= 0.7


def test_headerless_pages_after_a_signed_document_are_other_and_go_to_review():
    stray = page(3, [line(("Danh mục tài liệu kèm theo hồ sơ", 300, 300))])
    blank = page(4, [], ink=0.0)
    groups = segment_dossier([first_page(), signature_page(), stray, blank])
    assert [g.classes for g in groups] == [["first", "continuation"], ["other", "blank"]]
    assert not groups[1].has_header


def test_cong_van_is_recognised_by_its_v_v_subject():
    groups = segment_dossier([first_page(code="88/UBND-VP", letter_subject="V/v báo cáo số liệu năm 2024")])
    fields, _ = extract(groups[0])
    assert fields["type_name"].value == "Công văn" and fields["type_code"].value == "22"
    assert fields["subject"].value == "V/v báo cáo số liệu năm 2024"


@pytest.mark.parametrize("read_as", ["V.V báo cáo số liệu năm 2024", "V/w báo cáo số liệu năm 2024",
                                     "\\ v báo cáo số liệu năm 2024", "VỊv báo cáo số liệu năm 2024",
                                     "Vlv báo cáo số liệu năm 2024", "V/vbáo cáo số liệu năm 2024"])
def test_cong_van_is_recognised_by_its_v_v_as_ocr_misreads_it(read_as):
    fields, _ = extract(segment_dossier([first_page(code="88/UBND-VP", letter_subject=read_as)])[0])
    assert fields["type_name"].value == "Công văn" and fields["type_code"].value == "22"
    assert fields["subject"].value == "V/v báo cáo số liệu năm 2024"


def test_a_descender_of_the_number_reaching_the_v_v_line_leaves_it_under_the_number():
    first = first_page(code="88/UBND-VP", letter_subject="V/v báo cáo số liệu năm 2024")
    symbol = first.text.lines[2].words[-1]
    symbol.box = (*symbol.box[:3], 245)  # "/UBND-VP" as a serif face's slash reaches down
    fields, _ = extract(segment_dossier([first])[0])
    assert fields["type_name"].value == "Công văn"
    assert fields["subject"].value == "V/v báo cáo số liệu năm 2024"


def test_specks_read_after_the_number_do_not_take_it_out_of_its_column():
    lines = [line(("VĂN PHÒNG CHÍNH PHỦ", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
             line(("Độc lập - Tự do - Hạnh phúc", 860, 140)), line(("Số: 1535/VPCP-QHĐP : : : : : : :", 600, 200)),
             line(("Hà Nội, ngày 27 tháng 4 năm 2024", 1000, 250)),
             line(("V/v ban hành danh mục dịch vụ", 160, 300)), line(("Kính gửi: Bộ Tài chính", 600, 450))]
    fields, _ = extract(segment_dossier([page(1, lines)])[0])
    assert fields["type_name"].value == "Công văn"
    assert fields["subject"].value == "V/v ban hành danh mục dịch vụ"


def test_a_line_starting_ve_viec_under_the_number_is_no_cong_vans_v_v():
    fields, _ = extract(segment_dossier([first_page(code="88/QĐ-UBND", letter_subject="Về việc báo cáo")])[0])
    assert fields["type_name"].value == "Quyết định" and fields["subject"].value != "V/v việc báo cáo"


def test_a_symbol_opening_with_the_organs_abbreviation_names_a_cong_van_in_doubt():
    fields, _ = extract(segment_dossier([first_page(code="88/UBND-VP", letter_subject="VWÑ báo cáo số liệu")])[0])
    assert fields["type_name"].value == "Công văn" and fields["type_name"].confidence <= 0.6
    # its subject is the line in place of "V/v", in doubt; a word any Vietnamese line may open with is no "V/v"
    assert fields["subject"].value == "V/v báo cáo số liệu" and fields["subject"].confidence <= 0.6
    consonant_after_v = first_page(code="88/UBND-VP", letter_subject="VÑ báo cáo số liệu")
    assert extract(segment_dossier([consonant_after_v])[0])[0]["subject"].value == "V/v báo cáo số liệu"
    opening_with_a_word = first_page(code="88/UBND-VP", letter_subject="Vào báo cáo số liệu")
    assert extract(segment_dossier([opening_with_a_word])[0])[0]["subject"].value is None
    fields, _ = extract(segment_dossier([first_page(code="88/SNV-VP", letter_subject="VWÑ báo cáo số liệu")])[0])
    assert fields["type_name"].value is None  # another organ's symbol: nothing tells the type


def test_a_title_a_received_stamp_runs_on_from_is_read_and_its_subject_doubted():
    groups = segment_dossier([first_page(title="KẾ HOẠCH: ĐẾN Số: ..... Ngày: ../../2024", code="15/KH-UBND")])
    fields, _ = extract(groups[0])
    assert fields["type_name"].value == "Kế hoạch"
    assert fields["subject"].value == "Về việc phê duyệt Kế hoạch số hóa" and fields["subject"].confidence <= 0.6
    unstamped, _ = extract(segment_dossier([first_page(title="KẾ HOẠCH SỐ HÓA", code="15/KH-UBND")])[0])
    # Only a type's whole name, then the stamp, is a title: this one is named by its symbol alone, in doubt.
    assert unstamped["type_name"].value == "Kế hoạch" and unstamped["type_name"].confidence < 0.8


def test_a_title_lost_under_a_seal_is_named_by_the_enacting_formula_in_doubt():
    lines = [line(("ỦY BAN NHÂN DÂN", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
             line(("TỈNH NINH BÌNH", 190, 140), ("Độc lập - Tự do - Hạnh phúc", 860, 140)),
             line(("Số: 15/UBND", 200, 200)), line(("Ninh Bình, ngày 17 tháng 01 năm 2024", 820, 210)),
             line(("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", 300, 450)),
             line(("QUYẾT ĐỊNH:", 760, 520)), line(("Điều 1. Phê duyệt Kế hoạch số hóa.", 300, 580))]
    fields, _ = extract(segment_dossier([page(1, lines)])[0])
    assert fields["type_name"].value == "Quyết định" and fields["type_name"].confidence <= 0.6
    assert fields["subject"].value is None


def test_type_name_that_contradicts_the_symbol_is_unsure():
    groups = segment_dossier([first_page(title="TỜ TRÌNH", code="15/QĐ-UBND")])
    fields, _ = extract(groups[0])
    assert fields["type_name"].value == "Tờ trình" and fields["type_name"].confidence <= 0.5
    assert any(r.startswith("type_name unsure") for r in review_reasons(fields, 0.8))


def test_legal_documents_keep_their_printed_type_with_code_32():
    groups = segment_dossier([first_page(title="THÔNG TƯ", code="21/2026/TT-BNV")])
    fields, _ = extract(groups[0])
    assert (fields["type_name"].value, fields["type_code"].value) == ("Thông tư", "32")
    assert (fields["code_number"].value, fields["code_notation"].value) == ("21", "2026/TT-BNV")


def test_second_model_agreement_confirms_and_disagreement_flags_the_date():
    date_box = [820, 210, 1400, 240]
    agree = first_page(second=[{"box": date_box, "text": "Ninh Binh, ngay 17 thang 01 nam 2024", "confidence": 90}])
    differ = first_page(second=[{"box": date_box, "text": "Ninh Binh, ngay 11 thang 01 nam 2024", "confidence": 90}])
    confirmed, _ = extract(segment_dossier([agree])[0])
    disputed, _ = extract(segment_dossier([differ])[0])
    assert confirmed["issued_date"].value == "2024-01-17" and confirmed["issued_date"].confidence >= 0.95
    assert disputed["issued_date"].value == "2024-01-11"
    assert disputed["issued_date"].confidence == DISAGREED_CONFIDENCE
    assert any(r.startswith("issued_date unsure") for r in review_reasons(disputed, 0.8))


def test_the_english_models_reading_of_ngay_still_gives_the_date():
    """The digit model reads "ngày" as "ngdy" or "ngav"; its reading of the digits must not be lost for that."""
    date_box = [820, 210, 1400, 240]
    assert parse_date("nho quan, ngdy 09 thang 7 nam 2024") == ("2024-07-09", False)
    assert parse_date("ngav 23 thang 10 nam 2024") == ("2024-10-23", False)
    assert parse_date("lang son, ngav 04 hang 2 neim 2024") == ("2024-02-04", False)  # the t of "tháng" lost
    assert parse_date("kon tum, ngavy 04 thang 2 nam 2024") == ("2024-02-04", False)  # its y read twice
    assert parse_date("nguon 5 thang 6 nam 2024") == (None, False)
    second = [{"box": date_box, "text": "Ninh Binh, ngdy 17 thang 01 nam 2024", "confidence": 90}]
    fields, _ = extract(segment_dossier([first_page(date="ngày 11 tháng 01 năm 2021", second=second)])[0])
    assert fields["issued_date"].value == "2024-01-17"
    assert fields["issued_date"].confidence == DISAGREED_CONFIDENCE


def test_dates_read_through_digit_look_alikes_are_never_certain():
    assert parse_date("ngay 09 thang ti nam 2024") == ("2024-11-09", True)
    assert parse_date("ngay 27 thang 0§ nam 2024") == (None, False)  # 5, 6 or 8: left unread
    assert parse_date("ngay|01 thang 12 nam 2024") == ("2024-12-01", False)  # a stamp frame's bar before the day
    assert parse_date("ngay. 13 thang 11 nam 2024") == ("2024-11-13", False)  # a speck read as a full stop
    assert parse_date("ngay |1 thang 12 nam 2024") == ("2024-12-11", True)  # an italic 11: its first 1 a bar
    assert parse_date("ngay 31 thang 02 nam 2024") == (None, False)
    # a year no record can bear is the one it can that is a digit off, if only one is
    assert parse_date("ngay 01 thang 2 nam 2624") == ("2024-02-01", True)
    assert parse_date("ngay 01 thang 2 nam 2094") == (None, False)  # 2004, 2014 or 2024
    groups = segment_dossier([first_page(date="ngày I7 tháng 01 năm 2024")])
    fields, _ = extract(groups[0])
    assert fields["issued_date"].value == "2024-01-17" and fields["issued_date"].confidence <= 0.6


@pytest.mark.parametrize("read_as, number, symbol", [("Số: 872 DPNV-TH", "872", "PNV-TH"),
                                                    ("Số: 1664'UBND-VP", "1664", "UBND-VP"),
                                                    ("Số: 23UBND-VP", "23", "UBND-VP")])
def test_a_number_whose_slash_was_misread_is_read_but_never_certain(read_as, number, symbol):
    organ = "PHÒNG NỘI VỤ" if "PNV" in read_as else "ỦY BAN NHÂN DÂN"
    lines = [line((organ, 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
             line(("Độc lập - Tự do - Hạnh phúc", 860, 140)), line((read_as, 200, 200)),
             line(("Ninh Bình, ngày 17 tháng 01 năm 2024", 820, 210)),
             line(("V/v báo cáo số liệu năm 2024", 160, 240)), line(("Kính gửi: Sở Nội vụ", 600, 450))]
    fields, _ = extract(segment_dossier([page(1, lines)])[0])
    assert (fields["code_number"].value, fields["code_notation"].value) == (number, symbol)
    assert fields["code_number"].confidence < 0.8 and fields["code_notation"].confidence < 0.8


def test_missing_number_is_left_empty_and_reviewed():
    groups = segment_dossier([first_page(code="/QĐ-UBND")])
    fields, _ = extract(groups[0])
    assert fields["code_number"].value is None
    assert "code_number not found" in review_reasons(fields, 0.8)


def test_notation_digits_inside_letters_are_read_as_letters_but_years_stay():
    assert clean_notation("QĐ-5KHĐT") == "QĐ-SKHĐT"
    assert clean_notation("2026/TT-BNV.") == "2026/TT-BNV"
    assert clean_notation("TTr.TTg") == "TTr-TTg"  # a hyphen read as a full stop


def test_organ_lexicon_restores_marks_only_from_known_phrases():
    assert restore_marks("SỞ KÊ HOẠCH VÀ ĐẦU TƯ") == ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", True)
    assert restore_marks("ỦY BAN NHÂN DÂN TỈNH HÀ TINH") == ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", True)
    assert restore_marks("CHI CỤC VĂN THƯ - LƯU TRỮ") == ("CHI CỤC VĂN THƯ - LƯU TRỮ", False)
    assert restore_marks("CÔNG TY CỔ PHẦN ABC") == ("CÔNG TY CỔ PHẦN ABC", False)
    assert restore_marks("TÒA ÁN NHẦN ĐẦN TỈNH NINH BÌNH") == ("TÒA ÁN NHÂN DÂN TỈNH NINH BÌNH", True)  # a court
    # One long word of a known phrase one letter off; an exact phrase always wins over a near one.
    assert restore_marks("SỞ TÀI CHÍSH") == ("SỞ TÀI CHÍNH", True)
    assert restore_marks("ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH") == ("ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH", False)
    assert restore_marks("SỞ Y TỂ") == ("SỞ Y TẾ", True) and restore_marks("SỞ Y TỂX")[1] is False
    # A word inside a long phrase that it does not have: a stamp's word, or one of its own read twice.
    assert restore_marks("SỞ GIÁO DỤC GẦN VÀ ĐÀO TẠO") == ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", True)
    assert restore_marks("SỞ GIÁO DỤC ĐÀO VÀ ĐÀO TẠO") == ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", True)
    assert restore_marks("ỦY BAN NHÂN DÂN DÂN HUYỆN") == ("ỦY BAN NHÂN DÂN DÂN HUYỆN", False)  # after it: not inside
    # In a subject only whole phrases of several words count, in the case they were read in.
    assert restore_marks("trụ sở của Uy ban nhân dân xã", running_text=True) == ("trụ sở của Ủy ban nhân dân xã", True)
    assert restore_marks("Về tinh gọn bộ máy", running_text=True) == ("Về tinh gọn bộ máy", False)


def pen_page(second=None, written_in=None):
    """A first page whose number and day were written in by pen and lifted with the coloured ink: the
    number line keeps only "Số:" and the symbol, the date line is split by the blank of the day."""
    lines = [
        line(("ỦY BAN NHÂN DÂN", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
        line(("“ TỈNH NINH BÌNH", 160, 140), ("Độc lập - Tự do - Hạnh phúc", 860, 140)),
        line(("Số:", 200, 200), ("/QĐ-UBND", 330, 200)),
        line(("Ninh Bình, ngày", 800, 210)), line(("tháng 01 năm 2024", 1110, 214)),
        line(("QUYẾT ĐỊNH", 720, 330)), line(("Về việc phê duyệt Kế hoạch số hóa", 560, 370)),
        line(("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020;", 300, 450)),
    ]
    return page(1, lines, second, written_in=written_in)


def gaps(number: list[str], day: list[str]) -> list[dict]:
    return [{"field": "number", "box": [250, 195, 320, 235], "readings": number},
            {"field": "day", "box": [1020, 205, 1100, 245], "readings": day}]


def test_a_pen_written_number_read_alike_everywhere_is_kept_but_always_confirmed_by_a_person():
    second = [{"box": [0, 200, 793, 230], "text": ": $6: 729 /QD-UBND", "confidence": 70},
              {"box": [793, 210, 1654, 244], "text": "Ninh Binh, ngay 23 thang 01 nam 2024", "confidence": 80}]
    fields, _ = extract(segment_dossier([pen_page(second, gaps(["729", "729"], ["23", "23"]))])[0])
    # Every reading reads the same hand (on real scans a hand's 1114 was read 4444 by all of them).
    assert fields["code_number"].value == "729" and fields["code_number"].confidence < 0.8
    assert fields["code_notation"].value == "QĐ-UBND" and fields["code_notation"].confidence >= 0.95
    assert fields["issued_date"].value == "2024-01-23" and fields["issued_date"].confidence >= 0.95


def test_a_gap_read_alone_or_against_the_row_is_reviewed():
    alone, _ = extract(segment_dossier([pen_page(written_in=gaps(["729", "729"], ["23", "28"]))])[0])
    assert alone["code_number"].value == "729" and alone["code_number"].confidence < 0.8
    assert alone["issued_date"].value == "2024-01-23" and alone["issued_date"].confidence < 0.8  # month from the row
    second = [{"box": [0, 200, 793, 230], "text": "So: 720 /QD-UBND", "confidence": 70}]
    against, _ = extract(segment_dossier([pen_page(second, gaps(["729", "729"], []))])[0])
    assert against["code_number"].confidence < 0.8 and "code_number unsure" in " ".join(review_reasons(against, 0.8))


def test_a_number_and_day_written_by_pen_come_from_the_second_reading_and_go_to_review():
    second = [{"box": [0, 200, 793, 230], "text": ": $6: 729 /QD-UBND", "confidence": 70},
              {"box": [793, 210, 1654, 244], "text": "Ninh Binh, ngay 23 thang 01 nam 2024", "confidence": 80}]
    fields, _ = extract(segment_dossier([pen_page(second)])[0])
    assert fields["type_name"].value == "Quyết định"
    assert fields["code_number"].value == "729" and fields["code_number"].confidence < 0.8
    assert fields["issued_date"].value == "2024-01-23" and fields["issued_date"].confidence < 0.8
    assert fields["organ_name"].value == "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH"  # the stamp's mark left out


def test_a_day_read_alone_backs_the_whole_line_reading_with_that_day_in_its_own_month():
    """The page read "03 tháng 7 năm 2023", the digit model "09 ... 2024"; the gap's digit model read 09:
    placed in the page's month it would have backed neither."""
    second = [{"box": [820, 210, 1400, 240], "text": "Ninh Binh, ngdy 09 thang 7 nam 2024", "confidence": 80}]
    misread = first_page(date="ngày 03 tháng 7 năm 2023", second=second)
    misread.written_in = gaps([], ["09", "03"])
    fields, _ = extract(segment_dossier([misread])[0])
    assert fields["issued_date"].value == "2024-07-09"
    assert fields["issued_date"].confidence == DISAGREED_CONFIDENCE


def test_a_day_read_alone_as_the_first_digit_of_the_lines_day_was_cut_short():
    """The gap's cut lost the 5 of 15: read "1" twice, it would outvote the digit model's whole line."""
    second = [{"box": [820, 210, 1400, 240], "text": "Ninh Binh, ngay 15 thang 4 ndm 2024", "confidence": 80}]
    misread = first_page(date="ngày 15 tháng + năm 2)2+", second=second)
    misread.written_in = gaps([], ["1", "1"])
    fields, _ = extract(segment_dossier([misread])[0])
    assert fields["issued_date"].value == "2024-04-15"


def test_a_day_neither_line_read_is_placed_in_the_digit_models_month_and_year():
    """The page read "1$ tháng 6 năm 2023", the digit model "1g. thang 6 nam 2024": neither day is a number, the
    gap read 18 twice. The year is the digit model's, as where both lines give a date, and is confirmed by a person."""
    second = [{"box": [820, 210, 1400, 240], "text": "Vinh Binh, ngayv 1g. thang 6 nam 2024", "confidence": 70}]
    misread = first_page(date="ngày 1$ tháng 6 năm 2023", second=second)
    misread.written_in = gaps([], ["18", "18"])
    fields, _ = extract(segment_dossier([misread])[0])
    assert fields["issued_date"].value == "2024-06-18" and fields["issued_date"].confidence < 0.8


@pytest.mark.parametrize("misread", ["ngày 05 _ tháng 1 năm 2024", "ngày 2°5` thóng 1 năm 2024",
                                     "ngày 15 tháng + năm 2)2+", "ngàyv 15 tháng 1 năm 202+"])
def test_a_date_line_read_past_parsing_is_still_the_date_line_and_its_date_the_other_readings(misread):
    second = [{"box": [820, 210, 1400, 240], "text": "Chau Doc, ngay 15 thang 1 ndm 2024", "confidence": 80}]
    fields, _ = extract(segment_dossier([first_page(date=misread, second=second)])[0])
    assert fields["issued_date"].value == "2024-01-15" and fields["issued_date"].confidence < 0.8


def test_a_date_line_with_its_year_half_read_is_still_the_date_line():
    second = [{"box": [820, 210, 1400, 240], "text": "Ha Noi, ngay 03 thang 9 nam 2024", "confidence": 80}]
    fields, _ = extract(segment_dossier([first_page(date="ngàv 03 tháng 9 năm 202+3", second=second)])[0])
    assert fields["issued_date"].value == "2024-09-03"
    assert fields["issued_date"].confidence < 0.8  # one reading of the year


def test_a_date_line_whose_year_a_stamp_cut_short_is_read_from_the_second_model_in_doubt():
    assert parse_date("vinh long, ngay 02 thang 10.ndm 2024") == ("2024-10-02", False)  # "năm" glued to a dot
    assert parse_date("ngay 2. thang 9, nam 2024") == ("2024-09-02", False)
    assert month_and_year("ngay .. thang 10.nam 2024") == "2024-10-01"  # to place a day read on its own
    second = [{"box": [820, 210, 1400, 240], "text": "Vinh Long, ngay 02 thang 10.ndm 2024", "confidence": 90}]
    cut = first_page(date="ngày 02 tháng 10 năm 20", second=second)
    cut.written_in = [{"field": "day", "box": [960, 210, 1000, 240], "readings": ["02", "02"]}]
    fields, _ = extract(segment_dossier([cut])[0])
    # The day read three times alike; the month and the year by the second model alone: a person confirms.
    assert fields["issued_date"].value == "2024-10-02" and fields["issued_date"].confidence < 0.8


def test_a_date_is_pieced_together_from_the_parts_two_readings_kept_in_doubt():
    second = [{"box": [820, 210, 1400, 240], "text": "An ot ngay 23. thang 9 nam “tod", "confidence": 60}]
    fields, _ = extract(segment_dossier([first_page(date="ngày 2š, tháng 9 năm 2024", second=second)])[0])
    assert fields["issued_date"].value == "2024-09-23" and fields["issued_date"].confidence < 0.8
    # Two readings that differ on a part they both kept, or that share no part, give nothing.
    other = [{"box": [820, 210, 1400, 240], "text": "An ot ngay 23. thang 8 nam “tod", "confidence": 60}]
    assert extract(segment_dossier([first_page(date="ngày 2š, tháng 9 năm 2024", second=other)])[0])[0][
        "issued_date"].value is None
    broken = [{"box": [820, 210, 1400, 240], "text": "Ha Noi ngay Qs thang 5 nam 2024", "confidence": 60}]
    assert extract(segment_dossier([first_page(date="ngày 2= tháng 5 năm 2024", second=broken)])[0])[0][
        "issued_date"].value is None  # "2=" is a broken number, not the day 2
    apart = [{"box": [820, 210, 1400, 240], "text": "An ot ngay 23. thang ,. nam “tod", "confidence": 60}]
    assert extract(segment_dossier([first_page(date="ngày 2š, tháng 9 năm 2024", second=apart)])[0])[0][
        "issued_date"].value is None
    # the year of the one reading that kept it, "năm" without its n
    no_n = [{"box": [820, 210, 1400, 240], "text": "Ninh Binh, ngay 25 thang 2 ‘am 2024", "confidence": 60}]
    fields, _ = extract(segment_dossier([first_page(date="„ngày 25 tháng 2 năm 20, 24", second=no_n)])[0])
    assert fields["issued_date"].value == "2024-02-25" and fields["issued_date"].confidence < 0.8


def test_a_date_is_never_taken_from_the_legal_bases():
    fields, _ = extract(segment_dossier([pen_page()])[0])
    assert fields["issued_date"].value is None and fields["code_number"].value is None
    assert {"issued_date not found", "code_number not found"} <= set(review_reasons(fields, 0.8))


def test_an_appendix_after_the_signature_stays_with_its_document():
    appendix = page(3, [line(("PHỤ LỤC", 760, 150)),
                        line(("(Kèm theo Quyết định số 15/QĐ-UBND ngày 17 tháng 01 năm 2024)", 320, 190)),
                        line(("1. Danh mục hồ sơ số hóa năm 2024", 300, 260))])
    groups = segment_dossier([first_page(), signature_page(), appendix])
    assert [g.classes for g in groups] == [["first", "continuation", "appendix"]]


def test_specks_around_the_signer_name_are_left_out():
    signed = page(2, [line(("Nơi nhận:", 300, 420), ("TM. ỦY BAN NHÂN DÂN", 1000, 420)),
                      line(("CHỦ TỊCH", 1080, 460)), line(("' Trần Văn Nam `", 1040, 640))])
    fields, _ = extract(segment_dossier([first_page(), signed])[0])
    assert fields["signer_name"].value == "Trần Văn Nam"


def test_a_legal_basis_across_the_page_is_not_the_date_line():
    lines = [
        line(("ỦY BAN NHÂN DÂN", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
        line(("TỈNH NINH BÌNH", 190, 140), ("Độc lập - Tự do - Hạnh phúc", 860, 140)),
        line(("Số: 15/QĐ-UBND", 200, 200)),
        line(("QUYẾT ĐỊNH", 720, 330)), line(("Về việc phê duyệt Kế hoạch số hóa", 560, 370)),
        line(("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", 600, 450)),
    ]
    fields, _ = extract(segment_dossier([page(1, lines)])[0])
    assert fields["issued_date"].value is None and fields["type_name"].value == "Quyết định"


def test_a_number_the_second_model_cannot_find_is_not_confirmed():
    unreadable = [{"box": [0, 200, 793, 230], "text": "S6: Ws /QD-UBND", "confidence": 40}]
    fields, _ = extract(segment_dossier([first_page(second=unreadable)])[0])
    assert fields["code_number"].value == "15" and fields["code_number"].confidence < 0.8
    garbled_label = [{"box": [0, 200, 793, 230], "text": "$6: 15/QD-UBND", "confidence": 80}]
    fields, _ = extract(segment_dossier([first_page(second=garbled_label)])[0])
    assert fields["code_number"].confidence >= 0.95  # the digits agree even though "Số" was misread


def test_stamp_debris_in_the_organ_lines_is_left_out():
    lines = [
        line(("ỦY BAN NHÂN DÂN TỈNH NINH", 120, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
        line(("z:BÌNH", 250, 140), ("Độc lập - Tự do - Hạnh phúc", 860, 140)),
        line(("SỞ Y TẾ", 250, 175)), line(("ST", 280, 205)),
        line(("Số: 15/TTr-SYT", 200, 240)), line(("Ninh Bình, ngày 17 tháng 01 năm 2024", 820, 240)),
        line(("TỜ TRÌNH", 720, 330)), line(("Về việc phê duyệt Kế hoạch số hóa", 560, 370)),
    ]
    fields, extra = extract(segment_dossier([page(1, lines)])[0])
    assert fields["organ_name"].value == "SỞ Y TẾ"
    assert extra["parent_organ"] == "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH"


def test_a_line_read_blind_under_the_organ_is_no_part_of_it():
    ghost = line(("THAM :", 190, 147))  # the organ's line read again, a few pixels lower, with no confidence
    for word in ghost.words:
        word.confidence = 7.0
    lines = [
        line(("ỦY BAN NHÂN DÂN", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
        line(("THÀNH PHỐ TAM ĐIỆP", 120, 145), ("Độc lập - Tự do - Hạnh phúc", 860, 145)), ghost,
        line(("Số: 15/UBND-TH", 200, 240)), line(("Tam Điệp, ngày 17 tháng 01 năm 2024", 820, 240)),
        line(("V/v xuất cấp hạt giống cây trồng", 200, 290)), line(("Kính gửi: Bộ Tài chính", 560, 380)),
    ]
    fields, _ = extract(segment_dossier([page(1, lines)])[0])
    assert fields["organ_name"].value == "ỦY BAN NHÂN DÂN THÀNH PHỐ TAM ĐIỆP"


def test_a_number_row_whose_label_lost_its_s_is_still_the_number_row():
    lines = [
        line(("TÒA ÁN NHÂN DÂN", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
        line(("TỈNH LẠNG SƠN", 170, 140), ("Độc lập - Tự do - Hạnh phúc", 860, 140)),
        line(("ố: {1$ /TA-KTTH", 170, 200), ("Lặng'SDfWl hông Tháng # năm 2024", 820, 200)),
        line(("V/v thi hành kỷ luật đối với", 150, 245)), line(("cán bộ thuộc diện quản lý", 160, 285)),
        line(("Kính gửi: Tòa án nhân dân tối cao", 560, 380)),
    ]
    fields, _ = extract(segment_dossier([page(1, lines)])[0])
    assert fields["organ_name"].value == "TÒA ÁN NHÂN DÂN TỈNH LẠNG SƠN"  # the number row is not the organ's
    assert fields["type_name"].value == "Công văn" and fields["code_notation"].value == "TA-KTTH"
    assert fields["subject"].value == "V/v thi hành kỷ luật đối với cán bộ thuộc diện quản lý"


def test_a_number_row_whose_number_and_slash_were_lost_is_the_number_row_level_with_the_date_only():
    def fields_with(number_y: int):
        lines = [
            line(("TÒA ÁN NHÂN DÂN", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
            line(("TỈNH VĨNH LONG", 170, 140), ("Độc lập - Tự do - Hạnh phúc", 860, 140)),
            line(("Vĩnh Long, ngày 27 tháng 6 năm 2024", 820, 200)), line(("Số: Tĩậ@ø TVKTTH", 170, number_y)),
            line(("V.v xuất cấp hạt giống cây", 150, number_y + 50)),
            line(("trồng từ nguồn dự trữ", 160, number_y + 90)),
            line(("Kính gửi: Các sở, ban, ngành thuộc tỉnh", 560, number_y + 180)),
        ]
        fields, _ = extract(segment_dossier([page(1, lines)])[0])
        return fields
    level = fields_with(200)
    assert level["type_name"].value == "Công văn"
    assert level["subject"].value == "V/v xuất cấp hạt giống cây trồng từ nguồn dự trữ"
    assert level["organ_name"].value == "TÒA ÁN NHÂN DÂN TỈNH VĨNH LONG"
    assert fields_with(320)["type_name"].value is None  # a lone "Số:" further down may be a received stamp's


def weighed(text: str, x: int, y: int, weight: float) -> Line:
    found = line((text, x, y))
    for word in found.words:
        word.weight = weight
    return found


def report_under_a_stamp(*subject: Line) -> list[Line]:
    """A report whose title a received stamp's words ran over, its subject bold, then the body in regular type."""
    return [
        line(("TÒA ÁN NHÂN DÂN", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
        line(("TỈNH LẠNG SƠN", 170, 140), ("Độc lập - Tự do - Hạnh phúc", 860, 140)),
        line(("Số: 20/BC-TA", 200, 200), ("Lạng Sơn, ngày 22 tháng 4 năm 2024", 820, 200)),
        line(("BAOCAVO | L ` NHẪN... 20)", 640, 290)),  # the title, a received stamp's words over it
        *subject,
        *(weighed("Ủy ban nhân dân các huyện, thành phố chủ động bố trí nguồn lực thực hiện", 220, 440 + 45 * i, 2.5)
          for i in range(3)),
    ]


def test_a_bold_subject_ending_with_its_year_is_found_where_a_stamp_took_the_title():
    lines = report_under_a_stamp(weighed("Kết quả tổ chức thi tuyển công chức năm 2024", 520, 340, 4.0))
    fields, _ = extract(segment_dossier([page(1, lines)])[0])
    assert fields["type_name"].value == "Báo cáo"  # by its symbol
    assert fields["subject"].value == "Kết quả tổ chức thi tuyển công chức năm 2024"


def test_a_title_in_capitals_read_with_a_small_letter_is_no_subject_where_a_stamp_took_the_title():
    lines = report_under_a_stamp(weighed("TỜ YiÍNH", 700, 335, 4.0),
                                 weighed("Đề nghị ban hành danh mục dịch vụ sự nghiệp công", 460, 380, 4.0))
    fields, _ = extract(segment_dossier([page(1, lines)])[0])
    assert fields["subject"].value == "Đề nghị ban hành danh mục dịch vụ sự nghiệp công"


def test_words_boxed_on_specks_under_a_subject_line_do_not_end_the_subject():
    twice_read = Line([Word("hiện", (900, 372, 906, 376), 90.0), Word("dụ", (980, 372, 986, 376), 90.0)])
    for word in twice_read.words:
        word.weight = 2.4
    lines = report_under_a_stamp(weighed("Kết quả thu hồi đất để thực hiện dự án mở rộng", 420, 340, 4.0),
                                 twice_read, weighed("đường tỉnh lộ qua địa bàn huyện Đắk Hà", 500, 385, 4.0))
    fields, _ = extract(segment_dossier([page(1, lines)])[0])
    assert fields["subject"].value == ("Kết quả thu hồi đất để thực hiện dự án mở rộng đường tỉnh lộ qua địa bàn"
                                       " huyện Đắk Hà")


def test_the_v_v_subject_under_number_words_a_stamp_stretched_is_found():
    number = line(("Sẽ: 420/VPCP-TH.", 170, 200))  # "Số" with another vowel, its words joined to a stamp's ink
    for word in number.words:
        word.box = (word.box[0], word.box[1], word.box[2], word.box[3] + 34)
    lines = [
        line(("VĂN PHÒNG CHÍNH PHỦ", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
        line(("Độc lập - Tự do - Hạnh phúc", 860, 140)), number,
        line(("VW tổ chức thi tuyển công", 150, 250), ("Hà Nội, ngày 11 tháng 5 năm 2024", 820, 250)),
        line(("chức năm 2024", 200, 290)), line(("Kính gửi: Các sở, ban, ngành", 560, 380)),
    ]
    fields, _ = extract(segment_dossier([page(1, lines)])[0])
    assert fields["code_notation"].value == "VPCP-TH"
    assert fields["subject"].value == "V/v tổ chức thi tuyển công chức năm 2024"


def test_the_title_under_a_stamp_read_as_many_specks_is_found():
    specks = [line((mark, 900 + 40 * i, 260 + 35 * i)) for i, mark in enumerate("~`|~`|~`")]
    lines = [
        line(("THANH TRA TỈNH SƠN LA", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
        line(("Số: 893/TTr-TTr", 200, 150), ("Độc lập - Tự do - Hạnh phúc", 860, 150)),
        line(("Sơn La, ngày 09 tháng 4 năm 2024", 820, 200)), *specks,
        line(("ĐẾN Ngày: .../.../2024", 880, 560)), line(("MẬT", 250, 600)),
        line(("TỜ TRÌNH", 740, 660)), line(("Về việc thu hồi đất để thực hiện dự án", 560, 700)),
    ]
    fields, _ = extract(segment_dossier([page(1, lines)])[0])
    assert fields["type_name"].value == "Tờ trình"
    assert fields["subject"].value == "Về việc thu hồi đất để thực hiện dự án"


def test_a_number_row_behind_specks_of_a_stamp_is_still_the_number_row():
    lines = [
        line(("SỞ Y TẾ", 250, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
        line(("_` Số: 28g /GGT-SYT", 180, 200)), line(("Quảng Trị, ngày 04 tháng 01 năm 2024", 820, 240)),
        line(("GIẤY GIỚI THIỆU", 700, 330)), line(("Phân bổ kinh phí sự nghiệp y tế năm 2024", 560, 370)),
    ]
    second = [{"box": [0, 195, 793, 235], "text": "PS 2\n$6: 2889 /GGT-SYT", "confidence": 45}]
    fields, _ = extract(segment_dossier([page(1, lines, second, written_in=gaps(["2880", "2880"], []))])[0])
    assert fields["code_notation"].value == "GGT-SYT" and fields["code_notation"].confidence >= 0.95
    assert fields["code_number"].value == "2880" and fields["code_number"].confidence < 0.8  # 2889 dissents


def test_a_gaps_last_1_is_the_slash_a_row_reading_lost_after_the_same_digits():
    def code_of(number_row: str, row_reading: str, gap: list[str]):
        lines = [
            line(("TÒA ÁN NHÂN DÂN", 150, 100), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 780, 100)),
            line(("TỈNH QUẢNG NAM", 170, 140), ("Độc lập - Tự do - Hạnh phúc", 860, 140)),
            line((number_row, 200, 200)), line(("Quảng Nam, ngày 19 tháng 6 năm 2024", 820, 210)),
            line(("QUYẾT ĐỊNH", 740, 330)), line(("Về việc kiện toàn Hội đồng thi đua", 600, 370)),
        ]
        second = [{"box": [0, 195, 793, 235], "text": row_reading, "confidence": 70}]
        fields, _ = extract(segment_dossier([page(1, lines, second, written_in=gaps(gap, []))])[0])
        return fields["code_number"], fields["code_notation"]
    number, notation = code_of("Số: 62 TTr-DNV", "SO: 62 TTr-PNV", ["621", "621"])  # every reading lost the slash
    assert number.value == "62" and number.confidence < 0.8  # a digit may have gone with the slash: reviewed
    number, notation = code_of("Số: Ỹ6ã QĐ-TA", "S6: 763 QD-TA", ["7631", "703"])  # the page's reading lost it
    assert number.value == "763" and notation.value == "QĐ-TA" and number.confidence < 0.8
    number, _ = code_of("Số: Ỹ6ã QĐ-TA", "$6: 763 QD-TA", ["7631", "76"])  # the English model's S: "$"
    assert number.value == "763" and number.confidence < 0.8
    # A row reading whose digits no gap reading backs is no evidence: "£84" lost the 6 of 684.
    number, _ = code_of("Số: Ỹ6ã QĐ-TA", "S6: £84 ITA-QHDP", ["684", "6834"])
    assert number.value == "684"


@pytest.mark.parametrize("position", ["THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "CHÁNH VĂN PHÒNG", "CHÁNH THANH TRA",
                                      "CHÁNH ÁN", "CHỦ NHIỆM"])
def test_a_signature_block_under_any_position_of_the_lexicon_gives_its_signer(position):
    signed = page(2, [line(("Nơi nhận:", 300, 420), (position, 1000, 420)),
                      line(("- Như trên;", 300, 460)), line(("Trần Hồng Hà", 1040, 640))])
    fields, _ = extract(segment_dossier([first_page(), signed])[0])
    assert (fields["signer_position"].value, fields["signer_name"].value) == (position, "Trần Hồng Hà")
