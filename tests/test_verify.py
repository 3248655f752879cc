"""`sohoa verify` names every kind of damage (each test fails if its check is removed), repairs from
the replica, and the audit report and fixity sweep tell auditors what happened."""
import csv
import datetime as dt
import json
import os
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from sohoa.core.keys import log_entry_key
from sohoa.core.settings import Settings
from sohoa.flows.fixity import fixity_deployment, fixity_sweep
from sohoa.pipeline.backends import open_backends
from sohoa.pipeline.corrections import Correction, correct_record
from sohoa.pipeline.disposal import approve_disposal, request_disposal
from sohoa.pipeline.fixity_sweep import partition_of, todays_partition

from tests.conftest import copy_batch, export_records, run_sohoa, sohoa_env

pytestmark = pytest.mark.slow


@pytest.fixture
def archive(ingested, tmp_path) -> tuple[Path, list[dict]]:
    """A fresh copy of the ingested archive to damage, and its records."""
    home, _ = ingested
    copy = tmp_path / "home"
    shutil.copytree(home, copy, ignore=shutil.ignore_patterns("prefect"))
    return copy, export_records(copy)


def writable(path: Path) -> Path:
    os.chmod(path, 0o644)
    return path


def verify(home: Path, *args: str) -> tuple[int, list[dict], str]:
    """(exit status, problems of the JSON report, console output)."""
    report = home / "verify.json"
    done = run_sohoa(home, "verify", "--json", str(report), "--csv", str(home / "verify.csv"), *args)
    return done.returncode, json.loads(report.read_text())["problems"], done.stderr


def fixity_events(home: Path) -> set[str]:
    found = run_sohoa(home, "audit", "events", "--type", "fixity check", "--json", "--limit", "1000")
    return {line for line in found.stdout.splitlines()}


