"""Per-dossier locks: a lock file on the embedded backend, a lease object on a real S3 server."""
import datetime as dt
import json
import subprocess
import sys
import uuid

from sohoa.archive.locks import LocalLocks, StoreLeases
from sohoa.archive.s3store import S3ObjectStore
from sohoa.core.keys import lease_key
from sohoa.core.model import RunAttempt


def test_a_local_lock_is_held_until_released_and_dies_with_its_process(tmp_path):
    first, second = LocalLocks(tmp_path / "locks"), LocalLocks(tmp_path / "locks")
    assert first.acquire("HS-1") is None
    assert "pid" in second.acquire("HS-1")
    first.release("HS-1")
    assert second.acquire("HS-1") is None
    second.release("HS-1")
    # A process that takes the lock and is killed leaves nothing held.
    script = f"from sohoa.archive.locks import LocalLocks; import os; LocalLocks({str(tmp_path / 'locks')!r})" \
             ".acquire('HS-2'); os.kill(os.getpid(), 9)"
    subprocess.run([sys.executable, "-c", script], check=False)
    assert first.acquire("HS-2") is None


def test_an_s3_lease_is_exclusive_and_a_dead_or_expired_holder_loses_it(s3_endpoint):
    store = S3ObjectStore(s3_endpoint, f"sohoa-{uuid.uuid4().hex[:12]}")
    first, second = StoreLeases(store), StoreLeases(store)
    assert first.acquire("HS-1") is None
    assert second.acquire("HS-1") == first.me
    first.release("HS-1")
    assert second.acquire("HS-1") is None
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)  # the holder never came back
    assert first.acquire("HS-1", now=later) is None
    # A lease of this machine's process that has ended (pid of a finished child) is taken over at once.
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lease = json.loads(store.get(lease_key("HS-1")))
    store.delete(lease_key("HS-1"))
    store.put(lease_key("HS-1"), json.dumps({**lease, "holder": "gone", "pid": int(ended.stdout)}).encode(),
              "application/json")
    assert second.acquire("HS-1") is None
    # A later attempt of the same orchestrated run takes over what its crashed attempt held; other runs, and
    # the same attempt seen twice, wait.
    crashed, other, same, retried = (StoreLeases(store, RunAttempt(run, attempt)) for run, attempt in
                                     (("run-1", 1), ("run-2", 1), ("run-1", 1), ("run-1", 2)))
    assert crashed.acquire("HS-3") is None
    assert other.acquire("HS-3") == crashed.me and same.acquire("HS-3") == crashed.me
    assert retried.acquire("HS-3") is None
