"""A portal served for the tests: three records in the embedded index, accounts in a real PostgreSQL, and
`sohoa serve` on a free port."""
import datetime as dt
import json
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import uuid

import pytest
from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image, ImageDraw, ImageFont

from sohoa.archive.stamp import stamp_font
from sohoa.core.settings import Settings
from sohoa.pipeline.backends import open_backends

from tests.conftest import ROOT, run_sohoa, sohoa_env

PASSWORD = "mat-khau-dai-du-10"
ACCOUNTS = (("an", "officer", "none", "VP"), ("binh", "officer", "mat", "VP"), ("chi", "officer", "tuyet-mat", "KH"),
            ("dung", "officer", "none", "KH"), ("kiem", "auditor", "none", ""), ("em", "officer", "none", "VP"),
            ("phe", "approver", "none", "KH"), ("quan", "admin", "none", ""), ("giang", "officer", "toi-mat", "KH"),
            ("duyet", "approver", "mat", "VP"), ("truong", "approver", "toi-mat", "VP"))
AUTHORITY = {"truong": "mat"}  # the secrecy level an approver's rank lets them authorise

SECRET_WORD = "bimat"  # in the secret record's text only


def record(doc_id, secrecy, mode, unit, text, subject="Về việc phê duyệt kế hoạch"):
    file_code, ordinal = doc_id.split(".")
    return {"doc_id": doc_id, "file_code": file_code, "doc_ordinal": int(ordinal), "type_name": "Quyết định",
            "type_code": "02", "code_number": "15", "code_notation": "QĐ-UBND", "issued_date": "2024-01-17",
            "organ_name": "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH", "subject": subject,
            "signer_position": None, "signer_name": None, "secrecy": secrecy, "urgency": None, "access_mode": mode,
            "unit": unit, "page_amount": 1, "pages": [{"number": 1, "text": text}], "confidence": {},
            "needs_review": False, "pdf": {"key": f"dossiers/{doc_id}.pdf", "sha256": "0" * 64, "size": 1}}


RECORDS = [record("HS-OPEN.1", None, "01", "KH", "kế hoạch chuyển đổi số"),
           record("HS-MAT.1", "MẬT", "03", "VP", f"kế hoạch {SECRET_WORD} của văn phòng"),
           record("HS-KH.1", None, "02", "KH", "kế hoạch của phòng kế hoạch"),
           record("HS-OPEN.2", None, "01", "KH", "tờ trình xin ý kiến", "Về việc xin ý kiến"),
           record("HS-OPEN.3", "MẬT", "01", "KH", "báo cáo tình hình an ninh", "Báo cáo tình hình")]  # secret,
# in an open dossier


@pytest.fixture(scope="session")
def portal(tmp_path_factory, database_server, oidc_issuer):
    """A home with the records above indexed, the accounts above, and the portal serving them; sign-in by
    password or through the test realm of Keycloak."""
    from servers import keycloak

    home = tmp_path_factory.mktemp("portal") / "home"
    env = {"SOHOA_DATABASE_URL": new_database(database_server), "SOHOA_OIDC_ISSUER": oidc_issuer,
           "SOHOA_OIDC_CLIENT_ID": keycloak.CLIENT_ID, "SOHOA_OIDC_CLIENT_SECRET": keycloak.CLIENT_SECRET}
    with open_backends(Settings.from_env({**sohoa_env(home), **env})) as backends:
        for stored in RECORDS:  # each with a real PDF in object storage, its text in an invisible layer
            pdf = backends.store.put(stored["pdf"]["key"], scanned_pdf(stored["pages"][0]["text"]), "application/pdf")
            stored["pdf"].update(sha256=pdf.sha256, size=pdf.size)
        backends.index.upsert(RECORDS)
    tokens = {}
    for login, role, clearance, unit in ACCOUNTS:
        added = subprocess.run([sys.executable, "-m", "sohoa.cli", "user", "add", login, "--role", role,
                                "--clearance", clearance, "--unit", unit, "--authority", AUTHORITY.get(login, "none")],
                               input=PASSWORD + "\n", text=True,
                               capture_output=True, env={**sohoa_env(home), **env}, timeout=120)
        assert added.returncode == 0, added.stderr
        tokens[login] = run_sohoa(home, "user", "token", login, env=env).stdout.strip()
    server, url, said = serve(home, env)
    yield {"url": url, "home": home, "env": env, "tokens": tokens, "said": said, "oidc_issuer": oidc_issuer}
    server.terminate()
    server.wait(timeout=30)


