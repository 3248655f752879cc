"""process_dossier(): the stages after OCR composed as plain functions.

Order makes an interrupted run safe to repeat: PDFs and metadata are stored first, the dossier
manifest (the commit mark) after them, the index last. Every write is idempotent: a repeat stores
the same bytes (deterministic PDFs, times fixed at the first attempt) or finds them already there.
"""
import datetime as dt
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from archive.audit import AuditLog
from archive.fixity import committed_objects
from archive.index import SearchIndex
from archive.package import aip_prefix, original_path, pdf_path
from archive.pdfa import build_pdfa
from archive.premis import INGESTION_END, REPLICATION, SUCCESS, Event, event_id
from archive.replica import ReplicatedStore
from archive.store import ObjectStore, StoredObject, WriteOnceError, sha256_hex
from archive.validate import PdfaVerdict, ValidatorMissing, check_pdfa
from archive.xml import vietnam_time
from classifiers.metadata import extract, review_reasons
from classifiers.segment import segment_dossier
from pipeline.backends import Backends
from pipeline.config import Settings
from pipeline.files import write_atomically
from pipeline.model import Document, DossierSource, FieldValue, RecognizedPage
from pipeline.packaging import (dossier_description, dossier_package, ingest_events, operator, retain_until,
                                software)
from pipeline.records import make_record

NO_HEADER = "no Decree 30 header found: pages not recognised as a document"
FIELD_NAMES = ("type_name", "type_code", "code_number", "code_notation", "issued_date", "organ_name",
               "subject", "signer_position", "signer_name", "secrecy", "urgency")


class DossierConflict(Exception):
    """The file code is already archived from different scans."""


class PendingWork(RuntimeError):
    """A backend failed part-way; the message names it and what a later run will complete."""


def pending_work(backend: str, exc: Exception, pending: str) -> PendingWork:
    return PendingWork(f"{backend} failed: {type(exc).__name__}: {exc}; pending: {pending}")


@dataclass
class DossierOutcome:
    file_code: str
    status: str  # "archived", "already archived"
    records: list[dict] = field(default_factory=list)


def manifest_key(file_code: str) -> str:
    return f"dossiers/{file_code}/manifest.json"


def analyse_dossier(file_code: str, pages: list[RecognizedPage], review_threshold: float
                    ) -> list[tuple[Document, dict]]:
    documents = []
    for ordinal, group in enumerate(segment_dossier(pages), 1):
        if group.has_header:
            fields, extra = extract(group)
            reasons = review_reasons(fields, review_threshold)
        else:
            fields = {name: FieldValue(None, 0.0) for name in FIELD_NAMES}
            extra, reasons = {}, [NO_HEADER]
        documents.append((Document(file_code, ordinal, group.pages, group.classes, fields, bool(reasons), reasons),
                          extra))
    return documents


def pdf_title(doc: Document) -> str:
    """"Quyết định 15/QĐ-UBND: Về việc …" where known, else the document id."""
    code = f"{doc.value('code_number')}/{doc.value('code_notation')}" if doc.value("code_number") else ""
    head = " ".join(v for v in (doc.value("type_name"), code) if v)
    subject = doc.value("subject")
    return f"{head}: {subject}" if head and subject else head or doc.doc_id


def work_folder(work_root: Path, source: DossierSource) -> Path:
    folder = work_root / source.file_code / source.fingerprint[:16]
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def discard_work(work_root: Path, source: DossierSource) -> None:
    """Drop a dossier's page cache and ingest mark, once it is committed or quarantined."""
    shutil.rmtree(work_root / source.file_code, ignore_errors=True)


def not_committed(source: DossierSource) -> str:
    return f"{source.file_code} not committed (its scans and OCR are kept)"


def ingest_start(folder: Path) -> tuple[dt.datetime, str]:
    """When this dossier's ingest first started and who ran it: fixed at the first attempt, so that a
    repeat writes identical objects."""
    state, legacy = folder / "started.json", folder / "started"  # legacy: a run of an older sohoa, time only
    if not state.exists():
        time = legacy.read_text().strip() if legacy.exists() else \
            dt.datetime.now().astimezone().isoformat(timespec="seconds")
        write_atomically(state, json.dumps({"time": time, "operator": operator(), "log_head": None}).encode())
    started = json.loads(state.read_text())
    return dt.datetime.fromisoformat(started["time"]), started["operator"]


