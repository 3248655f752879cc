"""The auditors' commands: verify, package exports (aip, sip, bag) and the audit trail."""
import datetime as dt
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from archive.search import EventQuery
from pipeline.backends import open_backends
from pipeline.config import Settings

# Never wrapped: problem lines, keys and paths stay whole for grep and for the scripts that read them.
console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def report_paths(settings: Settings, json_path: Path | None, csv_path: Path | None, stem: str) -> tuple[Path, Path]:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = settings.home / "reports" / f"{stem}-{stamp}"
    return json_path or base.with_suffix(".json"), csv_path or base.with_suffix(".csv")


@click.command()
@click.option("--dossier", "file_codes", multiple=True, help="Only this dossier (repeatable).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON report here (default: $SOHOA_HOME/reports/verify-<time>.json).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV report here (default: beside the JSON one).")
@click.option("--repair", is_flag=True, help="Restore damaged or missing objects from the replica.")
def verify(file_codes: tuple[str, ...], json_path: Path | None, csv_path: Path | None, repair: bool) -> None:
    """Recompute every stored object's SHA-256 against the manifests and METS, and check the audit log."""
    from pipeline.verification import RepairImpossible, repair_archive, verify_archive, write_reports

    settings = Settings.from_env()
    backends = open_backends(settings)
    try:
        report = verify_archive(backends, set(file_codes) or None)
        if repair and report.all_problems():
            for problem in report.all_problems():
                console.print(f"[yellow]found[/] {problem.line()}", highlight=False)
            report = repair_archive(backends, report)
    except RepairImpossible as exc:
        console.print(f"[red]cannot repair[/]: {exc}", highlight=False)
        sys.exit(1)
    finally:
        backends.close()
    json_path, csv_path = report_paths(settings, json_path, csv_path, "verify")
    write_reports(report, json_path, csv_path)
    problems = report.all_problems()
    for problem in problems:
        console.print(f"[red]PROBLEM[/] {problem.line()}", highlight=False)
    log = f", audit log of {report.log_entries} entries" if report.log_entries is not None else ""
    console.print(f"checked {report.objects} objects of {len(report.dossiers)} dossiers in "
                  f"{backends.store.describe()}{log}: "
                  + (f"[red]{len(problems)} problem(s)[/]" if problems else "[green]all intact[/]"), highlight=False)
    console.print(f"reports: {json_path} {csv_path}", highlight=False)
    if report.warning:
        console.print(f"[yellow]warning[/]: {report.warning}", highlight=False)
    sys.exit(1 if problems else 0)


def export_command(kind: str, help_text: str):
    @click.command(name="export", help=help_text)
    @click.argument("file_code")
    @click.argument("dest_dir", type=click.Path(file_okay=False, path_type=Path))
    def command(file_code: str, dest_dir: Path) -> None:
        from pipeline import exports

        settings = Settings.from_env()
        backends = open_backends(settings)
        try:
            if kind == "aip":
                written = [exports.export_aip(backends, file_code, dest_dir)]
            elif kind == "sip":
                written = list(exports.export_sip(backends, file_code, dest_dir, settings))
            else:
                written = [exports.export_bag(backends, file_code, dest_dir, settings)]
        except exports.ExportError as exc:
            console.print(f"[red]not exported[/]: {exc}", highlight=False)
            sys.exit(1)
        finally:
            backends.close()
        for path in written:
            out.print(str(path), highlight=False)

    return command


@click.group()
def aip() -> None:
    """Archival information packages (E-ARK CSIP 2, TT05) as stored."""


@click.group()
def sip() -> None:
    """Submission information packages, for handing dossiers to a historical archive."""


@click.group()
def bag() -> None:
    """BagIt bags (RFC 8493), for transfers and replicas."""


aip.add_command(export_command("aip", "Write the dossier's stored AIP to DEST_DIR/FILE_CODE/."))
sip.add_command(export_command("sip", "Write a SIP of the dossier to DEST_DIR/FILE_CODE/ and DEST_DIR/FILE_CODE.zip."))
bag.add_command(export_command("bag", "Write the dossier's AIP as a BagIt bag (SHA-256) to DEST_DIR/FILE_CODE/."))


@click.group()
def audit() -> None:
    """The audit trail: PREMIS events and reports for auditors."""


@audit.command()
@click.option("--dossier", "file_code")
@click.option("--type", "event_type", help='PREMIS event type, e.g. "fixity check".')
@click.option("--outcome", type=click.Choice(["success", "failure", "not performed"]))
@click.option("--from", "date_from", help="YYYY-MM-DD")
@click.option("--to", "date_to", help="YYYY-MM-DD")
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON event per line.")
def events(file_code, event_type, outcome, date_from, date_to, limit: int, as_json: bool) -> None:
    """Search the audit events, newest first."""
    backends = open_backends(Settings.from_env())
    try:
        found = backends.index.search_events(EventQuery(file_code, event_type, outcome, date_from, date_to, limit))
    finally:
        backends.close()
    if as_json:
        for event in found:
            sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
        return
    table = Table("time", "type", "outcome", "dossier", "detail", title=f"{len(found)} events")
    for event in found:
        table.add_row(event["time"], event["type"], event["outcome"], event.get("file_code") or "", event["detail"])
    out.print(table)


@audit.command()
@click.option("--format", "fmt", type=click.Choice(["html", "csv"]), default="html", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Default: $SOHOA_HOME/reports/audit-<time>.<format>.")
def report(fmt: str, output: Path | None) -> None:
    """One document for auditors: fixity by dossier, validation, events by type and month, problems."""
    from pipeline.audit_report import audit_report

    settings = Settings.from_env()
    backends = open_backends(settings)
    try:
        body = audit_report(backends, fmt)
    finally:
        backends.close()
    output = output or settings.home / "reports" / f"audit-{dt.datetime.now():%Y%m%d-%H%M%S}.{fmt}"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(body, encoding="utf-8")
    out.print(str(output), highlight=False)


@click.command()
@click.argument("file_code")
@click.option("--authority", required=True,
              help="The disposal decision this rests on, e.g. 'Quyết định số 12/QĐ-UBND ngày 05/03/2026'.")
def dispose(file_code: str, authority: str) -> None:
    """Destroy a dossier whose retention has ended; logged as a PREMIS deletion event."""
    from pipeline.disposal import DisposalRefused, dispose_dossier

    backends = open_backends(Settings.from_env())
    try:
        event = dispose_dossier(backends, file_code, authority)
    except DisposalRefused as exc:
        console.print(f"[red]refused[/]: {exc}", highlight=False)
        sys.exit(1)
    finally:
        backends.close()
    console.print(f"disposed of {file_code}: {len(event.objects)} objects deleted, logged as event "
                  f"{event.identifier}", highlight=False)


COMMANDS = [verify, aip, sip, bag, audit, dispose]
