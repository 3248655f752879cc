"""Elastic's minimal Elasticsearch distribution (Maven Central integ-test-zip) as a local server.

    python -m servers.elasticsearch             # starts it, waits for a green/yellow cluster, prints the URL

The zip is fetched by ./bootstrap.sh test into .cache/elasticsearch/. Elasticsearch refuses to run
as root, so as root it runs as the dedicated system user sohoa-es (created if missing).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from servers.common import free_port, service_user, stop_group, wait_until_answering

VERSION = "8.19.21"
ZIP = Path(__file__).resolve().parents[1] / ".cache" / "elasticsearch" / f"elasticsearch-{VERSION}.zip"
SERVICE_USER = "sohoa-es"
JAVA_HOMES = ("/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/default-java")


def java_home() -> str:
    if os.environ.get("ES_JAVA_HOME"):
        return os.environ["ES_JAVA_HOME"]
    for home in JAVA_HOMES:
        if Path(home, "bin", "java").exists():
            return home
    java = shutil.which("java")
    if java is None:
        raise FileNotFoundError("no Java: install default-jre-headless")
    return str(Path(os.path.realpath(java)).parents[1])


def install(zip_path: Path = ZIP) -> Path:
    """Unpack and configure a server in a new working folder (install, data and logs) on free ports."""
    if not zip_path.exists():
        raise FileNotFoundError(f"{zip_path} missing: ./bootstrap.sh test fetches it")
    work = Path(tempfile.mkdtemp(prefix="sohoa-es-"))
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(work)
    home = work / f"elasticsearch-{VERSION}"
    for script in (home / "bin").iterdir():
        script.chmod(0o755)
    settings = {"cluster.name": "sohoa-test", "node.name": "sohoa-test", "discovery.type": "single-node",
                "network.host": "127.0.0.1", "http.port": free_port(), "transport.port": free_port(),
                "path.data": str(work / "data"), "path.logs": str(work / "logs"),
                "xpack.security.enabled": False, "cluster.routing.allocation.disk.threshold_enabled": False}
    (home / "config" / "elasticsearch.yml").write_text(
        "".join(f"{k}: {json.dumps(v)}\n" for k, v in settings.items()))
    (work / "url").write_text(f"http://127.0.0.1:{settings['http.port']}")
    user = service_user(SERVICE_USER)
    if user:
        subprocess.run(["chown", "-R", f"{user}:", str(work)], check=True)
    return work


def start(zip_path: Path = ZIP, timeout_s: float = 180, work: Path | None = None
          ) -> tuple[subprocess.Popen, str, Path]:
    """(process, URL, working folder). Given the working folder of an earlier start, restarts that
    server on its data and ports."""
    work = work or install(zip_path)
    java_opts = "-Xms1g -Xmx1g"
    cmd = [str(work / f"elasticsearch-{VERSION}" / "bin" / "elasticsearch")]
    user = service_user(SERVICE_USER)
    if user:
        cmd = ["runuser", "-u", user, "--", "env", f"ES_JAVA_HOME={java_home()}", f"ES_JAVA_OPTS={java_opts}", *cmd]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env={**os.environ, "ES_JAVA_HOME": java_home(), "ES_JAVA_OPTS": java_opts})
    url = (work / "url").read_text()
    try:
        wait_until_answering(process, f"{url}/_cluster/health?wait_for_status=yellow&timeout=2s", timeout_s,
                             "Elasticsearch", work / "logs")
    except (RuntimeError, TimeoutError):
        stop(process, None)
        raise
    return process, url, work


def kill(process: subprocess.Popen) -> None:
    """Stop the server abruptly, as a crash would (its data stays for a restart)."""
    os.killpg(process.pid, 9)
    process.wait()


def stop(process: subprocess.Popen, work: Path | None = None) -> None:
    stop_group(process.pid)
    process.wait()
    if work is not None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    _, es_url, folder = start(Path(sys.argv[1]) if len(sys.argv) > 1 else ZIP)
    print(es_url, folder)
