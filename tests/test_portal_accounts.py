"""Portal accounts from the command line, on the embedded default (SQLite under SOHOA_HOME): created with
a password from standard input (Argon2), refused with a clear message and status 2 when wrong, status 3
when the configured database cannot be reached; never a traceback."""
import sqlite3
import subprocess
import sys

from tests.conftest import sohoa_env


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
