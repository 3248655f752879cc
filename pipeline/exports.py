"""Packages handed out of the archive: the stored AIP as a folder, a SIP for a historical archive
(folder and zip), and a BagIt bag for transfers and replicas. Each export is checked against the
dossier's manifest first (a damaged object is never handed out) and logged as a PREMIS access event."""
import datetime as dt
import json
import zipfile
from pathlib import Path

from sohoa.archive.catalogue import checked_object, load_manifest, version_chain
from sohoa.archive.index import SearchIndex
from sohoa.archive.mets import Header
from sohoa.archive.package import Original, build_package
from sohoa.archive.premis import ACCESS, Event
from sohoa.archive.search import EventQuery
from sohoa.archive.store import ObjectStore, sha256_hex
from sohoa.archive.xml import vietnam_time
from sohoa.core.errors import ExportRefused
from sohoa.core.keys import aip_prefix, package_path
from sohoa.core.manifest import Manifest
from sohoa.core.settings import Settings
from sohoa.pipeline.access_events import log_access
from sohoa.pipeline.agents import software
from sohoa.pipeline.backends import Backends
from sohoa.pipeline.new_version import described_dossier

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member times: the same package zips to the same bytes


def archived_manifest(store: ObjectStore, file_code: str) -> Manifest:
    manifest = load_manifest(store, file_code)
    if manifest is None:
        raise ExportRefused(f"dossier {file_code} is not archived")
    return manifest


def new_folder(dest: Path, name: str) -> Path:
    folder = dest / name
    if folder.exists():
        raise ExportRefused(f"{folder} already exists; nothing was overwritten")
    folder.mkdir(parents=True)
    return folder


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    for path, data in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def versioned_manifest(store: ObjectStore, file_code: str, version: int | None) -> Manifest:
    """The manifest of the dossier's current version, or of the version asked for."""
    if version is None:
        return archived_manifest(store, file_code)
    chain, _ = version_chain(store, file_code)
    found = next((v.manifest for v in chain if v.manifest.version == version), None)
    if found is None:
        raise ExportRefused(f"dossier {file_code} has no version {version} (versions: "
                            f"{', '.join(str(v.manifest.version) for v in chain) or 'none'})")
    return found


def aip_files(store: ObjectStore, file_code: str, version: int | None = None) -> dict[str, bytes]:
    """The stored AIP's files by their path in the package, each checked against the manifest. A later
    version's AIP is whole: the files it changed and those it keeps from earlier versions."""
    package = versioned_manifest(store, file_code, version).package
    if not package:
        raise ExportRefused(f"dossier {file_code} was archived before packages were stored: it has no AIP")
    return {package_path(f.key): checked_object(store, f.key, f.sha256) for f in package.files}


def export_aip(backends: Backends, file_code: str, dest: Path, actor: str, version: int | None = None) -> Path:
    files = aip_files(backends.store, file_code, version)
    folder = new_folder(dest, file_code)
    write_files(folder, files)
    mets = versioned_manifest(backends.store, file_code, version).package.files[-1]
    log_access(backends, file_code, f"AIP exported to {folder}", [(mets.key, mets.sha256)], actor)
    return folder


def sip_files(store: ObjectStore, index: SearchIndex, file_code: str, settings: Settings) -> dict[str, bytes]:
    """A SIP of the dossier as archived: the same PDF/A files, descriptions and ingest events."""
    manifest = archived_manifest(store, file_code)
    records = [json.loads(checked_object(store, d.metadata_key, d.metadata_sha256)) for d in manifest.documents]
    documents = [(r, checked_object(store, r["pdf"]["key"], r["pdf"]["sha256"])) for r in records]
    signed = manifest.signed_original
    original = Original(signed["key"].rsplit("/", 1)[-1], checked_object(store, signed["key"], signed["sha256"])) \
        if signed else None
    events = sorted((Event.from_json(e) for e in index.search_events(EventQuery(file_code=file_code, limit=10_000))
                     if e["type"] != ACCESS), key=lambda e: (e.time, e.identifier))
    header = Header(file_code, f"Hồ sơ {file_code}", "SIP", vietnam_time(dt.datetime.now()),
                    software().split(" ")[-1], settings.agency or "sohoa")
    files = build_package(header, described_dossier(file_code, records, settings, manifest.retention, manifest.dossier),
                          documents, original, events, aip_prefix(file_code))
    return {f.path: f.data for f in files}


def export_sip(backends: Backends, file_code: str, dest: Path, settings: Settings, actor: str) -> tuple[Path, Path]:
    """The SIP as a folder DEST/<file_code>/ and as DEST/<file_code>.zip holding that folder."""
    files = sip_files(backends.store, backends.index, file_code, settings)
    folder = new_folder(dest, file_code)
    write_files(folder, files)
    archive = dest / f"{file_code}.zip"
    with zipfile.ZipFile(archive, "x", compression=zipfile.ZIP_DEFLATED) as out:
        for path in sorted(files):
            out.writestr(zipfile.ZipInfo(f"{file_code}/{path}", ZIP_TIME), files[path])
    log_access(backends, file_code, f"SIP exported to {folder} and {archive}",
               [(archive.name, sha256_hex(archive.read_bytes()))], actor)
    return folder, archive


def export_bag(backends: Backends, file_code: str, dest: Path, settings: Settings, actor: str) -> Path:
    """The AIP in a BagIt bag (RFC 8493) with SHA-256 manifests."""
    import bagit

    files = aip_files(backends.store, file_code)
    folder = new_folder(dest, file_code)
    write_files(folder, files)
    info = {"External-Identifier": file_code, "Bag-Software-Agent": software(),
            "External-Description": f"AIP of dossier {file_code} (E-ARK CSIP 2, TT05)"}
    if settings.agency:
        info["Source-Organization"] = settings.agency
    bagit.make_bag(str(folder), info, checksums=["sha256"])
    mets = versioned_manifest(backends.store, file_code, None).package.files[-1]
    log_access(backends, file_code, f"AIP exported as a BagIt bag to {folder}", [(mets.key, mets.sha256)], actor)
    return folder
