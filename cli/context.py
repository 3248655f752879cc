"""What every command shares: the consoles, and the settings read once per process."""
import os
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console

from sohoa.core.settings import Settings

# Never wrapped: problem lines, keys and paths stay whole for grep and for the scripts that read them.
console = Console(stderr=True, soft_wrap=True)  # progress, messages, tables meant for people
out = Console(soft_wrap=True)  # what a command produces (tables, paths), for pipes too


@dataclass
class Session:
    """One invocation of the command line: its settings once read (the error handler looks here too)."""
    settings: Settings | None = None


def current_settings() -> Settings:
    """The settings of this command, read from the environment at the first call and kept; the log file
    under SOHOA_HOME is opened then too."""
    session = click.get_current_context().ensure_object(Session)
    if session.settings is None:
        session.settings = Settings.from_env()
        log_to_file(session.settings)
    return session.settings


def fallback_log_file() -> Path:
    import tempfile

    return Path(tempfile.gettempdir()) / f"sohoa-{os.getuid()}.log"


def log_to_file(settings: Settings) -> None:
    """sohoa's own log (warnings, and the traceback of an internal error) goes to SOHOA_HOME/logs/sohoa.log."""
    import logging  # with the settings, not before: `--help` needs neither

    logger = logging.getLogger("sohoa")
    for handler in list(logger.handlers):  # a second command in the same process (a test) may have another home
        logger.removeHandler(handler)
        handler.close()
    try:
        settings.log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(settings.log_file, encoding="utf-8")
    except OSError:  # a read-only SOHOA_HOME can still be read: log beside the other temporary files
        handler = logging.FileHandler(fallback_log_file(), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(process)d %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # Prefect's console handlers stay quiet about it
