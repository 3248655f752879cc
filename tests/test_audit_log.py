"""The hash-chained audit log: every way of rewriting it is detected, and racing writers lose nothing."""
import json
import os
import threading

from sohoa.archive.audit import AuditLog
from sohoa.archive.premis import DELETION, FIXITY_CHECK, INGESTION_END, SUCCESS, Event, random_event_id
from sohoa.archive.store import LocalObjectStore
from sohoa.core.keys import log_entry_key


def event(n: int) -> Event:
    return Event(random_event_id(), FIXITY_CHECK, f"2026-01-01T00:00:{n:02d}+07:00", "sohoa test", SUCCESS,
                 f"check {n}", "HS", (("dossiers/HS/manifest.json", "ab" * 32),), "tester@host")


def audit_log(tmp_path, store: LocalObjectStore, checkpoints: str = "checkpoints", key: str = "key.pem") -> AuditLog:
    return AuditLog(store, LocalObjectStore(tmp_path / checkpoints), tmp_path / "keys" / key)


def make_log(tmp_path, events: int = 5) -> tuple[AuditLog, LocalObjectStore]:
    store = LocalObjectStore(tmp_path / "objects")
    log = audit_log(tmp_path, store)
    for n in range(events):
        log.append([event(n)])
    return log, store


def entry_path(tmp_path, seq: int):
    path = tmp_path / "objects" / log_entry_key(seq)
    os.chmod(path, 0o644)
    return path


def kinds(log: AuditLog) -> list[tuple[str, int]]:
    return [(p.kind, p.seq) for p in log.verify().problems]


def test_an_intact_log_verifies_and_chains_each_entry_to_the_one_before(tmp_path):
    log, store = make_log(tmp_path)
    report = log.verify()
    assert (report.entries, report.problems) == (5, [])
    entries = list(log.entries())
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert all(e["prev"] == before["hash"] for before, e in zip(entries, entries[1:]))
    assert report.commits == {}  # fixity checks commit nothing


def test_an_edited_event_is_named(tmp_path):
    log, _ = make_log(tmp_path)
    path = entry_path(tmp_path, 3)
    entry = json.loads(path.read_text())
    entry["event"]["outcome"] = "failure"
    path.write_text(json.dumps(entry))
    assert kinds(log) == [("altered", 3)]


def test_a_deleted_event_is_named(tmp_path):
    log, _ = make_log(tmp_path)
    entry_path(tmp_path, 2).unlink()
    problems = log.verify().problems
    assert [(p.kind, p.seq) for p in problems] == [("missing", 3)]
    assert "entry 2 is gone" in problems[0].line()


def test_reordered_events_are_named(tmp_path):
    log, _ = make_log(tmp_path)
    second, third = entry_path(tmp_path, 2), entry_path(tmp_path, 3)
    a, b = second.read_bytes(), third.read_bytes()
    second.write_bytes(b)
    third.write_bytes(a)
    assert ("out of order", 2) in kinds(log) and ("out of order", 3) in kinds(log)


def test_a_truncated_log_is_caught_by_the_checkpoint_kept_elsewhere(tmp_path):
    log, _ = make_log(tmp_path)
    entry_path(tmp_path, 5).unlink()
    entry_path(tmp_path, 4).unlink()
    problems = log.verify().problems
    assert [(p.kind, p.seq) for p in problems] == [("truncated", 5)]
    assert "the log ends at 3" in problems[0].line()


def test_a_log_rewritten_with_a_consistent_new_chain_is_caught_by_the_checkpoints(tmp_path):
    log, store = make_log(tmp_path, events=3)
    for seq in (1, 2, 3):
        entry_path(tmp_path, seq).unlink()
    forger = audit_log(tmp_path, store, "forger-checkpoints", "forger.pem")
    forger.append([event(n + 10) for n in range(3)])
    assert forger.verify().problems == []  # a consistent chain on its own...
    assert {kind for kind, _ in kinds(log)} == {"rewritten"}  # ...that the real checkpoints refute


def test_checkpoints_rewritten_to_match_a_rewritten_log_fail_without_the_key(tmp_path):
    log, store = make_log(tmp_path, events=3)
    for seq in (1, 2, 3):
        entry_path(tmp_path, seq).unlink()
    for path in (tmp_path / "checkpoints").rglob("*.json"):
        path.unlink()
    # The forger writes a new chain and checkpoints where the real ones were, signed with a key of their own.
    forger = audit_log(tmp_path, store, "checkpoints", "forger.pem")
    forger.append([event(n + 10) for n in range(3)])
    problems = log.verify().problems
    assert {p.kind for p in problems} == {"forged checkpoint", "unanchored"}
    assert all("signed by another key" in p.detail for p in problems if p.kind == "forged checkpoint")


