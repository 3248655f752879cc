"""Commands of ingest over many machines: submit a batch to the work pool, run a worker, follow a batch."""
import json
import os
import shutil
import socket
import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from sohoa.cli.context import console, current_settings, out
from sohoa.core.errors import ExitCode, UsageError
from sohoa.core.settings import Settings

HEARTBEAT_S = "30"  # Prefect's minimum; a run silent for SOHOA_WORKER_LOST_AFTER is lost (flows/work_pool.py)


def prefect_server_required(command: str) -> None:
    if not os.environ.get("PREFECT_API_URL"):
        raise UsageError(f"{command} needs the Prefect server that every machine shares: start one (prefect server "
                         "start --host 0.0.0.0) and set PREFECT_API_URL=http://HOST:4200/api on every machine; with "
                         "one machine and no server, use sohoa ingest")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from sohoa.flows.prefect_api import check_prefect_settings

    check_prefect_settings()


@click.command()
@click.argument("batch_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--urgent", is_flag=True, help="Put the batch's dossiers before every normal batch waiting.")
@click.option("--json", "as_json", is_flag=True, help="Print what was submitted as JSON on stdout.")
def submit(batch_dir: Path, urgent: bool, as_json: bool) -> int:
    """Check BATCH_DIR as ingest does, put its scans in object storage and queue one flow run per dossier on
    the work pool (SOHOA_WORK_POOL) for the workers; bad dossiers are quarantined here. Needs PREFECT_API_URL."""
    prefect_server_required("submit")
    settings = current_settings()
    from sohoa.flows.prefect_api import prefect_api_reachable
    from sohoa.flows.work_pool import prepare_work_pool, start_runs
    from sohoa.pipeline.backends import open_backends
    from sohoa.pipeline.progress import NoProgress
    from sohoa.pipeline.submission import submit_batch

    batch_dir = batch_dir.resolve()
    if not settings.s3_endpoint:
        console.print("[yellow]warning[/]: SOHOA_S3_ENDPOINT is not set: only workers on this machine can take "
                      "this batch", highlight=False)
    with prefect_api_reachable():
        prepare_work_pool(settings.work_pool, settings.worker_lost_after_s)
        with open_backends(settings) as backends:
            submissions, settled, ignored = submit_batch(batch_dir, backends, settings, NoProgress())
        runs = start_runs(submissions, settings.work_pool, urgent)
    for submission, (run, done) in zip(submissions, runs):
        console.print(f"[green]{done.upper()}[/] {escape(submission.file_code)}: {submission.pages} pages, flow run "
                      f"{escape(run.name)} ({run.id})", highlight=False)
    for result in settled:
        colour = "cyan" if result.status == "already archived" else "red"
        console.print(f"[{colour}]{result.status.upper()}[/] {escape(result.detail)}", highlight=False)
    for name in ignored:
        console.print(f"[yellow]ignored[/] {escape(name)}: not a dossier (folder, PDF, TIFF or page image)",
                      highlight=False)
    console.print(f"batch {escape(batch_dir.name)}: {len(submissions)} dossiers queued on work pool "
                  f"{escape(settings.work_pool)}{' (urgent)' if urgent else ''}; follow it with "
                  f"sohoa status --batch {escape(batch_dir.name)}", highlight=False)
    if as_json:
        click.echo(json.dumps({"batch": batch_dir.name, "work_pool": settings.work_pool, "urgent": urgent,
                               "submitted": [{"file_code": s.file_code, "flow_run": str(r.id), "done": done}
                                             for s, (r, done) in zip(submissions, runs)],
                               "settled": [r.__dict__ for r in settled], "ignored": ignored}, ensure_ascii=False))
    return ExitCode.OK if all(r.status == "already archived" for r in settled) else ExitCode.PROBLEMS


