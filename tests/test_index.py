"""The SearchIndex contract, run against the embedded index and a real Elasticsearch alike:
accent-insensitive matching, number/symbol lookup, filters, idempotent indexing."""
import uuid

import pytest

from archive.esindex import ElasticsearchSearchIndex
from archive.index import SearchFilters, SqliteSearchIndex


def record(doc_id, type_name, code, date, organ, subject, text=""):
    number, notation = code.split("/", 1)
    return {"doc_id": doc_id, "file_code": doc_id.rsplit(".", 1)[0], "type_name": type_name, "type_code": "02",
            "code_number": number, "code_notation": notation, "issued_date": date, "organ_name": organ,
            "subject": subject, "signer_name": "Trần Văn Nam", "pages": [{"text": text}], "needs_review": False}


@pytest.fixture(params=["embedded", "elasticsearch"])
def index(request, tmp_path):
    if request.param == "embedded":
        idx = SqliteSearchIndex(tmp_path / "index.sqlite")
    else:
        idx = ElasticsearchSearchIndex(request.getfixturevalue("es_url"), f"sohoa-test-{uuid.uuid4().hex[:8]}")
    idx.upsert([
        record("HS.1", "Quyết định", "15/QĐ-UBND", "2024-01-17", "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH",
               "Về việc phê duyệt Kế hoạch chuyển đổi số", "hồ sơ lưu trữ điện tử"),
        record("HS.2", "Tờ trình", "213/TTr-SKHĐT", "2024-03-02", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
               "Về việc đầu tư xây dựng trụ sở", "đề nghị phê duyệt dự án 213 hạng mục"),
        record("HS.3", "Công văn", "88/SYT-VP", "2023-11-30", "SỞ Y TẾ",
               "V/v báo cáo số liệu 213 ca bệnh", "TTr 213 trạm y tế"),
    ])
    yield idx
    idx.close()


def ids(hits):
    return [h["doc_id"] for h in hits]


@pytest.mark.parametrize("query", ["hồ sơ", "ho so", "HO SO", "Hồ Sơ lưu trữ"])
def test_accents_are_optional(index, query):
    assert ids(index.search(query, SearchFilters())) == ["HS.1"]


def test_d_with_stroke_folds_to_d(index):
    assert ids(index.search("dau tu", SearchFilters())) == ["HS.2"]
    assert ids(index.search("đầu tư", SearchFilters())) == ["HS.2"]


def test_number_and_symbol_finds_that_document_first(index):
    # A later document cites the number many times; the document bearing it still comes first.
    index.upsert([record("HS.9", "Báo cáo", "7/BC-UBND", "2024-05-05", "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH",
                         "Báo cáo 213/TTr-SKHĐT", "theo Tờ trình 213/TTr-SKHĐT " * 20)])
    hits = index.search("213/TTr-SKHĐT", SearchFilters())
    assert ids(hits) == ["HS.2", "HS.9"]
    assert ids(index.search("213/ttr-skhdt", SearchFilters()))[0] == "HS.2"
    assert index.search("213/TTr-SKHDT", SearchFilters())[0]["doc_id"] == "HS.2"


def test_filters(index):
    assert ids(index.search("", SearchFilters(type_name="quyet dinh"))) == ["HS.1"]
    assert sorted(ids(index.search("", SearchFilters(type_name="02")))) == ["HS.1", "HS.2", "HS.3"]
    assert ids(index.search("", SearchFilters(date_from="2024-01-01"))) == ["HS.2", "HS.1"]
    assert ids(index.search("", SearchFilters(date_to="2023-12-31"))) == ["HS.3"]
    assert ids(index.search("", SearchFilters(organ="so y te"))) == ["HS.3"]
    assert ids(index.search("213", SearchFilters(organ="Sở Kế hoạch"))) == ["HS.2"]


def test_upsert_replaces_instead_of_duplicating(index):
    again = record("HS.1", "Quyết định", "15/QĐ-UBND", "2024-01-17", "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH",
                   "Về việc phê duyệt Kế hoạch chuyển đổi số", "nội dung mới")
    index.upsert([again])
    assert index.count() == 3
    assert ids(index.search("noi dung moi", SearchFilters())) == ["HS.1"]
    assert index.search("luu tru dien tu", SearchFilters()) == []


def test_delete_dossier(index):
    index.delete_dossier("HS")
    assert index.count() == 0


def test_same_number_symbol_and_organ_in_another_dossier_is_found(index):
    copy = record("HS2.1", "Tờ trình", "213/TTr-SKHĐT", "2024-03-02", "Sở Kế hoạch và Đầu tư", "bản sao", "")
    assert index.same_code(copy) == ["HS.2"]
    assert index.same_code({**copy, "organ_name": "SỞ Y TẾ"}) == []
    assert index.same_code({**copy, "file_code": "HS"}) == []  # its own dossier
