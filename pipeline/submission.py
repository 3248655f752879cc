"""Scans any worker can read: a batch checked as intake checks it, each accepted dossier's files put in
object storage under incoming/ with their SHA-256 (write-once), and a PREMIS transfer event per dossier.

A worker on another machine fetches a dossier's files back into a folder named after its batch, so that
the dossier, its file code, its fingerprint and its batch are exactly what a local ingest would see.
"""
import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from sohoa.archive.catalogue import load_manifest
from sohoa.archive.premis import SUCCESS, TRANSFER, Event, event_id
from sohoa.archive.store import ObjectStore
from sohoa.archive.xml import vietnam_time
from sohoa.core.errors import DamagedArchive, DossierConflict, ObjectMissing, WriteOnceError
from sohoa.core.keys import incoming_batch_prefix, incoming_file_key, outcome_key, submission_key
from sohoa.core.model import DossierSource, Rejection
from sohoa.core.settings import Settings
from sohoa.pipeline import batch as steps
from sohoa.pipeline.agents import software
from sohoa.pipeline.backends import Backends
from sohoa.pipeline.ingest import archived_records
from sohoa.pipeline.progress import ProgressSink
from sohoa.pipeline.summary import DossierResult


@dataclass(frozen=True)
class Submission:
    """One dossier's scans as submitted: enough to lay them out again exactly as they came."""
    batch: str
    file_code: str
    name: str  # the dossier's folder or file name in the batch
    kind: str  # "folder", "pdf", "tiff" or "image"
    files: tuple[tuple[str, str, int], ...]  # (file name, SHA-256, bytes), in page order
    fingerprint: str
    pages: int
    submitted_at: str
    submitted_by: str

    def to_json(self) -> dict:
        return {**self.__dict__, "files": [list(f) for f in self.files]}

    @classmethod
    def from_json(cls, data: dict) -> "Submission":
        return cls(**{**data, "files": tuple(tuple(f) for f in data["files"])})


def source_files(source: DossierSource) -> list[Path]:
    """The files a dossier's pages come from, each once, in page order."""
    return list(dict.fromkeys(ref.path for ref in source.pages))


def read_submission(store: ObjectStore, batch: str, file_code: str) -> Submission | None:
    try:
        return Submission.from_json(json.loads(store.get(submission_key(batch, file_code))))
    except ObjectMissing:
        return None


def submit_dossier(source: DossierSource, batch: str, backends: Backends, actor: str) -> Submission:
    """Put a checked dossier's scans under incoming/, log the transfer, then write its submission record (its
    presence means every file is there and the transfer is logged; a submit cut short before it logs the
    transfer again, under the same event id). The same scans submitted already give the earlier submission.
    Other scans already submitted under the same file code in this batch are a DossierConflict: nothing is
    overwritten."""
    earlier = read_submission(backends.store, batch, source.file_code)
    if earlier is not None:
        if earlier.fingerprint != source.fingerprint:
            raise DossierConflict(f"file code {source.file_code} was already submitted in batch {batch} from other "
                                  f"scans ({earlier.submitted_at}); nothing was overwritten: submit corrected "
                                  "scans in a batch of another name")
        return earlier
    files, objects = [], []
    for path in source_files(source):
        stored = backends.store.put(incoming_file_key(batch, source.file_code, path.name), path.read_bytes(),
                                    "application/octet-stream")
        files.append((path.name, stored.sha256, stored.size))
        objects.append((stored.key, stored.sha256))
    submission = Submission(batch, source.file_code, source.path.name, source.kind, tuple(files), source.fingerprint,
                            len(source.pages), dt.datetime.now().astimezone().isoformat(timespec="seconds"), actor)
    backends.record([Event(event_id(TRANSFER, source.file_code, source.fingerprint, batch), TRANSFER,
                           vietnam_time(dt.datetime.now()), software(), SUCCESS,
                           f"{len(files)} scan file(s), {len(source.pages)} page(s) of batch {batch} submitted for "
                           "ingest by the workers", source.file_code, tuple(objects), actor)])
    backends.store.put(submission_key(batch, source.file_code), json.dumps(submission.to_json()).encode(),
                       "application/json")
    return submission


