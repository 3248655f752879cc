"""Check dossiers in a child process, so that a decoder crash, a memory blow-up or a hang on a hostile file
costs that dossier only. The child checks one dossier after another (its path as a JSON line on stdin, the
DossierSource or Rejection as a JSON line on stdout) until it is closed; one that crashed, hung or refused a
dossier is replaced for the next. Run as: python -m sohoa.pipeline.probe MAX_PIXELS"""
import json
import os
import queue
import resource
import select
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from sohoa.core.model import Rejection, source_from_json, source_to_json

MEMORY_LIMIT_BYTES = 4 * 1024**3
TIMEOUT_S = 900


class DossierProbe:
    """One child interpreter checking dossiers in turn. A fresh interpreter, not one started by multiprocessing:
    that would first run the program's main module again (a worker's flow run is `python -m prefect.engine`),
    which costs more than the interpreter and the decoders. Kept for many dossiers: starting it costs more than
    checking most."""

    def __init__(self, max_pixels: int, timeout_s: float = TIMEOUT_S):
        self.max_pixels, self.timeout_s = max_pixels, timeout_s
        self.child: subprocess.Popen | None = None
        self.errors = None

    def check(self, path: Path):
        """The dossier's DossierSource, or a Rejection naming the file and the reason."""
        from sohoa.pipeline.intake import file_code_for

        file_code = file_code_for(path)
        child = self.child if self.child and self.child.poll() is None else self.start()
        try:
            child.stdin.write(json.dumps(str(path)).encode() + b"\n")
            child.stdin.flush()
        except BrokenPipeError:
            return Rejection(file_code, path, path.name, self.cause_of_death())
        if not select.select([child.stdout], [], [], self.timeout_s)[0]:
            self.close()
            return Rejection(file_code, path, path.name, f"reading the files took longer than {self.timeout_s:g} s")
        answer = child.stdout.readline()
        if not answer.endswith(b"\n"):  # the child died before it had told the whole answer
            return Rejection(file_code, path, path.name, self.cause_of_death())
        result = source_from_json(json.loads(answer))
        if isinstance(result, Rejection):  # a decoder that met a hostile file is not trusted with the next
            self.close()
        return result

    def start(self) -> subprocess.Popen:
        self.close()
        self.errors = tempfile.TemporaryFile()
        self.child = subprocess.Popen([sys.executable, "-m", "sohoa.pipeline.probe", str(self.max_pixels)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors)
        return self.child

    def cause_of_death(self) -> str:
        code = self.child.wait()
        self.errors.seek(0)
        stderr = self.errors.read().decode("utf-8", "replace").strip()
        self.close()
        if code < 0:
            return f"the image decoder crashed ({signal.Signals(-code).name})"
        if "MemoryError" in stderr:
            return "decoding needs more memory than a scanned page can"
        return f"could not be read: {stderr.splitlines()[-1] if stderr else 'unknown error'}"

    def close(self) -> None:
        if self.child is not None:
            self.child.kill()
            self.child.wait()
            self.child.stdin.close()
            self.child.stdout.close()
            self.errors.close()
            self.child = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class DossierProbes:
    """A child for each of the threads checking a batch's dossiers at once."""

    def __init__(self, count: int, max_pixels: int):
        self.idle: queue.SimpleQueue[DossierProbe] = queue.SimpleQueue()
        self.all = [DossierProbe(max_pixels) for _ in range(count)]
        for probe in self.all:
            self.idle.put(probe)

    def check(self, path: Path):
        probe = self.idle.get()
        try:
            return probe.check(path)
        finally:
            self.idle.put(probe)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        for probe in self.all:
            probe.close()


def probe_dossier(path: Path, max_pixels: int, timeout_s: float = TIMEOUT_S):
    """One dossier checked in a child of its own."""
    with DossierProbe(max_pixels, timeout_s) as probe:
        return probe.check(path)


def main() -> None:
    from sohoa.pipeline.intake import read_dossier, set_pixel_limit

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    os.nice(10)  # a run's head start checks dossiers while Prefect's API boots: the boot goes first
    max_pixels = int(sys.argv[1])
    set_pixel_limit(max_pixels)
    for line in sys.stdin:
        path = Path(json.loads(line))
        print(json.dumps(source_to_json(read_dossier(path, max_pixels))), flush=True)


if __name__ == "__main__":
    main()
