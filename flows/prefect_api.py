"""Prefect's own failures, as the rest of sohoa names them: its API out of reach, its settings refused."""
from contextlib import contextmanager

from sohoa.core.errors import BackendUnavailable, ConfigurationError

# Prefect reports an API it cannot reach (a server down, or the embedded one too slow to start) with a
# bare RuntimeError; these are its words for it.
UNREACHABLE = ("Failed to reach API", "ephemeral Prefect API server")


@contextmanager
def prefect_api_reachable():
    """Around a flow run: Prefect's API out of reach is a backend unavailable, not a bug."""
    try:
        yield
    except RuntimeError as exc:
        if not any(words in str(exc) for words in UNREACHABLE):
            raise
        raise BackendUnavailable(f"Prefect API unavailable: {str(exc)[:300]}") from exc


def check_prefect_settings() -> None:
    """Prefect's PREFECT_* variables, read as Prefect reads them: one it refuses is a configuration error, told
    like sohoa's own, rather than a crash in Prefect's import."""
    from pydantic import ValidationError

    try:
        from prefect.settings import get_current_settings

        get_current_settings()
    except ValidationError as exc:
        prefix = settings_prefixes().get(exc.title, f"{exc.title}.")
        problems = "; ".join(f"{prefix}{'_'.join(str(part) for part in error['loc']).upper()}={error.get('input')!r}: "
                             f"{error['msg']}" for error in exc.errors())
        raise ConfigurationError(f"Prefect refuses its settings: {problems}") from None


def settings_prefixes() -> dict[str, str]:
    """Each of Prefect's settings sections by name, with the prefix of its variables (PREFECT_SERVER_…)."""
    from prefect.settings.base import PrefectBaseSettings

    prefixes, sections = {}, [PrefectBaseSettings]
    while sections:
        section = sections.pop()
        prefixes[section.__name__] = section.model_config.get("env_prefix", "")
        sections += section.__subclasses__()
    return prefixes
