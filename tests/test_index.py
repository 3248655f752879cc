"""The SearchIndex contract, run against the embedded index and a real Elasticsearch alike:
accent-insensitive matching, number/symbol lookup, filters, facets, sort, highlights, paging past
10,000 hits, idempotent indexing."""
import base64
import json
import sqlite3
import uuid

import pytest
from elasticsearch import Elasticsearch

from sohoa.archive.esindex import ElasticsearchSearchIndex
from sohoa.archive.index import SqliteSearchIndex
from sohoa.archive.search import SearchFilters, SearchRequest, every_hit
from sohoa.core.errors import BadCursor


def record(doc_id, type_name, code, date, organ, subject, text="", secrecy=None):
    number, notation = code.split("/", 1)
    file_code, ordinal = doc_id.rsplit(".", 1)
    return {"doc_id": doc_id, "file_code": file_code, "doc_ordinal": int(ordinal), "type_name": type_name,
            "type_code": "02", "code_number": number, "code_notation": notation, "issued_date": date,
            "organ_name": organ, "subject": subject, "signer_name": "Trần Văn Nam", "secrecy": secrecy,
            "pages": [{"number": 1, "text": text}], "needs_review": False}


def open_index(kind, request, tmp_path):
    if kind == "embedded":
        return SqliteSearchIndex(tmp_path / "index.sqlite")
    return ElasticsearchSearchIndex(request.getfixturevalue("es_url"), f"sohoa-test-{uuid.uuid4().hex[:8]}")


def search(index, text="", sort="relevance", size=20, **filters):
    return index.search(SearchRequest(text, SearchFilters(**filters), sort, size))


@pytest.fixture(params=["embedded", "elasticsearch"])
def index(request, tmp_path):
    idx = open_index(request.param, request, tmp_path)
    idx.upsert([
        record("HS.1", "Quyết định", "15/QĐ-UBND", "2024-01-17", "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH",
               "Về việc phê duyệt Kế hoạch chuyển đổi số", "hồ sơ lưu trữ điện tử"),
        record("HS.2", "Tờ trình", "213/TTr-SKHĐT", "2024-03-02", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
               "Về việc đầu tư xây dựng trụ sở", "đề nghị phê duyệt dự án 213 hạng mục"),
        record("HS.3", "Công văn", "88/SYT-VP", "2023-11-30", "SỞ Y TẾ",
               "V/v báo cáo số liệu 213 ca bệnh", "TTr 213 trạm y tế", secrecy="MẬT"),
    ])
    yield idx
    idx.close()


def ids(results):
    return [h["doc_id"] for h in results.hits]


@pytest.mark.parametrize("query", ["hồ sơ", "ho so", "HO SO", "Hồ Sơ lưu trữ"])
def test_accents_are_optional(index, query):
    assert ids(search(index, query)) == ["HS.1"]


def test_d_with_stroke_folds_to_d(index):
    assert ids(search(index, "dau tu")) == ["HS.2"]
    assert ids(search(index, "đầu tư")) == ["HS.2"]


def test_number_and_symbol_finds_that_document_first(index):
    # A later document cites the number many times; the document bearing it still comes first.
    index.upsert([record("HS.9", "Báo cáo", "7/BC-UBND", "2024-05-05", "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH",
                         "Báo cáo 213/TTr-SKHĐT", "theo Tờ trình 213/TTr-SKHĐT " * 20)])
    hits = search(index, "213/TTr-SKHĐT")
    assert ids(hits) == ["HS.2", "HS.9"]
    assert ids(search(index, "213/ttr-skhdt"))[0] == "HS.2"
    assert ids(search(index, "213/TTr-SKHDT"))[0] == "HS.2"


