"""Where the portal keeps its own tables (accounts, grants, tokens): SQLite under SOHOA_HOME by default,
PostgreSQL when SOHOA_DATABASE_URL names one (postgresql://user:password@host:port/database)."""
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sohoa.core.errors import ConfigurationError

POSTGRES_SCHEMES = ("postgres", "postgresql")


def database_config(url: str | None, home: Path) -> dict:
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": home / "portal" / "portal.sqlite3",
                "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"}}
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES or not parts.path.strip("/"):
        raise ConfigurationError(f"SOHOA_DATABASE_URL must be postgresql://user:password@host:port/database, "
                                 f"not {parts.scheme or url!r}")
    return {"ENGINE": "django.db.backends.postgresql", "NAME": unquote(parts.path.strip("/")),
            "USER": unquote(parts.username or ""), "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "", "PORT": str(parts.port or ""), "CONN_MAX_AGE": 60,
            "OPTIONS": {"connect_timeout": 10}}


def describe(config: dict) -> str:
    if config["ENGINE"].endswith("sqlite3"):
        return f"SQLite {config['NAME']}"
    return f"PostgreSQL {config['USER']}@{config['HOST']}:{config['PORT'] or 5432}/{config['NAME']}"
