"""The key that signs the portal's sessions and CSRF tokens: SOHOA_SECRET_KEY, or one made once and kept
under SOHOA_HOME, readable by the portal's account alone."""
import os
import secrets
from pathlib import Path


def secret_key(home: Path) -> str:
    if os.environ.get("SOHOA_SECRET_KEY"):
        return os.environ["SOHOA_SECRET_KEY"]
    path = home / "portal" / "secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
                out.write(secrets.token_urlsafe(50))
        except FileExistsError:  # another process made it first: use theirs
            pass
    return path.read_text().strip()
