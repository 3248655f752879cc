"""`sohoa aip|sip|bag export`: a dossier's package handed out of the archive, checked and logged."""
from pathlib import Path

import click

from sohoa.cli.context import current_settings, out
from sohoa.pipeline import exports
from sohoa.pipeline.backends import open_backends


def export_command(kind: str, help_text: str) -> click.Command:
    @click.command(name="export", help=help_text)
    @click.argument("file_code")
    @click.argument("dest_dir", type=click.Path(file_okay=False, path_type=Path))
    def command(file_code: str, dest_dir: Path, version: int | None = None) -> None:
        settings = current_settings()
        with open_backends(settings) as backends:
            if kind == "aip":
                written = [exports.export_aip(backends, file_code, dest_dir, settings.operator, version)]
            elif kind == "sip":
                written = list(exports.export_sip(backends, file_code, dest_dir, settings, settings.operator))
            else:
                written = [exports.export_bag(backends, file_code, dest_dir, settings, settings.operator)]
        for path in written:
            out.print(str(path), highlight=False)

    if kind == "aip":
        command.params.append(click.Option(["--version"], type=click.IntRange(min=1), default=None, help=(
            "A version of the AIP (1 as ingested, later ones after corrections); default: the current one.")))
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
