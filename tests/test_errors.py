"""One error system: every failure leaves the command line as one line and a documented exit status;
a bug is an internal error with its traceback in the log file, never dressed up as something else."""
import click
import pytest

from sohoa.cli.context import current_settings
from sohoa.cli.main import main, sohoa
from sohoa.core.errors import (BackendUnavailable, ConfigurationError, DamagedArchive, DisposalRefused, ExitCode,
                               PendingWork, SohoaError, WorkerCrashed)
from sohoa.core.model import DossierSource
from sohoa.core.settings import Settings
from sohoa.pipeline.batch import not_archived

from servers.common import free_port
from tests.conftest import run_sohoa


def test_each_kind_of_failure_has_its_exit_status():
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 4]
    assert DisposalRefused.exit_code == DamagedArchive.exit_code == WorkerCrashed.exit_code == ExitCode.PROBLEMS
    assert ConfigurationError.exit_code == ExitCode.USAGE
    assert BackendUnavailable.exit_code == PendingWork.exit_code == ExitCode.BACKEND
    assert SohoaError.exit_code == ExitCode.INTERNAL


@pytest.fixture
def broken_command():
    """A command with a bug in it, on the real command group, for the handler to meet."""
    @click.command(name="broken")
    def broken() -> None:
        current_settings()
        {}["missing"]

    sohoa.add_command(broken)
    yield
    del sohoa.commands["broken"]


def run_main(*args: str) -> int:
    with pytest.raises(SystemExit) as ended:
        main(list(args))
    return ended.value.code


def test_a_bug_is_an_internal_error_in_one_line_with_its_traceback_in_the_log(broken_command, home, capsys):
    assert run_main("broken") == ExitCode.INTERNAL
    err = capsys.readouterr().err
    log = home / "logs" / "sohoa.log"
    assert "internal error: KeyError: 'missing'" in err and str(log) in " ".join(err.split())
    assert "Traceback" not in err
    assert "Traceback" in log.read_text() and "{}[\"missing\"]" in log.read_text()


def test_sohoa_debug_shows_the_traceback_on_the_console(broken_command, home, capsys, monkeypatch):
    monkeypatch.setenv("SOHOA_DEBUG", "1")
    assert run_main("broken") == ExitCode.INTERNAL
    assert "Traceback" in capsys.readouterr().err


def test_a_bad_option_is_a_usage_error(home, capsys):
    assert run_main("search", "--sort", "sideways") == ExitCode.USAGE
    assert "sideways" in capsys.readouterr().err


def test_a_bug_while_archiving_a_dossier_fails_that_dossier_as_an_internal_error(home, tmp_path):
    settings = Settings.from_env()
    source = DossierSource("HS-1", tmp_path, "folder", [], "0" * 64)
    result = not_archived(source, TypeError("unsupported operand"), settings)
    assert result.status == "failed"
    assert "internal error TypeError: unsupported operand" in result.detail and "storage" not in result.detail
    storage = not_archived(source, PendingWork("object storage S3 down; pending: HS-1 not committed"), settings)
    assert "internal error" not in storage.detail and "pending" in storage.detail


def test_object_storage_down_is_one_line_and_status_3(tmp_path):
    done = run_sohoa(tmp_path / "home", "export", env={"SOHOA_S3_ENDPOINT": f"http://127.0.0.1:{free_port()}",
                                                       "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"})
    assert done.returncode == ExitCode.BACKEND
    assert "object storage S3" in done.stderr and "unavailable" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) <= 3


@pytest.mark.slow
def test_an_unknown_ocr_engine_stops_the_ingest_as_a_configuration_error(tmp_path):
    (tmp_path / "batch").mkdir()
    done = run_sohoa(tmp_path / "home", "ingest", str(tmp_path / "batch"), env={"SOHOA_OCR_ENGINE": "abbyy"})
    assert done.returncode == ExitCode.USAGE
    assert "SOHOA_OCR_ENGINE=abbyy: no such OCR engine (available: tesseract)" in " ".join(done.stderr.split())


@pytest.mark.slow
def test_a_prefect_server_out_of_reach_is_a_backend_unavailable(tmp_path):
    (tmp_path / "batch").mkdir()
    done = run_sohoa(tmp_path / "home", "ingest", str(tmp_path / "batch"),
                     env={"PREFECT_API_URL": f"http://127.0.0.1:{free_port()}/api"})
    assert done.returncode == ExitCode.BACKEND
    assert "Prefect API unavailable" in done.stderr and "Traceback" not in done.stderr


def test_a_malformed_prefect_variable_is_a_configuration_error_naming_it(tmp_path):
    (tmp_path / "batch").mkdir()
    done = run_sohoa(tmp_path / "home", "ingest", str(tmp_path / "batch"),
                     env={"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "0.5"}, embedded_prefect=True)
    assert done.returncode == ExitCode.USAGE
    assert "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS='0.5'" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
