"""The review workstation on a real archive (the ingested batch), a real portal with its tables in PostgreSQL
and Debian's Chromium: a flagged number settled by keyboard, corrections through the API as new versions of
the AIP (eark-validator, veraPDF and `sohoa verify` on them, the old version still there, the event naming the
change), and nobody but an archivist reaching any of it."""
import json
import shutil
import subprocess
import time

import pytest
from playwright.sync_api import Page, sync_playwright

from sohoa.archive.store import sha256_hex
from sohoa.core.errors import CorrectionRefused, DamagedArchive, DisposalRefused
from sohoa.core.keys import manifest_key, version_manifest_key
from sohoa.core.settings import Settings
from sohoa.pipeline.backends import open_backends
from sohoa.pipeline.corrections import Correction, correct_record
from sohoa.pipeline.disposal import request_disposal
from sohoa.pipeline.restructure import Restructure, restructure_dossier

from tests.conftest import export_records, run_sohoa, sohoa_env, store_and_audit_log
from tests.eark import errors, validate
from tests.portal_server import PASSWORD, api, fetch, new_database, serve
from tests.test_portal_pages import CHROMIUM, screenshot, sign_in

pytestmark = pytest.mark.slow
ACCOUNTS = (("lan", "archivist"), ("an", "officer"))


