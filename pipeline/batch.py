"""The steps of a batch ingest, which the ingest flow runs as Prefect tasks: intake, skipping dossiers
already archived, recognition in the batch's page pool, archiving, and quarantine of bad dossiers.

Bad input and a dossier archived from other scans are quarantined; a backend failing part-way leaves
the dossier failed with what is pending; an unexpected exception (a bug) fails that dossier only, with
its traceback in the log. The rest of the batch goes on.
"""
import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sohoa.archive.premis import QUARANTINE, SUCCESS, Event, random_event_id
from sohoa.archive.xml import vietnam_time
from sohoa.core.errors import BackendUnavailable, DamagedArchive, DossierConflict, PendingWork, SohoaError
from sohoa.core.model import DossierSource, RecognizedPage, Rejection
from sohoa.core.settings import Settings
from sohoa.pipeline.agents import software
from sohoa.pipeline.backends import Backends
from sohoa.pipeline.ingest import archived_records, discard_work, index_records, process_dossier, work_folder
from sohoa.pipeline.intake import dossier_paths, file_code_for, name_problem
from sohoa.pipeline.probe import DossierProbes
from sohoa.pipeline.progress import ProgressSink
from sohoa.pipeline.quarantine import quarantine
from sohoa.pipeline.recognize import PagePool
from sohoa.pipeline.summary import DossierResult

log = logging.getLogger("sohoa")


def intake(batch_dir: Path, settings: Settings) -> tuple[list[DossierSource], list[Rejection], list[str]]:
    """Every dossier of the batch checked in a sandboxed child process, one per worker: (readable, refused,
    names ignored)."""
    paths, ignored = dossier_paths(batch_dir)
    paths, rejections = refuse_bad_names(paths, batch_dir.resolve())
    sources = []
    with DossierProbes(settings.workers, settings.max_page_pixels) as probes, \
            ThreadPoolExecutor(max_workers=settings.workers) as pool:
        for result in pool.map(probes.check, paths):
            (rejections if isinstance(result, Rejection) else sources).append(result)
    return sources, rejections, ignored


class HeadStart:
    """What a batch's run can begin before its orchestrator answers (Prefect's API boots for seconds on one
    machine): the intake of its dossiers, and the start of the OCR workers, each loading its Tesseract models.
    The run then takes the intake's result and the started pool over. No dossier is locked, moved or written."""

    def __init__(self, batch_dir: Path, settings: Settings):
        self.batch_dir = batch_dir.resolve()
        self.pool = PagePool(settings)  # first: a misconfigured engine stops the command before any work
        if dossier_paths(self.batch_dir)[0]:
            self.pool.start_workers()
        self._intake_thread = ThreadPoolExecutor(max_workers=1)
        self._intake = self._intake_thread.submit(intake, self.batch_dir, settings)

    def intake(self) -> tuple[list[DossierSource], list[Rejection], list[str]]:
        return self._intake.result()

    def __enter__(self) -> "HeadStart":
        return self

    def __exit__(self, *exc) -> None:
        self._intake_thread.shutdown(wait=True, cancel_futures=True)
        self.pool.close()


def refuse_bad_names(paths: list[Path], batch_root: Path) -> tuple[list[Path], list[Rejection]]:
    """(dossiers whose name and place can be taken, refusals): control characters, links out of the batch,
    and names that are one name once in Unicode NFC (the second is refused, never merged)."""
    kept, refused, seen = [], [], {}
    for path in paths:
        file_code = file_code_for(path)
        problem = name_problem(path, batch_root)
        if problem is None and file_code in seen:
            problem = f"its name is the same as {seen[file_code].name!r} once Unicode-normalised (NFC); rename one"
        if problem:
            refused.append(Rejection(file_code, path, path.name, problem))
        else:
            seen[file_code] = path
            kept.append(path)
    return kept, refused


def lock_dossiers(sources: list[DossierSource], backends: Backends) -> tuple[list[DossierSource], list[DossierResult]]:
    """(dossiers now locked by this run, results of those another run is working on: left to that run)."""
    locked, busy = [], []
    for source in sources:
        holder = backends.locks.acquire(source.file_code)
        if holder is None:
            locked.append(source)
        else:
            busy.append(DossierResult(source.file_code, "busy", detail=f"{source.file_code}: another run is working "
                                      f"on it ({holder}); left to that run, its scans untouched"))
    return locked, busy


