"""Ingest one recognised dossier: its documents analysed, PDF/As built and validated, the AIP and the
records stored, the dossier committed by its manifest, and the records indexed.

Order makes an interrupted run safe to repeat: PDFs and metadata are stored first, the dossier
manifest (the commit mark) after them, the index last. Every write is idempotent: a repeat stores
the same bytes (deterministic PDFs, times fixed at the first attempt) or finds them already there.
"""
import datetime as dt
import json
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sohoa.archive.audit import AuditLog
from sohoa.archive.catalogue import load_manifest, manifest_records
from sohoa.archive.index import SearchIndex
from sohoa.archive.pdfa import build_pdfa
from sohoa.archive.premis import INGESTION_END, REPLICATION, SUCCESS, Event, event_id
from sohoa.archive.replica import ReplicatedStore
from sohoa.archive.store import ObjectStore, StoredObject, sha256_hex
from sohoa.archive.validate import PdfaVerdict, check_pdfa
from sohoa.archive.xml import vietnam_time
from sohoa.core.errors import BackendUnavailable, DamagedArchive, DossierConflict, PendingWork, WriteOnceError
from sohoa.core.keys import aip_prefix, attempt_key, manifest_key, original_key, pdf_key, record_key
from sohoa.core.manifest import DocumentEntry, Manifest, PackageEntry, PackageFile
from sohoa.core.model import Document, DossierSource, RecognizedPage
from sohoa.core.settings import Settings
from sohoa.pipeline.agency_signing import signature_record, signed_pdfs
from sohoa.pipeline.agents import software
from sohoa.pipeline.analysis import analyse_dossier, pdf_title
from sohoa.pipeline.backends import Backends
from sohoa.pipeline.intake import set_pixel_limit
from sohoa.pipeline.packaging import dossier_description, dossier_package, ingest_events, lock_until, retention_end
from sohoa.pipeline.records import make_record


@dataclass
class DossierOutcome:
    file_code: str
    status: str  # "archived", "already archived"
    records: list[dict] = field(default_factory=list)


def work_folder(work_root: Path, source: DossierSource) -> Path:
    folder = work_root / source.file_code / source.fingerprint[:16]
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def discard_work(work_root: Path, source: DossierSource) -> None:
    """Drop a dossier's page cache and ingest mark, once it is committed or quarantined."""
    shutil.rmtree(work_root / source.file_code, ignore_errors=True)


def not_committed(source: DossierSource) -> str:
    return f"{source.file_code} not committed (its scans and OCR are kept)"


@dataclass(frozen=True)
class Attempt:
    """When this dossier's ingest first started, who ran it, and the audit log's head then (where a repeat
    looks for the events already logged). Kept in object storage, not in the work cache, so that a repeat
    writes identical objects and logs nothing twice whatever happened to this machine's work folder."""
    started: dt.datetime
    operator: str
    log_head: int
    batch: str  # the name of the batch folder the dossier came in, where review and quality reports group it


def ingest_attempt(backends: Backends, source: DossierSource, actor: str) -> Attempt:
    key = attempt_key(source.file_code, source.fingerprint)
    first = {"time": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "operator": actor,
             "log_head": backends.audit.head()[0], "batch": batch_name(source)}
    try:
        backends.store.put(key, json.dumps(first).encode(), "application/json")
    except WriteOnceError:  # an earlier attempt: its start stands
        pass
    state = json.loads(backends.store.get(key))
    return Attempt(dt.datetime.fromisoformat(state["time"]), state["operator"], state["log_head"],
                   state.get("batch") or batch_name(source))


def batch_name(source: DossierSource) -> str:
    return source.path.parent.name


def archived_records(store: ObjectStore, source: DossierSource) -> list[dict] | None:
    """Records of a dossier already committed from the same scans, each checked against its manifest (a
    tampered one is refused with DamagedArchive, never indexed again); None when not archived."""
    manifest = load_manifest(store, source.file_code)
    if manifest is None:
        return None
    if manifest.fingerprint != source.fingerprint:
        raise DossierConflict(f"file code {source.file_code} is already archived from different scans "
                              f"(ingested {manifest.ingested_at}); nothing was overwritten")
    return list(manifest_records(store, manifest))