@pytest.fixture(scope="module")
def review(ingested, tmp_path_factory, database_server):
    """A copy of the ingested archive served by the portal, with an archivist (lan) and an officer (an)."""
    home = tmp_path_factory.mktemp("review") / "home"
    shutil.copytree(ingested[0], home, ignore=shutil.ignore_patterns("prefect"))
    env = {"SOHOA_DATABASE_URL": new_database(database_server)}
    tokens = {}
    for login, role in ACCOUNTS:
        added = run_sohoa(home, "user", "add", login, "--role", role, "--clearance", "none", "--unit", "VT",
                          env=env, input=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
        tokens[login] = run_sohoa(home, "user", "token", login, env=env).stdout.strip()
    server, url, said = serve(home, env)
    visible = api({"url": url, "tokens": tokens}, "api/search?sort=dossier&limit=100", "lan")[1]["hits"]
    yield {"url": url, "home": home, "env": env, "tokens": tokens, "said": said, "records": visible}
    server.terminate()
    server.wait(timeout=30)


def corrected(review, doc_id: str, body: dict, login: str = "lan") -> tuple[int, dict]:
    return api(review, f"api/records/{doc_id}/corrections", login, method="POST", body=body)


def versions(review, doc_id: str) -> list[dict]:
    status, listed = api(review, f"api/records/{doc_id}/versions", "lan")
    assert status == 200, listed
    return listed["versions"]


def indexed(review, doc_id: str, field: str, value, timeout: float = 30) -> dict:
    """The record as search serves it, once the background indexing has caught up with a correction."""
    deadline = time.monotonic() + timeout
    while True:
        hit = api(review, f"api/records/{doc_id}", "lan")[1]
        if hit.get(field) == value or time.monotonic() > deadline:
            return hit
        time.sleep(0.2)


def test_only_an_archivist_reaches_the_review_queue_and_corrects(review):
    doc_id = review["records"][0]["doc_id"]
    assert fetch(review, "review", "an")[0] == 403
    assert fetch(review, f"review/{doc_id}", "an")[0] == 403
    status, refused = corrected(review, doc_id, {"fields": {"subject": "x"}, "reason": "thử"}, "an")
    assert status == 403 and "archivist" in refused["error"]
    assert len(versions(review, doc_id)) == 1  # nothing was written
    assert fetch(review, "review", "lan")[0] == 200
    status, refused = corrected(review, doc_id, {"fields": {"issued_date": "17/01/2024"}, "reason": "thử"})
    assert status == 400 and "YYYY-MM-DD" in refused["error"]
    status, refused = corrected(review, doc_id, {"fields": {"colour": "đỏ"}, "reason": "thử"})
    assert status == 400 and "colour cannot be corrected" in refused["error"]
    assert corrected(review, doc_id, {"fields": {"subject": "x"}, "reason": " "})[0] == 400
    assert corrected(review, "HS-NONE.1", {"fields": {"subject": "x"}, "reason": "thử"})[0] == 404
    status, refused = corrected(review, doc_id, {"page_classes": {"999": "blank"}, "reason": "thử"})
    assert status == 400 and f"page 999 is not a page of {doc_id}" in refused["error"]
    status, refused = corrected(review, doc_id, {"fields": {"record_kind": "poster"}, "reason": "thử"})
    assert status == 400 and "record_kind 'poster' is none of" in refused["error"]
    assert len(versions(review, doc_id)) == 1


def test_a_flagged_number_is_settled_by_keyboard_and_the_next_record_opens_at_once(review, tmp_path):
    unflagged = [r["doc_id"] for r in review["records"] if not r["needs_review"]]
    first, second = unflagged[0], unflagged[1]
    for doc_id in (first, second):
        status, flagged = corrected(review, doc_id, {"reason": "code_number mờ, cần đối chiếu", "needs_review": True})
        assert status == 200 and flagged["needs_review"], flagged
    indexed(review, second, "needs_review", True)
    queue = [r["doc_id"] for r in review["records"] if r["needs_review"] or r["doc_id"] in (first, second)]
    after_first = (queue[queue.index(first) + 1:] + queue[:queue.index(first)])[0]
    after_that = next((d for d in queue[queue.index(after_first) + 1:] + queue[:queue.index(after_first)]
                       if d not in (first, after_first)), None)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page: Page = browser.new_context(base_url=review["url"], locale="vi-VN",
                                          viewport={"width": 1280, "height": 860}).new_page()
        sign_in(page, "lan")
        page.get_by_role("link", name="Kiểm tra").click()
        assert f"{len(queue)} văn bản cần kiểm tra" in page.locator(".summary").inner_text()
        screenshot(page, "review-queue")
        page.get_by_role("link", name=first).click()
        assert page.locator("h1").inner_text() == first
        page.locator("#viewer .textLayer .highlight").first.wait_for()  # where the values were read, marked
        screenshot(page, "review")
        assert page.evaluate("document.activeElement.name") == "code_number"  # the field the reason names
        started = time.monotonic()
        page.keyboard.type("4321")  # replaces the selected value
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == after_first
        page.locator("#viewer-container[data-ready]").wait_for(state="attached")
        settled = time.monotonic() - started
        saved_first = page.locator(".messages").inner_text()
        page.keyboard.press("Tab")  # from the focused field to the next, and Enter settles the record as read
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert f"Đã lưu {after_first}" in page.locator(".messages").inner_text()
        assert page.locator("h1").inner_text() == (after_that or "Văn bản cần kiểm tra")
        browser.close()
    print(f"settled by keyboard in {settled:.2f} s, page load and save included")
    history = versions(review, first)  # versions of the dossier, so a neighbour's correction takes a number too
    assert len(history) == 3 and history[0]["version"] == 1 and history[-1]["current"]
    assert f"Đã lưu {first} (phiên bản {history[-1]['version']})" in saved_first
    assert history[-1]["fields"]["code_number"] == "4321" and history[-1]["by"] == "lan"
    assert [v["needs_review"] for v in history] == [False, True, False]
    assert indexed(review, first, "code_number", "4321")["code_number"] == "4321"
    assert versions(review, after_first)[-1]["needs_review"] is False


def test_the_readings_of_a_field_read_several_ways_are_offered_to_pick_from(review):
    record = next(r for r in review["records"] if r.get("readings"))  # the batch has pen-written numbers and days
    field, readings = next(iter(record["readings"].items()))
    values = list(dict.fromkeys(r["value"] for r in readings))
    assert len(values) > 1, readings
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page: Page = browser.new_context(base_url=review["url"], locale="vi-VN").new_page()
        sign_in(page, "lan")
        page.goto(f"/review/{record['doc_id']}")
        offered = page.locator(f"button.reading[data-field='f-{field}']")
        assert [b.get_attribute("data-value") for b in offered.all()] == values
        assert all("(" in b.inner_text() for b in offered.all())  # each with the readers that gave it
        offered.last.click()
        assert page.locator(f"#f-{field}").input_value() == values[-1]
        assert page.evaluate("document.activeElement.id") == f"f-{field}"
        browser.close()


def test_sampling_qa_estimates_the_silent_errors_of_a_batch_and_sends_a_wrong_record_to_review(review):
    batch = review["records"][0]["batch"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page: Page = browser.new_context(base_url=review["url"], locale="vi-VN",
                                          viewport={"width": 1280, "height": 860}).new_page()
        sign_in(page, "lan")
        page.goto(f"/review/batches/{batch}")
        assert page.locator("#estimate").inner_text() == "chưa chấm mẫu nào"
        page.get_by_label("Số văn bản lấy ngẫu nhiên").fill("3")
        page.get_by_role("button", name="Lấy mẫu").click()
        judged = []
        for verdict in ("right", "right", "wrong"):
            judged.append(page.locator("h1").inner_text())
            page.locator("#viewer-container[data-ready]").wait_for(state="attached")
            with page.expect_navigation():
                if verdict == "right":
                    page.keyboard.press("Enter")  # the focused button: right
                else:  # a note says what is wrong: Enter then judges the record wrong
                    page.get_by_label("Sai ở đâu").fill("ngày ban hành sai")
                    page.get_by_label("Sai ở đâu").press("Enter")
        assert "Đã chấm xong mẫu số" in page.locator(".messages").inner_text()
        assert page.locator("#estimate").inner_text() == \
            "1 sai trong 3 văn bản đã chấm: 33,3%, khoảng tin cậy 95% 6,1–79,2%"  # Vietnamese decimal commas
        screenshot(page, "batch-report")
        browser.close()
    assert len(set(judged)) == 3
    wrong = versions(review, judged[-1])[-1]
    assert wrong["needs_review"] and "sampling QA of batch" in wrong["review_reasons"][-1]
    assert all(versions(review, doc_id)[-1]["needs_review"] is False for doc_id in judged[:2])


def test_a_correction_is_a_new_version_that_validates_verifies_and_keeps_the_old_one(review, tmp_path):
    record = review["records"][-1]
    doc_id, file_code, old_subject = record["doc_id"], record["file_code"], record["subject"]
    new_subject = "Về việc chỉnh lý tài liệu lưu trữ năm 2024"
    status, new = corrected(review, doc_id, {"fields": {"subject": new_subject}, "reason": "trích yếu đọc sai"})
    assert status == 200, new
    assert new["subject"] == new_subject and new["confidence"]["subject"] == 1.0
    assert new["pdfa"]["valid"] is True and new["pdfa"]["validator"].startswith("veraPDF"), new["pdfa"]
    version = new["version"]
    assert new["pdf"]["key"] == f"dossiers/{file_code}/versions/v{version}/aip/representations/rep1/data/{doc_id}.pdf"
    # search serves the current version (indexed in the background), and finds it by the corrected words
    assert indexed(review, doc_id, "subject", new_subject)["subject"] == new_subject
    status, found = api(review, "api/search?q=chinh+ly+tai+lieu+luu+tru", "lan")
    assert doc_id in [h["doc_id"] for h in found["hits"]]
    # the text layer of the new PDF/A says it too
    home = review["home"]
    pdf = home / "objects" / new["pdf"]["key"]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert " ".join(new_subject.split()[-4:]) in " ".join(text.split())
    # each version a whole E-ARK AIP; the first one still as ingested
    current = run_sohoa(home, "aip", "export", file_code, str(tmp_path / "current"), env=review["env"])
    first = run_sohoa(home, "aip", "export", file_code, str(tmp_path / "first"), "--version", "1", env=review["env"])
    assert current.returncode == first.returncode == 0, current.stderr + first.stderr
    for report in validate(tmp_path / "current" / file_code, tmp_path / "first" / file_code):
        assert errors(report, "AIP") == [], report["package"]
    current_ead = (tmp_path / "current" / file_code / "representations/rep1/metadata/descriptive").glob("*.xml")
    assert any(new_subject in p.read_text(encoding="utf-8") for p in current_ead)
    first_ead = (tmp_path / "first" / file_code / "representations/rep1/metadata/descriptive").glob("*.xml")
    assert any(old_subject in p.read_text(encoding="utf-8") for p in first_ead)
    mets = (tmp_path / "current" / file_code / "METS.xml").read_text(encoding="utf-8")
    assert f'OBJID="{file_code}"' in mets and 'RECORDSTATUS="REVISED"' in mets
    premis = (tmp_path / "current" / file_code / "metadata/preservation/PREMIS.xml").read_text(encoding="utf-8")
    assert "ingestion" in premis and "metadata modification" in premis  # the whole history, and the change
    # the event names the user, the field, the old and the new value and the reason, and commits the version
    listed = run_sohoa(home, "audit", "events", "--dossier", file_code, "--type", "metadata modification", "--json",
                       env=review["env"])
    event, = [e for e in map(json.loads, listed.stdout.splitlines()) if "trích yếu đọc sai" in e["detail"]]
    assert event["actor"] == "lan" and doc_id in event["detail"]
    assert f"subject: {json.dumps(old_subject, ensure_ascii=False)} → " in event["detail"]
    assert [version_manifest_key(file_code, version)] == [k for k, _ in event["objects"] if k.endswith("manifest.json")]
    status, described = api(review, f"api/dossiers/{file_code}", "lan", method="POST", body={
        "fields": {"title": "Hồ sơ chỉnh lý tài liệu năm 2024", "start_date": "2024-01-02"}, "reason": "theo bìa"})
    assert status == 200 and described["fields"]["title"] == "Hồ sơ chỉnh lý tài liệu năm 2024", described
    status, refused = api(review, f"api/dossiers/{file_code}", "lan", method="POST",
                          body={"fields": {"retention": "06"}, "reason": "x"})
    assert status == 400 and "retention cannot be corrected" in refused["error"]
    assert run_sohoa(home, "aip", "export", file_code, str(tmp_path / "titled"), env=review["env"]).returncode == 0
    ead = (tmp_path / "titled" / file_code / "metadata/descriptive/EAD.xml").read_text(encoding="utf-8")
    assert "<unittitle>Hồ sơ chỉnh lý tài liệu năm 2024</unittitle>" in ead and 'normal="2024-01-02/' in ead
    last_page = new["pages"][-1]
    other = "appendix" if last_page["page_class"] != "appendix" else "continuation"
    status, marked = corrected(review, doc_id, {"page_classes": {str(last_page["number"]): other}, "reason": "phụ lục"})
    assert status == 200 and marked["pages"][-1]["page_class"] == other and marked["version"] > version
    checked = run_sohoa(home, "verify", env=review["env"])
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_document_is_split_in_the_browser_and_merged_back_through_the_api(review, tmp_path):
    record = next(r for r in review["records"] if r["page_amount"] >= 2)
    doc_id, file_code = record["doc_id"], record["file_code"]
    pages = [p["number"] for p in record["pages"]]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page: Page = browser.new_context(base_url=review["url"], locale="vi-VN",
                                          viewport={"width": 1280, "height": 860}).new_page()
        sign_in(page, "lan")
        page.goto(f"/review/{doc_id}")
        page.get_by_label("Tách thành văn bản mới từ trang").select_option(str(pages[1]))
        with page.expect_navigation():
            page.get_by_role("button", name="Tách", exact=True).click()
        assert f"Đã sửa cấu trúc hồ sơ {file_code}" in page.locator(".messages").inner_text()
        new_id = page.locator("h1").inner_text()  # the document split off opens next, for its fields
        assert new_id.startswith(file_code + ".") and new_id != doc_id
        assert f"split off {doc_id} by lan" in page.locator("ul.review").inner_text()
        browser.close()
    split = indexed(review, new_id, "doc_id", new_id)
    assert [p["number"] for p in split["pages"]] == pages[1:] and split["needs_review"]
    assert split["pdfa"]["valid"] is True and split["pdfa"]["validator"].startswith("veraPDF")
    assert versions(review, doc_id)[-1]["pdf"]["key"].startswith(f"dossiers/{file_code}/versions/")
    home = review["home"]
    exported = run_sohoa(home, "aip", "export", file_code, str(tmp_path / "split"), env=review["env"])
    assert exported.returncode == 0, exported.stderr
    report, = validate(tmp_path / "split" / file_code)
    assert errors(report, "AIP") == []
    assert run_sohoa(home, "verify", env=review["env"]).returncode == 0
    status, dossier = api(review, "api/search?sort=dossier&limit=100", "lan")
    structure = [{"doc_id": r["doc_id"], "pages": [p["number"] for p in r["pages"]]}
                 for r in dossier["hits"] if r["file_code"] == file_code and r["doc_id"] != new_id]
    for document in structure:
        if document["doc_id"] == doc_id:
            document["pages"] = pages
    status, merged = api(review, f"api/dossiers/{file_code}/structure", "lan", method="POST",
                         body={"documents": structure, "reason": "tách nhầm"})
    assert status == 200, merged
    assert new_id not in [r["doc_id"] for r in merged["documents"]]
    deadline = time.monotonic() + 30
    while api(review, f"api/records/{new_id}", "lan")[0] != 404 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert api(review, f"api/records/{new_id}", "lan")[0] == 404  # merged away: no longer served
    assert [p["number"] for p in indexed(review, doc_id, "page_amount", len(pages))["pages"]] == pages
    status, refused = api(review, f"api/dossiers/{file_code}/structure", "lan", method="POST",
                          body={"documents": structure[:1], "reason": "thiếu trang"})
    assert status == 400 and "every page of the dossier must be in exactly one document" in refused["error"]
    assert run_sohoa(home, "verify", env=review["env"]).returncode == 0


@pytest.fixture
def archive(ingested, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(ingested[0], home, ignore=shutil.ignore_patterns("prefect"))
    return home


def correct(home, doc_id: str, fields: dict, **kwargs) -> dict:
    settings = Settings.from_env(sohoa_env(home))
    with open_backends(settings) as backends:
        record = correct_record(backends, settings, Correction(doc_id, fields, "thử", "lan", **kwargs))
        backends.index.upsert([record])
        return record


def verify_problems(home) -> list[dict]:
    done = run_sohoa(home, "verify", "--json", str(home / "v.json"))
    return json.loads((home / "v.json").read_text())["problems"] if done.returncode else []


def test_a_deleted_or_edited_version_is_named_and_search_falls_back_to_the_chain(archive):
    records = export_records(archive)
    doc_id, file_code = records[0]["doc_id"], records[0]["file_code"]
    correct(archive, doc_id, {"signer_name": "Nguyễn Văn A"})
    correct(archive, doc_id, {"signer_name": "Nguyễn Văn B"})
    assert verify_problems(archive) == []
    v2 = archive / "objects" / version_manifest_key(file_code, 2)
    v2.chmod(0o644)
    v2.write_text(v2.read_text().replace('"page_count"', '"page_count" ', 1))  # same fields, other bytes
    problems = {(p["kind"], p["key"]) for p in verify_problems(archive)}
    assert ("checksum mismatch", version_manifest_key(file_code, 2)) in problems
    assert ("version outside the chain", version_manifest_key(file_code, 3)) in problems
    exported = run_sohoa(archive, "export", "--format", "jsonl", "--dossier", file_code).stdout
    assert "Nguyễn Văn B" not in exported  # v3 follows a manifest that is no longer the one it named
    store, _ = store_and_audit_log(archive)
    store.delete(version_manifest_key(file_code, 3))
    problems = {(p["kind"], p["key"]) for p in verify_problems(archive)}
    assert ("missing version", version_manifest_key(file_code, 3)) in problems


def test_a_dossier_being_changed_is_not_corrected_at_the_same_time(archive):
    records = export_records(archive)
    doc_id, file_code = records[0]["doc_id"], records[0]["file_code"]
    settings = Settings.from_env(sohoa_env(archive))
    with open_backends(settings) as holder, open_backends(settings) as other:
        assert holder.locks.acquire(file_code) is None
        with pytest.raises(CorrectionRefused, match=f"dossier {file_code} is being changed by"):
            correct_record(other, settings, Correction(doc_id, {"subject": "x"}, "thử", "lan"))
        holder.locks.release(file_code)
        assert correct_record(other, settings, Correction(doc_id, {"subject": "x"}, "thử", "lan"))["version"] == 2


def test_pages_split_off_a_secret_record_stay_secret_and_a_correction_never_lowers_secrecy(archive):
    records = export_records(archive)
    record = next(r for r in records if r["page_amount"] >= 2)
    correct(archive, record["doc_id"], {"secrecy": "Mật"})
    settings = Settings.from_env(sohoa_env(archive))
    dossier = [r for r in records if r["file_code"] == record["file_code"]]
    structure = []
    for r in dossier:
        numbers = [p["number"] for p in r["pages"]]
        structure += [(r["doc_id"], numbers[:1]), (None, numbers[1:])] if r["doc_id"] == record["doc_id"] \
            else [(r["doc_id"], numbers)]
    with open_backends(settings) as backends:
        changed = restructure_dossier(backends, settings, Restructure(record["file_code"], structure, "tách", "lan"))
        with pytest.raises(CorrectionRefused, match="declassification"):
            correct_record(backends, settings, Correction(record["doc_id"], {"secrecy": None}, "thử", "lan"))
    split = next(r for r in changed if r["doc_id"] not in {d["doc_id"] for d in dossier})
    assert split["secrecy"] == "Mật" and split["needs_review"]  # an officer without clearance never sees it


def test_nothing_damaged_is_carried_into_a_version_and_an_unreadable_version_is_named(archive):
    records = export_records(archive)
    first, second = next((a, b) for a, b in zip(records, records[1:]) if a["file_code"] == b["file_code"])
    pdf = archive / "objects" / second["pdf"]["key"]
    pdf.chmod(0o644)
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 1
    pdf.write_bytes(bytes(data))
    settings = Settings.from_env(sohoa_env(archive))
    with open_backends(settings) as backends, pytest.raises(DamagedArchive, match=second["pdf"]["key"]):
        correct_record(backends, settings, Correction(first["doc_id"], {"subject": "Về việc khác"}, "thử", "lan"))
    assert not list((archive / "objects" / "dossiers" / first["file_code"]).glob("versions/*/manifest.json"))
    store, _ = store_and_audit_log(archive)
    store.put(version_manifest_key(first["file_code"], 9), b"{not json", "application/json")
    exported = run_sohoa(archive, "export", "--format", "jsonl", "--dossier", first["file_code"])
    assert exported.returncode == 0, exported.stderr  # readers go on with the chain before it
    problems = {(p["kind"], p["key"]) for p in verify_problems(archive)}
    assert ("manifest unreadable", version_manifest_key(first["file_code"], 9)) in problems


def test_a_forged_later_version_does_not_move_a_dossiers_retention_for_disposal(archive):
    records = export_records(archive)
    file_code = records[0]["file_code"]
    store, _ = store_and_audit_log(archive)
    first = store.get(manifest_key(file_code))
    forged = {**json.loads(first), "retention": "06", "ingested_at": "2000-01-01T00:00:00+07:00", "version": 2,
              "previous": {"version": 1, "key": manifest_key(file_code), "sha256": sha256_hex(first)}}
    store.put(version_manifest_key(file_code, 2), json.dumps(forged).encode(), "application/json")
    settings = Settings.from_env(sohoa_env(archive))
    with open_backends(settings) as backends, pytest.raises(DisposalRefused, match="not the one the audit log"):
        request_disposal(backends, file_code, "Quyết định số 1/QĐ-UBND", "hết giá trị", "lan")
