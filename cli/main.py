"""The `sohoa` command group and the one place a failure becomes a message and an exit status.

An expected failure (a SohoaError) prints one line and exits with its class's code; an unexpected
exception is an internal error: one line naming the log file that holds its traceback, exit 4
(SOHOA_DEBUG=1 prints the traceback too). No traceback reaches the console otherwise.
"""
import importlib
import os
import sys

import click
from rich.markup import escape

from sohoa.cli.context import Session, console, fallback_log_file
from sohoa.core.errors import ExitCode, Refused, SohoaError

INTERRUPTED = 130  # the shell's code for a run stopped by Ctrl-C
COMMANDS = {  # name -> where it lives; a command's module is imported only when that command runs
    "ingest": "runs:ingest", "inbox": "runs:inbox", "schedule": "runs:schedule", "fixity-sweep": "runs:fixity_sweep",
    "generate": "runs:generate", "demo": "runs:demo", "submit": "scale:submit", "worker": "scale:worker",
    "search": "records:search", "export": "records:export", "reindex": "records:reindex", "status": "records:status",
    "verify": "verify:verify", "renew-timestamps": "signatures:renew_timestamps_command",
    "aip": "packages:aip", "sip": "packages:sip", "bag": "packages:bag",
    "audit": "audit:audit", "dispose": "disposal:dispose",
    "serve": "portal:serve", "user": "portal:user",
}


class LazyGroup(click.Group):
    """Loads a command's module when the command is called: `sohoa verify` never imports what ingest needs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return super().get_command(ctx, name)
        module, _, attribute = COMMANDS[name].partition(":")
        return getattr(importlib.import_module(f"sohoa.cli.{module}"), attribute)


@click.group(cls=LazyGroup)
def sohoa() -> None:
    """sohoa: scanned dossiers in, searchable electronic records out.

    \b
    Exit status: 0 ok; 1 problems found or dossiers refused; 2 usage or configuration error;
    3 a backend or the local disk unavailable; 4 internal error (its traceback in $SOHOA_HOME/logs/sohoa.log).
    """


def run() -> None:
    """The `sohoa` program: what it writes (index, reports, work, logs) is for the account that runs it alone."""
    os.umask(0o077)
    main()


def main(argv: list[str] | None = None) -> None:
    session = Session()
    try:
        code = sohoa.main(args=argv, prog_name="sohoa", standalone_mode=False, obj=session)
    except click.ClickException as exc:  # a bad option or argument
        exc.show()
        code = ExitCode.USAGE
    except (click.Abort, KeyboardInterrupt):
        console.print("[yellow]interrupted[/]: run the same command again to resume")
        code = INTERRUPTED
    except SohoaError as exc:
        console.print(f"[red]{label(exc)}[/]: {escape(str(exc))}", highlight=False)
        code = exc.exit_code
    except OSError as exc:  # the machine refused: a read-only folder, a full disk, a missing device
        console.print(f"[red]error[/]: {escape(exc.strerror or str(exc))}"
                      + (f": {escape(str(exc.filename))}" if exc.filename else ""), highlight=False)
        code = ExitCode.BACKEND
    except Exception as exc:  # noqa: BLE001 - a bug: one line here, the traceback in the log
        code = internal_error(exc, session)
    sys.exit(int(code or 0))


def label(exc: SohoaError) -> str:
    return "refused" if isinstance(exc, Refused) else "error"


def internal_error(exc: Exception, session: Session) -> ExitCode:
    import logging  # the error path's own needs, kept out of every command's start
    import traceback

    logger = logging.getLogger("sohoa")
    if not logger.handlers:  # settings never loaded: log beside the other temporary files
        logger.addHandler(logging.FileHandler(fallback_log_file(), encoding="utf-8"))
        logger.propagate = False
    log_file = logger.handlers[0].baseFilename
    logger.error("internal error: %s: %s", type(exc).__name__, exc, exc_info=exc)
    if session.settings and session.settings.debug:
        traceback.print_exception(exc, file=sys.stderr)
    console.print(f"[red]internal error[/]: {type(exc).__name__}: {escape(str(exc))} (traceback in {log_file}; "
                  "SOHOA_DEBUG=1 shows it here)", highlight=False)
    return ExitCode.INTERNAL


if __name__ == "__main__":
    run()
