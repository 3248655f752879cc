"""Check one dossier in a child process, so that a decoder crash, a memory blow-up or a hang on a
hostile file costs that dossier only. Run as: python -m sohoa.pipeline.probe PATH MAX_PIXELS"""
import json
import resource
import signal
import subprocess
import sys
from pathlib import Path

from sohoa.core.model import Rejection, source_from_json, source_to_json

MEMORY_LIMIT_BYTES = 4 * 1024**3
TIMEOUT_S = 900


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def probe_dossier(path: Path, max_pixels: int, timeout_s: float = TIMEOUT_S):
    """The dossier's DossierSource, or a Rejection naming the file and the reason. The child is a fresh
    interpreter: one started by multiprocessing would first run the program's main module again (a worker's
    flow run is `python -m prefect.engine`), which costs more than the interpreter and the decoders."""
    from sohoa.pipeline.intake import file_code_for

    file_code = file_code_for(path)
    try:
        done = subprocess.run([sys.executable, "-m", "sohoa.pipeline.probe", str(path), str(max_pixels)],
                              capture_output=True, text=True, timeout=timeout_s, preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired:
        return Rejection(file_code, path, path.name, f"reading the files took longer than {timeout_s:g} s")
    if done.returncode != 0:
        if done.returncode < 0:
            cause = f"the image decoder crashed ({signal.Signals(-done.returncode).name})"
        elif "MemoryError" in done.stderr:
            cause = "decoding needs more memory than a scanned page can"
        else:
            cause = f"could not be read: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'unknown error'}"
        return Rejection(file_code, path, path.name, cause)
    return source_from_json(json.loads(done.stdout))


def main() -> None:
    from sohoa.pipeline.intake import read_dossier, set_pixel_limit

    path, max_pixels = Path(sys.argv[1]), int(sys.argv[2])
    set_pixel_limit(max_pixels)
    print(json.dumps(source_to_json(read_dossier(path, max_pixels))))


if __name__ == "__main__":
    main()
