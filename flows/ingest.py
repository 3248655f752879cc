"""The ingest_batch flow: intake, one OCR pool for every page of the batch, then per dossier
analysis, PDF/A, storage and indexing. Bad dossiers are quarantined; the rest go on."""
import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from archive.premis import QUARANTINE, SUCCESS, Event, random_event_id
from archive.xml import vietnam_time
from pipeline import progress
from pipeline.backends import BackendUnavailable, open_backends, open_index, open_store
from pipeline.config import Settings
from pipeline.intake import dossier_paths
from pipeline.model import DossierSource, RecognizedPage, Rejection
from pipeline.packaging import operator, software
from pipeline.probe import probe_dossier
from pipeline.process import (DossierConflict, PendingWork, archived_records, discard_work, index_records,
                              not_committed, process_dossier, work_folder)
from pipeline.quarantine import quarantine
from pipeline.recognize import PagePool, WorkerCrashed
from pipeline.summary import BatchSummary, DossierResult


@task(name="intake", cache_policy=NO_CACHE)
def intake(batch_dir: Path, max_pixels: int, workers: int) -> tuple[list[DossierSource], list[Rejection], list[str]]:
    paths, ignored = dossier_paths(batch_dir)
    sources, rejections = [], []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(lambda p: probe_dossier(p, max_pixels), paths):
            (rejections if isinstance(result, Rejection) else sources).append(result)
    return sources, rejections, ignored


@task(name="skip-archived", cache_policy=NO_CACHE)
def split_archived(sources: list[DossierSource], settings: Settings
                   ) -> tuple[list[DossierSource], list[DossierResult], list[Rejection]]:
    """Dossiers already committed from the same scans are not processed again."""
    store, index = open_store(settings), open_index(settings)
    todo, settled, conflicts = [], [], []
    try:
        for source in sources:
            try:
                records = archived_records(store, source)
            except DossierConflict as exc:
                conflicts.append(Rejection(source.file_code, source.path, source.path.name, str(exc)))
                continue
            if records is None:
                todo.append(source)
                continue
            try:
                index_records(index, source, records)  # completes an index write interrupted after the commit
            except PendingWork as exc:
                settled.append(DossierResult(source.file_code, "failed", detail=f"{source.file_code}: {exc}"))
            else:
                discard_work(settings.work_dir, source)  # left behind when a run was killed after the commit
                settled.append(DossierResult(source.file_code, "already archived", len(records),
                                          sum(r["page_amount"] for r in records),
                                          sum(1 for r in records if r["needs_review"])))
    finally:
        index.close()
    return todo, settled, conflicts


@task(name="recognize-dossier", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=1)
def recognize_dossier(source: DossierSource, pool: PagePool, settings: Settings
                      ) -> tuple[list[RecognizedPage], Rejection | None]:
    """OCR of every page of a dossier in the batch's shared pool; the first page that cannot be
    decoded makes a Rejection. Pages already recognised (an interrupted run) come from the cache."""
    folder = work_folder(settings.work_dir, source) / "pages"
    folder.mkdir(exist_ok=True)
    sink = progress.sink()
    pages, failure = pool.recognize([(ref, folder) for ref in source.pages],
                                    lambda ref: sink.page_done(source.file_code))
    if failure is not None:
        ref, error = failure
        return pages, Rejection(source.file_code, source.path, ref.source_name, error)
    return pages, None


def retry_unless_conflict(task, task_run, state) -> bool:
    """Storage trouble may pass; a dossier code archived from other scans will not."""
    try:
        state.result()
    except DossierConflict:
        return False
    except Exception:  # noqa: BLE001
        return True
    return True


@task(name="archive-dossier", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10],
      retry_condition_fn=retry_unless_conflict)
def archive(source: DossierSource, pages: list[RecognizedPage], settings: Settings) -> DossierResult:
    try:
        backends = open_backends(settings)
    except BackendUnavailable as exc:
        raise PendingWork(f"{exc}; pending: {not_committed(source)}") from exc
    try:
        outcome = process_dossier(source, pages, backends, settings)
    finally:
        backends.close()
    review = sum(1 for r in outcome.records if r["needs_review"])
    return DossierResult(source.file_code, outcome.status, len(outcome.records), len(pages), review,
                         detail=f"{len(outcome.records)} documents, {len(pages)} pages, {review} to review")


def quarantine_rejected(rejection: Rejection, settings: Settings, batch_name: str) -> DossierResult:
    target = quarantine(rejection.path, settings.quarantine_dir, batch_name, rejection.file, rejection.reason)
    detail = f"{rejection.message()} -> {target}"
    log_quarantine(settings, rejection.file_code, detail)
    progress.sink().dossier_finished(rejection.file_code, "quarantined", detail)
    return DossierResult(rejection.file_code, "quarantined", detail=detail)


def log_quarantine(settings: Settings, file_code: str, detail: str) -> None:
    """A PREMIS quarantine event, so that the audit trail shows what was refused and why. The reason file
    beside the quarantined scans and the console line say the same if the backends cannot be reached."""
    try:
        backends = open_backends(settings)
    except BackendUnavailable:
        return
    try:
        backends.record([Event(random_event_id(), QUARANTINE, vietnam_time(dt.datetime.now()), software(), SUCCESS,
                               detail, file_code, (), operator())])
    finally:
        backends.close()


def finish_dossier(source: DossierSource, recognition, settings: Settings, batch_name: str) -> DossierResult:
    """Archive a recognised dossier, or quarantine it when a page could not be read."""
    try:
        pages, failure = recognition.result()
    except WorkerCrashed as exc:
        pages, failure = [], Rejection(source.file_code, source.path, source.path.name, str(exc))
    if failure is not None:
        discard_work(settings.work_dir, source)
        return quarantine_rejected(failure, settings, batch_name)
    try:
        result = archive(source, pages, settings)
    except DossierConflict as exc:
        return quarantine_rejected(Rejection(source.file_code, source.path, source.path.name, str(exc)),
                                   settings, batch_name)
    except Exception as exc:  # noqa: BLE001 - storage trouble: keep the scans, report, go on
        result = DossierResult(source.file_code, "failed", detail=f"{source.file_code}: not archived: {exc}")
    progress.sink().dossier_finished(source.file_code, result.status, result.detail)
    return result


@flow(name="ingest_batch", log_prints=False, validate_parameters=False)
def ingest_batch(batch_dir: str) -> dict:
    settings = Settings.from_env()
    started = time.monotonic()
    batch = Path(batch_dir).resolve()
    summary = BatchSummary(batch.name)
    sources, rejections, summary.ignored = intake(batch, settings.max_page_pixels, settings.workers)
    todo, settled, conflicts = split_archived(sources, settings)
    sink = progress.sink()
    sink.batch_started(len(sources) + len(rejections), sum(len(s.pages) for s in todo))
    for result in settled:
        sink.dossier_finished(result.file_code, result.status, result.detail)
    summary.results += settled
    summary.results += [quarantine_rejected(r, settings, batch.name) for r in rejections + conflicts]
    with PagePool(settings.workers, settings.language, settings.max_page_pixels) as pool:
        for source in todo:
            sink.dossier_started(source.file_code, len(source.pages))
        recognitions = [recognize_dossier.submit(source, pool, settings) for source in todo]
        for i, source in enumerate(todo):
            summary.results.append(finish_dossier(source, recognitions[i], settings, batch.name))
            recognitions[i] = None  # a dossier's OCR results are not kept once it is archived
    summary.elapsed_s = time.monotonic() - started
    return summary.to_json()