def pdfa_review(record: dict, verdict: PdfaVerdict) -> None:
    record["pdfa"] = {"flavour": "2b", "valid": verdict.valid, "validator": verdict.validator, "detail": verdict.detail}
    if verdict.valid is False:
        record["needs_review"] = True
        record["review_reasons"].append(f"PDF/A-2b validation failed ({verdict.validator}): {verdict.detail}")


def pdfa_files(documents: list[Document], created: dt.datetime, max_page_pixels: int) -> list[bytes]:
    """The PDF/A file of each document. Their archival images passed intake under the page limit: here, in the
    command's process, Pillow must open them under the same, not under its own default (89 Mpx)."""
    set_pixel_limit(max_page_pixels)
    return [build_pdfa(doc.pages, pdf_title(doc), created) for doc in documents]


def dossier_records(source: DossierSource, pages: list[RecognizedPage], backends: Backends, attempt: Attempt,
                    settings: Settings) -> tuple[list[dict], list[bytes], list[PdfaVerdict], dict | None]:
    """Records, PDF/A files (signed by the agency when signing is on) and their validation verdicts of every
    document, and the signed original."""
    started = attempt.started
    analysed = analyse_dossier(source.file_code, pages, settings.review_threshold)
    pdfs = pdfa_files([doc for doc, _ in analysed], started, settings.max_page_pixels)
    pdfs = signed_pdfs(pdfs, [pdf_key(source.file_code, doc.doc_id) for doc, _ in analysed], backends.store, settings)
    verdicts = check_pdfa(pdfs, settings.pdfa_validation, settings.verapdf_lib)
    original = None
    if source.signatures:
        data = source.path.read_bytes()
        original = {"key": original_key(source.file_code, source.path.name), "sha256": sha256_hex(data),
                    "size": len(data), "signatures": source.signatures}
    records = []
    for (doc, extra), pdf, verdict in zip(analysed, pdfs, verdicts):
        stored = StoredObject(pdf_key(source.file_code, doc.doc_id), sha256_hex(pdf), len(pdf), "application/pdf")
        record = make_record(doc, stored, extra)
        record["ingested_at"], record["batch"] = started.isoformat(), attempt.batch
        if original:
            record["signed_original"] = original
        pdfa_review(record, verdict)
        if settings.signing:
            record["signature"] = signature_record(pdf)
        duplicates = backends.index.same_code(record)
        if duplicates:
            record["needs_review"] = True
            record["review_reasons"].append(f"same number, symbol and issuing body as {', '.join(duplicates)}")
        records.append(record)
    return records, pdfs, verdicts, original


