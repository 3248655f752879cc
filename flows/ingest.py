"""The ingest_batch flow: intake, one OCR pool for every page of the batch, then per dossier analysis,
PDF/A, storage and indexing, each step a Prefect task (the archiving retried when a backend falters).
The steps themselves are services in sohoa.pipeline.batch."""
import time
from contextlib import nullcontext
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from sohoa.core.errors import BackendUnavailable, DossierConflict, WorkerCrashed
from sohoa.core.model import DossierSource, Rejection, RunAttempt
from sohoa.core.settings import Settings
from sohoa.pipeline import batch as steps
from sohoa.pipeline.agency_signing import check_signing_key
from sohoa.pipeline.backends import Backends, open_backends
from sohoa.pipeline.ingest import discard_work
from sohoa.pipeline.progress import NoProgress, ProgressSink
from sohoa.pipeline.recognize import PagePool
from sohoa.pipeline.summary import BatchSummary, DossierResult


def intake_of(batch: Path, settings: Settings, head_start: steps.HeadStart | None):
    """The batch's intake: done here, or taken from the run's head start."""
    if head_start is not None and head_start.batch_dir == batch:
        return head_start.intake()
    return steps.intake(batch, settings)


intake = task(name="intake", cache_policy=NO_CACHE)(intake_of)
split_archived = task(name="skip-archived", cache_policy=NO_CACHE)(steps.split_archived)
recognize_dossier = task(name="recognize-dossier", cache_policy=NO_CACHE, retries=1,
                         retry_delay_seconds=1)(steps.recognize_dossier)


def retry_when_a_backend_falters(task, task_run, state) -> bool:
    """Storage or search trouble may pass; a refusal or a bug will not."""
    try:
        state.result()
    except BackendUnavailable:
        return True
    except Exception:  # noqa: BLE001 - anything else is final
        return False
    return False


archive_dossier = task(name="archive-dossier", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10],
                       retry_condition_fn=retry_when_a_backend_falters)(steps.archive_dossier)


def finish_dossier(source: DossierSource, recognition, backends: Backends, settings: Settings, batch_name: str,
                   progress: ProgressSink) -> DossierResult:
    """Archive a recognised dossier, or quarantine it when a page could not be read."""
    try:
        pages, failure = recognition.result()
    except WorkerCrashed as exc:
        pages, failure = [], Rejection(source.file_code, source.path, source.path.name, str(exc))
    except Exception as exc:  # noqa: BLE001 - a bug: the scans stay in the batch, never quarantined
        result = steps.not_archived(source, exc, settings)
        progress.dossier_finished(source.file_code, result.status, result.detail)
        return result
    if failure is not None:
        discard_work(settings.work_dir, source)
        return steps.quarantine_rejected(failure, backends, settings, batch_name, progress)
    try:
        # quote: Prefect would otherwise walk every word of every page looking for futures (seconds a dossier)
        result = archive_dossier(source, quote(pages), backends, settings)
    except DossierConflict as exc:
        rejection = Rejection(source.file_code, source.path, source.path.name, str(exc))
        return steps.quarantine_rejected(rejection, backends, settings, batch_name, progress)
    except Exception as exc:  # noqa: BLE001 - storage trouble or a bug: keep the scans, report, go on
        result = steps.not_archived(source, exc, settings)
    progress.dossier_finished(source.file_code, result.status, result.detail)
    return result


def recognize_and_archive(todo: list[DossierSource], backends: Backends, settings: Settings, batch_name: str,
                          progress: ProgressSink, started: PagePool | None) -> list[DossierResult]:
    """Every page of the batch in one OCR pool (the one started for the run, if any), each dossier archived as
    soon as its pages are read."""
    results = []
    with nullcontext(started) if started else PagePool(settings) as pool:
        for source in todo:
            progress.dossier_started(source.file_code, len(source.pages))
        recognitions = [recognize_dossier.submit(source, pool, settings, progress) for source in todo]
        for i, source in enumerate(todo):
            results.append(finish_dossier(source, recognitions[i], backends, settings, batch_name, progress))
            recognitions[i] = None  # a dossier's OCR results are not kept once it is archived
    return results


@flow(name="ingest_batch", log_prints=False, validate_parameters=False)
def ingest_batch(batch_dir: str, settings: Settings | None = None, progress: ProgressSink | None = None,
                 run: RunAttempt | None = None, head_start: steps.HeadStart | None = None) -> dict:
    """Every dossier of the batch archived or quarantined; the summary as JSON. A scheduled run has no
    settings handed to it and reads them from its environment; run names the attempt of an orchestrated run
    this is (its dossier leases pass from a crashed attempt to the next); head_start, the intake and OCR
    workers a command began for this batch while Prefect's API started."""
    settings, progress = settings or Settings.from_env(), progress or NoProgress()
    check_signing_key(settings)  # before any work: a refused PIN stops the run, not every dossier in turn
    started = time.monotonic()
    batch = Path(batch_dir).resolve()
    summary = BatchSummary(batch.name)
    with open_backends(settings, run=run) as backends:
        sources, rejections, summary.ignored = intake(batch, settings, head_start)
        sources, busy = steps.lock_dossiers(sources, backends)
        try:
            todo, settled, conflicts = split_archived(sources, backends, settings)
            progress.batch_started(len(sources) + len(busy) + len(rejections), sum(len(s.pages) for s in todo))
            for result in busy + settled:
                progress.dossier_finished(result.file_code, result.status, result.detail)
            summary.results += busy + settled
            summary.results += [steps.quarantine_rejected(r, backends, settings, batch.name, progress)
                                for r in rejections + conflicts]
            summary.results += recognize_and_archive(todo, backends, settings, batch.name, progress,
                                                     head_start.pool if head_start else None)
        finally:
            steps.unlock_dossiers(sources, backends)
    summary.elapsed_s = time.monotonic() - started
    return summary.to_json()
