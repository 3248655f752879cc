"""`sohoa verify` and the fixity sweep: check, log a PREMIS fixity event per dossier, write reports."""
import csv
import datetime as dt
import json
from pathlib import Path
from typing import Callable

from sohoa.archive.catalogue import load_manifest, version_chain
from sohoa.archive.fixity import FixityReport, Problem, add_replica, verify_store
from sohoa.archive.premis import FAILURE, FIXITY_CHECK, RECOVERY, SUCCESS, Event, random_event_id
from sohoa.archive.replica import ReplicatedStore, good_copy
from sohoa.archive.store import ObjectStore
from sohoa.archive.xml import vietnam_time
from sohoa.core.errors import BackendUnavailable, RepairImpossible, SohoaError
from sohoa.pipeline.agents import software
from sohoa.pipeline.backends import Backends, rebuild_index
from sohoa.pipeline.index_check import reconcile_index
from sohoa.pipeline.packaging import lock_until

CSV_COLUMNS = ["file_code", "object_key", "status", "expected_sha256", "actual_sha256", "detail", "copy"]


def fixity_events(report: FixityReport, time: str, actor: str) -> list[Event]:
    """One fixity check event per dossier checked, one for the audit log and one for the search index when
    they were checked, and one for stored objects outside every dossier if any were found."""
    agent = software()

    def event(outcome_ok: bool, detail: str, file_code: str | None = None, objects: tuple = ()) -> Event:
        return Event(random_event_id(), FIXITY_CHECK, time, agent, SUCCESS if outcome_ok else FAILURE, detail,
                     file_code, objects, actor)

    events = [event(d.ok, f"SHA-256 of {d.objects} objects recomputed against the manifest and METS: "
                    + ("intact" if d.ok else "; ".join(p.line() for p in d.problems)), d.file_code,
                    tuple((p.key, p.actual or "") for p in d.problems))
              for d in report.dossiers]
    groups = {"log": [], "index": [], "stray": []}
    for problem in report.problems:
        groups["log" if problem.kind.startswith("audit log") else
               "index" if problem.kind.startswith("index") else "stray"].append(problem)
    if report.log_entries is not None:
        events.append(event(not groups["log"], f"audit log chain of {report.log_entries} entries and its signed "
                            "checkpoints: " + ("; ".join(p.line() for p in groups["log"]) or "intact")))
    if report.index_records is not None:
        events.append(event(not groups["index"], f"search index of {report.index_records} records reconciled "
                            "with object storage: " + ("; ".join(p.line() for p in groups["index"]) or "in step")))
    if groups["stray"]:
        events.append(event(False, "objects outside every committed dossier: "
                            + "; ".join(p.line() for p in groups["stray"])))
    return events


def check_archive(backends: Backends, file_codes: set[str] | None = None,
                  selected: Callable[[str], bool] | None = None, trust_roots: Path | None = None) -> FixityReport:
    """Both copies against the manifests and the audit log, every signature against trust_roots when given,
    and (for the whole archive) the index. file_codes: only these dossiers, each of which must exist;
    selected: only the dossiers it accepts."""
    store = backends.store
    roots = trust_roots_of(trust_roots)  # a bad folder stops the check before its long work
    report = verify_store(store, backends.audit, file_codes, selected=selected)
    if isinstance(store, ReplicatedStore):
        add_replica(report, verify_store(store.replica, None, file_codes, report.commits, selected))
    if roots is not None:
        report.signatures = check_stored_signatures(store, report, roots)
    if file_codes is None and selected is None:
        try:
            report.index_records, index_problems = reconcile_index(store, backends.index)
            report.problems += index_problems
        except BackendUnavailable as exc:  # the objects are checked all the same
            report.warnings.append(f"the search index was not reconciled: {exc}")
    return report


def trust_roots_of(folder: Path | None) -> list | None:
    if folder is None:
        return None
    from sohoa.archive.trust_roots import load_trust_roots  # pyHanko: loaded when signatures are checked

    return load_trust_roots(folder)


