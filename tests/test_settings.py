"""Settings are read once, checked, and a bad one stops a command before it starts, naming the variable."""
import datetime as dt
import json

import pytest

from sohoa.core.errors import ConfigurationError, ExitCode
from sohoa.core.settings import Settings
from sohoa.pipeline.packaging import lock_until, retention_end

from tests.conftest import run_sohoa


def test_the_embedded_defaults_need_no_variable(tmp_path):
    settings = Settings.from_env({"SOHOA_HOME": str(tmp_path)})
    assert settings.home == tmp_path.resolve() and settings.objects_dir == tmp_path.resolve() / "objects"
    assert (settings.pdfa_validation, settings.default_retention, settings.ocr_engine) == ("auto", "01", "tesseract")
    assert settings.s3_endpoint is settings.es_url is settings.replica_dir is None
    assert settings.checkpoints_dir == settings.home / "checkpoints" and settings.workers >= 1
    assert "@" in settings.operator


@pytest.mark.parametrize("variable, value, expected", [
    ("SOHOA_WORKERS", "abc", "whole number"),
    ("SOHOA_WORKERS", "0", "from 1 to 256"),
    ("SOHOA_PDFA_VALIDATION", "yes", "one of auto, on, off"),
    ("SOHOA_REVIEW_THRESHOLD", "80", "between 0 and 1"),
    ("SOHOA_DEFAULT_RETENTION", "1", "one of 01, 02"),
    ("SOHOA_ES_URL", "localhost:9200", "http:// or https:// URL"),
    ("SOHOA_S3_ENDPOINT", "http://key:secret@127.0.0.1:8333", "without credentials"),
    ("SOHOA_NIGHTLY_AT", "25:00", "HH:MM"),
    ("SOHOA_TIMEZONE", "Mars/Olympus", "time zone"),
    ("SOHOA_DEBUG", "maybe", "1 or 0"),
    ("SOHOA_LOCK_MAX_YEARS", "0", "at least the longest fixed retention period (70)"),
])
def test_a_malformed_setting_is_named_with_what_it_accepts(tmp_path, variable, value, expected):
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({"SOHOA_HOME": str(tmp_path), variable: value})
    assert variable in str(refused.value) and expected in str(refused.value)
    assert "secret" not in str(refused.value)


def test_every_malformed_setting_is_reported_at_once(tmp_path):
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({"SOHOA_HOME": str(tmp_path), "SOHOA_WORKERS": "many", "SOHOA_LOCK_MAX_YEARS": "-1"})
    assert "SOHOA_WORKERS" in str(refused.value) and "SOHOA_LOCK_MAX_YEARS" in str(refused.value)


def test_the_checkpoint_key_must_be_kept_outside_the_archive(tmp_path):
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({"SOHOA_HOME": str(tmp_path), "SOHOA_CHECKPOINT_KEY": str(tmp_path / "keys" / "k.pem")})
    assert "SOHOA_CHECKPOINT_KEY" in str(refused.value) and "outside the archive" in str(refused.value)


def test_the_acting_account_is_the_process_owner_whatever_logname_says(tmp_path, monkeypatch):
    monkeypatch.setenv("LOGNAME", "somebody-else")
    monkeypatch.setenv("USER", "somebody-else")
    assert not Settings.from_env({"SOHOA_HOME": str(tmp_path)}).operator.startswith("somebody-else@")


@pytest.mark.parametrize("code, years", [("01", None), ("07", None), ("02", 70), ("06", 10)])
def test_retention_ends_by_its_code_and_a_permanent_lock_by_the_setting(code, years):
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    ends = retention_end(code, start)
    assert (ends.year - 2026 if ends else None) == years
    assert lock_until(code, start, 100).year == 2026 + (years or 100)


def test_search_credentials_are_taken_out_of_the_url_and_never_shown(tmp_path):
    settings = Settings.from_env({"SOHOA_HOME": str(tmp_path), "SOHOA_ES_URL": "https://elastic:pa55@es.local:9200/"})
    assert settings.es_url == "https://es.local:9200"
    assert settings.es_auth[0] == "elastic" and settings.es_auth[1].reveal() == "pa55"
    assert "pa55" not in repr(settings) and "pa55" not in str(settings.es_auth)


def test_a_bad_setting_ends_the_command_with_status_2_and_no_traceback(tmp_path):
    done = run_sohoa(tmp_path / "home", "export", env={"SOHOA_PDFA_VALIDATION": "yes", "SOHOA_WORKERS": "abc"})
    assert done.returncode == ExitCode.USAGE == 2
    assert "SOHOA_PDFA_VALIDATION='yes'" in done.stderr and "SOHOA_WORKERS='abc'" in done.stderr
    assert "Traceback" not in done.stderr


def test_help_needs_no_valid_settings(tmp_path):
    done = run_sohoa(tmp_path / "home", "verify", "--help", env={"SOHOA_WORKERS": "abc"})
    assert done.returncode == 0 and "--repair" in done.stdout


def test_status_names_the_search_index_without_its_password(tmp_path):
    done = run_sohoa(tmp_path / "home", "status", "--json",
                     env={"SOHOA_ES_URL": "http://elastic:pa55@127.0.0.1:9"})  # nothing listens on port 9
    assert done.returncode == ExitCode.BACKEND == 3
    parts = json.loads(done.stdout)
    assert parts["index"]["up"] is False and "127.0.0.1:9" in parts["index"]["location"]
    assert "pa55" not in done.stdout + done.stderr
