"""Packages handed out of the archive: the stored AIP as a folder, a SIP for a historical archive
(folder and zip), and a BagIt bag for transfers and replicas. Each export is checked against the
dossier's manifest first (a damaged object is never handed out) and logged as a PREMIS access event."""
import datetime as dt
import json
import zipfile
from pathlib import Path

from archive.index import SearchIndex
from archive.mets import Header
from archive.package import Original, aip_prefix, build_package
from archive.premis import ACCESS, SUCCESS, Event, random_event_id
from archive.search import EventQuery
from archive.store import ObjectStore, sha256_hex
from archive.xml import vietnam_time
from pipeline.backends import Backends
from pipeline.config import Settings
from pipeline.packaging import dossier_description, operator, software
from pipeline.process import manifest_key

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member times: the same package zips to the same bytes


class ExportError(RuntimeError):
    pass


def load_manifest(store: ObjectStore, file_code: str) -> dict:
    head = store.head(manifest_key(file_code))
    if head is None:
        raise ExportError(f"dossier {file_code} is not archived")
    return json.loads(store.get(head.key))


def checked_get(store: ObjectStore, key: str, sha256: str) -> bytes:
    data = store.get(key)
    if sha256_hex(data) != sha256:
        raise ExportError(f"{key} does not match its checksum {sha256}: run sohoa verify (--repair)")
    return data


def new_folder(dest: Path, name: str) -> Path:
    folder = dest / name
    if folder.exists():
        raise ExportError(f"{folder} already exists; nothing was overwritten")
    folder.mkdir(parents=True)
    return folder


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    for path, data in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def log_access(backends: Backends, file_code: str, what: str, objects: list[tuple[str, str]]) -> None:
    backends.record([Event(random_event_id(), ACCESS, vietnam_time(dt.datetime.now()), software(), SUCCESS, what,
                           file_code, tuple(objects), operator())])


def aip_files(store: ObjectStore, file_code: str) -> dict[str, bytes]:
    """The stored AIP's files by their path in the package, each checked against the manifest."""
    manifest = load_manifest(store, file_code)
    package = manifest.get("package")
    if not package:
        raise ExportError(f"dossier {file_code} was archived before packages were stored: it has no AIP")
    prefix = package["prefix"]
    return {f["key"][len(prefix):]: checked_get(store, f["key"], f["sha256"]) for f in package["files"]}


def export_aip(backends: Backends, file_code: str, dest: Path) -> Path:
    files = aip_files(backends.store, file_code)
    folder = new_folder(dest, file_code)
    write_files(folder, files)
    log_access(backends, file_code, f"AIP exported to {folder}", [(aip_prefix(file_code) + "METS.xml",
                                                                  sha256_hex(files["METS.xml"]))])
    return folder


def sip_files(store: ObjectStore, index: SearchIndex, file_code: str, settings: Settings) -> dict[str, bytes]:
    """A SIP of the dossier as archived: the same PDF/A files, descriptions and ingest events."""
    manifest = load_manifest(store, file_code)
    records = [json.loads(checked_get(store, d["metadata_key"], d["metadata_sha256"])) for d in manifest["documents"]]
    documents = [(r, checked_get(store, r["pdf"]["key"], r["pdf"]["sha256"])) for r in records]
    signed = manifest.get("signed_original")
    original = Original(signed["key"].rsplit("/", 1)[-1], checked_get(store, signed["key"], signed["sha256"])) \
        if signed else None
    events = sorted((Event.from_json(e) for e in index.search_events(EventQuery(file_code=file_code, limit=10_000))
                     if e["type"] != ACCESS), key=lambda e: (e.time, e.identifier))
    header = Header(file_code, f"Hồ sơ {file_code}", "SIP", vietnam_time(dt.datetime.now()),
                    software().split(" ")[-1], settings.agency or "sohoa")
    files = build_package(header, dossier_description(file_code, records, settings), documents, original, events,
                          aip_prefix(file_code))
    return {f.path: f.data for f in files}


def export_sip(backends: Backends, file_code: str, dest: Path, settings: Settings) -> tuple[Path, Path]:
    """The SIP as a folder DEST/<file_code>/ and as DEST/<file_code>.zip holding that folder."""
    files = sip_files(backends.store, backends.index, file_code, settings)
    folder = new_folder(dest, file_code)
    write_files(folder, files)
    archive = dest / f"{file_code}.zip"
    with zipfile.ZipFile(archive, "x", compression=zipfile.ZIP_DEFLATED) as out:
        for path in sorted(files):
            out.writestr(zipfile.ZipInfo(f"{file_code}/{path}", ZIP_TIME), files[path])
    log_access(backends, file_code, f"SIP exported to {folder} and {archive}",
               [(archive.name, sha256_hex(archive.read_bytes()))])
    return folder, archive


def export_bag(backends: Backends, file_code: str, dest: Path, settings: Settings) -> Path:
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
    log_access(backends, file_code, f"AIP exported as a BagIt bag to {folder}",
               [(aip_prefix(file_code) + "METS.xml", sha256_hex(files["METS.xml"]))])
    return folder