def check_stored_signatures(store: ObjectStore, report: FixityReport, roots: list) -> int:
    """Every signature and document timestamp in each checked dossier's current PDF/As and signed original,
    checked offline; each one that fails is a problem of its dossier. Returns how many signatures (document
    timestamps apart) were checked."""
    from sohoa.archive.signature_check import check_signatures

    checked = 0
    for dossier in report.dossiers:
        damaged = {p.key for p in dossier.problems}  # fixity has named these already
        try:
            chain, _ = version_chain(store, dossier.file_code)
        except SohoaError:  # a damaged manifest is already the dossier's problem
            continue
        manifest = chain[-1].manifest if chain else None
        keys = [d.pdf_key for d in manifest.documents] if manifest else []
        original = manifest.signed_original["key"] if manifest and manifest.signed_original else None
        for key in (k for k in keys + ([original] if original else []) if k not in damaged):
            try:
                data = store.get(key)
            except SohoaError:  # missing: fixity names it
                continue
            for found in check_signatures(data, roots, renewed_here=key != original):
                checked += found.kind == "signature"
                if not found.valid:
                    dossier.problems.append(Problem(dossier.file_code, key, "signature not valid", detail=(
                        f"{found.kind} {found.field} of {found.signer}, {found.signed_at or 'time unknown'}: "
                        f"{found.detail}")))
    return checked


def log_verification(backends: Backends, report: FixityReport, actor: str) -> None:
    """The fixity events into the audit log and the index; a failure here raises, after the checking."""
    not_indexed = backends.record(fixity_events(report, vietnam_time(dt.datetime.now()), actor))
    if not_indexed:
        report.warnings.append(not_indexed)


def verify_archive(backends: Backends, actor: str, file_codes: set[str] | None = None,
                   selected: Callable[[str], bool] | None = None, trust_roots: Path | None = None) -> FixityReport:
    """Check, then log what was found."""
    report = check_archive(backends, file_codes, selected, trust_roots)
    log_verification(backends, report, actor)
    return report


REPAIRABLE = ("missing", "checksum mismatch", "missing dossier", "missing version")
MAX_REPAIR_ROUNDS = 3
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


def lock_of(store: ObjectStore, file_code: str, permanent_lock_years: int) -> dt.datetime | None:
    """The lock a restored object of the dossier gets: the one its manifest's retention gave the others."""
    try:
        manifest = load_manifest(store, file_code)
        return lock_until(manifest.retention, dt.datetime.fromisoformat(manifest.ingested_at), permanent_lock_years)
    except (SohoaError, ValueError, KeyError, TypeError, AttributeError):  # the manifest may be what is damaged
        return None


def repair_archive(backends: Backends, report: FixityReport, actor: str, trust_roots: Path | None = None
                   ) -> FixityReport:
    """Restore each missing or damaged object of the primary from the replica and each of the replica from
    the primary, logging a PREMIS recovery event per object, rebuild the index if it was out of step, then
    check again. A restored manifest shows what else its dossier lacks: repair goes on while it progresses."""
    store = backends.store
    for _ in range(MAX_REPAIR_ROUNDS):
        time = vietnam_time(dt.datetime.now())
        damaged = [p for p in report.all_problems() if p.kind in REPAIRABLE and p.expected]
        events = []
        if damaged and not isinstance(store, ReplicatedStore):
            raise RepairImpossible("no replica configured (SOHOA_REPLICA_DIR or SOHOA_REPLICA_S3_ENDPOINT): nothing "
                                   "to repair the objects from")
        for problem in damaged:
            target, source = (store.replica, store.primary) if problem.copy == "replica" else \
                (store.primary, store.replica)
            events.append(restore_from(source, target, problem,
                                       lock_of(source, problem.file_code, backends.audit.lock_years),
                                       source.describe(), time, actor))
        if any(p.kind.startswith("index") for p in report.problems):
            total = rebuild_index(store, backends.index, damaged=lambda line: None)
            events.append(Event(random_event_id(), RECOVERY, time, software(), SUCCESS,
                                f"search index rebuilt from {store.describe()}: {total} records", None, (), actor))
        if not events:
            break
        backends.record(events)
        before, report = len(report.all_problems()), check_archive(backends, trust_roots=trust_roots)
        if not report.all_problems() or len(report.all_problems()) >= before:
            break
    log_verification(backends, report, actor)
    return report


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
