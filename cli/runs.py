"""Commands that run the Prefect flows: ingest, the inbox, the schedule and the fixity sweep; and the
sample batches (generate, demo)."""
import json
import os
import re
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from sohoa.cli.context import console, current_settings
from sohoa.core.errors import ExitCode, UsageError
from sohoa.core.settings import Settings
from sohoa.core.text import fold

PREFECT_STARTUP_TIMEOUT_S = "120"  # Prefect's embedded server takes 10-35 s to start on a busy machine


def prefect_environment(settings: Settings) -> None:
    """Prefect runs embedded (a temporary local API, started here unless PREFECT_API_URL names a server) and
    keeps its logs down. Set before Prefect is imported: it reads its settings then."""
    (settings.home / "prefect").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect"))
    if not settings.verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
        os.environ.setdefault("PREFECT_INTERNAL_LOGGING_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", PREFECT_STARTUP_TIMEOUT_S)
    from sohoa.flows.local_api import start_local_api

    start_local_api(Path(os.environ["PREFECT_HOME"]).expanduser() / "local-api.log")
    from sohoa.flows.prefect_api import check_prefect_settings

    check_prefect_settings()


class RichProgress:
    """One bar for the batch, one per dossier while its pages are being read."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.batch = None
        self.totals: dict[str, int] = {}
        self.dossiers: dict[str, int] = {}

    def batch_started(self, dossiers: int, pages: int) -> None:
        self.batch = self.progress.add_task(f"[bold]batch: {dossiers} dossiers, pages", total=max(pages, 1))

    def dossier_started(self, file_code: str, pages: int) -> None:
        self.totals[file_code] = pages

    def page_done(self, file_code: str) -> None:
        if file_code not in self.dossiers:
            self.dossiers[file_code] = self.progress.add_task(f"  {file_code}", total=self.totals[file_code])
        self.progress.advance(self.dossiers[file_code])
        self.progress.advance(self.batch)

    def dossier_finished(self, file_code: str, status: str, detail: str = "") -> None:
        colour = {"archived": "green", "already archived": "cyan", "busy": "yellow"}.get(status, "red")
        if file_code in self.dossiers:
            self.progress.update(self.dossiers[file_code], visible=False)
        line = detail if status in ("quarantined", "failed", "busy") else f"{file_code} {detail}".strip()
        self.progress.console.print(f"[{colour}]{status.upper()}[/] {escape(line)}", highlight=False)


def print_summary(summary: dict, settings: Settings) -> None:
    table = Table(title=Text(f"Batch {summary['batch']}"), show_header=False)
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = (("dossiers", summary["dossiers"]), ("archived", summary["archived"]),
            ("already archived", summary["already_archived"]), ("quarantined", summary["quarantined"]),
            ("failed", summary["failed"]), ("busy in another run", summary["busy"]),
            ("documents", summary["documents"]), ("pages", summary["pages"]),
            ("needing review", summary["needs_review"]), ("pages/minute", summary["pages_per_minute"]))
    for name, value in rows:
        style = "red" if name in ("quarantined", "failed", "busy in another run", "needing review") and value else ""
        table.add_row(name, f"[{style}]{value}[/]" if style else str(value))
    console.print(table)
    for name in summary["ignored"]:
        console.print(f"[yellow]ignored[/] {escape(name)}: not a dossier (folder, PDF, TIFF or page image)", highlight=False)
    if summary["quarantined"]:
        folder = settings.quarantine_dir / summary["batch"]
        console.print(f"quarantined dossiers and their reasons: {escape(str(folder))}", highlight=False)


def run_ingest(batch_dir: Path, settings: Settings) -> dict:
    prefect_environment(settings)
    from sohoa.flows.ingest import ingest_batch  # after the Prefect environment is set
    from sohoa.flows.prefect_api import prefect_api_reachable
    from sohoa.pipeline.batch import HeadStart

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with HeadStart(batch_dir, settings) as head_start, Progress(*columns, console=console) as bar, \
            prefect_api_reachable():
        return ingest_batch(str(batch_dir), settings, RichProgress(bar), head_start=head_start)


@click.command()
@click.argument("batch_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def ingest(batch_dir: Path, as_json: bool) -> int:
    """Process every dossier in BATCH_DIR (sub-folders of page images, PDFs, multi-page TIFFs)."""
    settings = current_settings()
    summary = run_ingest(batch_dir, settings)
    print_summary(summary, settings)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    return ExitCode.OK if summary["ok"] else ExitCode.PROBLEMS


@click.command()
@click.option("--inbox", type=click.Path(file_okay=False, path_type=Path), help="Default: $SOHOA_HOME/inbox.")
def inbox(inbox: Path | None) -> int:
    """Ingest every batch in the inbox marked READY now, as the nightly run does."""
    settings = current_settings()
    prefect_environment(settings)
    from sohoa.flows.nightly import nightly_inbox
    from sohoa.flows.prefect_api import prefect_api_reachable

    with prefect_api_reachable():
        results = nightly_inbox(str(inbox or settings.inbox_dir), settings)
    for result in results:
        state = "done" if result["moved_to"] else "kept in inbox for the next run"
        console.print(f"{escape(result['batch'])}: {'ok' if result['ok'] else 'with problems'}, {state}",
                      highlight=False)
    if not results:
        console.print("no batch marked READY")
    return ExitCode.OK if all(r["ok"] for r in results) else ExitCode.PROBLEMS


@click.command()
@click.option("--at", "at", help="Local time HH:MM of the nightly run (default SOHOA_NIGHTLY_AT, 02:00).")
@click.option("--timezone", help="Default SOHOA_TIMEZONE, Asia/Ho_Chi_Minh.")
@click.option("--inbox", type=click.Path(file_okay=False, path_type=Path), help="Default: $SOHOA_HOME/inbox.")
@click.option("--fixity-at", help="Local time HH:MM of the daily fixity sweep (default SOHOA_FIXITY_AT, 04:00).")
def schedule(at: str | None, timezone: str | None, inbox: Path | None, fixity_at: str | None) -> None:
    """Serve the nightly ingest of the inbox at --at, the daily fixity sweep at --fixity-at, which checks
    every object once per SOHOA_FIXITY_PERIOD_DAYS, and, with SOHOA_TSA_URL, the renewal of timestamps every
    Sunday at SOHOA_RENEWAL_AT (needs PREFECT_API_URL)."""
    settings = current_settings()
    at, fixity_at, timezone = at or settings.nightly_at, fixity_at or settings.fixity_at, timezone or settings.timezone
    for name, value in (("--at", at), ("--fixity-at", fixity_at)):
        if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", value):
            raise UsageError(f"{name} {value}: expected a local time HH:MM")
    if not os.environ.get("PREFECT_API_URL"):
        raise UsageError("schedule needs a Prefect server: start one (prefect server start) and set "
                         "PREFECT_API_URL=http://127.0.0.1:4200/api; or, with no server, run `sohoa inbox` from "
                         "cron every night")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from sohoa.flows.prefect_api import check_prefect_settings

    check_prefect_settings()
    from sohoa.flows.fixity import fixity_deployment
    from sohoa.flows.nightly import nightly_deployment, serve_scheduled
    from sohoa.flows.prefect_api import prefect_api_reachable
    from sohoa.flows.timestamp_renewal import renewal_deployment

    deployments = [nightly_deployment(at, timezone, inbox or settings.inbox_dir),
                   fixity_deployment(fixity_at, timezone, settings.fixity_period_days)]
    console.print(f"serving deployment nightly_inbox/nightly at {at} {timezone} over {inbox or settings.inbox_dir}, "
                  f"and fixity_sweep/daily at {fixity_at} (every object once in {settings.fixity_period_days} days)",
                  markup=False)
    if settings.tsa_url and settings.trust_roots:
        deployments.append(renewal_deployment(settings.renewal_at, timezone))
        console.print(f"and timestamp_renewal/weekly on Sundays at {settings.renewal_at}", markup=False)
    elif settings.tsa_url:
        console.print("[yellow]warning[/]: SOHOA_TSA_URL is set without SOHOA_TRUST_ROOTS: timestamps are not "
                      "renewed", highlight=False)
    with prefect_api_reachable():
        serve_scheduled(deployments)


@click.command(name="fixity-sweep")
@click.option("--day", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD: the day whose partition to check "
                                                               "(default today).")
def fixity_sweep(day) -> int:
    """Check today's share of the dossiers and the audit log, as the scheduled sweep does (for cron)."""
    settings = current_settings()
    prefect_environment(settings)
    from sohoa.flows.fixity import fixity_sweep as sweep
    from sohoa.flows.prefect_api import prefect_api_reachable

    with prefect_api_reachable():
        result = sweep(day=day.date().isoformat() if day else None, settings=settings)
    for line in result["problems"]:
        console.print(f"[red]PROBLEM[/] {escape(line)}", highlight=False)
    console.print(f"partition {result['partition'] + 1} of {result['partitions']}: {result['dossiers']} dossiers, "
                  f"{result['objects']} objects, {len(result['problems'])} problem(s)"
                  + (f"; report {result['report']}" if result["report"] else ""), highlight=False)
    return ExitCode.PROBLEMS if result["problems"] else ExitCode.OK


