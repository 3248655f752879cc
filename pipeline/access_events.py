"""Reading the archive leaves a trace: every export, view, download and refusal is a PREMIS access
event in the audit trail, naming the account that asked."""
import datetime as dt

from sohoa.archive.premis import ACCESS, FAILURE, SUCCESS, Event, random_event_id
from sohoa.archive.xml import vietnam_time
from sohoa.pipeline.agents import software
from sohoa.pipeline.backends import Backends


def log_access(backends: Backends, file_code: str | None, what: str, objects: list[tuple[str, str]], actor: str,
               granted: bool = True) -> None:
    backends.record([Event(random_event_id(), ACCESS, vietnam_time(dt.datetime.now()), software(),
                           SUCCESS if granted else FAILURE, what, file_code, tuple(objects), actor)])
