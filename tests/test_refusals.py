"""What users type wrong, and what a batch brings that cannot be taken as it is: refused with a reason
and an exit status, never a traceback, never a silent wrong answer."""
import base64
import os
import stat

import pytest
from PIL import Image

from sohoa.archive.index import SqliteSearchIndex
from sohoa.archive.search import SearchFilters, SearchRequest, decode_cursor, encode_cursor
from sohoa.core.errors import BadCursor, UsageError
from sohoa.core.model import DossierSource, Rejection
from sohoa.pipeline.batch import refuse_bad_names
from sohoa.pipeline.intake import read_dossier

from tests.conftest import run_sohoa


@pytest.mark.parametrize("args, expected", [
    (["--from", "2024-13-45"], "--from '2024-13-45': not a date"),
    (["--to", "2024"], "--to '2024': not a date"),
    (["--organ", "%"], "--organ '%' has no words"),
    (["ke AND hoach"], "search operators are not supported (AND)"),
    (['"ke hoach"'], 'search operators are not supported (")'),
    (["hoach*"], "search operators are not supported (hoach*)"),
    (["( )"], "has no searchable words"),
    (["--", "-ke"], "search operators are not supported (-ke)"),
    (["[/]"], "the query '[/]' has no searchable words"),
    (["\u0300\u0301"], "has no searchable words"),
    (["ke", "--after", base64.urlsafe_b64encode(b'{"q":"x","after":{"a":1}}').decode()], "the cursor is damaged"),
])
def test_a_malformed_search_is_refused_with_status_2(home, args, expected):
    done = run_sohoa(home, "search", *args)
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr and "Traceback" not in done.stderr


def test_a_cursor_with_a_number_no_index_can_hold_is_refused():
    cursor = encode_cursor(SearchRequest("ke hoach"), [10 ** 23, "x"])
    with pytest.raises(BadCursor):
        decode_cursor(SearchRequest("ke hoach", cursor=cursor))


def test_dates_are_taken_in_either_vietnamese_or_iso_form():
    request = SearchRequest("", SearchFilters(date_from="01/06/2024", date_to="2024-06-30"))
    assert (request.filters.date_from, request.filters.date_to) == ("2024-06-01", "2024-06-30")
    with pytest.raises(UsageError):
        SearchRequest("", SearchFilters(date_from="31/02/2024"))


def test_like_wildcards_in_an_organ_filter_are_letters_not_patterns(tmp_path):
    index = SqliteSearchIndex(tmp_path / "index.sqlite")
    index.upsert([{"doc_id": "D1", "file_code": "HS", "organ_name": "Sở Y tế", "pages": []}])
    assert index.search(SearchRequest("", SearchFilters(organ="y te"))).total == 1
    assert index.search(SearchRequest("", SearchFilters(organ="y_te"))).total == 0
    index.close()


def test_audit_events_refuse_a_limit_and_dates_they_cannot_use(home):
    for args in (["--limit", "1e20"], ["--limit", "0"], ["--from", "2024-02-30"]):
        done = run_sohoa(home, "audit", "events", *args)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr


def scanned_folder(path):
    path.mkdir()
    Image.new("RGB", (827, 1169), "white").save(path / "p1.png", dpi=(100, 100))
    return path


def test_a_dossier_name_with_control_characters_is_refused(tmp_path):
    bad = scanned_folder(tmp_path / "HS\x1b[2J-01")
    good = scanned_folder(tmp_path / "HS-02")
    kept, refused = refuse_bad_names([bad, good], tmp_path)
    assert kept == [good] and "control or invisible characters" in refused[0].reason


def test_names_that_are_one_name_in_nfc_are_reported_not_merged(tmp_path):
    composed = scanned_folder(tmp_path / "HS-Hu\u1ebf")  # "Huế" as one character for ế
    decomposed = scanned_folder(tmp_path / "HS-Hue\u0302\u0301")  # the same, as e and two marks
    kept, refused = refuse_bad_names([composed, decomposed], tmp_path)
    assert kept == [composed] and "the same as" in refused[0].reason and "NFC" in refused[0].reason
    source = read_dossier(composed, 100_000_000)
    assert isinstance(source, DossierSource) and source.file_code == "HS-Hu\u1ebf"


def test_links_that_leave_the_batch_folder_are_refused(tmp_path):
    batch, outside = tmp_path / "batch", scanned_folder(tmp_path / "elsewhere")
    batch.mkdir()
    (batch / "HS-LINK").symlink_to(outside)
    kept, refused = refuse_bad_names([batch / "HS-LINK"], batch)
    assert kept == [] and "outside the batch folder" in refused[0].reason
    inner = batch / "HS-INNER"
    inner.mkdir()
    (inner / "p1.png").symlink_to(outside / "p1.png")
    rejected = read_dossier(inner, 100_000_000)
    assert isinstance(rejected, Rejection) and "outside the batch folder" in rejected.reason


def test_what_sohoa_writes_under_its_home_is_for_its_account_alone(home):
    run_sohoa(home, "reindex")
    for path in (home / "index.sqlite", home / "objects"):
        assert not stat.S_IMODE(os.stat(path).st_mode) & 0o077, path
