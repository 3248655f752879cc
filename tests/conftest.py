import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sohoa.core.settings import Settings
from sohoa.pipeline.backends import open_audit, open_store
from sohoa.synth.batch import make_batch

pytest_plugins = ["tests.portal_server"]  # the portal fixture
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def sohoa_env(home: Path, embedded_prefect: bool = False) -> dict:
    """The environment of a command run on the archive at home: its flows on the session's Prefect server, or
    with embedded_prefect on the server each command starts for itself, as on a machine without one."""
    env = {**os.environ, "SOHOA_HOME": str(home), "PREFECT_HOME": str(home / "prefect"), "COLUMNS": "160"}
    if embedded_prefect:
        env.pop("PREFECT_API_URL", None)
    return env


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory) -> Path:
    """The session's own cache folder (veraPDF's shared class archive): nothing left from other runs."""
    path = tmp_path_factory.mktemp("cache")
    os.environ["XDG_CACHE_HOME"] = str(path)
    return path


@pytest.fixture(scope="session", autouse=True)
def checkpoint_key(tmp_path_factory) -> Path:
    """One checkpoint key for the session's archives, outside each of them as the settings require."""
    path = tmp_path_factory.mktemp("keys") / "checkpoint-ed25519.pem"
    os.environ["SOHOA_CHECKPOINT_KEY"] = str(path)
    return path


def store_and_audit_log(home: Path):
    """The object store and audit log of an embedded archive, opened as the commands open them."""
    settings = Settings.from_env(sohoa_env(home))
    store = open_store(settings)
    return store, open_audit(settings, store)


def wait_for(condition, timeout_s: float, what: str, every_s: float = 2):
    """condition()'s first true value, asked every every_s seconds; fails the test after timeout_s."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every_s)
    raise AssertionError(f"not within {timeout_s:.0f} s: {what}")


def run_sohoa(home: Path, *args: str, timeout: float = 900, env: dict | None = None,
              input: str | None = None, embedded_prefect: bool = False) -> subprocess.CompletedProcess:
    """The CLI in a subprocess, its flows on the session's Prefect server unless embedded_prefect."""
    environment = {**sohoa_env(home, embedded_prefect), **(env or {})}
    return subprocess.run([sys.executable, "-m", "sohoa.cli", *args], capture_output=True, text=True,
                          env=environment, timeout=timeout, cwd=ROOT, input=input)


def export_records(home: Path) -> list[dict]:
    done = run_sohoa(home, "export", "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def search_page(home: Path, *args: str) -> dict:
    """One page of `sohoa search --json`: total, facets, cursor and hits."""
    done = run_sohoa(home, "search", *args, "--json")
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="session", autouse=True)
def prefect_api(tmp_path_factory):
    """One Prefect server for every flow the session runs, as a production machine has one: each command's
    embedded server would create its database and start again, 30-50 s a run. Tests of a machine without one
    (the README's demo, concurrent and resumed ingests) keep the embedded server: sohoa_env(embedded_prefect).
    SOHOA_TEST_PREFECT_API_URL names a server already running."""
    from servers import prefect

    if os.environ.get("SOHOA_TEST_PREFECT_API_URL"):
        url, process = os.environ["SOHOA_TEST_PREFECT_API_URL"], None
    else:
        process, url = prefect.start(tmp_path_factory.mktemp("prefect-server"))
    os.environ["PREFECT_API_URL"] = url
    yield url
    if process:
        prefect.stop(process)


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """A small synthetic batch in every intake format, with truth.json beside it. Do not modify."""
    out = tmp_path_factory.mktemp("generated")
    make_batch(out / "batch", out / "truth.json", dossiers=5, seed=11, docs_per_dossier=(1, 3))
    return out


@pytest.fixture(scope="session")
def family_b(tmp_path_factory) -> Path:
    """The recognition benchmark's small corpus of family B (printed by Chromium, two minutes to make), made
    once for the tests of the family and of the benchmark: corpus/batch and corpus/truth.json. Do not modify."""
    from bench.recognition import MODES, corpus

    folder = tmp_path_factory.mktemp("family-b") / "corpus"
    corpus(folder, MODES["small"], family="b")
    return folder


@pytest.fixture(scope="session")
def family_c(tmp_path_factory) -> Path:
    """The recognition benchmark's small corpus of family C (printed by LibreOffice), made once for the tests
    of the family and of the benchmark: corpus/batch and corpus/truth.json. Do not modify."""
    from bench.recognition import MODES, corpus

    folder = tmp_path_factory.mktemp("family-c") / "corpus"
    corpus(folder, MODES["small"], family="c")
    return folder


@pytest.fixture(scope="session")
def truth(generated) -> dict:
    return json.loads((generated / "truth.json").read_text(encoding="utf-8"))


def copy_batch(generated: Path, target: Path, only: list[str] | None = None) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for entry in (generated / "batch").iterdir():
        if only is None or entry.name in only:
            (shutil.copytree if entry.is_dir() else shutil.copy2)(entry, target / entry.name)
    return target


@pytest.fixture(scope="session")
def ingested(generated, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The generated batch ingested once through the real CLI: (SOHOA_HOME, the ingest run)."""
    home = tmp_path_factory.mktemp("home")
    batch = copy_batch(generated, tmp_path_factory.mktemp("in") / "batch")
    return home, run_sohoa(home, "ingest", str(batch), "--json")


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """A real S3 server: SOHOA_TEST_S3_ENDPOINT if given, else SeaweedFS started for the session."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "sohoa-test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "sohoa-test-secret")
    if os.environ.get("SOHOA_TEST_S3_ENDPOINT"):
        yield os.environ["SOHOA_TEST_S3_ENDPOINT"]
        return
    from servers import seaweedfs

    process, endpoint = seaweedfs.start(tmp_path_factory.mktemp("seaweedfs"))
    yield endpoint
    seaweedfs.stop(process)


def started_or_named(variable: str, server):
    """The server the variable names (started once for the whole run), else one of this kind started here."""
    if os.environ.get(variable):
        yield os.environ[variable]
        return
    process, url, work = server.start()
    yield url
    server.stop(process, work)


@pytest.fixture(scope="session")
def es_url():
    """A real Elasticsearch: SOHOA_TEST_ES_URL if given, else the minimal distribution started here."""
    from servers import elasticsearch

    yield from started_or_named("SOHOA_TEST_ES_URL", elasticsearch)


@pytest.fixture(scope="session")
def database_server():
    """A real PostgreSQL server, as the portal uses in production: SOHOA_TEST_DATABASE_URL if given, else
    Debian's PostgreSQL started for the session. The URL of its superuser's database."""
    from servers import postgresql

    yield from started_or_named("SOHOA_TEST_DATABASE_URL", postgresql)


@pytest.fixture(scope="session")
def oidc_issuer():
    """A real OpenID Connect provider, Keycloak with the test realm: SOHOA_TEST_OIDC_ISSUER if given (it may
    still be starting: keycloak.wait_until_ready before signing in), else started here."""
    from servers import keycloak

    yield from started_or_named("SOHOA_TEST_OIDC_ISSUER", keycloak)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("SOHOA_HOME", str(path))
    monkeypatch.setenv("PREFECT_HOME", str(path / "prefect"))
    (path / "prefect").mkdir(parents=True)
    return path