def fetch_submission(store: ObjectStore, submission: Submission, work_root: Path) -> Path:
    """Lay a submitted dossier's scans out under work_root/<batch>/, each file checked against its SHA-256;
    the dossier's path. A file missing or changed in storage raises DossierConflict naming it."""
    batch_folder = work_root / submission.batch
    target = batch_folder / submission.name
    shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(missing_ok=True)
    folder = target if submission.kind == "folder" else batch_folder
    folder.mkdir(parents=True, exist_ok=True)
    for name, sha256, _ in submission.files:
        key = incoming_file_key(submission.batch, submission.file_code, name)
        try:
            data = store.get(key)
        except ObjectMissing as exc:
            raise DossierConflict(f"submitted scan {name} is missing from storage ({key})") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise DossierConflict(f"submitted scan {name} no longer matches its SHA-256 {sha256} ({key})")
        (folder / name).write_bytes(data)
    return target


def record_outcome(store: ObjectStore, submission: Submission, status: str, detail: str, keep_scans: bool) -> None:
    """Mark a submitted dossier settled (archived, already archived or quarantined), once; its scans are
    removed unless kept (SOHOA_INCOMING_RETENTION=keep), the archive holding them from now on."""
    outcome = {"status": status, "detail": detail,
               "settled_at": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
    key = outcome_key(submission.batch, submission.file_code)
    if store.head(key) is None:
        store.put(key, json.dumps(outcome, ensure_ascii=False).encode(), "application/json")
    if not keep_scans and status != "quarantined":
        for name, _, _ in submission.files:
            store.delete(incoming_file_key(submission.batch, submission.file_code, name))


def archived_from(store: ObjectStore, submission: Submission) -> bool:
    """True when the dossier is committed from exactly these scans."""
    manifest = load_manifest(store, submission.file_code)
    return manifest is not None and manifest.fingerprint == submission.fingerprint


def read_outcome(store: ObjectStore, batch: str, file_code: str) -> dict | None:
    try:
        return json.loads(store.get(outcome_key(batch, file_code)))
    except ObjectMissing:
        return None


def submitted_dossiers(store: ObjectStore, batch: str) -> list[str]:
    """The file codes submitted in a batch (whose submission record is complete), in key order."""
    prefix = incoming_batch_prefix(batch)
    return [key[len(prefix):].rsplit("/", 1)[0] for key in store.list(prefix) if key.endswith("/submission.json")]


def submit_batch(batch_dir: Path, backends: Backends, settings: Settings, progress: ProgressSink
                 ) -> tuple[list[Submission], list[DossierResult], list[str]]:
    """(dossiers submitted for the workers, now or before, those settled here, names ignored): a batch
    checked as intake checks it; bad dossiers and code conflicts are quarantined here exactly as a local ingest
    would, and a dossier already archived from the same scans is not submitted again."""
    sources, rejections, ignored = steps.intake(batch_dir, settings)
    submissions, settled = [], []
    for source in sources:
        try:
            if archived_records(backends.store, source) is not None:
                settled.append(DossierResult(source.file_code, "already archived",
                                             detail=f"{source.file_code}: already archived from these scans"))
                continue
            submissions.append(submit_dossier(source, batch_dir.name, backends, settings.operator))
        except DossierConflict as exc:
            rejections.append(Rejection(source.file_code, source.path, source.path.name, str(exc)))
        except (DamagedArchive, WriteOnceError) as exc:  # verify's to name; the scans stay in the batch
            settled.append(DossierResult(source.file_code, "failed",
                                         detail=f"{source.file_code}: not submitted: {exc}"))
    settled += [steps.quarantine_rejected(r, backends, settings, batch_dir.name, progress) for r in rejections]
    return submissions, settled, ignored
