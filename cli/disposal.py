"""`sohoa dispose request|approve`: a dossier destroyed, once its retention has ended, on a disposal
decision, by two accounts."""
import click
from rich.markup import escape

from sohoa.cli.context import console, current_settings
from sohoa.pipeline.backends import open_backends
from sohoa.pipeline.disposal import approve_disposal, request_disposal


@click.group()
def dispose() -> None:
    """Destroy a dossier whose retention has ended: one account requests, another approves."""


@dispose.command()
@click.argument("file_code")
@click.option("--authority", required=True,
              help="The disposal decision this rests on, e.g. 'Quyết định số 12/QĐ-UBND ngày 05/03/2026'.")
@click.option("--reason", required=True, help="Why the dossier has no further value.")
def request(file_code: str, authority: str, reason: str) -> None:
    """Ask for a dossier to be destroyed; logged as a PREMIS appraisal event."""
    settings = current_settings()
    with open_backends(settings) as backends:
        event = request_disposal(backends, file_code, authority, reason, settings.operator)
    console.print(f"disposal of {escape(file_code)} requested by {escape(settings.operator)} (event "
                  f"{event.identifier}); another account approves it with: sohoa dispose approve "
                  f"{escape(file_code)}", highlight=False)


@dispose.command()
@click.argument("file_code")
def approve(file_code: str) -> None:
    """Approve a request made by another account and destroy the dossier; logged as PREMIS deaccession
    and deletion events."""
    settings = current_settings()
    with open_backends(settings) as backends:
        _, deletion = approve_disposal(backends, file_code, settings.operator)
    console.print(f"disposed of {escape(file_code)}: {len(deletion.objects)} objects deleted, logged as event "
                  f"{deletion.identifier}", highlight=False)
