"""`sohoa dispose`: a dossier destroyed once its retention has ended, on a disposal decision."""
import click

from sohoa.cli.context import console, current_settings
from sohoa.pipeline.backends import open_backends
from sohoa.pipeline.disposal import dispose_dossier


@click.command()
@click.argument("file_code")
@click.option("--authority", required=True,
              help="The disposal decision this rests on, e.g. 'Quyết định số 12/QĐ-UBND ngày 05/03/2026'.")
def dispose(file_code: str, authority: str) -> None:
    """Destroy a dossier whose retention has ended; logged as a PREMIS deletion event."""
    settings = current_settings()
    with open_backends(settings) as backends:
        event = dispose_dossier(backends, file_code, authority, settings.operator)
    console.print(f"disposed of {file_code}: {len(event.objects)} objects deleted, logged as event "
                  f"{event.identifier}", highlight=False)