def unlock_dossiers(sources: list[DossierSource], backends: Backends) -> None:
    for source in sources:
        try:
            backends.locks.release(source.file_code)
        except BackendUnavailable as exc:  # a lease left behind expires
            log.warning("lock of %s not released: %s", source.file_code, exc)


def split_archived(sources: list[DossierSource], backends: Backends, settings: Settings
                   ) -> tuple[list[DossierSource], list[DossierResult], list[Rejection]]:
    """(dossiers to process, results of those already committed from the same scans, code conflicts)."""
    todo, settled, conflicts = [], [], []
    for source in sources:
        try:
            records = archived_records(backends.store, source)
        except DossierConflict as exc:
            conflicts.append(Rejection(source.file_code, source.path, source.path.name, str(exc)))
            continue
        except DamagedArchive as exc:  # archived, but a record no longer matches: verify's to name, not ours
            settled.append(DossierResult(source.file_code, "failed", detail=f"{source.file_code}: {exc}"))
            continue
        if records is None:
            todo.append(source)
            continue
        try:
            index_records(backends.index, source, records)  # completes an index write interrupted after the commit
        except PendingWork as exc:
            settled.append(DossierResult(source.file_code, "failed", detail=f"{source.file_code}: {exc}"))
        else:
            discard_work(settings.work_dir, source)  # left behind when a run was killed after the commit
            settled.append(DossierResult(source.file_code, "already archived", len(records),
                                         sum(r["page_amount"] for r in records),
                                         sum(1 for r in records if r["needs_review"])))
    return todo, settled, conflicts


def recognize_dossier(source: DossierSource, pool: PagePool, settings: Settings, progress: ProgressSink
                      ) -> tuple[list[RecognizedPage], Rejection | None]:
    """OCR of every page of a dossier in the batch's shared pool; the first page that cannot be decoded
    makes a Rejection. Pages already recognised (an interrupted run) come from the cache."""
    folder = work_folder(settings.work_dir, source) / "pages"
    folder.mkdir(exist_ok=True)
    pages, failure = pool.recognize([(ref, folder) for ref in source.pages],
                                    lambda ref: progress.page_done(source.file_code))
    if failure is not None:
        ref, error = failure
        return pages, Rejection(source.file_code, source.path, ref.source_name, error)
    return pages, None


def archive_dossier(source: DossierSource, pages: list[RecognizedPage], backends: Backends, settings: Settings
                    ) -> DossierResult:
    outcome = process_dossier(source, pages, backends, settings)
    review = sum(1 for r in outcome.records if r["needs_review"])
    return DossierResult(source.file_code, outcome.status, len(outcome.records), len(pages), review,
                         detail=f"{len(outcome.records)} documents, {len(pages)} pages, {review} to review")


def not_archived(source: DossierSource, exc: Exception, settings: Settings) -> DossierResult:
    """The result of a dossier whose archiving raised: its scans stay in the batch for the next run."""
    if isinstance(exc, SohoaError):
        return DossierResult(source.file_code, "failed", detail=f"{source.file_code}: not archived: {exc}")
    log.error("internal error while archiving %s %s", source.file_code, getattr(exc, "details", ""), exc_info=exc)
    return DossierResult(source.file_code, "failed",
                         detail=f"{source.file_code}: not archived: internal error {type(exc).__name__}: {exc} "
                                f"(traceback in {settings.log_file})")


def quarantine_rejected(rejection: Rejection, backends: Backends, settings: Settings, batch_name: str,
                        progress: ProgressSink) -> DossierResult:
    target = quarantine(rejection.path, settings.quarantine_dir, batch_name, rejection.file, rejection.reason)
    detail = f"{rejection.message()} -> {target}"
    log_quarantine(backends, settings, rejection.file_code, detail)
    progress.dossier_finished(rejection.file_code, "quarantined", detail)
    return DossierResult(rejection.file_code, "quarantined", detail=detail)


def log_quarantine(backends: Backends, settings: Settings, file_code: str, detail: str) -> None:
    """A PREMIS quarantine event, so that the audit trail shows what was refused and why. The reason file
    beside the quarantined scans and the console line say the same if the backends cannot be reached."""
    try:
        backends.record([Event(random_event_id(), QUARANTINE, vietnam_time(dt.datetime.now()), software(), SUCCESS,
                               detail, file_code, (), settings.operator)])
    except BackendUnavailable as exc:
        log.warning("quarantine of %s not logged: %s", file_code, exc)