def test_an_intact_archive_verifies_and_the_check_is_logged(archive):
    home, records = archive
    before = fixity_events(home)
    status, problems, output = verify(home)
    assert (status, problems) == (0, []), output
    assert "all intact" in output
    with open(home / "verify.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["file_code"] for r in rows} == {r["file_code"] for r in records}
    assert {r["status"] for r in rows} == {"intact"}
    # one per dossier, one for the audit log, one for the search index
    assert len(fixity_events(home) - before) == len({r["file_code"] for r in records}) + 2


def test_a_flipped_byte_in_a_pdf_is_named_with_both_checksums(archive):
    home, records = archive
    pdf = writable(home / "objects" / records[0]["pdf"]["key"])
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    status, problems, output = verify(home)
    assert status == 1
    found = {(p["kind"], p["key"]) for p in problems}
    assert ("checksum mismatch", records[0]["pdf"]["key"]) in found
    mismatch = next(p for p in problems if p["kind"] == "checksum mismatch")
    assert mismatch["file_code"] == records[0]["file_code"]
    assert mismatch["expected"] == records[0]["pdf"]["sha256"]
    assert mismatch["actual"] not in (None, mismatch["expected"])
    assert records[0]["pdf"]["key"] in output and records[0]["pdf"]["sha256"] in output


def test_a_deleted_object_is_named(archive):
    home, records = archive
    key = f"dossiers/{records[0]['file_code']}/aip/representations/rep1/METS.xml"
    (home / "objects" / key).unlink()
    status, problems, _ = verify(home)
    assert status == 1 and ("missing", key) in {(p["kind"], p["key"]) for p in problems}


def test_an_edited_value_in_an_ead_file_is_named(archive):
    home, records = archive
    key = f"dossiers/{records[0]['file_code']}/aip/metadata/descriptive/EAD.xml"
    ead = writable(home / "objects" / key)
    ead.write_text(ead.read_text(encoding="utf-8").replace("retention:01", "retention:06"), encoding="utf-8")
    status, problems, _ = verify(home)
    assert status == 1
    assert {(p["kind"], p["key"]) for p in problems} >= {("checksum mismatch", key), ("METS mismatch", key)}


def test_a_stray_object_in_a_package_is_named(archive):
    home, records = archive
    key = f"dossiers/{records[0]['file_code']}/aip/representations/rep1/data/extra.pdf"
    (home / "objects" / key).write_bytes(b"%PDF-1.7 not ingested")
    status, problems, _ = verify(home)
    assert status == 1 and ("uncommitted", key) in {(p["kind"], p["key"]) for p in problems}


def log_entry(home: Path, seq: int) -> Path:
    return writable(home / "objects" / log_entry_key(seq))


def test_a_deleted_audit_event_is_named(archive):
    home, _ = archive
    log_entry(home, 3).unlink()
    status, problems, _ = verify(home)
    assert status == 1 and ("audit log missing", log_entry_key(4)) in {(p["kind"], p["key"]) for p in problems}


def test_reordered_audit_events_are_named(archive):
    home, _ = archive
    second, third = log_entry(home, 2), log_entry(home, 3)
    a, b = second.read_bytes(), third.read_bytes()
    second.write_bytes(b)
    third.write_bytes(a)
    status, problems, _ = verify(home)
    assert status == 1
    assert {("audit log out of order", log_entry_key(2)), ("audit log out of order", log_entry_key(3))} <= \
        {(p["kind"], p["key"]) for p in problems}


def test_a_truncated_audit_log_is_named(archive):
    home, _ = archive
    entries = sorted((home / "objects" / "audit" / "log").iterdir())
    for path in entries[-3:]:
        path.unlink()
    status, problems, _ = verify(home)
    assert status == 1
    truncated = [p for p in problems if p["kind"] == "audit log truncated"]
    assert len(truncated) == 1 and f"the log ends at {len(entries) - 3}" in truncated[0]["detail"]


def test_an_edited_manifest_with_matching_objects_is_caught_by_the_audit_log(archive):
    home, records = archive
    manifest = writable(home / "objects" / "dossiers" / records[0]["file_code"] / "manifest.json")
    content = json.loads(manifest.read_text())
    content["operator"] = "someone else"
    manifest.write_text(json.dumps(content))
    status, problems, _ = verify(home)
    assert status == 1
    assert any(p["key"].endswith("manifest.json") and "audit log" in p["detail"] for p in problems)


def test_a_deleted_dossier_is_named_as_missing_and_its_check_logged_as_a_failure(archive):
    home, records = archive
    file_code = records[0]["file_code"]
    shutil.rmtree(home / "objects" / "dossiers" / file_code)
    status, problems, output = verify(home)
    assert status == 1
    assert ("missing dossier", f"dossiers/{file_code}/manifest.json") in {(p["kind"], p["key"]) for p in problems}
    assert "all intact" not in output
    failed = run_sohoa(home, "audit", "events", "--dossier", file_code, "--type", "fixity check", "--json")
    assert [json.loads(line)["outcome"] for line in failed.stdout.splitlines()][0] == "failure"


def test_an_unknown_dossier_is_an_error_not_all_intact(archive):
    home, _ = archive
    done = run_sohoa(home, "verify", "--dossier", "NO-SUCH-DOSSIER")
    assert done.returncode == 2 and "no dossier NO-SUCH-DOSSIER" in done.stderr
    assert "all intact" not in done.stderr and "Traceback" not in done.stderr
    done = run_sohoa(home, "export", "--dossier", "NO-SUCH-DOSSIER")
    assert done.returncode == 2 and "not archived" in done.stderr


def test_deleted_checkpoints_are_a_failure_not_a_fresh_start(archive):
    home, _ = archive
    shutil.rmtree(home / "checkpoints")
    status, problems, output = verify(home)
    assert status == 1 and [p["kind"] for p in problems] == ["audit log unanchored"], output
    status, problems, _ = verify(home)  # the first verify's own checkpoint does not erase the finding
    assert status == 1 and "audit log unanchored" in {p["kind"] for p in problems}


def test_a_forged_record_with_log_and_checkpoints_wiped_is_caught_and_never_served(archive):
    home, records = archive
    record = records[0]
    shutil.rmtree(home / "objects" / "audit")
    shutil.rmtree(home / "checkpoints")
    record_path = writable(home / "objects" / "dossiers" / record["file_code"] / "records" /
                           f"{record['doc_id']}.json")
    forged = {**record, "subject": "Nội dung giả mạo"}
    record_path.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    status, problems, _ = verify(home)
    kinds = {p["kind"] for p in problems}
    assert status == 1 and {"not in audit log", "checksum mismatch"} <= kinds
    exported = run_sohoa(home, "export", "--format", "jsonl")
    assert exported.returncode == 1 and "does not match the SHA-256 its manifest commits" in exported.stderr
    assert "giả mạo" not in exported.stdout
    reindexed = run_sohoa(home, "reindex")
    assert reindexed.returncode == 1 and record["doc_id"] in reindexed.stderr
    found = run_sohoa(home, "search", "gia mao", "--json")
    assert json.loads(found.stdout)["total"] == 0


def test_running_the_batch_again_never_indexes_a_tampered_record(generated, archive):
    home, records = archive
    record = records[0]
    path = writable(home / "objects" / "dossiers" / record["file_code"] / "records" / f"{record['doc_id']}.json")
    path.write_text(json.dumps({**record, "subject": "Nội dung giả mạo"}, ensure_ascii=False), encoding="utf-8")
    again = run_sohoa(home, "ingest", str(generated / "batch"), "--json")
    assert again.returncode == 1, again.stderr[-3000:]
    failed = [r for r in json.loads(again.stdout.splitlines()[-1])["results"] if r["status"] == "failed"]
    assert [r["file_code"] for r in failed] == [record["file_code"]]
    assert "does not match the SHA-256 its manifest commits" in failed[0]["detail"]
    assert json.loads(run_sohoa(home, "search", "gia mao", "--json").stdout)["total"] == 0


def test_an_edited_and_a_deleted_index_row_are_named_and_repaired_from_storage(archive):
    home, records = archive
    edited, deleted = records[0], records[1]
    db = sqlite3.connect(home / "index.sqlite")
    with db:
        row = db.execute("SELECT record FROM records WHERE doc_id = ?", (edited["doc_id"],)).fetchone()
        forged = {**json.loads(row[0]), "subject": "Nội dung giả mạo", "issued_date": "1999-01-01"}
        db.execute("UPDATE records SET record = ?, issued_date = '1999-01-01' WHERE doc_id = ?",
                   (json.dumps(forged, ensure_ascii=False), edited["doc_id"]))
        db.execute("DELETE FROM records WHERE doc_id = ?", (deleted["doc_id"],))
    db.close()
    status, problems, _ = verify(home)
    found = {(p["kind"], p["key"]): p["detail"] for p in problems}
    assert status == 1 and set(found) == {("index differs", edited["doc_id"]), ("index missing", deleted["doc_id"])}
    assert "issued_date, subject" in found[("index differs", edited["doc_id"])]
    status, problems, _ = verify(home, "--repair")
    assert (status, problems) == (0, [])
    hit = json.loads(run_sohoa(home, "search", "", "--json", "--limit", "100").stdout)["hits"]
    assert {h["doc_id"]: h["subject"] for h in hit}[edited["doc_id"]] == edited["subject"]


def test_an_indexed_record_the_archive_does_not_hold_is_named(archive):
    home, records = archive
    db = sqlite3.connect(home / "index.sqlite")
    with db:
        db.execute("UPDATE records SET doc_id = 'INVENTED-1' WHERE doc_id = ?", (records[0]["doc_id"],))
    db.close()
    _, problems, _ = verify(home)
    assert {(p["kind"], p["key"]) for p in problems} == {("index extra", "INVENTED-1"),
                                                         ("index missing", records[0]["doc_id"])}


def test_temporary_files_of_a_killed_write_are_reported_and_cleaned(archive):
    home, _ = archive
    stale, fresh = home / "objects" / ".tmp" / "abandoned", home / "objects" / ".tmp" / "in-progress"
    stale.write_bytes(b"half an object")
    fresh.write_bytes(b"being written now")
    os.utime(stale, (0, 0))
    status, problems, output = verify(home)
    assert (status, problems) == (0, [])
    assert "cleaned: temporary file of an interrupted write abandoned" in output
    assert not stale.exists() and fresh.exists()


def test_findings_are_printed_and_reported_even_when_the_log_cannot_be_appended(archive):
    home, records = archive
    next_entry = len(list((home / "objects" / "audit" / "log").iterdir())) + 1
    (home / "objects" / log_entry_key(next_entry)).mkdir()  # the next entry's key is taken by a folder
    (home / "objects" / records[0]["pdf"]["key"]).unlink()
    status, problems, output = verify(home)
    assert status == 1 and ("missing", records[0]["pdf"]["key"]) in {(p["kind"], p["key"]) for p in problems}
    assert "PROBLEM missing" in output and "could not be logged" in output and "Traceback" not in output


def test_repair_restores_damaged_and_missing_objects_from_the_replica(generated, truth, home, tmp_path, monkeypatch):
    replica = tmp_path / "replica"
    monkeypatch.setenv("SOHOA_REPLICA_DIR", str(replica))
    dossier = truth["dossiers"][0]
    run = run_sohoa(home, "ingest", str(copy_batch(generated, tmp_path / "batch", [dossier["source"]])))
    assert run.returncode == 0, run.stderr[-2000:]
    records = export_records(home)
    pdf_key = records[0]["pdf"]["key"]
    assert (replica / pdf_key).read_bytes() == (home / "objects" / pdf_key).read_bytes()
    writable(home / "objects" / pdf_key).write_bytes(b"%PDF-1.7 damaged")
    ead_key = f"dossiers/{records[0]['file_code']}/aip/metadata/descriptive/EAD.xml"
    (home / "objects" / ead_key).unlink()
    replica_mets = f"dossiers/{records[0]['file_code']}/aip/METS.xml"
    writable(replica / replica_mets).write_bytes(b"<damaged/>")

    status, problems, output = verify(home)
    assert status == 1
    assert {(p["kind"], p["key"], p["copy"]) for p in problems} >= {
        ("checksum mismatch", pdf_key, "primary"), ("missing", ead_key, "primary"),
        ("checksum mismatch", replica_mets, "replica")}
    assert f"checksum mismatch in the replica: dossier {records[0]['file_code']}: {replica_mets}" in output
    status, problems, output = verify(home, "--repair")
    assert (status, problems) == (0, []), output
    assert (home / "objects" / pdf_key).read_bytes() == (replica / pdf_key).read_bytes()
    assert (home / "objects" / ead_key).is_file()
    assert (replica / replica_mets).read_bytes() == (home / "objects" / replica_mets).read_bytes()
    assert oct((home / "objects" / pdf_key).stat().st_mode)[-3:] == "400"
    recoveries = [json.loads(line) for line in run_sohoa(home, "audit", "events", "--type", "recovery",
                                                         "--json").stdout.splitlines()]
    assert sorted((e["outcome"], e["objects"][0][0]) for e in recoveries) == sorted(
        [("success", pdf_key), ("success", ead_key), ("success", replica_mets)])

    for fmt in ("html", "csv"):
        made = run_sohoa(home, "audit", "report", "--format", fmt, "--output", str(tmp_path / f"audit.{fmt}"))
        assert made.returncode == 0, made.stderr
    report = (tmp_path / "audit.html").read_text(encoding="utf-8")
    assert "chain and checkpoints" in report or "hash chain and checkpoints" in report
    assert pdf_key in report and "restored from" in report
    with open(tmp_path / "audit.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    sections = {r["section"] for r in rows}
    assert {"audit log", "fixity", "validation", "events", "problem", "repair"} <= sections
    assert any(r["section"] == "events" and r["event_type"] == "ingestion" and r["count"] == "1" for r in rows)
    assert sum(1 for r in rows if r["section"] == "repair") == 3


def test_repair_without_a_replica_says_so(archive):
    home, records = archive
    writable(home / "objects" / records[0]["pdf"]["key"]).write_bytes(b"%PDF damaged")
    done = run_sohoa(home, "verify", "--repair")
    assert done.returncode == 1 and "no replica configured" in done.stderr


def test_the_fixity_sweep_checks_every_dossier_once_per_period(archive, monkeypatch, prefect_api):
    home, records = archive
    file_codes = {r["file_code"] for r in records}
    period = 3
    monkeypatch.setenv("SOHOA_HOME", str(home))
    monkeypatch.setenv("SOHOA_FIXITY_PERIOD_DAYS", str(period))
    before = fixity_events(home)
    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        results = [fixity_sweep(day=day) for day in ("2026-03-01", "2026-03-02", "2026-03-03")]
    assert [r["problems"] for r in results] == [[], [], []] and all(r["report"] is None for r in results)
    assert sorted(r["partition"] for r in results) == [0, 1, 2]
    events = [json.loads(line) for line in fixity_events(home) - before]
    checks = Counter(e["file_code"] for e in events if e["file_code"])
    assert checks == {fc: 1 for fc in file_codes}  # each dossier in exactly one of the period's runs
    assert sum(1 for e in events if not e["file_code"]) == period  # and the audit log at every run


def test_the_fixity_sweep_is_deployed_on_a_daily_schedule():
    deployment = fixity_deployment("04:00", "Asia/Ho_Chi_Minh", 30)
    schedule = deployment.schedules[0].schedule
    assert (schedule.cron, schedule.timezone) == ("0 4 * * *", "Asia/Ho_Chi_Minh")
    assert deployment.parameters == {"period_days": 30}


def test_the_fixity_sweep_reports_problems_only_when_there_are_some(archive):
    home, records = archive
    pdf = writable(home / "objects" / records[0]["pdf"]["key"])
    pdf.write_bytes(b"%PDF damaged")
    day = next(d for d in ("2026-03-01", "2026-03-02", "2026-03-03")
               if partition_of(records[0]["file_code"], 3) == todays_partition(dt.date.fromisoformat(d), 3))
    done = run_sohoa(home, "fixity-sweep", "--day", day, env={"SOHOA_FIXITY_PERIOD_DAYS": "3"})
    assert done.returncode == 1 and records[0]["pdf"]["key"] in done.stderr
    reports = list((home / "reports").glob("fixity-*.json"))
    assert len(reports) == 1 and json.loads(reports[0].read_text())["ok"] is False


def test_disposal_takes_two_accounts_after_the_retention_and_every_step_and_refusal_is_logged(
        generated, truth, home, tmp_path, monkeypatch):
    replica = tmp_path / "replica"
    monkeypatch.setenv("SOHOA_REPLICA_DIR", str(replica))
    kept, old = truth["dossiers"][0], truth["dossiers"][1]
    run = run_sohoa(home, "ingest", str(copy_batch(generated, tmp_path / "kept", [kept["source"]])))
    assert run.returncode == 0, run.stderr[-2000:]
    run = run_sohoa(home, "ingest", str(copy_batch(generated, tmp_path / "old", [old["source"]])),
                    env={"SOHOA_DEFAULT_RETENTION": "06"})  # ten years
    assert run.returncode == 0, run.stderr[-2000:]

    def dispose(*args: str):
        return run_sohoa(home, "dispose", *args)

    refusals = [dispose("request", kept["file_code"], "--authority", "Quyết định số 1/QĐ-UBND", "--reason", "x"),
                dispose("request", old["file_code"], "--authority", "Quyết định số 1/QĐ-UBND", "--reason", "x"),
                dispose("request", old["file_code"], "--authority", " ", "--reason", "hết giá trị"),
                dispose("approve", old["file_code"])]
    assert [r.returncode for r in refusals] == [1, 1, 1, 1]
    assert "kept for ever (retention 01)" in refusals[0].stderr
    assert "under retention 06 until" in refusals[1].stderr
    assert "--authority must name the disposal decision" in refusals[2].stderr
    assert "no disposal request to approve" in refusals[3].stderr

    settings = Settings.from_env(sohoa_env(home))
    with open_backends(settings) as backends:  # a corrected dossier: its later version goes with it
        doc_id = next(r["doc_id"] for r in export_records(home) if r["file_code"] == old["file_code"])
        backends.index.upsert([correct_record(backends, settings, Correction(doc_id, {"subject": "Về việc khác"},
                                                                             "đọc sai", "lan"))])
        # and what a correction cut short left behind, committed by no manifest
        backends.store.put(f"dossiers/{old['file_code']}/versions/v9/records/{doc_id}.json", b"{}", "application/json")
    ten_years_on = dt.datetime.now().astimezone() + dt.timedelta(days=3700)
    with open_backends(settings) as backends:  # the clock moved on ten years: the request can be made
        request_disposal(backends, old["file_code"], "Quyết định số 12/QĐ-UBND", "hết giá trị", settings.operator,
                         now=ten_years_on)
    same_account = dispose("approve", old["file_code"])  # approved by the account that asked
    assert same_account.returncode == 1 and "another account must approve it" in same_account.stderr
    with open_backends(settings) as backends:
        approve_disposal(backends, old["file_code"], "truongphong@archive-2", now=ten_years_on)
    for root in (home / "objects", replica):
        assert not [p for p in (root / "dossiers" / old["file_code"]).rglob("*") if p.is_file()]
        assert [p for p in (root / "dossiers" / kept["file_code"]).rglob("*") if p.is_file()]
    assert {r["file_code"] for r in export_records(home)} == {kept["file_code"]}
    assert search_hits(home) == {kept["file_code"]}
    status, problems, _ = verify(home)  # the disposed dossier is not missing: the log records its disposal
    assert (status, problems) == (0, [])

    def events(event_type: str) -> list[dict]:
        found = run_sohoa(home, "audit", "events", "--type", event_type, "--json", "--limit", "100")
        return [json.loads(line) for line in found.stdout.splitlines()]

    deletion, = events("deletion")
    assert deletion["file_code"] == old["file_code"] and "Quyết định số 12/QĐ-UBND" in deletion["detail"]
    assert "approved by truongphong@archive-2" in deletion["detail"]
    assert any(key.endswith("manifest.json") for key, _ in deletion["objects"])
    assert sorted(e["outcome"] for e in events("appraisal")) == ["failure", "failure", "failure", "success"]
    assert sorted(e["outcome"] for e in events("deaccession")) == ["failure", "failure", "success"]


def test_a_manifest_with_an_edited_retention_is_not_disposed_of(archive):
    home, records = archive
    file_code = records[0]["file_code"]
    manifest = writable(home / "objects" / "dossiers" / file_code / "manifest.json")
    content = json.loads(manifest.read_text())
    content.update(retention="06", retain_until="2020-01-01T00:00:00+00:00", ingested_at="2000-01-01T00:00:00+07:00")
    manifest.write_text(json.dumps(content))
    done = run_sohoa(home, "dispose", "request", file_code, "--authority", "Quyết định số 9/QĐ", "--reason", "x")
    assert done.returncode == 1 and "not the one the audit log recorded at its commit" in done.stderr


def search_hits(home: Path) -> set[str]:
    found = run_sohoa(home, "search", "", "--all", "--json")
    return {json.loads(line)["file_code"] for line in found.stdout.splitlines()}
