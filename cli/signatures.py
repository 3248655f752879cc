"""`sohoa renew-timestamps`: the weekly renewal of the agency's timestamps, run now."""
import json

import click
from rich.markup import escape

from sohoa.cli.context import console, current_settings
from sohoa.core.errors import ExitCode
from sohoa.pipeline.backends import open_backends
from sohoa.pipeline.timestamp_renewal import renew_timestamps


@click.command(name="renew-timestamps")
@click.option("--json", "as_json", is_flag=True, help="Print what was renewed as JSON on stdout.")
def renew_timestamps_command(as_json: bool) -> int:
    """Add a new document timestamp (SOHOA_TSA_URL) to every signed PDF/A whose newest timestamp rests on a
    certificate expiring within SOHOA_RENEW_BEFORE_DAYS or on a digest in SOHOA_WEAK_DIGESTS, each dossier's as
    a new version; the schedule runs this every Sunday."""
    settings = current_settings()
    with open_backends(settings) as backends:
        report = renew_timestamps(backends, settings, settings.operator)
    for done in report.renewed:
        console.print(f"[green]RENEWED[/] {escape(done['doc_id'])} (version {done['version']}): "
                      f"{escape(done['reason'])}", highlight=False)
    for problem in report.problems:
        console.print(f"[red]PROBLEM[/] {escape(problem)}", highlight=False)
    if report.stopped:
        console.print(f"[red]STOPPED[/] {escape(report.stopped)}", highlight=False)
    console.print(f"{report.checked} signed PDF/As checked, {len(report.renewed)} given a new timestamp, "
                  f"{len(report.problems)} problem(s)", highlight=False)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False))
    return ExitCode.BACKEND if report.stopped else ExitCode.PROBLEMS if report.problems else ExitCode.OK
