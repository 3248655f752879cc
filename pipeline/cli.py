"""The sohoa command line."""
import json
import os
import re
import shlex
import sys
import textwrap
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from archive.search import SORTS, SearchFilters, SearchRequest, every_hit
from pipeline.backends import open_index, open_store, rebuild_index, stored_records
from pipeline.cli_integrity import COMMANDS
from pipeline.config import Settings
from pipeline.text import fold

console = Console(stderr=True)
out = Console()


def quiet_prefect(settings: Settings) -> None:
    """Prefect runs embedded (a temporary local API, no server to start) and keeps its logs down."""
    (settings.home / "prefect").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect"))
    if not os.environ.get("SOHOA_VERBOSE"):
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


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
        colour = {"archived": "green", "already archived": "cyan"}.get(status, "red")
        if file_code in self.dossiers:
            self.progress.update(self.dossiers[file_code], visible=False)
        line = detail if status in ("quarantined", "failed") else f"{file_code} {detail}".strip()
        self.progress.console.print(f"[{colour}]{status.upper()}[/] {line}")


def print_summary(summary: dict) -> None:
    table = Table(title=f"Batch {summary['batch']}", show_header=False)
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = (("dossiers", summary["dossiers"]), ("archived", summary["archived"]),
            ("already archived", summary["already_archived"]), ("quarantined", summary["quarantined"]),
            ("failed", summary["failed"]), ("documents", summary["documents"]), ("pages", summary["pages"]),
            ("needing review", summary["needs_review"]), ("pages/minute", summary["pages_per_minute"]))
    for name, value in rows:
        style = "red" if name in ("quarantined", "failed", "needing review") and value else ""
        table.add_row(name, f"[{style}]{value}[/]" if style else str(value))
    console.print(table)
    for name in summary["ignored"]:
        console.print(f"[yellow]ignored[/] {name}: not a dossier (folder, PDF or TIFF)")
    if summary["quarantined"]:
        console.print(f"quarantined dossiers and their reasons: {Settings.from_env().quarantine_dir / summary['batch']}")


def run_ingest(batch_dir: Path, settings: Settings) -> dict:
    quiet_prefect(settings)
    from flows.ingest import ingest_batch  # after the Prefect environment is set
    from pipeline import progress as progress_port

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as bar:
        progress_port.set_sink(RichProgress(bar))
        try:
            return ingest_batch(str(batch_dir))
        finally:
            progress_port.set_sink(progress_port.NoProgress())


@click.group()
def main() -> None:
    """sohoa: scanned dossiers in, searchable electronic records out."""


for _command in COMMANDS:  # verify, aip, sip, bag, audit
    main.add_command(_command)


@main.command()
@click.argument("batch_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def ingest(batch_dir: Path, as_json: bool) -> None:
    """Process every dossier in BATCH_DIR (sub-folders of page images, PDFs, multi-page TIFFs)."""
    settings = Settings.from_env()
    try:
        summary = run_ingest(batch_dir, settings)
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/]: run the same command again to resume")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - one readable line instead of a traceback
        console.print(f"[red]ingest failed[/]: {type(exc).__name__}: {exc}")
        sys.exit(2)
    print_summary(summary)
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    sys.exit(0 if summary["ok"] else 1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--dossier", "file_code", help="Only this dossier's documents.")
def export(fmt: str, file_code: str | None) -> None:
    """Print one JSON record per archived document, read from object storage."""
    for record in stored_records(open_store(Settings.from_env()), file_code):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json: bool) -> None:
    """Which backends are in use, their versions, health and counts; exit 1 if one is down."""
    from ocr.tesseract import TesseractEngine

    settings = Settings.from_env()
    parts = {}
    for part, opener in (("objects", open_store), ("index", open_index)):
        try:
            parts[part] = {**opener(settings).status(), "up": True}
        except Exception as exc:  # noqa: BLE001 - an unreachable backend is what status must show
            where = settings.s3_endpoint if part == "objects" else settings.es_url
            parts[part] = {"backend": "?", "location": where or "-", "version": "?", "up": False,
                           "health": f"down: {type(exc).__name__}: {str(exc)[:120]}"}
    parts["ocr"] = {"backend": "Tesseract", "location": settings.language, "up": True, "health": "ok",
                    "version": TesseractEngine(settings.language).version()}
    if as_json:
        sys.stdout.write(json.dumps(parts, ensure_ascii=False) + "\n")
    else:
        table = Table(title=f"sohoa — {settings.home}")
        for column in ("part", "backend", "location", "version", "health", "count"):
            table.add_column(column)
        for part, info in parts.items():
            count = next((f"{info[k]} {k}" for k in ("objects", "records") if k in info), "-")
            health = info["health"] if info["up"] else f"[red]{info['health']}[/]"
            table.add_row(part, info["backend"], info["location"], info["version"], health, count)
        out.print(table)
    sys.exit(0 if all(info["up"] for info in parts.values()) else 1)


