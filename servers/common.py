"""What the local test servers share: free loopback ports, waiting for a server to answer, stopping it."""
import os
import pwd
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port(also_free_offset: int = 0) -> int:
    """A loopback port that is free now (and so is port + also_free_offset, for gRPC twins)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port + also_free_offset > 65535:
            continue
        if not also_free_offset:
            return port
        with socket.socket() as twin:
            try:
                twin.bind(("127.0.0.1", port + also_free_offset))
                return port
            except OSError:
                continue


def wait_until_answering(process: subprocess.Popen, url: str, timeout_s: float, what: str, logs: Path) -> None:
    """Poll url until the server answers any HTTP status; fail early if the process dies."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}; see {logs}")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:  # an answer all the same (S3 says 403 without credentials)
            return
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise TimeoutError(f"{what} did not answer on {url} within {timeout_s:.0f} s")


def stop_group(pid: int, grace_s: float = 30, first: signal.Signals = signal.SIGTERM) -> None:
    """Stop a process group led by pid (each server runs in its own session): TERM (or first), then KILL."""
    for sig in (first, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline:
            try:
                os.waitpid(pid, os.WNOHANG)  # a leader started by this process stays a zombie until reaped
            except ChildProcessError:
                pass
            try:
                os.killpg(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)


def service_user(name: str) -> str | None:
    """Servers that refuse to run as root (Elasticsearch, PostgreSQL) run as this system user when the tests
    run as root; None when they do not."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    return name