def test_filters(index):
    assert ids(search(index, "", type_name="quyet dinh")) == ["HS.1"]
    assert sorted(ids(search(index, "", type_name="02"))) == ["HS.1", "HS.2", "HS.3"]
    assert ids(search(index, "", date_from="2024-01-01")) == ["HS.2", "HS.1"]
    assert ids(search(index, "", date_to="2023-12-31")) == ["HS.3"]
    assert ids(search(index, "", organ="so y te")) == ["HS.3"]
    assert ids(search(index, "213", organ="Sở Kế hoạch")) == ["HS.2"]
    index.upsert([record("HS2.1", "Công văn", "9/UBND-VP", "2024-02-02", "UBND", "Khác")])
    assert ids(search(index, "", sort="dossier", file_code="HS")) == ["HS.1", "HS.2", "HS.3"]
    assert ids(search(index, "", doc_id="HS.2")) == ["HS.2"]


def test_upsert_replaces_instead_of_duplicating(index):
    again = record("HS.1", "Quyết định", "15/QĐ-UBND", "2024-01-17", "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH",
                   "Về việc phê duyệt Kế hoạch chuyển đổi số", "nội dung mới")
    index.upsert([again])
    assert index.count() == 3
    assert ids(search(index, "noi dung moi")) == ["HS.1"]
    assert search(index, "luu tru dien tu").total == 0


def test_delete_dossier(index):
    index.delete_dossier("HS")
    assert index.count() == 0


def test_same_number_symbol_and_organ_in_another_dossier_is_found(index):
    copy = record("HS2.1", "Tờ trình", "213/TTr-SKHĐT", "2024-03-02", "Sở Kế hoạch và Đầu tư", "bản sao", "")
    assert index.same_code(copy) == ["HS.2"]
    assert index.same_code({**copy, "organ_name": "SỞ Y TẾ"}) == []
    assert index.same_code({**copy, "file_code": "HS"}) == []  # its own dossier


def test_secrecy_filter_with_or_without_accents(index):
    assert ids(search(index, "", secrecy="mat")) == ["HS.3"]
    assert ids(search(index, "", secrecy="MẬT")) == ["HS.3"]
    assert ids(search(index, "", secrecy="tối mật")) == []


def test_facets_count_every_match_not_just_the_page(index):
    everything = search(index, "", size=1)
    assert everything.total == 3 and len(everything.hits) == 1
    assert everything.facets["type"] == [("Công văn", 1), ("Quyết định", 1), ("Tờ trình", 1)]
    assert everything.facets["year"] == [("2024", 2), ("2023", 1)]
    assert dict(everything.facets["organ"]) == {"ỦY BAN NHÂN DÂN TỈNH NINH BÌNH": 1, "SỞ KẾ HOẠCH VÀ ĐẦU TƯ": 1,
                                               "SỞ Y TẾ": 1}
    narrowed = search(index, "213")
    assert narrowed.total == 2
    assert narrowed.facets["type"] == [("Công văn", 1), ("Tờ trình", 1)]
    assert narrowed.facets["year"] == [("2023", 1), ("2024", 1)]


def test_sort_orders(index):
    index.upsert([record("HS.10", "Thông báo", "9/TB-UBND", None, "UBND", "Thông báo lịch họp", "ke hoach")])
    assert ids(search(index, "", sort="newest")) == ["HS.2", "HS.1", "HS.3", "HS.10"]  # undated last
    assert ids(search(index, "", sort="oldest")) == ["HS.3", "HS.1", "HS.2", "HS.10"]
    assert ids(search(index, "", sort="dossier")) == ["HS.1", "HS.2", "HS.3", "HS.10"]  # by ordinal, not text
    assert ids(search(index, "")) == ids(search(index, "", sort="newest"))  # no text: relevance is newest


