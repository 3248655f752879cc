"""The one exception tree. Every expected failure is a SohoaError whose message is written for the
person at the console, and whose class says the exit status of the command it ends.

    0  ok
    1  problems found, dossiers refused or quarantined, an action the archive's rules forbid
    2  usage or configuration error
    3  a backend (object storage, search index, Prefect) unavailable
    4  internal error: a bug; one line on the console, the traceback in the log file

Anything else that escapes is an internal error, never dressed up as one of these.
"""
import functools
import inspect
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS = 1
    USAGE = 2
    BACKEND = 3
    INTERNAL = 4


class SohoaError(Exception):
    exit_code = ExitCode.INTERNAL


class Refused(SohoaError):
    """An action the archive's rules forbid: nothing was changed."""
    exit_code = ExitCode.PROBLEMS


class DossierConflict(Refused):
    """The file code is already archived from different scans."""


class WriteOnceError(Refused):
    """An object already exists under that key with different content."""


class DisposalRefused(Refused):
    pass


class ExportRefused(Refused):
    pass


class RepairImpossible(Refused):
    pass


class CorrectionRefused(Refused):
    """A correction of a record that cannot be made as asked: nothing was stored."""


class DamagedArchive(SohoaError):
    """A stored object is missing or no longer matches its checksum."""
    exit_code = ExitCode.PROBLEMS


class ObjectMissing(DamagedArchive):
    pass


class BadInput(SohoaError):
    """A scan that cannot be read; its dossier is quarantined with this message."""
    exit_code = ExitCode.PROBLEMS


class PageError(BadInput):
    """A page that cannot be decoded; the message says why in words an archivist can act on."""


class WorkerCrashed(BadInput):
    """An OCR process died (a decoder crash or the memory limit) while reading a dossier."""


class UsageError(SohoaError):
    exit_code = ExitCode.USAGE


class ConfigurationError(UsageError):
    """A setting that is malformed or names something that is not there (a language, a validator)."""


class PinRefused(ConfigurationError):
    """The signing token refused its PIN: tried again, it would lock."""


class ValidatorMissing(ConfigurationError):
    """PDF/A validation is required (SOHOA_PDFA_VALIDATION=on) and veraPDF is not installed."""


class BadCursor(UsageError):
    """A search cursor that is damaged or belongs to a different search."""


class BackendUnavailable(SohoaError):
    """A storage, search or orchestration backend did not answer (after its client's bounded retries)."""
    exit_code = ExitCode.BACKEND


class SigningUnavailable(BackendUnavailable):
    """The agency's signature could not be made now: its certificate is not valid (expired, revoked, not from
    the trust roots), or the time-stamping authority or a revocation responder did not answer."""


class PendingWork(BackendUnavailable):
    """A backend failed part-way through a dossier; the message names it and what a later run completes."""


def unavailable_on(*client_errors: type[BaseException]):
    """Decorate a backend adapter's method so that its client library's errors leave it as
    BackendUnavailable naming the backend (the adapter's describe()); a bug stays a bug."""
    def decorate(method):
        if inspect.isgeneratorfunction(method):
            @functools.wraps(method)
            def generator(self, *args, **kwargs):
                try:
                    yield from method(self, *args, **kwargs)
                except client_errors as exc:
                    raise _unavailable(self, exc) from exc
            return generator

        @functools.wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except client_errors as exc:
                raise _unavailable(self, exc) from exc
        return call
    return decorate


def _unavailable(backend, exc: BaseException) -> BackendUnavailable:
    role = getattr(backend, "role", "backend")  # "object storage", "search index"
    return BackendUnavailable(f"{role} {backend.describe()} unavailable: {type(exc).__name__}: {exc}")
