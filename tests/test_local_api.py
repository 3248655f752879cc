"""A run on one machine with no Prefect server: its Prefect API starts with the command, boots while the
command imports, and is gone when the command ends."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sohoa.core.errors import ExitCode
from sohoa.flows.local_api import RESTARTS

from tests.conftest import ROOT, copy_batch, run_sohoa, sohoa_env, wait_for

pytestmark = pytest.mark.slow


def servers_of(prefect_home: Path) -> list[int]:
    """The Prefect API servers running on this Prefect home."""
    found = []
    for process in Path("/proc").iterdir():
        try:
            command = (process / "cmdline").read_bytes()
            environment = (process / "environ").read_bytes().split(b"\0")
        except OSError:  # not a process, or gone meanwhile
            continue
        if b"prefect.server.api.server:create_app" in command and \
                f"PREFECT_HOME={prefect_home}".encode() in environment:
            found.append(int(process.name))
    return found


def test_a_run_without_a_prefect_server_does_not_wait_for_prefect_to_start_one(tmp_path):
    (tmp_path / "batch").mkdir()
    home, prefect_home = tmp_path / "home", tmp_path / "prefect" / "not-made-yet"
    done = run_sohoa(home, "ingest", str(tmp_path / "batch"), embedded_prefect=True,
                     env={"PYTHONPROFILEIMPORTTIME": "1", "PREFECT_HOME": str(prefect_home)})
    assert done.returncode == 0, done.stderr[-3000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "prefect.flows" in imported  # the flow ran in this process...
    # ...on the API started as the command started; Prefect's own start of one imports its server's code here
    assert "prefect.server.api.server" not in imported
    assert (prefect_home / "local-api.log").exists()
    assert servers_of(prefect_home) == []  # stopped when the command ended


def test_an_api_too_slow_to_start_ends_the_command_cleanly_and_is_stopped(tmp_path):
    (tmp_path / "batch").mkdir()
    home = tmp_path / "home"
    done = run_sohoa(home, "ingest", str(tmp_path / "batch"), embedded_prefect=True,
                     env={"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "1"})
    assert done.returncode == ExitCode.BACKEND
    assert "Prefect API unavailable" in done.stderr and "Traceback" not in done.stderr
    assert servers_of(home / "prefect") == []


def test_a_named_prefect_server_is_used_and_none_is_started(tmp_path, prefect_api):
    (tmp_path / "batch").mkdir()
    home = tmp_path / "home"
    done = run_sohoa(home, "ingest", str(tmp_path / "batch"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert not (home / "prefect" / "local-api.log").exists()


def test_a_command_killed_outright_takes_its_prefect_api_with_it(generated, truth, tmp_path):
    batch = copy_batch(generated, tmp_path / "batch", [truth["dossiers"][0]["source"]])
    home = tmp_path / "home"
    command = subprocess.Popen([sys.executable, "-m", "sohoa.cli", "ingest", str(batch)], cwd=ROOT,
                               env=sohoa_env(home, embedded_prefect=True), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    wait_for(lambda: servers_of(home / "prefect"), 120, "a Prefect API started", every_s=0.1)
    command.send_signal(signal.SIGTERM)  # the command alone, not its process group: no exit handler runs
    command.wait(timeout=60)
    wait_for(lambda: servers_of(home / "prefect") == [], 30, "the Prefect API stopped", every_s=0.1)


def test_a_server_whose_start_failed_is_started_again(tmp_path):
    # Runs started at once on one Prefect database may find it busy: here it cannot be opened at first.
    (tmp_path / "batch").mkdir()
    prefect_home = tmp_path / "prefect"
    (prefect_home / "prefect.db").mkdir(parents=True)
    command = subprocess.Popen([sys.executable, "-m", "sohoa.cli", "ingest", str(tmp_path / "batch")], cwd=ROOT,
                               env={**sohoa_env(tmp_path / "home", embedded_prefect=True),
                                    "PREFECT_HOME": str(prefect_home)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    first = wait_for(lambda: servers_of(prefect_home), 120, "a Prefect API started", every_s=0.1)
    wait_for(lambda: first[0] not in servers_of(prefect_home), 120, "its start failed", every_s=0.1)
    (prefect_home / "prefect.db").rmdir()
    _, err = command.communicate(timeout=300)
    assert command.returncode == 0, err[-3000:]


def archived(home: Path) -> list[str]:
    return sorted(manifest.parent.name for manifest in (home / "objects" / "dossiers").glob("*/manifest.json"))


def start_ingest(batch: Path, home: Path, env: dict | None = None) -> subprocess.Popen:
    """`sohoa ingest` in a process group of its own, with Ctrl-C's signal at its default, as an interactive shell
    starts a command (a suite run in the background inherits it ignored)."""
    return subprocess.Popen([sys.executable, "-m", "sohoa.cli", "ingest", str(batch)], cwd=ROOT,
                            env={**sohoa_env(home, embedded_prefect=True), **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def test_ctrl_c_interrupts_the_run_at_once_and_stops_its_prefect_api(generated, truth, tmp_path):
    # Ctrl-C signals the command's whole process group: the API must not be stopped under the command's feet.
    batch = copy_batch(generated, tmp_path / "batch")  # the whole batch: the run is still reading when Ctrl-C comes
    home = tmp_path / "home"
    command = start_ingest(batch, home)
    wait_for(lambda: servers_of(home / "prefect"), 120, "a Prefect API started", every_s=0.1)
    wait_for(lambda: list((home / "work").glob("*/*/pages/*.json")), 120, "a page read", every_s=0.02)
    os.killpg(command.pid, signal.SIGINT)
    out, err = command.communicate(timeout=60)
    assert command.returncode == 130, err[-3000:]
    assert len(archived(home)) < len(truth["dossiers"])
    assert "interrupted: run the same command again to resume" in err and "Traceback" not in out + err, err
    assert "the server stopped" not in (home / "prefect" / "local-api.log").read_text()
    assert servers_of(home / "prefect") == []


def test_a_prefect_api_killed_during_the_run_is_started_again_and_the_run_completes(generated, truth, tmp_path):
    dossiers = [d["source"] for d in truth["dossiers"][:3]]
    batch = copy_batch(generated, tmp_path / "batch", dossiers)
    home = tmp_path / "home"
    command = start_ingest(batch, home)
    server = wait_for(lambda: servers_of(home / "prefect"), 120, "a Prefect API started", every_s=0.1)
    wait_for(lambda: (home / "work").exists(), 120, "the batch's pages being read", every_s=0.1)
    os.kill(server[0], signal.SIGKILL)
    out, err = command.communicate(timeout=300)
    assert command.returncode == 0, err[-3000:]
    assert "Traceback" not in out + err and "ERROR" not in out + err
    assert len(archived(home)) == len(dossiers)
    assert "the server stopped (killed by signal 9): started again" in (home / "prefect" / "local-api.log").read_text()
    assert servers_of(home / "prefect") == []  # the one started again is stopped with the command


def test_a_prefect_api_that_keeps_dying_ends_the_run_as_a_backend_unavailable(generated, truth, tmp_path):
    batch = copy_batch(generated, tmp_path / "batch", [truth["dossiers"][0]["source"]])
    home = tmp_path / "home"
    command = start_ingest(batch, home, {"PREFECT_CLIENT_MAX_RETRIES": "0"})
    killed: set[int] = set()
    while len(killed) <= RESTARTS:
        started = wait_for(lambda: set(servers_of(home / "prefect")) - killed, 120, "a Prefect API started",
                           every_s=0.05)
        if len(killed) == 0:
            wait_for(lambda: (home / "work").exists(), 120, "the batch's pages being read", every_s=0.1)
        for pid in started:
            os.kill(pid, signal.SIGKILL)
        killed |= started
    out, err = command.communicate(timeout=600)
    assert command.returncode == ExitCode.BACKEND, err[-3000:]
    assert "Prefect API unavailable: the local Prefect server stopped 4 times during the run" in " ".join(err.split())
    assert "Traceback" not in out + err
    assert servers_of(home / "prefect") == []
