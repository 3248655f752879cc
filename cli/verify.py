"""`sohoa verify`: every stored object's checksum against the manifests and METS, and the audit log."""
import datetime as dt
from pathlib import Path

import click
from rich.markup import escape

from sohoa.archive.fixity import FixityReport
from sohoa.cli.context import console, current_settings
from sohoa.core.errors import ExitCode, SohoaError
from sohoa.core.settings import Settings
from sohoa.pipeline.backends import open_backends
from sohoa.pipeline.verification import check_archive, log_verification, repair_archive, write_reports


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
    """Recompute every stored object's SHA-256 against the manifests and METS, check the audit log and its
    signed checkpoints, and reconcile the search index with object storage."""
    settings = current_settings()
    logging_failed = None
    with open_backends(settings, index_when_used=True) as backends:
        report = check_archive(backends, set(file_codes) or None, trust_roots=settings.trust_roots)
        try:  # the findings are printed and the reports written even when they cannot be logged
            log_verification(backends, report, settings.operator)
        except SohoaError as exc:
            logging_failed = exc
        if repair and report.all_problems() and not logging_failed:
            for problem in report.all_problems():
                console.print(f"[yellow]found[/] {escape(problem.line())}", highlight=False)
            report = repair_archive(backends, report, settings.operator, settings.trust_roots)
        where = backends.store.describe()
    show(report, where, settings, json_path, csv_path)
    if logging_failed:
        console.print(f"[red]error[/]: the findings could not be logged in the audit trail: "
                      f"{escape(str(logging_failed))}", highlight=False)
    problems = report.all_problems()
    if problems:
        return ExitCode.PROBLEMS
    return logging_failed.exit_code if logging_failed else ExitCode.OK


def show(report: FixityReport, where: str, settings: Settings, json_path: Path | None, csv_path: Path | None
         ) -> None:
    json_path, csv_path = report_paths(settings, json_path, csv_path, "verify")
    try:
        write_reports(report, json_path, csv_path)
        written = f"reports: {json_path} {csv_path}"
    except OSError as exc:
        written = f"[red]reports not written[/]: {escape(str(exc))}"
    problems = report.all_problems()
    for problem in problems:
        console.print(f"[red]PROBLEM[/] {escape(problem.line())}", highlight=False)
    for name in report.cleaned:
        console.print(f"cleaned: temporary file of an interrupted write {escape(name)}", highlight=False)
    log = f", audit log of {report.log_entries} entries" if report.log_entries is not None else ""
    index = f", {report.index_records} indexed records" if report.index_records is not None else ""
    index += f", {report.signatures} signatures" if report.signatures is not None else ""
    console.print(f"checked {report.objects} objects of {len(report.dossiers)} dossiers in {escape(where)}{log}"
                  f"{index}: " + (f"[red]{len(problems)} problem(s)[/]" if problems else "[green]all intact[/]"),
                  highlight=False)
    console.print(written, highlight=False)
    if report.signatures is None:
        console.print("signatures not checked: SOHOA_TRUST_ROOTS names no folder of CA certificates", highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]warning[/]: {escape(warning)}", highlight=False)
