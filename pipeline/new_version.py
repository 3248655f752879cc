"""A new version of a dossier, committed: what it changes stored beside the earlier versions' objects, its
AIP whole again (files that did not change keep the keys they were stored under), its manifest naming the
one it follows, and its commit in the audit log before the manifest is stored (as an ingest commits)."""
import datetime as dt
from contextlib import contextmanager

from sohoa.archive.catalogue import Version, checked_object
from sohoa.archive.mets import Header
from sohoa.archive.package import Original, build_package
from sohoa.archive.premis import Event
from sohoa.archive.store import sha256_hex
from sohoa.archive.xml import vietnam_time
from sohoa.core.errors import BackendUnavailable, CorrectionRefused, DamagedArchive
from sohoa.core.keys import aip_prefix, package_path, record_key, version_manifest_key, version_number, versions_prefix
from sohoa.core.manifest import DocumentEntry, Manifest, PackageEntry, PackageFile
from sohoa.core.settings import Settings
from sohoa.pipeline.agents import software
from sohoa.pipeline.backends import Backends
from sohoa.pipeline.packaging import dossier_description, lock_until


@contextmanager
def dossier_locked(backends: Backends, file_code: str):
    """The dossier's lock for one change: two changes never write the same version."""
    holder = backends.locks.acquire(file_code)
    if holder is not None:
        raise CorrectionRefused(f"dossier {file_code} is being changed by {holder}; try again in a moment")
    try:
        yield
    finally:
        backends.locks.release(file_code)


def described_dossier(file_code: str, records: list[dict], settings: Settings, retention: str | None,
                      corrected: dict | None) -> dict:
    """The dossier's description as its EAD gives it: read from its records and cover, with the retention it
    was archived under and the fields a reviewer corrected."""
    description = dossier_description(file_code, records, settings)
    description["retention"] = retention
    description.update(corrected or {})
    return description


def next_version(backends: Backends, file_code: str, current: Version) -> int:
    """One past every version number used, committed or left by a correction cut short."""
    used = [version_number(key) or 1 for key in backends.store.list(versions_prefix(file_code))]
    return max(used + [current.manifest.version]) + 1


def store_version(backends: Backends, settings: Settings, current: Version, records: list[dict],
                  changed: dict[str, tuple[bytes, bytes]], event: Event, version: int, now: dt.datetime,
                  actor: str, dossier: dict | None = None) -> Manifest:
    """Store what the version changes (its package files that differ, the changed records) and return the
    manifest that will commit it. records: the dossier's records in the new version, in order; changed: doc_id ->
    (PDF/A, record JSON) of those new or changed; dossier: the dossier's fields it corrects."""
    store, before = backends.store, current.manifest
    file_code = before.file_code
    started = dt.datetime.fromisoformat(before.ingested_at)
    until = lock_until(before.retention, started, settings.lock_max_years)
    pdfs = [changed[r["doc_id"]][0] if r["doc_id"] in changed else checked_object(store, r["pdf"]["key"],
                                                                                    r["pdf"]["sha256"])
            for r in records]  # a damaged object is refused, never carried into a version under a new checksum
    original = None
    if before.signed_original:
        original = Original(package_path(before.signed_original["key"]).rpartition("/")[2],
                            checked_object(store, before.signed_original["key"], before.signed_original["sha256"]))
    corrected = {**(before.dossier or {}), **(dossier or {})}
    description = described_dossier(file_code, records, settings, before.retention, corrected)
    header = Header(file_code, description["title"], "AIP", vietnam_time(started), software().split(" ")[-1],
                    modified=vietnam_time(now))
    premis = next(f for f in before.package.files if package_path(f.key) == "metadata/preservation/PREMIS.xml")
    earlier_premis = checked_object(store, premis.key, premis.sha256)
    prefix = aip_prefix(file_code, version)
    files = build_package(header, description, list(zip(records, pdfs)), original, [event], prefix, earlier_premis)
    kept = {(package_path(f.key), f.sha256): f for f in before.package.files}
    stored = []
    for f in files:
        same = kept.get((f.path, f.sha256))
        stored.append(same or PackageFile(store.put(prefix + f.path, f.data, f.mime, until).key, f.sha256, f.size))
    kept_entries, entries = {d.doc_id: d for d in before.documents}, []
    for record in records:
        entry = kept_entries.get(record["doc_id"])
        if record["doc_id"] in changed:
            data = changed[record["doc_id"]][1]
            meta = store.put(record_key(file_code, record["doc_id"], version), data, "application/json", until)
            entry = DocumentEntry(record["doc_id"], record["pdf"]["key"], record["pdf"]["sha256"], meta.key,
                                  meta.sha256)
        entries.append(entry)
    manifest = Manifest(file_code, before.fingerprint, before.source_kind, before.source_name, before.ingested_at,
                        before.operator, before.page_count, before.retention, before.retain_until, tuple(entries),
                        before.signed_original, PackageEntry("AIP", prefix, tuple(stored)), version=version,
                        previous={"version": before.version, "key": current.key, "sha256": current.sha256},
                        revised_at=now.isoformat(timespec="seconds"), revised_by=actor, dossier=corrected or None)
    for key, digest in manifest.committed_objects():
        head = store.head(key)
        if head is None or head.sha256 != digest:
            raise DamagedArchive(f"{key} did not read back with SHA-256 {digest}; the correction was not committed")
    return manifest


def commit_version(backends: Backends, settings: Settings, current: Version, records: list[dict],
                   changed: dict[str, tuple[bytes, bytes]], event: Event, version: int, now: dt.datetime,
                   dossier: dict | None = None) -> Manifest:
    """Store the version, log its event with the manifest's key and SHA-256 (the commit), then store the
    manifest. A run cut short before the manifest leaves objects no manifest commits: `sohoa verify` names
    them, and the next version takes the next number."""
    manifest = store_version(backends, settings, current, records, changed, event, version, now, event.actor, dossier)
    data = manifest.to_bytes()
    key = version_manifest_key(manifest.file_code, version)
    commit = Event(event.identifier, event.type, event.time, event.agent, event.outcome, event.detail,
                   event.file_code, event.objects + ((key, sha256_hex(data)),), event.actor)
    backends.audit.append([commit])
    started = dt.datetime.fromisoformat(manifest.ingested_at)
    backends.store.put(key, data, "application/json", lock_until(manifest.retention, started, settings.lock_max_years))
    try:  # the log is the event's source: sohoa reindex catches the index up
        backends.index.upsert_events([commit.to_json()])
    except BackendUnavailable:
        pass
    return manifest
