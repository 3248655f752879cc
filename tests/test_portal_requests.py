"""Reading and copy requests through the API on a real server: routed to the approvers whose unit, clearance
and rank cover the record, answered within working-day deadlines, approved for a number of copies that
the copy register then enforces, and every decision an event in the audit trail."""
import datetime as dt
import json

import pytest

from sohoa.core.errors import ConfigurationError
from sohoa.portal.working_days import add_working_days, days_off

from tests.conftest import run_sohoa
from tests.portal_server import api, fetch

HANOI = dt.timezone(dt.timedelta(hours=7))


def decisions(portal) -> list[dict]:
    listed = run_sohoa(portal["home"], "audit", "events", "--type", "policy assignment", "--json", env=portal["env"])
    return [json.loads(line) for line in listed.stdout.splitlines()]


def queued(portal, approver) -> set[int]:
    status, answer = api(portal, "api/requests/queue", approver)
    assert status == 200
    return {r["id"] for r in answer["requests"]}


def test_a_secret_copy_is_authorised_only_by_rank_and_only_as_many_times_as_approved(portal):
    asked = {"target": "HS-MAT.1", "scope": "copy", "purpose": "Hồ sơ thanh tra", "days": 10, "copies": 2}
    status, filed = api(portal, "api/requests", "giang", method="POST", body=asked)
    assert status == 201 and filed["state"] == "pending" and filed["copies"] == 2
    created, due = dt.datetime.fromisoformat(filed["created"]), dt.datetime.fromisoformat(filed["due"])
    assert dt.timedelta(days=7) <= due - created <= dt.timedelta(days=16)  # 7 working days: restricted access

    assert filed["id"] not in queued(portal, "phe")  # another unit's approver
    assert filed["id"] not in queued(portal, "duyet")  # cleared for Mật, but without the rank to authorise it
    refused = api(portal, f"api/requests/{filed['id']}/decision", "duyet", method="POST",
                  body={"approve": True, "reason": "đồng ý"})
    assert refused[0] == 404
    assert filed["id"] in queued(portal, "truong")
    own = api(portal, "api/requests", "truong", method="POST", body={**asked, "purpose": "Cho chính mình"})[1]
    assert own["id"] not in queued(portal, "truong")  # nobody approves their own request
    too_many = api(portal, f"api/requests/{filed['id']}/decision", "truong", method="POST",
                   body={"approve": True, "reason": "đồng ý", "copies": 3})
    assert too_many[0] == 400
    status, decided = api(portal, f"api/requests/{filed['id']}/decision", "truong", method="POST",
                          body={"approve": True, "reason": "Phục vụ thanh tra", "copies": 1})
    assert status == 200 and decided["state"] == "approved" and decided["grant"]["copies"] == 1

    assert fetch(portal, "api/records/HS-MAT.1/copy.pdf", "giang")[0] == 200
    status, _, second = fetch(portal, "api/records/HS-MAT.1/copy.pdf", "giang")
    assert status == 403 and "every copy" in json.loads(second)["error"]
    event = next(e for e in decisions(portal) if f"request {filed['id']} by giang" in e["detail"])
    assert event["actor"] == "truong" and event["file_code"] == "HS-MAT"
    assert all(said in event["detail"] for said in ("approved until", "copies: 1", "Phục vụ thanh tra"))


def working_days_given(filed: dict) -> int:
    created, due = dt.datetime.fromisoformat(filed["created"]), dt.datetime.fromisoformat(filed["due"])
    return sum(add_working_days(created, n) <= due for n in range(1, 10))


def test_the_deadline_a_requester_sees_tells_nothing_of_records_they_cannot_see(portal):
    asked = {"purpose": "Tra cứu", "days": 5}
    seen = api(portal, "api/requests", "dung", method="POST", body={**asked, "target": "HS-OPEN.1"})[1]
    unknown = api(portal, "api/requests", "dung", method="POST", body={**asked, "target": "HS-NONE.1"})[1]
    secret = api(portal, "api/requests", "dung", method="POST", body={**asked, "target": "HS-OPEN.3"})[1]
    assert working_days_given(seen) == 1  # an open record they see: 1 working day to read
    assert working_days_given(unknown) == working_days_given(secret) == 7


def test_a_request_for_a_dossier_goes_by_its_most_secret_document(portal):
    # HS-OPEN is KH's open dossier, but one of its documents is Mật: KH's approver without clearance never sees it
    status, filed = api(portal, "api/requests", "dung", method="POST",
                        body={"target": "HS-OPEN", "purpose": "Tra cứu hồ sơ", "days": 5})
    assert status == 201
    assert filed["id"] not in queued(portal, "phe")
    status, refused = api(portal, "api/requests", "dung", method="POST", body={"target": "HS-OPEN", "purpose": " "})
    assert status == 400 and refused["error"]
    status, defaulted = api(portal, "api/requests", "dung", method="POST",
                            body={"target": "HS-OPEN", "purpose": "Tra cứu", "days": None, "copies": None})
    assert status == 201 and defaulted["days"] == 30  # null is the default, never a crash
    status, _ = api(portal, f"api/requests/{defaulted['id']}/decision", "phe", method="POST",
                    body={"approve": True, "reason": None})
    assert status == 400  # null is no reason, not the reason "None"


def test_a_refusal_gives_no_access_and_is_in_the_audit_trail_with_its_reason(portal):
    status, filed = api(portal, "api/requests", "em", method="POST",
                        body={"target": "HS-KH.1", "purpose": "Xem kế hoạch", "days": 3})
    status, decided = api(portal, f"api/requests/{filed['id']}/decision", "phe", method="POST",
                          body={"approve": False, "reason": "Ngoài phạm vi công việc"})
    assert status == 200 and decided["state"] == "refused" and decided["grant"] is None
    assert api(portal, "api/records/HS-KH.1", "em")[0] == 404
    event = next(e for e in decisions(portal) if f"request {filed['id']} by em" in e["detail"])
    assert event["actor"] == "phe" and "refused" in event["detail"] and "Ngoài phạm vi công việc" in event["detail"]
    mine = api(portal, "api/requests", "em")[1]["requests"]
    assert mine[0]["id"] == filed["id"] and mine[0]["reason"] == "Ngoài phạm vi công việc"


def test_deadlines_skip_weekends_public_holidays_and_the_agencys_days_off():
    filed = dt.datetime(2027, 2, 3, 10, 0, tzinfo=HANOI)  # the Wednesday before Tết Đinh Mùi (6 February 2027)
    assert add_working_days(filed, 1) == dt.datetime(2027, 2, 11, 10, 0, tzinfo=HANOI)  # 4-10 February off
    assert add_working_days(filed, 1, days_off("2027-02-11, 2027-02-12")) == dt.datetime(2027, 2, 15, 10, 0,
                                                                                        tzinfo=HANOI)
    friday = dt.datetime(2026, 4, 24, 9, 0, tzinfo=HANOI)  # Hùng Kings' day (a lunar date) falls on Sunday 26
    assert add_working_days(friday, 1) == dt.datetime(2026, 4, 28, 9, 0, tzinfo=HANOI)  # Monday 27 is off in lieu
    with pytest.raises(ConfigurationError, match="SOHOA_DAYS_OFF"):
        days_off("2027-02-30")