def store_dossier(source: DossierSource, pages: list[RecognizedPage], backends: Backends, settings: Settings
                  ) -> tuple[list[dict], list[Event]]:
    """The AIP and the records, checked once stored, the ingest's events in the audit log, then the
    manifest that commits them all."""
    store = backends.store
    attempt = ingest_attempt(backends, source, settings.operator)
    started, actor = attempt.started, attempt.operator
    records, pdfs, verdicts, original = dossier_records(source, pages, backends, attempt, settings)
    created = vietnam_time(started)
    events = ingest_events(source, records, verdicts, original, created, actor)
    prefix = aip_prefix(source.file_code)
    description = dossier_description(source.file_code, records, settings)
    for record in records:  # what access control reads of the dossier
        record.update(access_mode=description["access_mode"], unit=settings.unit)
    until = lock_until(description["retention"], started, settings.lock_max_years)
    ends = retention_end(description["retention"], started)
    files = dossier_package(source, description, records, pdfs, events, created)
    package = [store.put(prefix + f.path, f.data, f.mime, until) for f in files]
    entries = []
    for record in records:
        meta = store.put(record_key(source.file_code, record["doc_id"]),
                         json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"), "application/json", until)
        entries.append(DocumentEntry(record["doc_id"], record["pdf"]["key"], record["pdf"]["sha256"], meta.key,
                                     meta.sha256))
    manifest = Manifest(source.file_code, source.fingerprint, source.kind, source.path.name, started.isoformat(), actor,
                        len(pages), description["retention"], ends.isoformat() if ends else None, tuple(entries),
                        original,
                        PackageEntry("AIP", prefix, tuple(PackageFile(f.key, f.sha256, f.size) for f in package)))
    # Nothing is committed unless every object reads back with its checksum.
    for key, digest in manifest.committed_objects():
        stored = store.head(key)
        if stored is None or stored.sha256 != digest:
            raise DamagedArchive(f"{key} did not read back with SHA-256 {digest}; {not_committed(source)}")
    manifest_bytes = manifest.to_bytes()
    events += stored_events(source, store, manifest, manifest_bytes, created, actor)
    log_once(backends.audit, events, attempt.log_head)
    store.put(manifest_key(source.file_code), manifest_bytes, "application/json", until)
    return records, events


def stored_events(source: DossierSource, store: ObjectStore, manifest: Manifest, manifest_bytes: bytes, time: str,
                  actor: str) -> list[Event]:
    """What the package's own PREMIS cannot hold: its replication, and the commit with the manifest's checksum."""
    fc, scans = source.file_code, source.fingerprint
    mets = manifest.package.prefix + "METS.xml"
    events = []
    if isinstance(store, ReplicatedStore):
        events.append(Event(event_id(fc, scans, REPLICATION), REPLICATION, time, software(), SUCCESS,
                            f"{len(manifest.committed_objects())} objects copied to {store.replica.describe()}", fc,
                            (), actor))
    events.append(Event(event_id(fc, scans, INGESTION_END), INGESTION_END, time, software(), SUCCESS,
                        f"AIP of {len(manifest.package.files)} files committed by its manifest; retention "
                        f"{manifest.retention} " + (f"until {manifest.retain_until[:10]}" if manifest.retain_until
                                                    else "for ever"), fc,
                        ((mets, manifest.package.sha256_of(mets)), (manifest_key(fc), sha256_hex(manifest_bytes))),
                        actor))
    return events


def log_once(audit: AuditLog, events: list[Event], since: int) -> None:
    """Append the events not already logged by an earlier attempt of the same ingest."""
    logged = audit.logged_since(since)
    audit.append([e for e in events if e.identifier not in logged])


def process_dossier(source: DossierSource, pages: list[RecognizedPage], backends: Backends,
                    settings: Settings) -> DossierOutcome:
    """Archive the dossier, or find it archived already. A backend failing part-way is PendingWork naming
    it and what a repeat completes; any other exception is a bug and leaves as it is."""
    with pending_unless_committed(source):
        existing = archived_records(backends.store, source)
    if existing is not None:
        index_records(backends.index, source, existing)  # completes an index write interrupted after the commit
        return DossierOutcome(source.file_code, "already archived", existing)
    with pending_unless_committed(source):
        records, events = store_dossier(source, pages, backends, settings)
    forget_attempt(backends, source)
    index_records(backends.index, source, records)
    index_events(backends.index, events)
    discard_work(settings.work_dir, source)
    return DossierOutcome(source.file_code, "archived", records)


def forget_attempt(backends: Backends, source: DossierSource) -> None:
    """The attempt record has served once the dossier is committed; one left behind costs nothing."""
    try:
        backends.store.delete(attempt_key(source.file_code, source.fingerprint))
    except BackendUnavailable:
        pass


@contextmanager
def pending_unless_committed(source: DossierSource):
    """A backend failing before the commit leaves the dossier pending, its scans and OCR kept."""
    try:
        yield
    except PendingWork:
        raise
    except BackendUnavailable as exc:
        raise PendingWork(f"{exc}; pending: {not_committed(source)}") from exc


def index_events(index: SearchIndex, events: list[Event]) -> None:
    """Events are searchable too; the audit log in object storage stays their source."""
    try:
        index.upsert_events([e.to_json() for e in events])
    except BackendUnavailable as exc:
        raise PendingWork(f"{exc}; pending: the dossier is archived and its events logged, but they are not "
                          "searchable yet (run sohoa reindex)") from exc


def index_records(index: SearchIndex, source: DossierSource, records: list[dict]) -> None:
    try:
        index.upsert(records)
    except BackendUnavailable as exc:
        raise PendingWork(f"{exc}; pending: {source.file_code} is archived but its {len(records)} records are not "
                          "searchable yet (run the ingest again, or sohoa reindex)") from exc
