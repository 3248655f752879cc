"""Ingest spread over many machines: one flow run of ingest_dossier per submitted dossier, on a Prefect work
pool whose workers (`sohoa worker`) may run anywhere that reaches the Prefect API, object storage and the
index. A run fetches its dossier's scans from incoming/, ingests them as a one-dossier batch (the same steps,
locks and write-once commit as `sohoa ingest`) and settles the submission.

A worker that dies takes its run with it: Prefect marks the run Crashed (at once when the run's process
dies, after missed heartbeats when the machine does) and an automation schedules it again for any worker
(see flows/work_pool.py). The next attempt takes over the crashed one's lease. A dossier that has crashed its
worker MAX_CRASHES times is quarantined instead of being tried again."""
import shutil
import socket

from prefect import flow, get_client
from prefect.client.schemas.objects import StateType
from prefect.runtime import flow_run

from sohoa.core.errors import BackendUnavailable, SohoaError
from sohoa.core.model import Rejection, RunAttempt
from sohoa.core.settings import Settings
from sohoa.flows.ingest import ingest_batch
from sohoa.pipeline.backends import open_backends
from sohoa.pipeline.batch import quarantine_rejected
from sohoa.pipeline.progress import NoProgress
from sohoa.pipeline.submission import (Submission, archived_from, fetch_submission, read_outcome, read_submission,
                                       record_outcome)

MAX_CRASHES = 3
SETTLED = ("archived", "already archived", "quarantined")


class NotSettled(SohoaError):
    """A dossier the run could not settle (a backend down, another run holding it): the run fails; submitting
    the batch again schedules it again."""


def crashes_so_far(run_id) -> int:
    with get_client(sync_client=True) as client:
        return sum(1 for state in client.read_flow_run_states(run_id) if state.type == StateType.CRASHED)


# No Prefect retries here: a run waiting to retry sends no heartbeat and would pass for a lost one. Trouble with
# a backend is retried inside the run (the archive task's retries); what is left fails the run.
@flow(name="ingest_dossier", validate_parameters=False)
def ingest_dossier(batch: str, file_code: str) -> dict:
    """One submitted dossier archived or quarantined, once however often this run is started; its result."""
    settings = Settings.from_env()
    attempt = RunAttempt(str(flow_run.id), flow_run.run_count) if flow_run.id else None
    with open_backends(settings, index_when_used=True) as backends:
        submission = read_submission(backends.store, batch, file_code)
        if submission is None:
            raise NotSettled(f"{batch}/{file_code}: nothing submitted under this name in incoming/")
        settled = read_outcome(backends.store, batch, file_code)
        if settled is not None:  # a repeat of a run that settled it already
            return {"file_code": file_code, **settled}
        crashes = crashes_so_far(flow_run.id) if flow_run.id else 0
    if crashes >= MAX_CRASHES:
        with open_backends(settings, index_when_used=True, run=attempt) as backends:
            return give_up(submission, crashes, backends, settings)
    folder = settings.work_dir / "incoming" / str(flow_run.id or "local")
    try:
        with open_backends(settings, index_when_used=True) as backends:
            path = fetch_submission(backends.store, submission, folder)
        summary = ingest_batch(str(path.parent), settings, run=attempt)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result = summary["results"][0] if summary["results"] else {"status": "failed", "detail": "nothing ingested"}
    if result["status"] not in SETTLED:
        raise NotSettled(result["detail"])
    if result["status"] == "quarantined":
        result["detail"] += f" (on {socket.gethostname()})"
    with open_backends(settings, index_when_used=True) as backends:
        record_outcome(backends.store, submission, result["status"], result["detail"], settings.keep_incoming)
    return result


def give_up(submission: Submission, crashes: int, backends, settings: Settings) -> dict:
    """Quarantine a dossier that keeps killing its worker, unless a crashed attempt committed it: its scans
    and the reason on this machine, a quarantine event in the audit log; the scans stay in incoming/."""
    holder = backends.locks.acquire(submission.file_code)
    if holder is not None:
        raise NotSettled(f"{submission.file_code}: another run is working on it ({holder})")
    try:
        if archived_from(backends.store, submission):
            detail = f"{submission.file_code}: archived by an attempt that crashed afterwards"
            record_outcome(backends.store, submission, "already archived", detail, settings.keep_incoming)
            return {"file_code": submission.file_code, "status": "already archived", "detail": detail}
        reason = f"crashed its worker {crashes} times (killed, out of memory or machine lost); not tried again"
        folder = settings.work_dir / "incoming" / f"{flow_run.id}-quarantine"
        try:
            path = fetch_submission(backends.store, submission, folder)
            rejection = Rejection(submission.file_code, path, submission.name, reason)
            result = quarantine_rejected(rejection, backends, settings, submission.batch, NoProgress())
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        detail = f"{result.detail} (on {socket.gethostname()})"
        record_outcome(backends.store, submission, "quarantined", detail, keep_scans=True)
        return {"file_code": submission.file_code, "status": "quarantined", "detail": detail}
    except BackendUnavailable as exc:
        raise NotSettled(str(exc)) from exc
    finally:
        backends.locks.release(submission.file_code)