def remember_log_head(folder: Path, head: int) -> int:
    """The audit log's head before this dossier's first events: where a repeat looks for them, so that
    no event is logged twice."""
    state = folder / "started.json"
    started = json.loads(state.read_text())
    if started["log_head"] is None:
        started["log_head"] = head
        write_atomically(state, json.dumps(started).encode())
    return started["log_head"]


def archived_records(store: ObjectStore, source: DossierSource) -> list[dict] | None:
    """Records of a dossier already committed from the same scans; None when not archived."""
    head = store.head(manifest_key(source.file_code))
    if head is None:
        return None
    manifest = json.loads(store.get(head.key))
    if manifest["fingerprint"] != source.fingerprint:
        raise DossierConflict(f"file code {source.file_code} is already archived from different scans "
                              f"(ingested {manifest['ingested_at']}); nothing was overwritten")
    return [json.loads(store.get(d["metadata_key"])) for d in manifest["documents"]]


def pdfa_review(record: dict, verdict: PdfaVerdict) -> None:
    record["pdfa"] = {"flavour": "2b", "valid": verdict.valid, "validator": verdict.validator, "detail": verdict.detail}
    if verdict.valid is False:
        record["needs_review"] = True
        record["review_reasons"].append(f"PDF/A-2b validation failed ({verdict.validator}): {verdict.detail}")


def dossier_records(source: DossierSource, pages: list[RecognizedPage], index: SearchIndex, started: dt.datetime,
                    settings: Settings) -> tuple[list[dict], list[bytes], list[PdfaVerdict], dict | None]:
    """Records, PDF/A files and their validation verdicts of every document, and the signed original."""
    analysed = analyse_dossier(source.file_code, pages, settings.review_threshold)
    pdfs = [build_pdfa(doc.pages, pdf_title(doc), started) for doc, _ in analysed]
    verdicts = check_pdfa(pdfs, settings.pdfa_validation)
    prefix = aip_prefix(source.file_code)
    original = None
    if source.signatures:
        data = source.path.read_bytes()
        original = {"key": prefix + original_path(source.path.name), "sha256": sha256_hex(data), "size": len(data),
                    "signatures": source.signatures}
    records = []
    for (doc, extra), pdf, verdict in zip(analysed, pdfs, verdicts):
        stored = StoredObject(prefix + pdf_path(doc.doc_id), sha256_hex(pdf), len(pdf), "application/pdf")
        record = make_record(doc, stored, extra)
        record["ingested_at"] = started.isoformat()
        if original:
            record["signed_original"] = original
        pdfa_review(record, verdict)
        try:
            duplicates = index.same_code(record)
        except Exception as exc:
            raise pending_work(f"search index ({index.describe()})", exc, not_committed(source)) from exc
        if duplicates:
            record["needs_review"] = True
            record["review_reasons"].append(f"same number, symbol and issuing body as {', '.join(duplicates)}")
        records.append(record)
    return records, pdfs, verdicts, original