@main.command()
def reindex() -> None:
    """Rebuild the search index from object storage alone (the index holds nothing else)."""
    settings = Settings.from_env()
    store, index = open_store(settings), open_index(settings)
    total = rebuild_index(store, index)
    console.print(f"indexed {total} records from {store.describe()} into {index.describe()}")
    index.close()


@main.command()
@click.argument("query", default="")
@click.option("--type", "type_name", help="Type name (with or without accents) or TT05 type code.")
@click.option("--from", "date_from", help="Issued on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Issued on or before (YYYY-MM-DD).")
@click.option("--organ", help="Issuing body, any part of its name.")
@click.option("--secrecy", help="Secrecy level: mat, toi mat, tuyet mat (accents optional).")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
              help="relevance (newest when there is no query), newest, oldest, or dossier order.")
@click.option("--limit", default=20, show_default=True, help="Hits per page (1-1000).")
@click.option("--after", "cursor", help="Cursor printed under the previous page: show the next page.")
@click.option("--all", "every", is_flag=True, help="Every hit, however many (JSON lines with --json).")
@click.option("--json", "as_json", is_flag=True, help="Print the page (or with --all each hit) as JSON.")
def search(query: str, type_name, date_from, date_to, organ, secrecy, sort, limit: int, cursor, every: bool,
           as_json: bool) -> None:
    """Search full text and metadata, with or without Vietnamese accents."""
    index = open_index(Settings.from_env())
    try:
        request = SearchRequest(query, SearchFilters(type_name, organ, date_from, date_to, secrecy), sort, limit,
                                cursor, facets=cursor is None)  # later pages have the first page's facets
        if every:
            print_every_hit(index, request, as_json)
            return
        results = index.search(request)
    except ValueError as exc:  # a bad sort, page size or cursor
        raise click.UsageError(str(exc)) from exc
    if as_json:
        facets = {name: [{"value": value, "count": n} for value, n in buckets]
                  for name, buckets in results.facets.items()}
        page = {"total": results.total, "facets": facets, "cursor": results.cursor,
                "hits": [without_page_text(h) for h in results.hits]}
        sys.stdout.write(json.dumps(page, ensure_ascii=False, indent=1) + "\n")
        return
    table = hits_table(f"{results.total} result(s)" + (f" for “{query}”" if query else "")
                       + (", a further page" if cursor else ""))
    for hit in results.hits:
        add_hit_row(table, hit)
    out.print(table)
    for name, buckets in results.facets.items():
        if buckets:
            out.print(f"[bold]{name}[/]: " + " · ".join(f"{value} ({n})" for value, n in buckets))
    if results.cursor:
        out.print(f"next page: {next_page_command(results.cursor)}", soft_wrap=True)


