"""Who acts, as the audit trail names it: the software with its version (the account comes from the
settings, or from the portal's login)."""
import functools


@functools.cache
def software() -> str:
    import importlib.metadata  # slow to import; needed only once an event is written

    try:
        return f"sohoa {importlib.metadata.version('sohoa')}"
    except importlib.metadata.PackageNotFoundError:
        return "sohoa"
