"""Prefect's own failure to reach its API, as the rest of sohoa names it."""
from contextlib import contextmanager

from sohoa.core.errors import BackendUnavailable

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