def next_page_command(cursor: str) -> str:
    """This same command line with --after set to the cursor of the next page."""
    args, skip = [], False
    for arg in sys.argv[1:]:
        if skip or arg == "--after" or arg.startswith("--after="):
            skip = arg == "--after"
            continue
        args.append(arg)
    return shlex.join(["sohoa", *args, "--after", cursor])


def print_every_hit(index, request: SearchRequest, as_json: bool) -> None:
    if as_json:
        for hit in every_hit(index, request):
            sys.stdout.write(json.dumps(without_page_text(hit), ensure_ascii=False) + "\n")
        return
    table = hits_table("every result" + (f" for “{request.text}”" if request.text else ""))
    for hit in every_hit(index, request):
        add_hit_row(table, hit)
    out.print(table)


def without_page_text(hit: dict) -> dict:
    return {**hit, "pages": [{k: v for k, v in page.items() if k != "text"} for page in hit.get("pages", [])]}


def hits_table(title: str) -> Table:
    table = Table(title=title)
    for column in ("doc_id", "type", "number/symbol", "date", "organ", "subject / where it matched", "review"):
        table.add_column(column)
    return table


def add_hit_row(table: Table, hit: dict) -> None:
    code = f"{hit['code_number'] or '?'}/{hit['code_notation'] or '?'}"
    where = Text(textwrap.shorten(hit["subject"] or "", 120, placeholder=" …"))
    for found in hit.get("highlights", [])[:2]:
        where.append(f"\n{'p. ' + str(found['page']) if found['page'] else 'subject'}: ", style="dim")
        where.append(marked_text(found))
    table.add_row(hit["doc_id"], hit["type_name"] or "?", code, hit["issued_date"] or "?", hit["organ_name"] or "?",
                  where, "yes" if hit["needs_review"] else "")


def marked_text(found: dict) -> Text:
    text = Text(found["text"].replace("\n", " "))
    for start, end in found["marks"]:
        text.stylize("bold reverse", start, end)
    return text


@main.command()
@click.option("--inbox", type=click.Path(file_okay=False, path_type=Path), help="Default: $SOHOA_HOME/inbox.")
def inbox(inbox: Path | None) -> None:
    """Ingest every batch in the inbox marked READY now, as the nightly run does."""
    settings = Settings.from_env()
    quiet_prefect(settings)
    from flows.nightly import nightly_inbox

    results = nightly_inbox(str(inbox or settings.inbox_dir))
    for result in results:
        state = "done" if result["moved_to"] else "kept in inbox for the next run"
        console.print(f"{result['batch']}: {'ok' if result['ok'] else 'with problems'}, {state}")
    if not results:
        console.print("no batch marked READY")
    sys.exit(0 if all(r["ok"] for r in results) else 1)


@main.command()
@click.option("--at", "at", default=lambda: os.environ.get("SOHOA_NIGHTLY_AT", "02:00"), show_default="02:00",
              help="Local time HH:MM of the nightly run.")
@click.option("--timezone", default=lambda: os.environ.get("SOHOA_TIMEZONE", "Asia/Ho_Chi_Minh"),
              show_default="Asia/Ho_Chi_Minh")
@click.option("--inbox", type=click.Path(file_okay=False, path_type=Path), help="Default: $SOHOA_HOME/inbox.")
@click.option("--fixity-at", default=lambda: os.environ.get("SOHOA_FIXITY_AT", "04:00"), show_default="04:00",
              help="Local time HH:MM of the daily fixity sweep.")
