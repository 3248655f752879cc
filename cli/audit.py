"""`sohoa audit`: the PREMIS events of the audit trail, and the report for auditors."""
import datetime as dt
import json
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from sohoa.archive.search import EventQuery
from sohoa.cli.context import current_settings, out
from sohoa.core.dates import iso_date
from sohoa.pipeline.audit_report import audit_report
from sohoa.pipeline.backends import open_backends


@click.group()
def audit() -> None:
    """The audit trail: PREMIS events and reports for auditors."""


@audit.command()
@click.option("--dossier", "file_code")
@click.option("--type", "event_type", help='PREMIS event type, e.g. "fixity check".')
@click.option("--outcome", type=click.Choice(["success", "failure", "not performed"]))
@click.option("--from", "date_from", help="On or after this day (YYYY-MM-DD or DD/MM/YYYY).")
@click.option("--to", "date_to", help="On or before this day (YYYY-MM-DD or DD/MM/YYYY).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="One JSON event per line.")
def events(file_code, event_type, outcome, date_from, date_to, limit: int, as_json: bool) -> None:
    """Search the audit events, newest first."""
    with open_backends(current_settings()) as backends:
        found = backends.index.search_events(EventQuery(file_code, event_type, outcome, iso_date(date_from, "--from"),
                                                        iso_date(date_to, "--to"), limit))
    if as_json:
        for event in found:
            click.echo(json.dumps(event, ensure_ascii=False))
        return
    table = Table("time", "type", "outcome", "dossier", "detail", title=f"{len(found)} events")
    for event in found:
        table.add_row(*(Text(value) for value in (event["time"], event["type"], event["outcome"],
                                                  event.get("file_code") or "", event["detail"])))
    out.print(table)


@audit.command()
@click.option("--format", "fmt", type=click.Choice(["html", "csv"]), default="html", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Default: $SOHOA_HOME/reports/audit-<time>.<format>.")
def report(fmt: str, output: Path | None) -> None:
    """One document for auditors: fixity by dossier, validation, events by type and month, problems."""
    settings = current_settings()
    with open_backends(settings) as backends:
        body = audit_report(backends, fmt)
    output = output or settings.reports_dir / f"audit-{dt.datetime.now():%Y%m%d-%H%M%S}.{fmt}"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(body, encoding="utf-8")
    out.print(str(output), highlight=False)
