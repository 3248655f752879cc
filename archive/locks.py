"""Per-dossier locks: two runs never work on one dossier at once.

On the embedded backend a lock is an flock on a file under SOHOA_HOME/locks: the kernel releases it
when the process ends, however it ends. On S3, which many machines share, a lock is a lease object
written only if absent, naming its holder and its expiry. A lease whose holder was a process of this
machine that is gone (killed, or ended while S3 was down) is taken over at once; one left by another
machine that died, once it has expired, or at once by a later attempt of the same orchestrated run (a
Prefect flow run, which its orchestrator declared crashed before starting it again).
"""
import datetime as dt
import fcntl
import json
import os
import socket
import uuid
from pathlib import Path
from typing import Protocol

from sohoa.archive.store import ObjectStore
from sohoa.core.errors import ObjectMissing, WriteOnceError, unavailable_on
from sohoa.core.keys import lease_key
from sohoa.core.model import RunAttempt

LEASE_HOURS = 12  # longer than any one dossier takes; a run holds its dossiers' leases for the whole batch


class DossierLocks(Protocol):
    def acquire(self, file_code: str) -> str | None:
        """None when the lock is now this run's, else who holds it."""
    def release(self, file_code: str) -> None: ...


def holder() -> str:
    return f"pid {os.getpid()} on {socket.gethostname()}"


class LocalLocks:
    role = "lock folder"

    def __init__(self, folder: Path):
        self.folder, self.held = folder, {}

    def describe(self) -> str:
        return str(self.folder)

    @unavailable_on(OSError)
    def acquire(self, file_code: str) -> str | None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.folder / f"{file_code}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            who = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another run"
            os.close(fd)
            return who
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder().encode(), 0)
        self.held[file_code] = fd
        return None

    def release(self, file_code: str) -> None:
        fd = self.held.pop(file_code, None)
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the flock


def holder_gone(lease: dict) -> bool:
    """True when the lease was taken by a process of this machine that no longer runs."""
    if lease.get("host") != socket.gethostname() or not isinstance(lease.get("pid"), int):
        return False
    try:
        os.kill(lease["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another account's
        return False
    return False


class StoreLeases:
    """Leases as objects of a store that refuses to overwrite (S3 with If-None-Match)."""

    def __init__(self, store: ObjectStore, run: RunAttempt | None = None):
        self.store, self.run, self.me = store, run, f"{holder()} ({uuid.uuid4().hex[:8]})"

    def acquire(self, file_code: str, now: dt.datetime | None = None) -> str | None:
        now = now or dt.datetime.now(dt.timezone.utc)
        key = lease_key(file_code)
        lease = {"holder": self.me, "expires": (now + dt.timedelta(hours=LEASE_HOURS)).isoformat(),
                 "host": socket.gethostname(), "pid": os.getpid(),
                 "run": self.run.run if self.run else None, "attempt": self.run.attempt if self.run else None}
        for _ in range(2):  # once as it is, once more after removing an expired lease
            try:
                self.store.put(key, json.dumps(lease).encode(), "application/json")
            except WriteOnceError:
                current = self._read(key)
                if current is None:
                    continue  # released meanwhile
                if dt.datetime.fromisoformat(current["expires"]) > now and not holder_gone(current) \
                        and not self.earlier_attempt(current):
                    return current["holder"]
                self.store.delete(key)  # expired, its holder gone, or an earlier attempt of this run
                continue
            current = self._read(key)  # two runs taking over one expired lease: the one named in it won
            return None if current and current["holder"] == self.me else (current or {}).get("holder", "?")
        return "another run"

    def earlier_attempt(self, lease: dict) -> bool:
        """A lease left by an earlier attempt of this very run: an attempt only starts once the one before it
        has crashed, so that one holds nothing any more."""
        return self.run is not None and lease.get("run") == self.run.run and \
            isinstance(lease.get("attempt"), int) and lease["attempt"] < self.run.attempt

    def release(self, file_code: str) -> None:
        current = self._read(lease_key(file_code))
        if current and current["holder"] == self.me:
            self.store.delete(lease_key(file_code))

    def _read(self, key: str) -> dict | None:
        try:
            return json.loads(self.store.get(key))
        except ObjectMissing:
            return None
