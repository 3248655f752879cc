"""Commands over the archived records: search, export, reindex, and the status of the backends."""
import json
import shlex
import sys
import textwrap

import click
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from sohoa.archive.catalogue import load_manifest, stored_records
from sohoa.archive.search import SORTS, SearchFilters, SearchRequest
from sohoa.cli.context import console, current_settings, out
from sohoa.core.errors import ExitCode, UsageError
from sohoa.pipeline.backends import open_backends, open_store, rebuild_index
from sohoa.pipeline.search import all_hits, search_page
from sohoa.pipeline.status import backend_status


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--dossier", "file_code", help="Only this dossier's documents.")
def export(fmt: str, file_code: str | None) -> None:
    """Print one JSON record per archived document, read from object storage; a record that does not
    match its manifest is refused."""
    store = open_store(current_settings())
    if file_code and load_manifest(store, file_code) is None:
        raise UsageError(f"dossier {file_code} is not archived in {store.describe()}")
    for record in stored_records(store, file_code):
        click.echo(json.dumps(record, ensure_ascii=False))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.option("--batch", help="A submitted batch instead: each dossier's flow run, its state and its outcome.")
def status(as_json: bool, batch: str | None) -> int:
    """Which backends are in use, their versions, health and counts; exit 3 if one is down."""
    if batch:
        from sohoa.cli.scale import show_batch

        return show_batch(batch, as_json)
    settings = current_settings()
    parts = backend_status(settings)
    if as_json:
        click.echo(json.dumps(parts, ensure_ascii=False))
    else:
        table = Table(title=Text(f"sohoa — {settings.home}"))
        for column in ("part", "backend", "location", "version", "health", "count"):
            table.add_column(column)
        for part, info in parts.items():
            count = next((f"{info[k]} {k}" for k in ("objects", "records") if k in info), "-")
            health = Text(info["health"], style=None if info["up"] else "red")
            table.add_row(*(Text(str(v)) for v in (part, info["backend"], info["location"], info["version"])), health,
                          count)
        out.print(table)
        if parts["checkpoints"]["up"]:
            out.print(f"audit checkpoints signed with key {parts['checkpoints']['key_id']} "
                      f"({escape(parts['checkpoints']['key'])}); public key, for auditors to note:\n  "
                      f"{parts['checkpoints']['public_key']}", highlight=False)
    return ExitCode.OK if all(info["up"] for info in parts.values()) else ExitCode.BACKEND


@click.command()
def reindex() -> int:
    """Rebuild the search index from object storage alone (the index holds nothing else); a record that
    does not match its manifest is left out and named."""
    damaged = []
    with open_backends(current_settings()) as backends:
        total = rebuild_index(backends.store, backends.index, damaged=damaged.append)
        console.print(f"indexed {total} records from {escape(backends.store.describe())} into "
                      f"{escape(backends.index.describe())}", highlight=False)
    for line in damaged:
        console.print(f"[red]PROBLEM[/] {escape(line)}", highlight=False)
    return ExitCode.PROBLEMS if damaged else ExitCode.OK


@click.command()
@click.argument("query", default="")
@click.option("--type", "type_name", help="Type name (with or without accents) or TT05 type code.")
@click.option("--from", "date_from", help="Issued on or after (YYYY-MM-DD or DD/MM/YYYY).")
@click.option("--to", "date_to", help="Issued on or before (YYYY-MM-DD or DD/MM/YYYY).")
@click.option("--organ", help="Issuing body, any part of its name.")
@click.option("--secrecy", help="Secrecy level: mat, toi mat, tuyet mat (accents optional).")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
              help="relevance (newest when there is no query), newest, oldest, or dossier order.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="Hits per page.")
@click.option("--after", "cursor", help="Cursor printed under the previous page: show the next page.")
@click.option("--all", "every", is_flag=True, help="Every hit, however many (JSON lines with --json).")
@click.option("--json", "as_json", is_flag=True, help="Print the page (or with --all each hit) as JSON.")
@click.option("--user", "login", help="Only what this portal account may see (as the portal's search answers it).")
def search(query: str, type_name, date_from, date_to, organ, secrecy, sort, limit: int, cursor, every: bool,
           as_json: bool, login: str | None) -> None:
    """Search full text and metadata, with or without Vietnamese accents."""
    viewer = portal_viewer(login) if login else None
    request = SearchRequest(query, SearchFilters(type_name, organ, date_from, date_to, secrecy), sort, limit, cursor,
                            facets=cursor is None, viewer=viewer)  # later pages have the first page's facets
    with open_backends(current_settings()) as backends:
        if every:
            hits = all_hits(backends.index, request)
            if as_json:
                for hit in hits:
                    click.echo(json.dumps(hit, ensure_ascii=False))
            else:
                print_hits("every result" + (f" for “{query}”" if query else ""), hits)
            return
        page = search_page(backends.index, request)
    if as_json:
        click.echo(json.dumps(page, ensure_ascii=False, indent=1))
        return
    print_hits(f"{page['total']} result(s)" + (f" for “{query}”" if query else "") + (", a further page" if cursor
                                                                                      else ""), page["hits"])
    for name, buckets in page["facets"].items():
        if buckets:
            out.print(f"[bold]{name}[/]: " + " · ".join(f"{escape(str(b['value']))} ({b['count']})" for b in buckets),
                      highlight=False)
    if page["cursor"]:
        out.print(f"next page: {next_page_command(page['cursor'])}")


def portal_viewer(login: str):
    current_settings()
    from sohoa.portal.setup import start_django

    start_django()
    from sohoa.portal.accounts import viewer_of

    return viewer_of(login)


def next_page_command(cursor: str) -> str:
    """This same command line with --after set to the cursor of the next page."""
    args, skip = [], False
    for arg in sys.argv[1:]:
        if skip or arg == "--after" or arg.startswith("--after="):
            skip = arg == "--after"
            continue
        args.append(arg)
    return shlex.join(["sohoa", *args, "--after", cursor])


def print_hits(title: str, hits) -> None:
    table = Table(title=Text(title))
    for column in ("doc_id", "type", "number/symbol", "date", "organ", "subject / where it matched", "review"):
        table.add_column(column)
    for hit in hits:
        code = f"{hit['code_number'] or '?'}/{hit['code_notation'] or '?'}"
        where = Text(textwrap.shorten(hit["subject"] or "", 120, placeholder=" …"))
        for found in hit.get("highlights", [])[:2]:
            where.append(f"\n{'p. ' + str(found['page']) if found['page'] else 'subject'}: ", style="dim")
            where.append(marked_text(found))
        cells = (hit["doc_id"], hit["type_name"] or "?", code, hit["issued_date"] or "?", hit["organ_name"] or "?")
        table.add_row(*(Text(cell) for cell in cells), where, "yes" if hit["needs_review"] else "")
    out.print(table)


def marked_text(found: dict) -> Text:
    text = Text(found["text"].replace("\n", " "))
    for start, end in found["marks"]:
        text.stylize("bold reverse", start, end)
    return text