def serve(home, env: dict) -> tuple[subprocess.Popen, str, list[str]]:
    """`sohoa serve` on a free port: the process, its URL, and what it says after starting."""
    server = subprocess.Popen([sys.executable, "-m", "sohoa.cli", "serve", "--port", "0"], stderr=subprocess.PIPE,
                              text=True, env={**sohoa_env(home), **env}, cwd=ROOT)
    line = server.stderr.readline()
    url = re.search(r"http://\S+/", line)
    assert url, line + server.stderr.read() if server.poll() is not None else line
    said = []  # read so that a full pipe never stops it
    threading.Thread(target=lambda: said.extend(server.stderr), daemon=True).start()
    return server, url.group(0), said


def scanned_pdf(text: str) -> bytes:
    """A one-page A4 PDF like sohoa's: the page's scan (here drawn at 100 dpi) with its text over it in an
    invisible layer, at the same place."""
    scale = 100 / 72
    scan = Image.new("L", (round(595 * scale), round(842 * scale)), 255)
    ImageDraw.Draw(scan).text((72 * scale, 303 * scale), text, fill=0,
                              font=ImageFont.truetype(str(stamp_font()), round(12 * scale)))
    drawing = FPDF(unit="pt", format="A4")
    drawing.add_page()
    drawing.image(scan, x=0, y=0, w=595, h=842)
    drawing.add_font("text", fname=str(stamp_font()))
    drawing.set_font("text", size=12)
    drawing.text_mode = TextMode.INVISIBLE
    drawing.set_xy(72, 300)
    drawing.cell(400, 20, text)
    return bytes(drawing.output())


def grant(portal, login: str, target: str, scope: str, seconds: float) -> dt.datetime:
    """An active grant, as an approver's decision makes one; when it expires."""
    expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds)
    in_portal(portal, f"Grant.objects.create(user=User.objects.get(username={login!r}), target={target!r}, "
                      f"scope={scope!r}, reason='test', expires=dt.datetime.fromisoformat({expires.isoformat()!r}))")
    return expires


def expire_grants(portal, login: str, seconds: float) -> dt.datetime:
    """The login's grants now end in a few seconds (a period of days, made short for a test)."""
    expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds)
    in_portal(portal, f"Grant.objects.filter(user__username={login!r}).update("
                      f"expires=dt.datetime.fromisoformat({expires.isoformat()!r}))")
    return expires


def in_portal(portal, statement: str) -> None:
    """A statement run against the portal's tables, as the admin pages would change them."""
    done = subprocess.run(
        [sys.executable, "-c", "from sohoa.portal.setup import start_django; start_django()\n"
         "import datetime as dt\nfrom sohoa.portal.models import Grant, User\n" + statement],
        capture_output=True, text=True, env={**sohoa_env(portal["home"]), **portal["env"]}, timeout=120)
    assert done.returncode == 0, done.stderr


def new_database(server_url: str) -> str:
    from servers.postgresql import new_database as create

    return create(server_url, f"portal_{uuid.uuid4().hex[:8]}")


def fetch(portal, path, login=None, token=None, method="GET", body=None) -> tuple[int, str, bytes]:
    """(status, content type, body) of a request (body: sent as JSON), signed in with the login's token (or the
    token given)."""
    request = urllib.request.Request(portal["url"] + path.lstrip("/"), method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"} if body is not None else {})
    if login or token:
        request.add_header("Authorization", f"Bearer {token or portal['tokens'][login]}")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers["Content-Type"], refused.read()


def api(portal, path, login=None, token=None, method="GET", body=None) -> tuple[int, dict]:
    status, _, answer = fetch(portal, path, login, token, method, body)
    return status, json.loads(answer)
