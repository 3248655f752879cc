"""Check one dossier in a child process, so that a decoder crash, a memory blow-up or a hang on a
hostile file costs that dossier only.

Each dossier gets a process of its own, forked from a server process that imported the decoders once
(multiprocessing's forkserver): starting a fresh interpreter for each dossier cost more than checking
a dossier of a few pages, and the checks of a batch come before its first page is read."""
import multiprocessing
import os
import resource
import signal
from multiprocessing.connection import Connection
from pathlib import Path

from sohoa.core.model import Rejection, source_from_json, source_to_json

MEMORY_LIMIT_BYTES = 4 * 1024**3
TIMEOUT_S = 900
OUT_OF_MEMORY = "decoding needs more memory than a scanned page can"
NO_MEMORY_TO_ANSWER = 3

_processes = multiprocessing.get_context("forkserver")
_processes.set_forkserver_preload(["sohoa.pipeline.intake"])


def probe_dossier(path: Path, max_pixels: int, timeout_s: float = TIMEOUT_S):
    """The dossier's DossierSource, or a Rejection naming the file and the reason."""
    from sohoa.pipeline.intake import file_code_for

    file_code = file_code_for(path)
    answers, sender = _processes.Pipe(duplex=False)
    child = _processes.Process(target=_check, args=(path, max_pixels, sender), name=f"probe {path.name}",
                               daemon=True)
    child.start()
    sender.close()  # the child holds the only writing end: its death ends the pipe
    answer = None
    try:
        timed_out = not answers.poll(timeout_s)
        if not timed_out:
            answer = answers.recv()
    except EOFError:  # the child died without answering
        pass
    finally:
        answers.close()
    if timed_out:
        child.kill()
    child.join()
    if answer is not None:
        kind, content = answer
        return source_from_json(content) if kind == "source" else Rejection(file_code, path, path.name, content)
    if timed_out:
        cause = f"reading the files took longer than {timeout_s:g} s"
    elif child.exitcode is not None and child.exitcode < 0:
        cause = f"the image decoder crashed ({signal.Signals(-child.exitcode).name})"
    else:
        cause = OUT_OF_MEMORY if child.exitcode == NO_MEMORY_TO_ANSWER else \
            f"could not be read: its check stopped with exit status {child.exitcode}"
    return Rejection(file_code, path, path.name, cause)


def _check(path: Path, max_pixels: int, answers: Connection) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    from sohoa.pipeline.intake import read_dossier, set_pixel_limit

    set_pixel_limit(max_pixels)
    try:
        answer = ("source", source_to_json(read_dossier(path, max_pixels)))
    except MemoryError:
        answer = ("refused", OUT_OF_MEMORY)
    except Exception as exc:  # noqa: BLE001 - a decoder's failure on this file, whatever it raises
        answer = ("refused", f"could not be read: {type(exc).__name__}: {exc}")
    try:
        answers.send(answer)
    except MemoryError:
        os._exit(NO_MEMORY_TO_ANSWER)