def schedule(at: str, timezone: str, inbox: Path | None, fixity_at: str) -> None:
    """Serve the nightly ingest of the inbox at --at and the daily fixity sweep at --fixity-at, which checks
    every object once per SOHOA_FIXITY_PERIOD_DAYS (needs PREFECT_API_URL)."""
    settings = Settings.from_env()
    if not os.environ.get("PREFECT_API_URL"):
        console.print("[red]schedule needs a Prefect server[/]: start one (prefect server start) and set "
                      "PREFECT_API_URL=http://127.0.0.1:4200/api; or, with no server, run `sohoa inbox` "
                      "from cron every night.")
        sys.exit(2)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.fixity import fixity_deployment
    from flows.nightly import nightly_deployment, serve_scheduled

    console.print(f"serving deployment nightly_inbox/nightly at {at} {timezone} over {inbox or settings.inbox_dir}, "
                  f"and fixity_sweep/daily at {fixity_at} (every object once in {settings.fixity_period_days} days)")
    serve_scheduled([nightly_deployment(at, timezone, inbox or settings.inbox_dir),
                     fixity_deployment(fixity_at, timezone, settings.fixity_period_days)])


@main.command(name="fixity-sweep")
@click.option("--day", help="YYYY-MM-DD: the day whose partition to check (default today).")
def fixity_sweep_command(day: str | None) -> None:
    """Check today's share of the dossiers and the audit log, as the scheduled sweep does (for cron)."""
    settings = Settings.from_env()
    quiet_prefect(settings)
    from flows.fixity import fixity_sweep

    result = fixity_sweep(day=day)
    for line in result["problems"]:
        console.print(f"[red]PROBLEM[/] {line}", highlight=False, soft_wrap=True)
    console.print(f"partition {result['partition'] + 1} of {result['partitions']}: {result['dossiers']} dossiers, "
                  f"{result['objects']} objects, {len(result['problems'])} problem(s)"
                  + (f"; report {result['report']}" if result["report"] else ""), highlight=False, soft_wrap=True)
    sys.exit(1 if result["problems"] else 0)


@main.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dossiers", default=4, show_default=True)
@click.option("--seed", default=7, show_default=True)
@click.option("--all-types", is_flag=True, help="All 29 Decree 30 types and some legal documents outside them.")
@click.option("--hard", is_flag=True, help="Harsher scans, numbers written by hand, received stamps, appendices.")
def generate(out_dir: Path, dossiers: int, seed: int, all_types: bool, hard: bool) -> None:
    """Write a synthetic batch (OUT_DIR/batch) and its ground truth (OUT_DIR/truth.json)."""
    from synth.batch import make_batch

    truth = make_batch(out_dir / "batch", out_dir / "truth.json", dossiers=dossiers, seed=seed, all_types=all_types,
                       hard=hard)
    pages = sum(d["page_count"] for d in truth["dossiers"])
    console.print(f"wrote {dossiers} dossiers, {pages} pages to {out_dir / 'batch'}")


@main.command()
@click.option("--dossiers", default=3, show_default=True)
def demo(dossiers: int) -> None:
    """Generate a sample batch, ingest it and show a search."""
    from synth.batch import make_batch

    settings = Settings.from_env()
    demo_dir = settings.home / "demo"
    if not (demo_dir / "truth.json").exists():
        console.print(f"generating {dossiers} sample dossiers in {demo_dir / 'batch'} ...")
        make_batch(demo_dir / "batch", demo_dir / "truth.json", dossiers=dossiers, seed=2024)
    summary = run_ingest(demo_dir / "batch", settings)
    print_summary(summary)
    index = open_index(settings)
    sample = next((r for r in stored_records(open_store(settings)) if r["subject"]), None)
    if sample is not None:
        # A query typed without accents, taken from what was just archived.
        subject = re.sub(r"^(v/v|ve viec|ve)\s+", "", fold(sample["subject"]))
        query = " ".join(subject.split()[:4])
        console.print(f"\n[bold]sohoa search \"{query}\"[/] (no accents needed):")
        for hit in index.search(SearchRequest(query, size=5)).hits:
            console.print(f"  {hit['doc_id']}  {hit['type_name']}  {hit['code_number']}/{hit['code_notation']}"
                          f"  {hit['issued_date']}  {(hit['subject'] or '')[:60]}")
    console.print(f"\nrecords: {settings.home}  —  try: sohoa search \"ho so\"  |  sohoa export --format jsonl")


if __name__ == "__main__":
    main()