@click.command()
@click.option("--limit", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Dossiers this worker runs at once.")
@click.option("--processes", type=click.IntRange(1, 256),
              help="Tesseract processes per dossier (default SOHOA_WORKERS: one per core).")
@click.option("--name", help="The worker's name in Prefect (default: host and process id).")
def worker(limit: int, processes: int | None, name: str | None) -> None:
    """Take the work pool's flow runs (urgent queue first) and run each as its own process, until stopped.
    Needs PREFECT_API_URL, and the same SOHOA_S3_*, SOHOA_ES_URL and checkpoint key as every machine."""
    prefect_server_required("worker")
    settings = current_settings()
    if not settings.s3_endpoint:
        console.print("[yellow]warning[/]: SOHOA_S3_ENDPOINT is not set: this worker can only take dossiers "
                      "submitted on this machine", highlight=False)
    from sohoa.flows.prefect_api import prefect_api_reachable
    from sohoa.flows.work_pool import prepare_work_pool

    with prefect_api_reachable():
        prepare_work_pool(settings.work_pool, settings.worker_lost_after_s)
    os.environ["PREFECT_FLOWS_HEARTBEAT_FREQUENCY"] = HEARTBEAT_S
    os.environ["SOHOA_WORKERS"] = str(processes or settings.workers)
    here = os.path.dirname(sys.executable)
    os.environ["PATH"] = here + os.pathsep + os.environ.get("PATH", "")  # the runs' "python" is this one
    prefect = shutil.which("prefect", path=here) or "prefect"
    name = name or f"{socket.gethostname()}-{os.getpid()}"
    console.print(f"worker {escape(name)} on work pool {escape(settings.work_pool)}: {limit} dossier(s) at once, "
                  f"{os.environ['SOHOA_WORKERS']} OCR process(es) each", highlight=False)
    sys.stdout.flush()
    os.execv(prefect, [prefect, "worker", "start", "--pool", settings.work_pool, "--type", "process",
                       "--limit", str(limit), "--name", name])


def show_batch(batch: str, as_json: bool) -> int:
    """`sohoa status --batch`: each submitted dossier's flow run state and outcome."""
    settings = current_settings()
    rows = batch_rows(batch, settings)
    if not rows:
        raise UsageError(f"no dossier of batch {batch} was submitted to {settings.s3_endpoint or settings.objects_dir}")
    if as_json:
        click.echo(json.dumps({"batch": batch, "dossiers": rows}, ensure_ascii=False))
    else:
        table = Table(title=Text(f"Batch {batch}"))
        for column in ("dossier", "pages", "flow run", "state", "attempts", "outcome"):
            table.add_column(column)
        for row in rows:
            table.add_row(*(Text(str(row[k] if row[k] is not None else "-"))
                            for k in ("file_code", "pages", "flow_run", "state", "attempts", "outcome")))
        out.print(table)
    return ExitCode.OK if all(r["outcome"] in ("archived", "already archived") for r in rows) else ExitCode.PROBLEMS


def batch_rows(batch: str, settings: Settings) -> list[dict]:
    from sohoa.pipeline.backends import open_backends
    from sohoa.pipeline.submission import read_outcome, read_submission, submitted_dossiers

    runs = {}
    if os.environ.get("PREFECT_API_URL"):
        from sohoa.flows.prefect_api import prefect_api_reachable
        from sohoa.flows.work_pool import batch_runs

        with prefect_api_reachable():
            runs = {run.parameters.get("file_code"): run for run in batch_runs(batch)}
    rows = []
    with open_backends(settings, index_when_used=True) as backends:
        for file_code in submitted_dossiers(backends.store, batch):
            submission, outcome = read_submission(backends.store, batch, file_code), \
                read_outcome(backends.store, batch, file_code)
            run = runs.get(file_code)
            rows.append({"file_code": file_code, "pages": submission.pages if submission else None,
                         "flow_run": run.name if run else None, "state": run.state_name if run else None,
                         "attempts": run.run_count if run else None,
                         "outcome": outcome["status"] if outcome else None,
                         "detail": outcome["detail"] if outcome else None})
    return rows
