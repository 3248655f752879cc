"""The committed dossiers in object storage: which there are, their manifests and their records.

A dossier exists for the archive once its manifest is stored; everything here reads from that."""
import json
from typing import Callable, Iterator

from sohoa.archive.store import ObjectStore, sha256_hex
from sohoa.core.errors import DamagedArchive, ObjectMissing
from sohoa.core.keys import DOSSIERS, dossier_prefix, file_code_of, is_manifest_key, manifest_key
from sohoa.core.manifest import Manifest


def archived_file_codes(store: ObjectStore) -> list[str]:
    """The file code of every dossier with a stored manifest, in key order."""
    return [file_code_of(key) for key in store.list(DOSSIERS) if is_manifest_key(key)]


def load_manifest(store: ObjectStore, file_code: str) -> Manifest | None:
    """The dossier's manifest; None when the dossier is not archived."""
    if store.head(manifest_key(file_code)) is None:
        return None
    return Manifest.from_bytes(store.get(manifest_key(file_code)))


def stored_records(store: ObjectStore, file_code: str | None = None,
                   damaged: Callable[[str], None] | None = None) -> Iterator[dict]:
    """Every committed record, dossier by dossier (or of one dossier): the source of truth. A record that
    is missing or does not match its manifest's checksum is never handed out: it is passed to damaged
    (a line naming it), or without that callback refused with DamagedArchive."""
    for key in store.list(dossier_prefix(file_code) if file_code else DOSSIERS):
        if is_manifest_key(key):
            yield from manifest_records(store, Manifest.from_bytes(store.get(key)), damaged)


def manifest_records(store: ObjectStore, manifest: Manifest, damaged: Callable[[str], None] | None = None
                     ) -> Iterator[dict]:
    """The records a manifest commits, each checked against its checksum as stored_records does."""
    for entry in manifest.documents:
        try:
            data = store.get(entry.metadata_key)
        except ObjectMissing:
            data = None
        if data is not None and sha256_hex(data) == entry.metadata_sha256:
            yield json.loads(data)
            continue
        problem = (f"record {entry.metadata_key} " + ("is missing" if data is None else
                   f"does not match the SHA-256 its manifest commits ({entry.metadata_sha256[:16]}…)")
                   + ": refused; run sohoa verify")
        if damaged is None:
            raise DamagedArchive(problem)
        damaged(problem)
