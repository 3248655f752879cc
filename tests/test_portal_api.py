"""The portal's JSON API on a real server (`sohoa serve`) with its tables in a real PostgreSQL: token
sign-in, access control inside every answer, time-limited grants, and every reading and refusal in the
audit trail under the account that asked."""
import datetime as dt
import json
import re
import subprocess
import time

import pikepdf
from openapi_spec_validator import validate

from tests.conftest import run_sohoa
from tests.portal_server import SECRET_WORD, api, fetch, grant


def access_events(portal) -> list[dict]:
    listed = run_sohoa(portal["home"], "audit", "events", "--type", "access", "--json", env=portal["env"])
    return [json.loads(line) for line in listed.stdout.splitlines()]


def test_without_a_valid_token_nothing_is_answered(portal):
    assert api(portal, "api/search?q=ke+hoach")[0] == 401
    assert api(portal, "api/search?q=ke+hoach", token="not-a-token")[0] == 401
    assert api(portal, "api/records/HS-OPEN.1", token="not-a-token")[0] == 401


def test_an_officer_without_clearance_sees_no_trace_of_the_secret_record(portal):
    status, page = api(portal, "api/search?q=ke+hoach", "an")
    assert status == 200
    assert [h["doc_id"] for h in page["hits"]] == ["HS-OPEN.1"]  # not the secret one, not another unit's
    assert page["total"] == 1 and all(b["count"] == 1 for buckets in page["facets"].values() for b in buckets)
    assert api(portal, f"api/search?q={SECRET_WORD}", "an")[1]["total"] == 0
    assert SECRET_WORD not in json.dumps(page)
    refused, unknown = api(portal, "api/records/HS-MAT.1", "an"), api(portal, "api/records/HS-NONE.1", "an")
    assert refused[0] == unknown[0] == 404
    assert refused[1]["error"].replace("HS-MAT.1", "X") == unknown[1]["error"].replace("HS-NONE.1", "X")
    denied = [e for e in access_events(portal) if e["actor"] == "an" and "HS-MAT.1" in e["detail"]]
    assert denied and denied[0]["outcome"] == "failure" and not denied[0]["file_code"]


def test_a_cleared_officer_of_the_owning_unit_reads_the_secret_record_and_the_reading_is_logged(portal):
    status, found = api(portal, "api/records/HS-MAT.1", "binh")
    assert status == 200 and found["secrecy"] == "MẬT" and SECRET_WORD in found["pages"][0]["text"]
    read = [e for e in access_events(portal) if e["actor"] == "binh" and "HS-MAT.1" in e["detail"]]
    pdf = found["pdf"]
    assert read and read[0]["outcome"] == "success" and read[0]["objects"] == [[pdf["key"], pdf["sha256"]]]
    assert api(portal, "api/records/HS-KH.1", "binh")[0] == 404  # another unit's conditional record
    assert api(portal, "api/records/HS-MAT.1", "chi")[0] == 404  # cleared, but VP's restricted dossier


def test_a_grant_opens_another_units_record_until_it_expires(portal):
    assert api(portal, "api/records/HS-KH.1", "an")[0] == 404
    expires = grant(portal, "an", "HS-KH", "read", seconds=4)
    assert api(portal, "api/records/HS-KH.1", "an")[0] == 200
    assert "HS-KH.1" in [h["doc_id"] for h in api(portal, "api/search?q=ke+hoach", "an")[1]["hits"]]
    time.sleep(max(0.0, (expires - dt.datetime.now(dt.timezone.utc)).total_seconds()) + 0.5)
    assert api(portal, "api/records/HS-KH.1", "an")[0] == 404
    assert api(portal, "api/search?q=ke+hoach", "an")[1]["total"] == 1


