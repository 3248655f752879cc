"""The portal's JSON API on a real server (`sohoa serve`) with its tables in a real PostgreSQL: token
sign-in, access control inside every answer, time-limited grants, and every reading and refusal in the
audit trail under the account that asked."""
import datetime as dt
import json
import subprocess
import sys
import time

from tests.conftest import run_sohoa, sohoa_env
from tests.portal_server import SECRET_WORD, api


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
    assert read and read[0]["outcome"] == "success" and read[0]["objects"] == [["dossiers/HS-MAT.1.pdf", "0" * 64]]
    assert api(portal, "api/records/HS-KH.1", "binh")[0] == 404  # another unit's conditional record
    assert api(portal, "api/records/HS-MAT.1", "chi")[0] == 404  # cleared, but VP's restricted dossier


def test_a_grant_opens_another_units_record_until_it_expires(portal):
    assert api(portal, "api/records/HS-KH.1", "an")[0] == 404
    expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=4)
    granted = subprocess.run(
        [sys.executable, "-c", "from sohoa.portal.setup import start_django; start_django()\n"
         "import datetime as dt, sys\nfrom sohoa.portal.models import Grant, User\n"
         "Grant.objects.create(user=User.objects.get(username='an'), target='HS-KH', scope='read',"
         f" reason='test', expires=dt.datetime.fromisoformat({expires.isoformat()!r}))"],
        capture_output=True, text=True, env={**sohoa_env(portal["home"]), **portal["env"]}, timeout=120)
    assert granted.returncode == 0, granted.stderr
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
