"""The archive's backends as the portal uses them: opened once per server thread (an SQLite connection
belongs to the thread that opened it) and kept for the thread's life."""
import threading
from contextlib import ExitStack

from django.conf import settings

from sohoa.pipeline.backends import Backends, open_backends

_opened = threading.local()


def backends() -> Backends:
    if not hasattr(_opened, "backends"):
        stack = ExitStack()
        _opened.backends = stack.enter_context(open_backends(settings.SOHOA))
        _opened.stack = stack
    return _opened.backends