def test_api_search_answers_what_the_command_line_prints_for_that_user(portal):
    for login in ("an", "binh", "chi"):
        status, page = api(portal, "api/search?q=ke+hoach&sort=newest&limit=2", login)
        printed = run_sohoa(portal["home"], "search", "ke hoach", "--sort", "newest", "--limit", "2", "--json",
                            "--user", login, env=portal["env"])
        assert status == 200 and printed.returncode == 0, printed.stderr
        assert page == json.loads(printed.stdout), login


def test_a_bad_query_is_a_clear_400(portal):
    status, answer = api(portal, "api/search?sort=sideways", "an")
    assert status == 400 and "unknown sort" in answer["error"]
    assert api(portal, "api/search?limit=many", "an") == (400, {"error": "limit must be a whole number, not 'many'"})


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "copy.pdf"
    path.write_bytes(data)
    pikepdf.open(path).close()  # a valid PDF
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_download_is_a_copy_stamped_for_its_user_whose_text_still_reads(portal, tmp_path):
    status, kind, data = fetch(portal, "api/records/HS-OPEN.1/copy.pdf", "an")
    assert status == 200 and kind == "application/pdf"
    text = pdf_text(data, tmp_path)
    assert "kế hoạch chuyển đổi số" in text  # the record's own text layer
    assert re.search(r"Bản sao số \d+/\d{4} cấp cho an \(VP\)", text) and "BẢN SAO" not in text
    number = re.search(r"Bản sao số (\d+/\d{4})", text).group(1)
    made = [e for e in access_events(portal) if e["actor"] == "an" and f"copy {number}" in e["detail"]]
    assert made and made[0]["file_code"] == "HS-OPEN" and made[0]["outcome"] == "success"


def test_printing_is_a_copy_too_entered_and_logged_as_printed(portal, tmp_path):
    status, kind, data = fetch(portal, "records/HS-OPEN.1/print.pdf", "an")
    assert status == 200 and kind == "application/pdf"
    number = re.search(r"Bản sao số (\d+/\d{4}) cấp cho an", pdf_text(data, tmp_path)).group(1)
    assert any(e["actor"] == "an" and e["detail"] == f"HS-OPEN.1: copy {number} printed for an"
               for e in access_events(portal))
    assert fetch(portal, "records/HS-MAT.1/print.pdf", "dung")[0] == 404


def test_a_secret_record_is_copied_only_under_an_approved_copy_request_and_marked_as_a_copy(portal, tmp_path):
    assert fetch(portal, "api/records/HS-MAT.1/copy.pdf", "an")[0] == 404  # not even seen
    status, _, refused = fetch(portal, "api/records/HS-MAT.1/copy.pdf", "binh")
    assert status == 403 and "copy request" in json.loads(refused)["error"]
    assert any(e["actor"] == "binh" and e["outcome"] == "failure" and "copy request" in e["detail"]
               for e in access_events(portal))
    grant(portal, "binh", "HS-MAT.1", "copy", seconds=600)
    status, _, data = fetch(portal, "api/records/HS-MAT.1/copy.pdf", "binh")
    assert status == 200
    text = pdf_text(data, tmp_path)
    assert "BẢN SAO" in text and SECRET_WORD in text and "theo yêu cầu số" in text


def test_the_api_is_described_in_openapi_with_every_path_it_serves(portal):
    status, described = api(portal, "api/openapi.json")
    assert status == 200
    validate(described)
    assert set(described["paths"]) == {"/api/search", "/api/records/{doc_id}", "/api/records/{doc_id}/copy.pdf",
                                       "/api/records/{doc_id}/corrections", "/api/records/{doc_id}/versions",
                                       "/api/dossiers/{file_code}", "/api/dossiers/{file_code}/structure",
                                       "/api/requests", "/api/requests/queue", "/api/requests/{request_id}/decision"}
    for path, methods in described["paths"].items():  # each one answers, here refusing a caller without a token
        for method in methods:
            url = path.replace("{doc_id}", "HS-OPEN.1").replace("{request_id}", "1").replace("{file_code}", "HS-OPEN")
            assert api(portal, url, method=method.upper(), body={} if method == "post" else None)[0] == 401
