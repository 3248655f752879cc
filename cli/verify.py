"""`sohoa verify`: every stored object's checksum against the manifests and METS, and the audit log."""
import datetime as dt
from pathlib import Path

import click

from sohoa.cli.context import console, current_settings
from sohoa.core.errors import ExitCode
from sohoa.core.settings import Settings
from sohoa.pipeline.backends import open_backends
from sohoa.pipeline.verification import repair_archive, verify_archive, write_reports


def report_paths(settings: Settings, json_path: Path | None, csv_path: Path | None, stem: str) -> tuple[Path, Path]:
    base = settings.reports_dir / f"{stem}-{dt.datetime.now():%Y%m%d-%H%M%S}"
    return json_path or base.with_suffix(".json"), csv_path or base.with_suffix(".csv")


@click.command()
@click.option("--dossier", "file_codes", multiple=True, help="Only this dossier (repeatable).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON report here (default: $SOHOA_HOME/reports/verify-<time>.json).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV report here (default: beside the JSON one).")
@click.option("--repair", is_flag=True, help="Restore damaged or missing objects from the replica.")
def verify(file_codes: tuple[str, ...], json_path: Path | None, csv_path: Path | None, repair: bool) -> int:
    """Recompute every stored object's SHA-256 against the manifests and METS, and check the audit log."""
    settings = current_settings()
    with open_backends(settings) as backends:
        report = verify_archive(backends, settings.operator, set(file_codes) or None)
        if repair and report.all_problems():
            for problem in report.all_problems():
                console.print(f"[yellow]found[/] {problem.line()}", highlight=False)
            report = repair_archive(backends, report, settings.operator)
        where = backends.store.describe()
    json_path, csv_path = report_paths(settings, json_path, csv_path, "verify")
    write_reports(report, json_path, csv_path)
    problems = report.all_problems()
    for problem in problems:
        console.print(f"[red]PROBLEM[/] {problem.line()}", highlight=False)
    log = f", audit log of {report.log_entries} entries" if report.log_entries is not None else ""
    console.print(f"checked {report.objects} objects of {len(report.dossiers)} dossiers in {where}{log}: "
                  + (f"[red]{len(problems)} problem(s)[/]" if problems else "[green]all intact[/]"), highlight=False)
    console.print(f"reports: {json_path} {csv_path}", highlight=False)
    if report.warning:
        console.print(f"[yellow]warning[/]: {report.warning}", highlight=False)
    return ExitCode.PROBLEMS if problems else ExitCode.OK
