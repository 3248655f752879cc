"""Prefect's own failures, as the rest of sohoa names them: its API out of reach, its settings refused."""
import io
import os
import sys
from contextlib import contextmanager, redirect_stderr

from pydantic_core import PydanticUndefined

from sohoa.core.errors import BackendUnavailable, ConfigurationError
from sohoa.flows.local_api import local_api_lost, wait_for_local_api

# Prefect reports an API it cannot reach (a server down, or the embedded one too slow to start) with a
# bare RuntimeError; these are its words for it.
UNREACHABLE = ("Failed to reach API", "ephemeral Prefect API server")


@contextmanager
def prefect_api_reachable():
    """Around a flow run: Prefect's API out of reach is a backend unavailable, not a bug."""
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    wait_for_local_api(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
    try:
        yield
    except Exception as exc:
        if lost := local_api_lost():
            raise BackendUnavailable(lost) from exc
        if not (isinstance(exc, RuntimeError) and any(words in str(exc) for words in UNREACHABLE)):
            raise
        raise BackendUnavailable(f"Prefect API unavailable: {str(exc)[:300]}") from exc
    if lost := local_api_lost():  # the flow did its work, but Prefect holds no whole account of the run
        raise BackendUnavailable(lost)


def check_prefect_settings() -> None:
    """Prefect's PREFECT_* variables, read as Prefect reads them: one it refuses is a configuration error, told
    like sohoa's own, rather than a crash in Prefect's import (and Prefect's own dump of it is kept quiet)."""
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    printed = io.StringIO()
    try:
        with redirect_stderr(printed):
            from prefect.settings import get_current_settings

            get_current_settings()
        sys.stderr.write(printed.getvalue())  # Prefect's own warnings on settings it accepts still show
    except ValidationError as exc:
        problems = [f"{variable_named(exc.title, error)}={error['input']!r}: {error['msg']}"
                    for error in exc.errors() if "input" in error and error["input"] is not PydanticUndefined]
        raise ConfigurationError(f"Prefect refuses its settings: {'; '.join(problems) or exc}") from None
    except SettingsError as exc:  # a value Prefect reads as JSON and could not parse
        raise ConfigurationError(f"Prefect refuses its settings: {exc}") from None


def variable_named(section: str, error: dict) -> str:
    """The PREFECT_* variable that holds the refused value: the one set to it, else the name Prefect gives the
    setting (a variable may also go by an older alias)."""
    given = [name for name, value in os.environ.items() if name.startswith("PREFECT_") and value == str(error["input"])]
    if len(given) == 1:
        return given[0]
    from prefect.settings.base import PrefectBaseSettings

    prefixes, sections = {}, [PrefectBaseSettings]
    while sections:
        current = sections.pop()
        prefixes[current.__name__] = current.model_config.get("env_prefix", "")
        sections += current.__subclasses__()
    return prefixes.get(section, f"{section}.") + "_".join(str(part) for part in error["loc"]).upper()
