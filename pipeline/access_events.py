"""Reading the archive leaves a trace: every export, view, download and refusal is a PREMIS access
event in the audit trail, naming the account that asked; every decision on a request to read or copy a
record is a policy assignment event naming the approver, the access granted or refused, and why."""
import datetime as dt

from sohoa.archive.premis import ACCESS, FAILURE, POLICY_ASSIGNMENT, SUCCESS, Event, random_event_id
from sohoa.archive.xml import vietnam_time
from sohoa.pipeline.agents import software
from sohoa.pipeline.backends import Backends


def log_access(backends: Backends, file_code: str | None, what: str, objects: list[tuple[str, str]], actor: str,
               granted: bool = True) -> None:
    _log(backends, ACCESS, SUCCESS if granted else FAILURE, file_code, what, tuple(objects), actor)


def log_access_decision(backends: Backends, file_code: str | None, what: str, actor: str) -> None:
    _log(backends, POLICY_ASSIGNMENT, SUCCESS, file_code, what, (), actor)


def _log(backends: Backends, kind: str, outcome: str, file_code: str | None, what: str,
         objects: tuple[tuple[str, str], ...], actor: str) -> None:
    backends.record([Event(random_event_id(), kind, vietnam_time(dt.datetime.now()), software(), outcome, what,
                           file_code, objects, actor)])
