"""A portal served for the tests: three records in the embedded index, accounts in a real PostgreSQL, and
`sohoa serve` on a free port."""
import json
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import uuid

import pytest

from sohoa.core.settings import Settings
from sohoa.pipeline.backends import open_backends

from tests.conftest import ROOT, run_sohoa, sohoa_env

PASSWORD = "mat-khau-dai-du-10"
ACCOUNTS = (("an", "none", "VP"), ("binh", "mat", "VP"), ("chi", "tuyet-mat", "KH"), ("dung", "none", "KH"))

SECRET_WORD = "bimat"  # in the secret record's text only


def record(doc_id, secrecy, mode, unit, text):
    return {"doc_id": doc_id, "file_code": doc_id.split(".")[0], "doc_ordinal": 1, "type_name": "Quyết định",
            "type_code": "02", "code_number": "15", "code_notation": "QĐ-UBND", "issued_date": "2024-01-17",
            "organ_name": "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH", "subject": "Về việc phê duyệt kế hoạch",
            "signer_position": None, "signer_name": None, "secrecy": secrecy, "urgency": None, "access_mode": mode,
            "unit": unit, "page_amount": 1, "pages": [{"number": 1, "text": text}], "confidence": {},
            "needs_review": False, "pdf": {"key": f"dossiers/{doc_id}.pdf", "sha256": "0" * 64, "size": 1}}


RECORDS = [record("HS-OPEN.1", None, "01", "KH", "kế hoạch chuyển đổi số"),
           record("HS-MAT.1", "MẬT", "03", "VP", f"kế hoạch {SECRET_WORD} của văn phòng"),
           record("HS-KH.1", None, "02", "KH", "kế hoạch của phòng kế hoạch")]


@pytest.fixture(scope="session")
def portal(tmp_path_factory, database_server):
    """A home with three records indexed, four accounts, and the portal serving them."""
    home = tmp_path_factory.mktemp("portal") / "home"
    env = {"SOHOA_DATABASE_URL": new_database(database_server)}
    with open_backends(Settings.from_env({**sohoa_env(home), **env})) as backends:
        backends.index.upsert(RECORDS)
    tokens = {}
    for login, clearance, unit in ACCOUNTS:
        added = subprocess.run([sys.executable, "-m", "sohoa.cli", "user", "add", login, "--role", "officer",
                                "--clearance", clearance, "--unit", unit], input=PASSWORD + "\n", text=True,
                               capture_output=True, env={**sohoa_env(home), **env}, timeout=120)
        assert added.returncode == 0, added.stderr
        tokens[login] = run_sohoa(home, "user", "token", login, env=env).stdout.strip()
    server = subprocess.Popen([sys.executable, "-m", "sohoa.cli", "serve", "--port", "0"], stderr=subprocess.PIPE,
                              text=True, env={**sohoa_env(home), **env}, cwd=ROOT)
    line = server.stderr.readline()
    url = re.search(r"http://\S+/", line)
    assert url, line + server.stderr.read() if server.poll() is not None else line
    said = []  # what the server says later, read so that a full pipe never stops it
    threading.Thread(target=lambda: said.extend(server.stderr), daemon=True).start()
    yield {"url": url.group(0), "home": home, "env": env, "tokens": tokens, "said": said}
    server.terminate()
    server.wait(timeout=30)


def new_database(server_url: str) -> str:
    from servers.postgresql import new_database as create

    return create(server_url, f"portal_{uuid.uuid4().hex[:8]}")


def api(portal, path, login=None, token=None) -> tuple[int, dict]:
    request = urllib.request.Request(portal["url"] + path.lstrip("/"))
    if login or token:
        request.add_header("Authorization", f"Bearer {token or portal['tokens'][login]}")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())