def test_a_checkpoint_edited_to_match_an_edited_log_fails_its_signature(tmp_path):
    log, _ = make_log(tmp_path, events=2)
    path = next((tmp_path / "checkpoints").rglob("000000000002.json"))
    checkpoint = json.loads(path.read_text())
    checkpoint["hash"] = "0" * 64
    os.chmod(path, 0o644)
    path.write_text(json.dumps(checkpoint))
    problems = log.verify().problems
    assert [(p.kind, p.detail) for p in problems] == [
        ("forged checkpoint", "its signature does not match its content"), ("unanchored", problems[1].detail)]
    assert "entries 2-2 follow the last signed checkpoint" in problems[1].detail


def test_a_log_whose_checkpoints_are_all_gone_is_a_failure(tmp_path):
    log, _ = make_log(tmp_path, events=3)
    for path in (tmp_path / "checkpoints").rglob("*.json"):
        path.unlink()
    problems = log.verify().problems
    assert [p.kind for p in problems] == ["unanchored"]
    assert "3 entries and no checkpoint signed by key" in problems[0].detail


def test_the_same_event_logged_twice_is_named(tmp_path):
    log, _ = make_log(tmp_path, events=2)
    first = next(log.entries())
    log.append([Event.from_json(first["event"])])
    assert kinds(log) == [("duplicate event", 3)]


def test_a_disposal_takes_the_dossier_out_of_the_commits(tmp_path):
    log, _ = make_log(tmp_path, events=0)
    manifest = ("dossiers/HS/manifest.json", "ab" * 32)
    log.append([Event(random_event_id(), INGESTION_END, "2026-01-01T00:00:00+07:00", "sohoa", SUCCESS, "commit",
                      "HS", (manifest,))])
    assert log.verify().commits == {manifest[0]: manifest[1]}
    log.append([Event(random_event_id(), DELETION, "2026-01-02T00:00:00+07:00", "sohoa", SUCCESS, "disposed",
                      "HS", (manifest,))])
    assert log.verify().commits == {}


def test_writers_racing_for_the_same_number_both_get_their_events_in(tmp_path):
    store = LocalObjectStore(tmp_path / "objects")
    logs = [audit_log(tmp_path, store) for _ in range(2)]
    for log in logs:
        log.head()  # both start from the same head
    threads = [threading.Thread(target=lambda log=log, k=k: [log.append([event(10 * k + n)]) for n in range(10)])
               for k, log in enumerate(logs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = logs[0].verify()
    assert (report.entries, report.problems) == (20, [])
    assert len({e["event"]["identifier"] for e in logs[0].entries()}) == 20


def test_checkpoints_deleted_before_a_new_run_leave_it_starting_again(tmp_path):
    log, store = make_log(tmp_path, events=3)
    for path in (tmp_path / "checkpoints").rglob("*.json"):
        path.unlink()
    audit_log(tmp_path, store).append([event(9)])  # a later run finds no checkpoint and signs the head
    problems = log.verify().problems
    assert [p.kind for p in problems] == ["unanchored"]
    assert "checkpoints start again at entry 4" in problems[0].detail


class CheckpointsListedAfter(LocalObjectStore):
    """Checkpoints whose first listing lets another writer append and checkpoint first."""

    def __init__(self, root, before_listing):
        super().__init__(root)
        self.before_listing = before_listing

    def list(self, prefix, start_after=""):
        if self.before_listing:
            self.before_listing, run = None, self.before_listing
            run()
        return super().list(prefix, start_after)


def test_a_writer_that_checkpoints_before_the_first_one_is_not_taken_for_deleted_checkpoints(tmp_path):
    store = LocalObjectStore(tmp_path / "objects")
    second = audit_log(tmp_path, store)
    first = AuditLog(store, CheckpointsListedAfter(tmp_path / "checkpoints", lambda: second.append([event(2)])),
                     tmp_path / "keys" / "key.pem")
    first.append([event(1)])  # entry 1; the second writer appends entry 2 and checkpoints it, seeing no checkpoint
    report = first.verify()
    assert (report.entries, report.problems) == (2, [])
