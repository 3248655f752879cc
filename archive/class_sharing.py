"""Java's class-data sharing for veraPDF's start: the classes one validator process loads are written,
when it ends, to an archive that later processes map at start, a quarter off each start. Kept in the
user's cache folder, keyed by the Java build and the jars; the JVM itself checks an archive and starts
without one that does not match, so a damaged or foreign archive costs time, never a verdict."""
import contextlib
import functools
import hashlib
import os
import re
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ARCHIVES_FROM = 13  # the first Java with -XX:ArchiveClassesAtExit
ABANDONED_AFTER_S = 600  # an archive is written in a second, as its JVM ends


@functools.cache
def java_major() -> int:
    """The major version of the `java` on PATH (8 for "1.8.0_292"); 0 when it cannot be told."""
    try:
        shown = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=60).stderr
    except (OSError, subprocess.SubprocessError):
        return 0
    match = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    if not match:
        return 0
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def archive_path(lib: Path) -> Path | None:
    """Where this Java and these jars keep their archive; None when no cache folder can be written."""
    java, lib = Path(shutil.which("java") or "java").resolve(), lib.resolve()
    jars = sorted(lib.glob("*.jar"))
    parts = [str(java), str(java.stat().st_mtime_ns) if java.exists() else "", str(lib),
             *(f"{j.name} {j.stat().st_size} {j.stat().st_mtime_ns}" for j in jars)]
    key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    try:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sohoa"
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError, KeyError):  # no home at all, or none that can be written
        return None
    return folder / f"verapdf-{key}.jsa" if os.access(folder, os.W_OK) else None


@dataclass
class ClassSharing:
    options: list[str] = field(default_factory=list)  # for the java command line
    succeeded: bool = False  # set by the caller when the run ended normally


@contextlib.contextmanager
def class_sharing(lib: Path):
    """The JVM options of one run; an archive a first run wrote is published only if the run succeeded."""
    archive = archive_path(lib) if java_major() >= ARCHIVES_FROM else None
    if archive is None:
        yield ClassSharing()
        return
    if archive.exists():
        yield ClassSharing([f"-XX:SharedArchiveFile={archive}"])
        return
    remove_abandoned(archive)
    # Written under a name of its own, so that concurrent first runs never publish a half-written file.
    written = archive.with_name(f"{archive.name}.{uuid.uuid4().hex}")
    sharing = ClassSharing([f"-XX:ArchiveClassesAtExit={written}"])
    try:
        yield sharing
        if sharing.succeeded and written.exists() and written.stat().st_size > 0:
            os.replace(written, archive)
    finally:
        written.unlink(missing_ok=True)


def remove_abandoned(archive: Path) -> None:
    """Archives a validator wrote as it ended while its process was killed, never published: megabytes each."""
    for written in archive.parent.glob(f"{archive.name}.*"):
        try:
            if time.time() - written.stat().st_mtime > ABANDONED_AFTER_S:
                written.unlink()
        except OSError:
            pass
