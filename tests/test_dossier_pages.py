"""A dossier as archives hold it: a cover and a table of contents before the documents, attachments
without a Decree 30 header after them. The cover describes the dossier; the table of contents is
checked against the documents found."""
from sohoa.classifiers.segment import segment_dossier
from sohoa.core.settings import Settings
from sohoa.pipeline.analysis import NO_HEADER, analyse_dossier
from sohoa.pipeline.packaging import dossier_description

from tests.test_classifiers import first_page, line, page, signature_page

HEADINGS = "STT Số, ký hiệu Ngày tháng Tác giả Trích yếu nội dung Tờ số Ghi chú"


def cover(number=1, heading="HỒ SƠ"):
    return page(number, [
        line(("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", 500, 150)),
        line(("Mã hồ sơ: G12.05.17.2024.003", 1000, 420)),
        line((heading, 760, 700)),
        line(("Về việc thu hồi đất để mở rộng đường tỉnh lộ", 420, 780)),
        line(("qua địa bàn huyện Đại Lộc", 560, 830)),
        line(("Từ ngày 05/03/2024 đến ngày 20/11/2024", 480, 1600)),
        line(("Gồm 12 tờ", 720, 1650)),
        line(("Thời hạn bảo quản: 70 năm", 600, 1700)),
    ])


def contents(number=2, listed=("15/QĐ-UBND", "99/TTr-SYT"), title="MỤC LỤC VĂN BẢN"):
    rows = [line((f"{i} {code} 17/01/2024 ỦY BAN NHÂN DÂN TỈNH Về việc ... {i + 2}", 200, 300 + 60 * i))
            for i, code in enumerate(listed, 1)]
    return page(number, [line((title, 640, 150)),
                         line((HEADINGS, 200, 240)), *rows])


def attachment(number):
    return page(number, [line(("BẢNG TỔNG HỢP DIỆN TÍCH ĐẤT THU HỒI", 420, 150)),
                         line(("STT Đơn vị Số lượng Ghi chú", 300, 260)), line(("1 Xã Quang Sơn 59", 300, 320))])


def whole_dossier():
    return [cover(1), contents(2), first_page(3), signature_page(4), attachment(5)]


def test_the_cover_and_the_table_of_contents_are_groups_of_their_own():
    groups = segment_dossier(whole_dossier())
    assert [g.kind for g in groups] == ["cover", "toc", "document", "attachment"]
    assert [[p.number for p in g.pages] for g in groups] == [[1], [2], [3, 4], [5]]


def test_a_cover_and_a_table_of_contents_misread_are_still_told_apart():
    """The display face's hairlines break the H of "HỒ SƠ"; "MỤC LỤC" runs into "VĂN BẢN"."""
    pages = [cover(1, heading="IIỒ SƠ"), contents(2, title="MỤC LỤCVĂN BẢN"), first_page(3), signature_page(4)]
    assert [g.kind for g in segment_dossier(pages)] == ["cover", "toc", "document"]


def test_the_cover_describes_the_dossier(tmp_path):
    records = analyse_dossier("G12.05.17.2024.003", whole_dossier(), 0.8)
    doc, extra = records[0]
    assert extra["record_kind"] == "cover" and not doc.needs_review
    assert extra["dossier_cover"] == {
        "title": "Về việc thu hồi đất để mở rộng đường tỉnh lộ qua địa bàn huyện Đại Lộc",
        "start_date": "2024-03-05", "end_date": "2024-11-20", "retention": "02"}
    record = {"dossier_cover": extra["dossier_cover"], "issued_date": None, "page_amount": 1}
    described = dossier_description("G12.05.17.2024.003", [record], Settings(home=tmp_path))
    assert described["title"].startswith("Về việc thu hồi đất") and described["retention"] == "02"
    assert (described["start_date"], described["end_date"]) == ("2024-03-05", "2024-11-20")


def test_a_table_of_contents_that_lists_a_missing_document_goes_to_review():
    records = analyse_dossier("G12.05.17.2024.003", whole_dossier(), 0.8)
    toc, extra = records[1]
    assert extra["toc"] == ["15/QĐ-UBND", "99/TTr-SYT"]
    assert toc.review_reasons == ["table of contents lists 99/TTr-SYT, not among the documents found"]
    agreeing = analyse_dossier("X", [cover(1), contents(2, ("15/QĐ-UBND",)), first_page(3), signature_page(4)], 0.8)
    assert not agreeing[1][0].needs_review


def test_an_attachment_is_its_own_record_titled_from_its_first_line():
    records = analyse_dossier("G12.05.17.2024.003", whole_dossier(), 0.8)
    doc, extra = records[3]
    assert extra == {"title": "BẢNG TỔNG HỢP DIỆN TÍCH ĐẤT THU HỒI", "record_kind": "attachment"}
    assert doc.review_reasons == [NO_HEADER] and [p.number for p in doc.pages] == [5]
    assert records[2][1]["record_kind"] == "document" and [p.number for p in records[2][0].pages] == [3, 4]


def test_a_date_not_read_on_the_document_is_taken_from_its_row_of_the_table_of_contents_in_doubt():
    stamped = first_page(3, date="ngày Kông Tí ăm 2024")  # a received stamp across the date line
    records = analyse_dossier("X", [cover(1), contents(2, ("15/QĐ-UBND",)), stamped, signature_page(4)], 0.8)
    doc = records[2][0]
    assert doc.fields["issued_date"].value == "2024-01-17"
    assert "issued_date from the table of contents" in doc.review_reasons and doc.needs_review
    contradicted = first_page(3, date="ngày 27 tháng 01 năm 2024")
    records = analyse_dossier("X", [cover(1), contents(2, ("15/QĐ-UBND",)), contradicted, signature_page(4)], 0.8)
    doc = records[2][0]
    assert doc.fields["issued_date"].value == "2024-01-27"  # the document's own reading stands
    assert "the table of contents dates 15/QĐ-UBND 2024-01-17, the document 2024-01-27" in doc.review_reasons


def test_a_date_on_another_row_of_the_table_of_contents_is_not_taken():
    rows = page(2, [line(("MỤC LỤC VĂN BẢN", 640, 150)), line((HEADINGS, 200, 240)),
                    line(("1 15/QĐ-UBND ỦY BAN NHÂN DÂN TỈNH Về việc ...", 200, 300)),
                    line(("2 99/TTr-SYT 17/01/2024 SỞ Y TẾ Về việc ...", 200, 400))])
    stamped = first_page(3, date="ngày Kông Tí ăm 2024")
    records = analyse_dossier("X", [cover(1), rows, stamped, signature_page(4)], 0.8)
    assert records[2][0].fields["issued_date"].value is None
