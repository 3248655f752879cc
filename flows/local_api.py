"""Prefect's API for a command run on one machine with no Prefect server, started as the command starts.

Left to itself, Prefect starts the same temporary server when the flow is first called: after the command has
imported what it needs, Prefect's server code included, and then waits on one core while it boots. Started
here first, the server (Prefect's API app under uvicorn, with no UI and no background services, as Prefect
runs it) boots on the other core while the command imports; the command only reads PREFECT_API_URL.
It is stopped when the command exits, and ends with it when the command is killed. A server that dies during
the run (killed, out of memory) is started again on the same socket: the requests sent meanwhile wait in its
queue and are answered, and the run goes on. Nothing of Prefect is imported here.
"""
import atexit
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from sohoa.core.errors import BackendUnavailable

PR_SET_PDEATHSIG = 1  # prctl(2)
# uvicorn's status when the app did not start: with several runs starting on one Prefect database at once, one
# may find it locked while another migrates it. Prefect's own start tries again; so does this one.
STARTUP_FAILED = 3
RESTARTS = 3  # a server that dies more often in one run is given up: the run then fails, its work so far kept
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # a loopback address: never via a proxy


class LocalPrefectApi:
    def __init__(self, log: Path):
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        # The port is bound here and handed to the server: no other process can take it while the server boots,
        # nor between a failed start and the next.
        self.listening = socket.socket()
        self.listening.bind(("127.0.0.1", 0))
        self.listening.listen(64)
        self.port = self.listening.getsockname()[1]
        self.process = self._start()
        self.deaths: list[int] = []  # the exit status of each server that died after it had answered
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None
        atexit.register(self.stop)

    def _start(self) -> subprocess.Popen:
        env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
        env.update(PREFECT_UI_ENABLED="0", PREFECT__SERVER_EPHEMERAL="1", PREFECT__SERVER_FINAL="1")
        with open(self.log, "ab") as output:
            return subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
                 "--fd", str(self.listening.fileno()), "--log-level", "error", "--lifespan", "on"],
                pass_fds=(self.listening.fileno(),), env=env, stdin=subprocess.DEVNULL, stdout=output,
                stderr=subprocess.STDOUT, preexec_fn=dies_with(os.getpid()),
                start_new_session=True)  # Ctrl-C stops the command, which then stops its server, not both at once

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def wait_until_ready(self, timeout_s: float) -> None:
        if self._watcher is not None:  # it has answered: from then on the watcher keeps it running, or gives it up
            if why := self.lost():
                raise BackendUnavailable(why)
            return
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            status = self.process.poll()
            if status == STARTUP_FAILED:
                self.process = self._start()
            elif status is not None:
                raise BackendUnavailable(f"Prefect API unavailable: the local Prefect server exited with status "
                                         f"{status}; see {self.log}")
            try:
                with DIRECT.open(f"{self.url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        self._watch()
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        raise BackendUnavailable(f"Prefect API unavailable: the local Prefect server did not start within "
                                 f"{timeout_s:g} s; see {self.log}")

    def _watch(self) -> None:
        if self._watcher is None:
            self._watcher = threading.Thread(target=self._restart_when_dead, name="local-prefect-api", daemon=True)
            self._watcher.start()

    def _restart_when_dead(self) -> None:
        while not self._stopping.wait(0.5):
            with self._lock:
                status = self.process.poll()
                if status is None or self._stopping.is_set():
                    continue
                self.deaths.append(status)
                given_up = len(self.deaths) > RESTARTS
                with open(self.log, "a", encoding="utf-8") as log:
                    log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} the server stopped ({ended_by(status)}): "
                              f"{'given up' if given_up else 'started again'}\n")
                if given_up:
                    self.listening.close()  # the run's requests are refused now, not left waiting for an answer
                    return
                self.process = self._start()

    def lost(self) -> str | None:
        """What to tell the user when the server is gone for good, or None."""
        if len(self.deaths) <= RESTARTS:
            return None
        return (f"Prefect API unavailable: the local Prefect server stopped {len(self.deaths)} times during the run "
                f"(last {ended_by(self.deaths[-1])}; see {self.log}). The dossiers archived until then are kept; "
                f"run the same command again to finish the batch")

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.listening.close()


def ended_by(status: int) -> str:
    return f"killed by signal {-status}" if status < 0 else f"exit status {status}"


def dies_with(parent: int):
    """Run in the server's process before it starts: a command killed outright (SIGTERM, SIGKILL), with no
    chance to stop it, takes its API with it (Linux's parent-death signal)."""
    def end_with_parent() -> None:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the command died before the signal was asked for
            os._exit(0)
    return end_with_parent


_started: LocalPrefectApi | None = None


def start_local_api(log: Path) -> None:
    """Start Prefect's API for this command unless a Prefect server is named (PREFECT_API_URL)."""
    global _started
    if _started is None and not os.environ.get("PREFECT_API_URL"):
        _started = LocalPrefectApi(log)
        os.environ["PREFECT_API_URL"] = _started.url


def wait_for_local_api(timeout_s: float) -> None:
    """Before the first flow call: the API this command started answers (no-op when it started none)."""
    if _started is not None:
        _started.wait_until_ready(timeout_s)


def local_api_lost() -> str | None:
    """What to tell the user when the API this command started is gone for good before the command ends, or None
    (also when it started none)."""
    return _started.lost() if _started is not None else None
