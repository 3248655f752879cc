"""veraPDF kept running: one JVM per process and flavour, fed one file at a time through its server mode.

Starting Java and loading veraPDF's profiles costs about 3 s of CPU; a warm validator checks a dossier's
PDF in a tenth of that. The server reads a path per line on its standard input and answers with the path
of the XML report it wrote, in a temporary folder of its own. A file that makes it hang or die costs that
file a verdict and the server a restart, never the caller's run.
"""
import atexit
import os
import select
import shutil
import subprocess
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path

from sohoa.archive.class_sharing import class_sharing, java_major

FILE_TIMEOUT_S = 600  # the batch command line gave a whole dossier this long
START_TIMEOUT_S = 120
QUIT = "q"  # veraPDF's server mode ends on this line
LINE_SEPARATORS = ("\n", "\r", "\u0085", "\u2028", "\u2029")  # Java's Scanner ends a line at each
# The JVM's own warnings (a class archive refused) to stderr: stdout carries the answers alone. Java 9 and later.
JVM_LOG_TO_STDERR = ["-Xlog:disable", "-Xlog:all=warning:stderr"]


class ValidatorStopped(Exception):
    """The server did not answer for a file: it hung, crashed or could not start."""


class VeraPdfServer:
    def __init__(self, lib: Path, flavour: str):
        self.lib, self.flavour = lib, flavour
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._scope: ExitStack | None = None
        self._sharing = None
        self._reports: Path | None = None

    def report(self, path: Path) -> bytes:
        """veraPDF's XML report on one file; ValidatorStopped when the server failed on it (it is renewed
        at the next call)."""
        path = path.resolve()
        if any(separator in str(path) for separator in LINE_SEPARATORS):
            raise ValidatorStopped(f"{path.name!r}: a line break in a file name cannot be sent to veraPDF")
        with self._lock:
            if self._process is not None and self._process.poll() is not None:  # it died between files
                self._end(kill=True)
            if self._process is None:
                self._start()
            try:
                self._process.stdin.write(f"{path}\n")
                self._process.stdin.flush()
                written = self._answer(FILE_TIMEOUT_S)
                try:
                    return written.read_bytes()
                finally:
                    written.unlink(missing_ok=True)
            except (OSError, ValueError, ValidatorStopped) as exc:
                self._end(kill=True)
                raise ValidatorStopped(f"veraPDF stopped on {path.name}: {exc}") from exc
            except BaseException:  # interrupted mid-file: an answer may still come, to nobody
                self._end(kill=True)
                raise

    def discard(self) -> None:
        """Stop the server after an answer that did not fit its question: the next call starts a new one."""
        with self._lock:
            self._end(kill=True)

    def close(self) -> None:
        with self._lock:
            self._end(kill=False)

    def _start(self) -> None:
        self._scope = ExitStack()
        try:
            self._sharing = self._scope.enter_context(class_sharing(self.lib))
            self._reports = Path(tempfile.mkdtemp(prefix="sohoa-verapdf-")).resolve()  # private: 0700
            # The quick JIT tier and the serial collector: far less CPU at start, and as fast on files this size.
            self._process = subprocess.Popen(
                ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", f"-Djava.io.tmpdir={self._reports}",
                 *self._sharing.options, *(JVM_LOG_TO_STDERR if java_major() >= 9 else []), "-cp", f"{self.lib}/*",
                 "org.verapdf.apps.GreenfieldCliWrapper", "--servermode", "--flavour", self.flavour, "--format", "xml"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            self._answer(START_TIMEOUT_S).unlink(missing_ok=True)  # the report of an empty first request
        except (OSError, ValidatorStopped) as exc:
            self._end(kill=True)
            raise ValidatorStopped(f"veraPDF did not start: {exc}") from exc

    def _answer(self, timeout_s: float) -> Path:
        """The report the server says it wrote: a file in its own folder, or ValidatorStopped."""
        waiting = select.poll()
        waiting.register(self._process.stdout, select.POLLIN)
        if not waiting.poll(timeout_s * 1000):
            raise ValidatorStopped(f"no answer within {timeout_s:.0f} s")
        line = self._process.stdout.readline().strip()
        if not line:
            raise ValidatorStopped(f"it ended (exit status {self._process.wait()})")
        written = Path(line)
        if written.parent != self._reports or not written.name.startswith("tempReport"):
            raise ValidatorStopped(f"it answered {line[:80]!r}, not a report")
        return written

    def _end(self, kill: bool) -> None:
        process, self._process = self._process, None
        if process is not None:
            try:
                if not kill:
                    process.stdin.write(f"{QUIT}\n")
                    process.stdin.close()
                    process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                kill = True
            if kill:
                process.kill()
                process.wait()
            self._sharing.succeeded = not kill  # it ended by itself when asked (its exit status is the worst file's)
        if self._scope is not None:
            self._scope.close()
            self._scope = None
        if self._reports is not None:
            shutil.rmtree(self._reports, ignore_errors=True)
            self._reports = None


_servers: dict[tuple[Path, str], VeraPdfServer] = {}
_servers_lock = threading.Lock()


def server_for(lib: Path, flavour: str) -> VeraPdfServer:
    with _servers_lock:
        key = (lib.resolve(), flavour)
        if key not in _servers:
            _servers[key] = VeraPdfServer(*key)
        return _servers[key]


@atexit.register
def stop_servers() -> None:
    """End every server of this process (each writes its class archive then, if it is the first)."""
    with _servers_lock:
        servers = list(_servers.values())
        _servers.clear()
    for server in servers:
        server.close()


def _after_fork() -> None:  # a child shares none of its parent's servers: it starts its own when it needs one
    global _servers_lock
    _servers.clear()
    _servers_lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork)
