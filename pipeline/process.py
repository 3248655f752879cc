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

from archive.fixity import committed_objects
from archive.index import SearchIndex
from archive.pdfa import build_pdfa
from archive.store import ObjectStore, WriteOnceError
from classifiers.metadata import extract, review_reasons
from classifiers.segment import segment_dossier
from pipeline.files import write_atomically
from pipeline.model import Document, DossierSource, FieldValue, RecognizedPage
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


def ingest_time(folder: Path) -> dt.datetime:
    """When this dossier's ingest first started: fixed so that a repeat writes identical objects."""
    state = folder / "started"
    if not state.exists():
        write_atomically(state, dt.datetime.now().astimezone().isoformat(timespec="seconds").encode())
    return dt.datetime.fromisoformat(state.read_text().strip())


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


def store_dossier(source: DossierSource, pages: list[RecognizedPage], store: ObjectStore, index: SearchIndex,
                  started: dt.datetime, review_threshold: float) -> list[dict]:
    """PDFs and metadata of every document, checked once stored, then the manifest that commits them."""
    records, entries = [], []
    prefix = f"dossiers/{source.file_code}/"
    original = signed_original(source, store, prefix)
    for doc, extra in analyse_dossier(source.file_code, pages, review_threshold):
        pdf = store.put(prefix + doc.doc_id + ".pdf", build_pdfa(doc.pages, pdf_title(doc), started),
                        "application/pdf")
        record = make_record(doc, pdf, extra)
        record["ingested_at"] = started.isoformat()
        if original:
            record["signed_original"] = original
        try:
            duplicates = index.same_code(record)
        except Exception as exc:
            raise pending_work(f"search index ({index.describe()})", exc, not_committed(source)) from exc
        if duplicates:
            record["needs_review"] = True
            record["review_reasons"].append(f"same number, symbol and issuing body as {', '.join(duplicates)}")
        meta = store.put(prefix + doc.doc_id + ".json",
                         json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"), "application/json")
        records.append(record)
        entries.append({"doc_id": doc.doc_id, "pdf_key": pdf.key, "pdf_sha256": pdf.sha256,
                        "metadata_key": meta.key, "metadata_sha256": meta.sha256})
    # Nothing is committed unless every object reads back with its checksum.
    for key, digest in committed_objects({"documents": entries, "signed_original": original}):
        stored = store.head(key)
        if stored is None or stored.sha256 != digest:
            raise RuntimeError(f"{key} did not read back with SHA-256 {digest}")
    manifest = {"file_code": source.file_code, "fingerprint": source.fingerprint, "source_kind": source.kind,
                "source_name": source.path.name, "ingested_at": started.isoformat(),
                "page_count": len(pages), "documents": entries, "signed_original": original}
    store.put(manifest_key(source.file_code), json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"),
              "application/json")
    return records


def signed_original(source: DossierSource, store: ObjectStore, prefix: str) -> dict | None:
    """A digitally signed PDF is archived as it came, beside the PDF/A files made from it: its signature
    covers those exact bytes."""
    if not source.signatures:
        return None
    stored = store.put(f"{prefix}original/{source.path.name}", source.path.read_bytes(), "application/pdf")
    return {"key": stored.key, "sha256": stored.sha256, "size": stored.size, "signatures": source.signatures}


def process_dossier(source: DossierSource, pages: list[RecognizedPage], store: ObjectStore,
                    index: SearchIndex, work_root: Path, review_threshold: float) -> DossierOutcome:
    existing = archived_records(store, source)
    if existing is not None:
        index_records(index, source, existing)  # completes an index write interrupted after the commit
        return DossierOutcome(source.file_code, "already archived", existing)
    folder = work_folder(work_root, source)
    started = ingest_time(folder)
    try:
        records = store_dossier(source, pages, store, index, started, review_threshold)
    except (DossierConflict, WriteOnceError, PendingWork):
        raise
    except Exception as exc:
        raise pending_work(f"object storage ({store.describe()})", exc, not_committed(source)) from exc
    index_records(index, source, records)
    discard_work(work_root, source)
    return DossierOutcome(source.file_code, "archived", records)


def index_records(index: SearchIndex, source: DossierSource, records: list[dict]) -> None:
    try:
        index.upsert(records)
    except Exception as exc:
        raise pending_work(f"search index ({index.describe()})", exc,
                           f"{source.file_code} is archived but its {len(records)} records are not searchable "
                           f"yet (run the ingest again, or sohoa reindex)") from exc
