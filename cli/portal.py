"""The portal from the command line: `sohoa serve`, and the accounts (`sohoa user add|token`)."""
import sys

import click

from sohoa.cli.context import console, current_settings, out
from sohoa.core.access import CLEARANCES
from sohoa.core.errors import UsageError

ROLE_NAMES = ("officer", "archivist", "approver", "auditor", "admin")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: any free port.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256), help="Requests served at once.")
def serve(host: str, port: int, threads: int) -> None:
    """Start the portal (in production behind a TLS reverse proxy: see the README)."""
    from sohoa.portal.server import serve as run_server

    current_settings()
    run_server(host, port, threads, lambda line: console.print(line, highlight=False))


@click.group()
def user() -> None:
    """Portal accounts: add one, or issue an API token."""


@user.command("add")
@click.argument("login")
@click.option("--role", type=click.Choice(ROLE_NAMES), required=True)
@click.option("--clearance", type=click.Choice(CLEARANCES), default="none", show_default=True,
              help="Highest secrecy level the account may see.")
@click.option("--unit", default="", help="The unit the account belongs to (sees its conditional records).")
@click.option("--authority", type=click.Choice(CLEARANCES), default="none", show_default=True,
              help="An approver: the highest secrecy level whose reading or copying their rank lets them authorise.")
@click.option("--name", "full_name", default="", help="Full name, family name first.")
@click.option("--national-id", default="", help="The holder's national ID number (Circular 05).")
def add(login: str, role: str, clearance: str, unit: str, authority: str, full_name: str, national_id: str) -> None:
    """Create an account; its password is read from standard input (one line)."""
    from sohoa.portal.setup import start_django

    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise UsageError("no password on standard input: e.g. printf '%s\\n' \"$PASSWORD\" | sohoa user add …")
    current_settings()
    start_django()
    from sohoa.portal.accounts import add_user

    add_user(login, password, role, clearance, unit, national_id, full_name, authority)
    console.print(f"account {login} created: {role}, clearance {clearance}" + (f", unit {unit}" if unit else "")
                  + (f", authorises up to {authority}" if authority != "none" else ""), highlight=False)


@user.command("token")
@click.argument("login")
def token(login: str) -> None:
    """Print a new API token for the account (send it as Authorization: Bearer TOKEN)."""
    from sohoa.portal.setup import start_django

    current_settings()
    start_django()
    from sohoa.portal.accounts import new_token

    out.print(new_token(login), highlight=False)
