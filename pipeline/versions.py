"""A record's versions as object storage holds them: the one ingest made and each correction since."""
import json

from sohoa.archive.catalogue import checked_object, version_chain
from sohoa.archive.store import ObjectStore
from sohoa.pipeline.corrections import CORRECTABLE, file_code_of_doc


def checked_record(store: ObjectStore, key: str, sha256: str) -> dict:
    return json.loads(checked_object(store, key, sha256))


def stored_record(store: ObjectStore, doc_id: str) -> dict | None:
    """The record as the dossier's current version holds it; None when there is no such record."""
    chain, _ = version_chain(store, file_code_of_doc(doc_id))
    entry = next((d for d in chain[-1].manifest.documents if d.doc_id == doc_id), None) if chain else None
    return checked_record(store, entry.metadata_key, entry.metadata_sha256) if entry else None


def stored_dossier(store: ObjectStore, file_code: str) -> list[dict]:
    """The dossier's records as its current version holds them, in order; [] when it is not archived."""
    chain, _ = version_chain(store, file_code)
    return [checked_record(store, d.metadata_key, d.metadata_sha256) for d in chain[-1].manifest.documents] \
        if chain else []


def record_versions(store: ObjectStore, doc_id: str) -> list[dict]:
    """Each version of the dossier that changed the record, first to current: its number, when, by whom and
    why, the manifest that commits it, and the record's fields and PDF/A in it."""
    chain, _ = version_chain(store, file_code_of_doc(doc_id))
    versions, seen = [], None
    for version in chain:
        manifest = version.manifest
        entry = next((d for d in manifest.documents if d.doc_id == doc_id), None)
        if entry is None or entry.metadata_key == seen:
            continue
        seen = entry.metadata_key
        record = checked_record(store, entry.metadata_key, entry.metadata_sha256)
        versions.append({
            "version": manifest.version, "time": manifest.revised_at or manifest.ingested_at,
            "by": manifest.revised_by or manifest.operator, "reason": version_reason(record, manifest.version),
            "manifest": {"key": version.key, "sha256": version.sha256},
            "fields": {name: record.get(name) for name in CORRECTABLE},
            "needs_review": record.get("needs_review"), "review_reasons": record.get("review_reasons", []),
            "pdf": record["pdf"]})
    if versions:
        versions[-1]["current"] = True
    return versions


def version_reason(record: dict, version: int) -> str | None:
    """Why the record changed in this version: a reviewer's reason, or the renewal of its timestamp."""
    for change in (record.get("reviewed"), record.get("timestamp_renewed")):
        if change and change.get("version") == version:
            return change["reason"]
    return (record.get("reviewed") or {}).get("reason")