def test_highlights_mark_the_words_in_their_original_spelling(index):
    hit = next(h for h in search(index, "ke hoach").hits if h["doc_id"] == "HS.1")
    subject = next(h for h in hit["highlights"] if h["field"] == "subject")
    assert [subject["text"][a:b] for a, b in subject["marks"]] == ["Kế", "hoạch"]
    page = next(h for h in search(index, "HO SO").hits[0]["highlights"] if h["field"] == "page")
    assert page["page"] == 1
    assert [page["text"][a:b] for a, b in page["marks"]] == ["hồ", "sơ"]
    assert search(index, "").hits[0]["highlights"] == []


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest", "dossier"])
def test_cursor_pages_through_every_hit_once(index, sort):
    index.upsert([record(f"HS.{n}", "Công văn", f"{n}/UBND-VP", f"2024-02-{n % 28 + 1:02d}", "UBND",
                         "Về việc 213", "213") for n in range(4, 30)])
    whole = search(index, "213", sort=sort, size=100)
    assert whole.cursor is None and whole.total == 28
    first = search(index, "213", sort=sort, size=5)
    assert first.cursor and [h["doc_id"] for h in first.hits] == ids(whole)[:5]
    paged = [h["doc_id"] for h in every_hit(index, SearchRequest("213", sort=sort, size=5))]
    assert paged == ids(whole)


def test_a_cursor_only_continues_its_own_search(index):
    cursor = search(index, "", size=1).cursor
    index.search(SearchRequest("", size=1, cursor=cursor))
    with pytest.raises(BadCursor):
        index.search(SearchRequest("", SearchFilters(organ="so y te"), size=1, cursor=cursor))
    with pytest.raises(BadCursor):
        index.search(SearchRequest("", size=1, cursor="not-a-cursor"))


@pytest.mark.parametrize("kind", ["embedded", "elasticsearch"])
def test_paging_goes_past_ten_thousand_hits(kind, request, tmp_path):
    index = open_index(kind, request, tmp_path)
    count = 10_250
    for start in range(0, count, 2000):
        index.upsert([record(f"D{n // 10:05d}.{n % 10 + 1}", "Công văn", f"{n}/UBND-VP",
                             f"20{10 + n % 15}-0{1 + n % 9}-1{n % 10}", "UBND", "Kế hoạch lưu trữ")
                      for n in range(start, min(count, start + 2000))])
    for sort, text in (("newest", ""), ("relevance", "ke hoach")):
        pages = 0
        request_ = SearchRequest(text, sort=sort, size=1000)
        seen = []
        while True:
            results = index.search(request_)
            assert results.total == count
            seen += [h["doc_id"] for h in results.hits]
            pages += 1
            if not results.cursor:
                break
            request_ = SearchRequest(text, sort=sort, size=1000, cursor=results.cursor)
        assert pages == 11 and len(seen) == len(set(seen)) == count
    index.close()


def test_paging_survives_an_expired_point_in_time(es_url):
    index = ElasticsearchSearchIndex(es_url, f"sohoa-test-{uuid.uuid4().hex[:8]}")
    index.upsert([record(f"HS.{n}", "Công văn", f"{n}/UBND-VP", f"2024-03-{n:02d}", "UBND", "Về việc")
                  for n in range(1, 8)])
    first = index.search(SearchRequest("", size=3))
    assert first.cursor
    index.client.close_point_in_time(id=json.loads(base64.urlsafe_b64decode(first.cursor))["pit"])
    second = index.search(SearchRequest("", size=3, cursor=first.cursor))
    assert [h["doc_id"] for h in second.hits] == ["HS.4", "HS.3", "HS.2"]


def test_an_index_from_older_code_is_emptied_for_a_rebuild(tmp_path, es_url):
    old = sqlite3.connect(tmp_path / "index.sqlite")
    old.execute("CREATE TABLE records (doc_id TEXT PRIMARY KEY, record TEXT)")
    old.commit()
    old.close()
    assert SqliteSearchIndex(tmp_path / "index.sqlite").needs_rebuild
    assert not SqliteSearchIndex(tmp_path / "index.sqlite").needs_rebuild
    name = f"sohoa-test-{uuid.uuid4().hex[:8]}"
    Elasticsearch(es_url).indices.create(index=name, mappings={"properties": {"doc_id": {"type": "keyword"}}})
    assert ElasticsearchSearchIndex(es_url, name).needs_rebuild
    assert not ElasticsearchSearchIndex(es_url, name).needs_rebuild
