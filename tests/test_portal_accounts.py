"""Portal accounts from the command line, on the embedded default (SQLite under SOHOA_HOME): created with
a password from standard input (Argon2), refused with a clear message and status 2 when wrong, status 3
when the configured database cannot be reached; never a traceback. Password sign-in does not depend on
the identity provider."""
import re
import sqlite3
import subprocess
import sys

import requests

from tests.conftest import sohoa_env
from tests.portal_server import serve


def user_add(home, login, password, *options, env=None):
    return subprocess.run([sys.executable, "-m", "sohoa.cli", "user", "add", login, *options], input=password + "\n",
                          text=True, capture_output=True, env={**sohoa_env(home), **(env or {})}, timeout=120)


def sohoa(home, *args, env=None):
    return subprocess.run([sys.executable, "-m", "sohoa.cli", *args], text=True, capture_output=True,
                          env={**sohoa_env(home), **(env or {})}, timeout=120)


def test_an_account_is_kept_with_an_argon2_hash_and_gets_tokens(tmp_path):
    home = tmp_path / "home"
    added = user_add(home, "an", "mat-khau-dai-du-10", "--role", "approver", "--clearance", "toi-mat", "--unit", "VP",
                     "--name", "Nguyễn Văn An", "--national-id", "001099012345")
    assert added.returncode == 0, added.stderr
    assert "account an created: approver, clearance toi-mat, unit VP" in added.stderr
    with sqlite3.connect(home / "portal" / "portal.sqlite3") as db:
        row = db.execute("SELECT password, role, clearance, unit, full_name, national_id FROM portal_user "
                         "WHERE username = 'an'").fetchone()
    assert row[0].startswith("argon2$") and row[1:] == ("approver", "toi-mat", "VP", "Nguyễn Văn An", "001099012345")
    first, second = (sohoa(home, "user", "token", "an").stdout.strip() for _ in range(2))
    assert len(first) >= 40 and first != second
    with sqlite3.connect(home / "portal" / "portal.sqlite3") as db:
        kept = {r[0] for r in db.execute("SELECT digest FROM portal_apitoken")}
    assert len(kept) == 2 and first not in kept  # only digests are kept


def test_wrong_accounts_are_refused_with_a_message(tmp_path):
    home = tmp_path / "home"
    cases = [
        (user_add(home, "an", "short", "--role", "officer"), "password refused: This password is too short"),
        (user_add(home, "an", "", "--role", "officer"), "no password on standard input"),
        (user_add(home, "an", "mat-khau-dai-du-10", "--role", "king"), "Invalid value for '--role'"),
        (user_add(home, "an", "mat-khau-dai-du-10", "--role", "officer", "--clearance", "top"),
         "Invalid value for '--clearance'"),
        (sohoa(home, "user", "token", "nobody"), "no active account nobody"),
        (sohoa(home, "user", "token", "an", env={"SOHOA_DATABASE_URL": "mysql://x@y/z"}),
         "SOHOA_DATABASE_URL must be postgresql://"),
    ]
    oidc_without_client = {"SOHOA_OIDC_ISSUER": "https://sso.example.vn/realms/so"}
    cases += [
        (user_add(home, "an", "mat-khau-dai-du-10", "--role", "officer", "--authority", "mat"),
         "--authority is an approver's"),
        (sohoa(home, "user", "token", "an", env=oidc_without_client), "with SOHOA_OIDC_CLIENT_ID and"),
        (sohoa(home, "user", "token", "an", env={"SOHOA_DAYS_OFF": "2027-02-30"}), "SOHOA_DAYS_OFF='2027-02-30'"),
    ]
    assert user_add(home, "binh", "mat-khau-dai-du-10", "--role", "officer").returncode == 0
    cases.append((user_add(home, "binh", "mat-khau-dai-du-10", "--role", "officer"), "account binh exists already"))
    for done, message in cases:
        assert done.returncode == 2 and message in done.stderr, done.stderr
        assert "Traceback" not in done.stderr


def test_an_unreachable_database_is_a_backend_error(tmp_path):
    down = sohoa(tmp_path / "home", "user", "token", "an",
                 env={"SOHOA_DATABASE_URL": "postgresql://sohoa:x@127.0.0.1:1/portal"})
    assert down.returncode == 3 and "the portal's database PostgreSQL sohoa@127.0.0.1:1/portal" in down.stderr
    assert "Traceback" not in down.stderr


def test_password_sign_in_goes_on_while_the_identity_provider_is_down(tmp_path):
    home, password = tmp_path / "home", "mat-khau-dai-du-10"
    env = {"SOHOA_OIDC_ISSUER": "http://127.0.0.1:1/realms/sohoa", "SOHOA_OIDC_CLIENT_ID": "sohoa-portal",
           "SOHOA_OIDC_CLIENT_SECRET": "secret"}
    assert user_add(home, "an", password, "--role", "officer", env=env).returncode == 0
    server, url, _ = serve(home, env)
    try:
        browser = requests.Session()
        form = browser.get(url + "login")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        signed_in = browser.post(url + "login", data={"csrfmiddlewaretoken": token, "username": "an",
                                                      "password": password, "next": "/"},
                                 headers={"Referer": url + "login"})
        assert signed_in.status_code == 200 and signed_in.url == url and 'class="account">an<' in signed_in.text
        # a wrong password posted as if it were the provider's callback is just a wrong password
        guess = requests.Session()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', guess.get(url + "login").text).group(1)
        wrong = guess.post(url + "login?code=x&state=y", data={"csrfmiddlewaretoken": token, "username": "an",
                                                                "password": "not-the-password"},
                           headers={"Referer": url + "login"})
        assert wrong.status_code == 200 and "Tên đăng nhập hoặc mật khẩu không đúng" in wrong.text
        through_provider = requests.get(url + "oidc/authenticate/")
        assert through_provider.status_code == 200 and through_provider.url == url + "login"
        assert "Chưa đăng nhập được qua hệ thống xác thực của cơ quan" in through_provider.text
        cancelled = requests.get(url + "oidc/callback/?error=access_denied&error_description=Cancelled+by+user")
        assert cancelled.url == url + "login" and cancelled.text.count('<li class="error">') == 1
        assert "Cancelled by user" in cancelled.text
    finally:
        server.terminate()
        server.wait(timeout=30)
