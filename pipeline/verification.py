"""`sohoa verify` and the fixity sweep: check, log a PREMIS fixity event per dossier, write reports."""
import csv
import datetime as dt
import json
from pathlib import Path

from sohoa.archive.catalogue import load_manifest
from sohoa.archive.fixity import FixityReport, Problem, add_replica, verify_store
from sohoa.archive.premis import FAILURE, FIXITY_CHECK, RECOVERY, SUCCESS, Event, random_event_id
from sohoa.archive.replica import ReplicatedStore, good_copy
from sohoa.archive.store import ObjectStore
from sohoa.archive.xml import vietnam_time
from sohoa.core.errors import RepairImpossible, SohoaError
from sohoa.pipeline.agents import software
from sohoa.pipeline.backends import Backends

CSV_COLUMNS = ["file_code", "object_key", "status", "expected_sha256", "actual_sha256", "detail", "copy"]


def fixity_events(report: FixityReport, time: str, actor: str) -> list[Event]:
    """One fixity check event per dossier checked, and one for the audit log when it was checked."""
    agent = software()
    events = [Event(random_event_id(), FIXITY_CHECK, time, agent, SUCCESS if d.ok else FAILURE,
                    f"SHA-256 of {d.objects} objects recomputed against the manifest and METS: "
                    + ("intact" if d.ok else "; ".join(p.line() for p in d.problems)), d.file_code,
                    tuple((p.key, p.actual or "") for p in d.problems), actor)
              for d in report.dossiers]
    if report.log_entries is not None:
        log_problems = [p for p in report.problems if p.kind.startswith("audit log")]
        events.append(Event(random_event_id(), FIXITY_CHECK, time, agent, FAILURE if log_problems else SUCCESS,
                            f"audit log chain of {report.log_entries} entries and its checkpoints: "
                            + ("; ".join(p.line() for p in log_problems) or "intact"), None, (), actor))
    return events


def verify_archive(backends: Backends, actor: str, file_codes: set[str] | None = None) -> FixityReport:
    """Check both copies, then log what was found: the fixity events go into the audit log and the index."""
    store = backends.store
    report = verify_store(store, backends.audit, file_codes)
    if isinstance(store, ReplicatedStore):
        add_replica(report, verify_store(store.replica, None, file_codes))
    report.warning = backends.record(fixity_events(report, vietnam_time(dt.datetime.now()), actor))
    return report


REPAIRABLE = ("missing", "checksum mismatch")
CONTENT_TYPES = {".pdf": "application/pdf", ".xml": "application/xml", ".xsd": "application/xml",
                 ".json": "application/json", ".csv": "text/csv"}


def restore_from(source: ObjectStore, target: ObjectStore, problem: Problem, retain: dt.datetime | None,
                 source_name: str, time: str, actor: str) -> Event:
    """Copy one object back from the other store after checking it there against the expected checksum."""
    data = good_copy(source, problem.key, problem.expected)
    if data is None:
        return Event(random_event_id(), RECOVERY, time, software(), FAILURE,
                     f"{problem.key}: {problem.kind}; no copy with SHA-256 {problem.expected} in {source_name}",
                     problem.file_code, ((problem.key, problem.expected),), actor)
    content_type = CONTENT_TYPES.get(Path(problem.key).suffix, "application/octet-stream")
    target.restore(problem.key, data, content_type, retain)
    return Event(random_event_id(), RECOVERY, time, software(), SUCCESS,
                 f"{problem.key}: {problem.kind}; restored from {source_name}, SHA-256 checked", problem.file_code,
                 ((problem.key, problem.expected),), actor)


def retention_of(store: ObjectStore, file_code: str) -> dt.datetime | None:
    try:
        manifest = load_manifest(store, file_code)
    except (SohoaError, ValueError, KeyError, TypeError):  # the manifest may be what is damaged: no lock date
        return None
    return manifest.retain_until_time if manifest else None


def repair_archive(backends: Backends, report: FixityReport, actor: str) -> FixityReport:
    """Restore each missing or damaged object of the primary from the replica and each of the replica from
    the primary, logging a PREMIS recovery event per object, then check again."""
    store = backends.store
    if not isinstance(store, ReplicatedStore):
        raise RepairImpossible("no replica configured (SOHOA_REPLICA_DIR or SOHOA_REPLICA_S3_ENDPOINT): nothing to "
                               "repair from")
    time = vietnam_time(dt.datetime.now())
    events = []
    for problem in report.all_problems():
        if problem.kind in REPAIRABLE and problem.expected:
            target, source = (store.replica, store.primary) if problem.copy == "replica" else \
                (store.primary, store.replica)
            events.append(restore_from(source, target, problem, retention_of(source, problem.file_code),
                                       source.describe(), time, actor))
    backends.record(events)
    return verify_archive(backends, actor)


def write_reports(report: FixityReport, json_path: Path, csv_path: Path) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    with open(csv_path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for dossier in report.dossiers:
            if dossier.ok:
                writer.writerow([dossier.file_code, "", "intact", "", "", f"{dossier.objects} objects", ""])
        for p in report.all_problems():
            writer.writerow([p.file_code, p.key, p.kind, p.expected or "", p.actual or "", p.detail, p.copy])