@click.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dossiers", default=4, show_default=True)
@click.option("--seed", default=7, show_default=True)
@click.option("--all-types", is_flag=True, help="All 29 Decree 30 types and some legal documents outside them.")
@click.option("--hard", is_flag=True, help="Harsher scans, numbers written by hand, received stamps, appendices.")
def generate(out_dir: Path, dossiers: int, seed: int, all_types: bool, hard: bool) -> None:
    """Write a synthetic batch (OUT_DIR/batch) and its ground truth (OUT_DIR/truth.json)."""
    from sohoa.synth.batch import make_batch

    truth = make_batch(out_dir / "batch", out_dir / "truth.json", dossiers=dossiers, seed=seed, all_types=all_types,
                       hard=hard)
    pages = sum(d["page_count"] for d in truth["dossiers"])
    console.print(f"wrote {dossiers} dossiers, {pages} pages to {out_dir / 'batch'}", markup=False)


@click.command()
@click.option("--dossiers", default=3, show_default=True)
def demo(dossiers: int) -> None:
    """Generate a sample batch, ingest it and show a search."""
    from sohoa.archive.catalogue import stored_records
    from sohoa.archive.search import SearchRequest
    from sohoa.pipeline.backends import open_backends
    from sohoa.pipeline.search import search_page
    from sohoa.synth.batch import make_batch

    settings = current_settings()
    demo_dir = settings.home / "demo"
    if not (demo_dir / "truth.json").exists():
        console.print(f"generating {dossiers} sample dossiers in {demo_dir / 'batch'} ...", markup=False)
        make_batch(demo_dir / "batch", demo_dir / "truth.json", dossiers=dossiers, seed=2024)
    summary = run_ingest(demo_dir / "batch", settings)
    print_summary(summary, settings)
    with open_backends(settings) as backends:
        subjects = [r["subject"] for r in stored_records(backends.store) if r["subject"]]
        if subjects:
            # A query typed without accents, taken from what was just archived.
            query = " ".join(re.sub(r"^(v/v|ve viec|ve)\s+", "", fold(subjects[0])).split()[:4])
            console.print(f"\n[bold]sohoa search \"{query}\"[/] (no accents needed):")
            for hit in search_page(backends.index, SearchRequest(query, size=5))["hits"]:
                console.print(f"  {hit['doc_id']}  {hit['type_name']}  {hit['code_number']}/{hit['code_notation']}"
                              f"  {hit['issued_date']}  {(hit['subject'] or '')[:60]}", markup=False)
    console.print(f"\nrecords: {settings.home}  —  try: sohoa search \"ho so\"  |  sohoa export --format jsonl",
                  markup=False)

