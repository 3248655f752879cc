"""Start or stop both test servers (SeaweedFS S3 and Elasticsearch) for a whole test run.

    python -m servers up STATE_DIR     # starts both, prints `export SOHOA_TEST_...=...` lines for the shell
    python -m servers down STATE_DIR   # stops what `up` started and removes its data

The test fixtures use servers named by SOHOA_TEST_S3_ENDPOINT and SOHOA_TEST_ES_URL, and start their
own otherwise. Tests that stop a server on purpose always start private ones.
"""
import json
import os
import shlex
import shutil
import sys
from pathlib import Path

from servers import elasticsearch, seaweedfs
from servers.common import stop_group

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "sohoa-test", "AWS_SECRET_ACCESS_KEY": "sohoa-test-secret"}


def up(state: Path) -> None:
    state.mkdir(parents=True, exist_ok=True)
    for name, value in CREDENTIALS.items():
        os.environ.setdefault(name, value)
    s3_process, endpoint = seaweedfs.start(state / "seaweedfs")
    try:
        es_process, url, es_work = elasticsearch.start()
    except BaseException:
        seaweedfs.stop(s3_process)
        raise
    (state / "servers.json").write_text(json.dumps(
        {"seaweedfs_pid": s3_process.pid, "elasticsearch_pid": es_process.pid, "elasticsearch_work": str(es_work)}))
    exports = {"SOHOA_TEST_S3_ENDPOINT": endpoint, "SOHOA_TEST_ES_URL": url,
               **{name: os.environ[name] for name in CREDENTIALS}}
    for name, value in exports.items():
        print(f"export {name}={shlex.quote(value)}")


def down(state: Path) -> None:
    saved = state / "servers.json"
    if not saved.exists():
        return
    started = json.loads(saved.read_text())
    for pid in (started["seaweedfs_pid"], started["elasticsearch_pid"]):
        stop_group(pid)
    shutil.rmtree(started["elasticsearch_work"], ignore_errors=True)
    shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("up", "down"):
        sys.exit(__doc__)
    (up if sys.argv[1] == "up" else down)(Path(sys.argv[2]))
