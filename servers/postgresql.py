"""Debian's PostgreSQL as a private local server for the portal's tests (package postgresql).

    python -m servers.postgresql      # starts one in a new folder, prints its URL and the folder

It listens on a free loopback port with password (SCRAM) authentication. PostgreSQL refuses to run
as root, so as root it runs as the system user sohoa-pg (created if missing).
"""
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from servers.common import free_port, service_user, stop_group

SERVICE_USER = "sohoa-pg"
SUPERUSER = "sohoa"
FAST_SHUTDOWN = signal.SIGINT  # SIGTERM would wait for every client to disconnect


def binaries() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise FileNotFoundError("no PostgreSQL server: install Debian's postgresql package")
    return found[-1].parent


def _as_service(cmd: list[str]) -> list[str]:
    user = service_user(SERVICE_USER)
    return ["runuser", "-u", user, "--", *cmd] if user else cmd


def start(timeout_s: float = 60) -> tuple[subprocess.Popen, str, Path]:
    """(process, URL of the superuser's database, working folder)."""
    work = Path(tempfile.mkdtemp(prefix="sohoa-pg-"))
    password, port = secrets.token_hex(12), free_port()
    (work / "pwfile").write_text(password + "\n")
    user = service_user(SERVICE_USER)
    if user:
        subprocess.run(["chown", "-R", f"{user}:", str(work)], check=True)
    bin_dir = binaries()
    subprocess.run(_as_service([str(bin_dir / "initdb"), "-D", str(work / "data"), "-U", SUPERUSER,
                                f"--pwfile={work / 'pwfile'}", "--auth=scram-sha-256", "-E", "UTF8",
                                "--locale=C.UTF-8"]), check=True, capture_output=True, timeout=120)
    (work / "pwfile").unlink()
    log = open(work / "postgres.log", "ab")
    process = subprocess.Popen(_as_service([str(bin_dir / "postgres"), "-D", str(work / "data"), "-p", str(port),
                                            "-h", "127.0.0.1", "-k", str(work), "-c", "fsync=off"]),
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"postgresql://{SUPERUSER}:{password}@127.0.0.1:{port}/postgres"
    _wait(process, url, timeout_s, work)
    return process, url, work


def _wait(process: subprocess.Popen, url: str, timeout_s: float, work: Path) -> None:
    import psycopg

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"PostgreSQL exited with {process.returncode}; see {work / 'postgres.log'}")
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            time.sleep(0.3)
    stop(process, work)
    raise TimeoutError(f"PostgreSQL did not answer within {timeout_s:.0f} s; see {work / 'postgres.log'}")


def new_database(server_url: str, name: str) -> str:
    """Create an empty database on the server; its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


def stop(process: subprocess.Popen, work: Path | None = None) -> None:
    stop_group(process.pid, first=FAST_SHUTDOWN)
    process.wait()
    if work is not None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    _, server_url, folder = start()
    print(server_url, folder)
    sys.stdout.flush()
    os._exit(0)  # leave the server running
