"""The committed dossiers in object storage: which there are, their manifests and their records.

A dossier exists for the archive once its manifest is stored; everything here reads from that. A
corrected dossier has later versions, each committed by a manifest naming the one before it: the current
version is the last of that chain, and it is what every reader gets unless it asks for the versions."""
import json
from dataclasses import dataclass
from typing import Callable, Iterator

from sohoa.archive.store import ObjectStore, sha256_hex
from sohoa.core.errors import DamagedArchive, ObjectMissing
from sohoa.core.keys import (DOSSIERS, dossier_prefix, file_code_of, is_manifest_key, is_version_manifest_key,
                             manifest_key, version_number, versions_prefix)
from sohoa.core.manifest import Manifest


def archived_file_codes(store: ObjectStore) -> list[str]:
    """The file code of every dossier with a stored manifest, in key order."""
    return [file_code_of(key) for key in store.list(DOSSIERS) if is_manifest_key(key)]


@dataclass(frozen=True)
class Version:
    key: str  # of its manifest
    sha256: str  # of its manifest as stored
    manifest: Manifest | None  # None: a later version's manifest that cannot be read (never in the chain)


def checked_object(store: ObjectStore, key: str, sha256: str) -> bytes:
    """The object, never handed out unless it matches its checksum."""
    try:
        data = store.get(key)
    except ObjectMissing as exc:
        raise DamagedArchive(f"{key} is missing: run sohoa verify (--repair)") from exc
    if sha256_hex(data) != sha256:
        raise DamagedArchive(f"{key} does not match its checksum {sha256}: run sohoa verify (--repair)")
    return data


def load_manifest(store: ObjectStore, file_code: str) -> Manifest | None:
    """The manifest of the dossier's current version; None when the dossier is not archived."""
    chain, _ = version_chain(store, file_code)
    return chain[-1].manifest if chain else None


def version_chain(store: ObjectStore, file_code: str) -> tuple[list[Version], list[Version]]:
    """(the versions in the chain, first to current; stored version manifests outside it). A later version
    belongs to the chain when it names the chain's last manifest, by key and SHA-256, as the one it follows."""
    if store.head(manifest_key(file_code)) is None:
        return [], []
    chain, outside = [read_version(store, manifest_key(file_code))], []
    later = sorted((k for k in store.list(versions_prefix(file_code)) if is_version_manifest_key(k)),
                   key=version_number)
    for key in later:
        version = read_version(store, key, later=True)
        if version.manifest is None:
            outside.append(version)
            continue
        previous = version.manifest.previous or {}
        if (previous.get("key"), previous.get("sha256")) == (chain[-1].key, chain[-1].sha256) \
                and version.manifest.version == version_number(key):
            chain.append(version)
        else:
            outside.append(version)
    return chain, outside


def read_version(store: ObjectStore, key: str, later: bool = False) -> Version:
    """The version a manifest commits. A later version's that cannot be read has no manifest: readers go on with
    the chain before it, and verify names it."""
    data = store.get(key)
    try:
        manifest = Manifest.from_bytes(data)
    except (ValueError, KeyError, TypeError, AttributeError):
        if not later:
            raise
        manifest = None
    return Version(key, sha256_hex(data), manifest)


def stored_records(store: ObjectStore, file_code: str | None = None,
                   damaged: Callable[[str], None] | None = None) -> Iterator[dict]:
    """Every committed record, dossier by dossier (or of one dossier): the source of truth. A record that
    is missing or does not match its manifest's checksum is never handed out: it is passed to damaged
    (a line naming it), or without that callback refused with DamagedArchive."""
    for key in store.list(dossier_prefix(file_code) if file_code else DOSSIERS):
        if is_manifest_key(key):
            yield from manifest_records(store, load_manifest(store, file_code_of(key)), damaged)


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