def store_dossier(source: DossierSource, pages: list[RecognizedPage], backends: Backends, folder: Path,
                  settings: Settings) -> tuple[list[dict], list[Event]]:
    """The AIP and the records, checked once stored, the ingest's events in the audit log, then the
    manifest that commits them all."""
    store = backends.store
    started, actor = ingest_start(folder)
    records, pdfs, verdicts, original = dossier_records(source, pages, backends.index, started, settings)
    created = vietnam_time(started)
    events = ingest_events(source, records, verdicts, original, created, actor)
    prefix = aip_prefix(source.file_code)
    description = dossier_description(source.file_code, records, settings)
    until = retain_until(description["retention"], started, settings.lock_max_years)
    files = dossier_package(source, description, records, pdfs, events, created)
    package = [store.put(prefix + f.path, f.data, f.mime, until) for f in files]
    entries = []
    for record in records:
        meta = store.put(records_key(record["doc_id"], source.file_code),
                         json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"), "application/json", until)
        entries.append({"doc_id": record["doc_id"], "pdf_key": record["pdf"]["key"],
                        "pdf_sha256": record["pdf"]["sha256"],
                        "metadata_key": meta.key, "metadata_sha256": meta.sha256})
    manifest = {"file_code": source.file_code, "fingerprint": source.fingerprint, "source_kind": source.kind,
                "source_name": source.path.name, "ingested_at": started.isoformat(), "operator": actor,
                "page_count": len(pages), "retention": description["retention"], "retain_until": until.isoformat(),
                "documents": entries, "signed_original": original,
                "package": {"type": "AIP", "prefix": prefix,
                            "files": [{"key": f.key, "sha256": f.sha256, "size": f.size} for f in package]}}
    # Nothing is committed unless every object reads back with its checksum.
    for key, digest in committed_objects(manifest):
        stored = store.head(key)
        if stored is None or stored.sha256 != digest:
            raise RuntimeError(f"{key} did not read back with SHA-256 {digest}")
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    events += stored_events(source, store, manifest, manifest_bytes, created, actor)
    log_once(backends.audit, events, remember_log_head(folder, backends.audit.head()[0]))
    store.put(manifest_key(source.file_code), manifest_bytes, "application/json", until)
    return records, events


def stored_events(source: DossierSource, store: ObjectStore, manifest: dict, manifest_bytes: bytes, time: str,
                  actor: str) -> list[Event]:
    """What the package's own PREMIS cannot hold: its replication, and the commit with the manifest's checksum."""
    fc, scans = source.file_code, source.fingerprint
    objects = committed_objects(manifest)
    events = []
    if isinstance(store, ReplicatedStore):
        events.append(Event(event_id(scans, REPLICATION), REPLICATION, time, software(), SUCCESS,
                            f"{len(objects)} objects copied to {store.replica.describe()}", fc, (), actor))
    events.append(Event(event_id(scans, INGESTION_END), INGESTION_END, time, software(), SUCCESS,
                        f"AIP of {len(manifest['package']['files'])} files committed by its manifest; retention "
                        f"{manifest['retention']} until {manifest['retain_until'][:10]}", fc,
                        ((manifest["package"]["prefix"] + "METS.xml", manifest["package"]["files"][-1]["sha256"]),
                         (manifest_key(fc), sha256_hex(manifest_bytes))), actor))
    return events


def log_once(audit: AuditLog, events: list[Event], since: int) -> None:
    """Append the events not already logged by an earlier attempt of the same ingest."""
    logged = audit.logged_since(since)
    audit.append([e for e in events if e.identifier not in logged])


def records_key(doc_id: str, file_code: str) -> str:
    return f"dossiers/{file_code}/records/{doc_id}.json"


def process_dossier(source: DossierSource, pages: list[RecognizedPage], backends: Backends,
                    settings: Settings) -> DossierOutcome:
    existing = archived_records(backends.store, source)
    if existing is not None:
        index_records(backends.index, source, existing)  # completes an index write interrupted after the commit
        return DossierOutcome(source.file_code, "already archived", existing)
    folder = work_folder(settings.work_dir, source)
    try:
        records, events = store_dossier(source, pages, backends, folder, settings)
    except (DossierConflict, WriteOnceError, PendingWork, ValidatorMissing):
        raise
    except Exception as exc:
        raise pending_work(f"object storage ({backends.store.describe()})", exc, not_committed(source)) from exc
    index_records(backends.index, source, records)
    index_events(backends.index, events)
    discard_work(settings.work_dir, source)
    return DossierOutcome(source.file_code, "archived", records)


def index_events(index: SearchIndex, events: list[Event]) -> None:
    """Events are searchable too; the audit log in object storage stays their source."""
    try:
        index.upsert_events([e.to_json() for e in events])
    except Exception as exc:
        raise pending_work(f"search index ({index.describe()})", exc,
                           "the dossier is archived and its events logged, but they are not searchable yet "
                           "(run sohoa reindex)") from exc


def index_records(index: SearchIndex, source: DossierSource, records: list[dict]) -> None:
    try:
        index.upsert(records)
    except Exception as exc:
        raise pending_work(f"search index ({index.describe()})", exc,
                           f"{source.file_code} is archived but its {len(records)} records are not searchable "
                           f"yet (run the ingest again, or sohoa reindex)") from exc
