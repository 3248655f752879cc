"""PDF/A validation with veraPDF (Java), found through SOHOA_VERAPDF_LIB or ./.cache/verapdf/lib."""
import os
import re
import shutil
import subprocess
from pathlib import Path

DEFAULT_LIB = Path(__file__).resolve().parents[1] / ".cache" / "verapdf" / "lib"


def verapdf_lib() -> Path | None:
    lib = Path(os.environ.get("SOHOA_VERAPDF_LIB") or DEFAULT_LIB)
    return lib if lib.is_dir() and any(lib.glob("*.jar")) and shutil.which("java") else None


def validate_pdfa(paths: list[Path], flavour: str = "2b") -> dict[str, bool]:
    """{file name: compliant} for each PDF, as veraPDF judges it."""
    lib = verapdf_lib()
    if lib is None:
        raise FileNotFoundError("veraPDF not installed: run ./bootstrap.sh setup")
    done = subprocess.run(["java", "-cp", f"{lib}/*", "org.verapdf.apps.GreenfieldCliWrapper",
                           "--flavour", flavour, "--format", "text", *map(str, paths)],
                          capture_output=True, text=True, timeout=600)
    verdicts = {}
    for line in done.stdout.splitlines():
        match = re.match(r"^(PASS|FAIL)\s+(.+?)\s+\S+$", line.strip())
        if match:
            verdicts[Path(match.group(2)).name] = match.group(1) == "PASS"
    return verdicts
