"""The ingest_batch flow: intake, one OCR pool for every page of the batch, then per dossier
analysis, PDF/A, storage and indexing. Bad dossiers are quarantined; the rest go on."""
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from pipeline import progress
from pipeline.backends import open_index, open_store
from pipeline.config import Settings
from pipeline.intake import dossier_paths
from pipeline.model import DossierSource, PageRef, RecognizedPage, Rejection
from pipeline.probe import probe_dossier
from pipeline.process import DossierConflict, archived_records, process_dossier, work_folder
from pipeline.quarantine import quarantine
from pipeline.recognize import recognize_all
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
    todo, done, conflicts = [], [], []
    try:
        for source in sources:
            try:
                records = archived_records(store, source)
            except DossierConflict as exc:
                conflicts.append(Rejection(source.file_code, source.path, source.path.name, str(exc)))
                continue
            if records is None:
                todo.append(source)
            else:
                index.upsert(records)
                done.append(DossierResult(source.file_code, "already archived", len(records),
                                          sum(r["page_amount"] for r in records),
                                          sum(1 for r in records if r["needs_review"])))
    finally:
        index.close()
    return todo, done, conflicts


@task(name="recognize-pages", cache_policy=NO_CACHE)
def recognize(sources: list[DossierSource], settings: Settings
              ) -> tuple[dict[str, list[RecognizedPage]], dict[str, Rejection]]:
    sink = progress.sink()
    pages: dict[str, list[RecognizedPage]] = {s.file_code: [] for s in sources}
    failures: dict[str, Rejection] = {}
    by_code = {s.file_code: s for s in sources}
    jobs: list[tuple[PageRef, Path]] = []
    for source in sources:
        sink.dossier_started(source.file_code, len(source.pages))
        folder = work_folder(settings.work_dir, source) / "pages"
        folder.mkdir(exist_ok=True)
        jobs += [(ref, folder) for ref in source.pages]

    def on_done(ref: PageRef, page: RecognizedPage | None, error: str | None) -> None:
        sink.page_done(ref.file_code)
        if page is not None:
            pages[ref.file_code].append(page)
        elif ref.file_code not in failures:
            failures[ref.file_code] = Rejection(ref.file_code, by_code[ref.file_code].path, ref.source_name, error)

    recognize_all(jobs, settings.workers, settings.language, settings.max_page_pixels, on_done)
    return pages, failures


@task(name="archive-dossier", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def archive(source: DossierSource, pages: list[RecognizedPage], settings: Settings) -> DossierResult:
    store, index = open_store(settings), open_index(settings)
    try:
        outcome = process_dossier(source, pages, store, index, settings.work_dir, settings.review_threshold)
    finally:
        index.close()
    return DossierResult(source.file_code, outcome.status, len(outcome.records), len(pages),
                         sum(1 for r in outcome.records if r["needs_review"]))


def quarantine_rejected(rejection: Rejection, settings: Settings, batch_name: str) -> DossierResult:
    target = quarantine(rejection.path, settings.quarantine_dir, batch_name, rejection.file, rejection.reason)
    detail = f"{rejection.message()} -> {target}"
    progress.sink().dossier_finished(rejection.file_code, "quarantined", detail)
    return DossierResult(rejection.file_code, "quarantined", detail=detail)


@flow(name="ingest_batch", log_prints=False, validate_parameters=False)
def ingest_batch(batch_dir: str) -> dict:
    settings = Settings.from_env()
    started = time.monotonic()
    batch = Path(batch_dir).resolve()
    summary = BatchSummary(batch.name)
    sources, rejections, summary.ignored = intake(batch, settings.max_page_pixels, settings.workers)
    todo, done, conflicts = split_archived(sources, settings)
    sink = progress.sink()
    sink.batch_started(len(sources) + len(rejections), sum(len(s.pages) for s in todo))
    for result in done:
        sink.dossier_finished(result.file_code, result.status)
    summary.results += done
    summary.results += [quarantine_rejected(r, settings, batch.name) for r in rejections + conflicts]
    pages, failures = recognize(todo, settings)
    for source in todo:
        if source.file_code in failures:
            summary.results.append(quarantine_rejected(failures[source.file_code], settings, batch.name))
            continue
        try:
            result = archive(source, pages[source.file_code], settings)
        except DossierConflict as exc:
            rejection = Rejection(source.file_code, source.path, source.path.name, str(exc))
            summary.results.append(quarantine_rejected(rejection, settings, batch.name))
            continue
        except Exception as exc:  # noqa: BLE001 - storage trouble: keep the scans, report, go on
            result = DossierResult(source.file_code, "failed", detail=f"{source.file_code}: archiving failed: {exc}")
        sink.dossier_finished(source.file_code, result.status, result.detail)
        summary.results.append(result)
    summary.elapsed_s = time.monotonic() - started
    return summary.to_json()
