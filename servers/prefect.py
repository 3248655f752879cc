"""A Prefect server on loopback, as every machine of a scale-out shares one (tests and the scaling bench).

    python -m servers.prefect WORK_DIR     # starts it, waits until its API answers, prints PREFECT_API_URL
"""
import os
import subprocess
import sys
from pathlib import Path

from servers.common import free_port, stop_group, wait_until_answering

START_TIMEOUT_S = 180  # 10-35 s on a quiet machine, much more while the rest of a test run keeps the cores busy


def start(work: Path) -> tuple[subprocess.Popen, str]:
    """The server, its database under work/; (process, API URL)."""
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(work), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_API_URL": f"http://127.0.0.1:{port}/api"}
    log = open(work / "prefect-server.log", "ab")
    prefect = str(Path(sys.executable).with_name("prefect"))
    process = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    wait_until_answering(process, f"{url}/health", START_TIMEOUT_S, "prefect server", work / "prefect-server.log")
    return process, url


def stop(process: subprocess.Popen) -> None:
    stop_group(process.pid, grace_s=20)


if __name__ == "__main__":
    print(start(Path(sys.argv[1] if len(sys.argv) > 1 else "prefect-server"))[1])
