"""Progress reporting port: a run tells, the front door (a console, a web page) shows."""
from typing import Protocol, runtime_checkable


@runtime_checkable  # Prefect builds a parameter schema from the flows' annotations
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
