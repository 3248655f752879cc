"""Progress reporting port: the flow tells, the command line shows."""
from typing import Protocol


class ProgressSink(Protocol):
    def batch_started(self, dossiers: int, pages: int) -> None: ...
    def dossier_started(self, file_code: str, pages: int) -> None: ...
    def page_done(self, file_code: str) -> None: ...
    def dossier_finished(self, file_code: str, status: str, detail: str = "") -> None: ...


class NoProgress:
    def batch_started(self, dossiers: int, pages: int) -> None:
        pass

    def dossier_started(self, file_code: str, pages: int) -> None:
        pass

    def page_done(self, file_code: str) -> None:
        pass

    def dossier_finished(self, file_code: str, status: str, detail: str = "") -> None:
        pass


_sink: ProgressSink = NoProgress()


def set_sink(sink: ProgressSink) -> None:
    global _sink
    _sink = sink


def sink() -> ProgressSink:
    return _sink
