"""A run on one machine with no Prefect server: its Prefect API starts with the command, boots while the
command imports, and is gone when the command ends."""
from pathlib import Path

import pytest

from sohoa.core.errors import ExitCode

from tests.conftest import run_sohoa

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
    home = tmp_path / "home"
    done = run_sohoa(home, "ingest", str(tmp_path / "batch"), env={"PYTHONPROFILEIMPORTTIME": "1"},
                     embedded_prefect=True)
    assert done.returncode == 0, done.stderr[-3000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "prefect.flows" in imported  # the flow ran in this process...
    # ...on the API started as the command started; Prefect's own start of one imports its server's code here
    assert "prefect.server.api.server" not in imported
    assert (home / "prefect" / "local-api.log").exists()
    assert servers_of(home / "prefect") == []  # stopped when the command ended


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
