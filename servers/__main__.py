"""Start or stop the test servers (SeaweedFS S3, Elasticsearch, PostgreSQL, Keycloak, Prefect) for a test run.

    python -m servers up STATE_DIR     # starts them, prints `export SOHOA_TEST_...=...` lines for the shell
    python -m servers down STATE_DIR   # stops what `up` started and removes its data

The test fixtures use servers named by SOHOA_TEST_S3_ENDPOINT, SOHOA_TEST_ES_URL, SOHOA_TEST_DATABASE_URL,
SOHOA_TEST_OIDC_ISSUER and SOHOA_TEST_PREFECT_API_URL, and start their own otherwise. Tests that stop a
server on purpose always start private ones.
"""
import json
import os
import shlex
import shutil
import sys
from pathlib import Path
from signal import SIGTERM

from servers import elasticsearch, keycloak, postgresql, prefect, seaweedfs
from servers.common import stop_group

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "sohoa-test", "AWS_SECRET_ACCESS_KEY": "sohoa-test-secret"}


def up(state: Path) -> None:
    state.mkdir(parents=True, exist_ok=True)
    for name, value in CREDENTIALS.items():
        os.environ.setdefault(name, value)
    started, exports = {}, {**{name: os.environ[name] for name in CREDENTIALS}}
    try:
        s3_process, exports["SOHOA_TEST_S3_ENDPOINT"] = seaweedfs.start(state / "seaweedfs")
        started["seaweedfs_pid"] = s3_process.pid
        es_process, exports["SOHOA_TEST_ES_URL"], es_work = elasticsearch.start()
        started.update(elasticsearch_pid=es_process.pid, elasticsearch_work=str(es_work))
        pg_process, exports["SOHOA_TEST_DATABASE_URL"], pg_work = postgresql.start()
        started.update(postgresql_pid=pg_process.pid, postgresql_work=str(pg_work))
        # Not waited for: it comes up while the first tests run; the tests that sign in through it wait.
        kc_process, exports["SOHOA_TEST_OIDC_ISSUER"], kc_work = keycloak.start(wait=False)
        started.update(keycloak_pid=kc_process.pid, keycloak_work=str(kc_work))
        prefect_process, exports["SOHOA_TEST_PREFECT_API_URL"] = prefect.start(state / "prefect")
        started["prefect_pid"] = prefect_process.pid
    except BaseException:
        stop(started)
        raise
    (state / "servers.json").write_text(json.dumps(started))
    for name, value in exports.items():
        print(f"export {name}={shlex.quote(value)}")


def down(state: Path) -> None:
    saved = state / "servers.json"
    if not saved.exists():
        return
    stop(json.loads(saved.read_text()))
    shutil.rmtree(state, ignore_errors=True)


def stop(started: dict) -> None:
    for name in ("seaweedfs", "elasticsearch", "postgresql", "keycloak", "prefect"):
        if f"{name}_pid" in started:
            stop_group(started[f"{name}_pid"], first=postgresql.FAST_SHUTDOWN if name == "postgresql" else SIGTERM)
        if f"{name}_work" in started:
            shutil.rmtree(started[f"{name}_work"], ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("up", "down"):
        sys.exit(__doc__)
    (up if sys.argv[1] == "up" else down)(Path(sys.argv[2]))
