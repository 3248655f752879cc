"""A signing token locks itself after a few refused PINs, so no PIN it refused is tried on it again.

Every process sharing SOHOA_HOME logs in to the token one at a time, under an flock, and remembers each
refused PIN by a salted scrypt fingerprint (never the PIN). A worker's processes, the portal and a
scheduled run may hold different PINs: one started before the PIN file was corrected keeps a wrong one
in memory, so a PIN is judged by its own fingerprint, not by the file's age.
"""
import datetime as dt
import fcntl
import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path

from sohoa.core.errors import ConfigurationError


class TokenLogins:
    def __init__(self, folder: Path, token: str):
        name = hashlib.sha256(token.encode()).hexdigest()[:16]
        self.folder, self.salt = folder, name.encode()
        self.refusals = folder / f"pins-refused-{name}.json"
        self.lock = folder / f"token-{name}.lock"

    @contextmanager
    def one_at_a_time(self):
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.lock, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise ConfigurationError(f"{self.lock}: cannot take the token's login lock ({exc.strerror}); "
                                     "no PIN is tried without it") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the flock

    def refused_at(self, pin: str) -> str | None:
        """When the token refused this PIN (None: never, as far as this home knows)."""
        refusals = self._read()
        return refusals.get(self._fingerprint(pin)) if refusals else None

    def remember_refused(self, pin: str) -> str | None:
        """Records the refusal; the reason it could not, if it could not."""
        refusals = self._read()
        refusals[self._fingerprint(pin)] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        try:
            self._write(refusals)
        except OSError as exc:
            return f"it could not be recorded in {self.refusals} ({exc.strerror}), so another process may try it"
        return None

    def _fingerprint(self, pin: str) -> str:
        return hashlib.scrypt(pin.encode(), salt=self.salt, n=2 ** 14, r=8, p=1, dklen=16).hex()

    def _read(self) -> dict[str, str]:
        try:
            refusals = json.loads(self.refusals.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"{self.refusals}: cannot read the PINs this token refused "
                                     f"({getattr(exc, 'strerror', None) or exc}); no PIN is tried without them. "
                                     "Remove the file only if none of them could be wrong") from exc
        return refusals if isinstance(refusals, dict) else {}

    def _write(self, refusals: dict[str, str]) -> None:
        partial = self.refusals.with_suffix(".partial")
        partial.write_text(json.dumps(refusals, indent=1), encoding="utf-8")
        os.chmod(partial, 0o600)
        partial.replace(self.refusals)
