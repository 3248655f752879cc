"""PDF/A validation with veraPDF (Java), run from the folder of its jars that the settings name."""
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from sohoa.archive.class_sharing import class_sharing
from sohoa.core.errors import ValidatorMissing


@dataclass(frozen=True)
class PdfaVerdict:
    valid: bool | None  # None: not validated
    validator: str | None  # "veraPDF 1.28.2"
    detail: str


def verapdf_installed(lib: Path | None) -> bool:
    return bool(lib and lib.is_dir() and any(lib.glob("*.jar")) and shutil.which("java"))


def verapdf_name(lib: Path) -> str:
    versions = [m.group(1) for jar in lib.glob("greenfield-apps-*.jar")
                if (m := re.match(r"greenfield-apps-(.+)\.jar$", jar.name))]
    return f"veraPDF {versions[0]}" if versions else "veraPDF"


def run_verapdf(paths: list[Path], lib: Path | None, flavour: str = "2b") -> list[PdfaVerdict]:
    """One verdict per file, in order: compliant or not, and the clauses of the rules that failed."""
    if not verapdf_installed(lib):
        raise ValidatorMissing(f"veraPDF is not installed in {lib} (with Java): ./bootstrap.sh test-setup installs "
                               "it; SOHOA_VERAPDF_LIB names another folder of its jars")
    # One short run per dossier: the quick JIT tier and the serial collector halve the JVM's CPU time.
    with class_sharing(lib) as sharing:
        done = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", *sharing.options,
                               "-cp", f"{lib}/*", "org.verapdf.apps.GreenfieldCliWrapper",
                               "--flavour", flavour, "--format", "xml", *map(str, paths)],
                              capture_output=True, timeout=600)
        sharing.succeeded = done.returncode in (0, 1)  # 1: some file not compliant
    name, jobs = verapdf_name(lib), {}
    for job in etree.fromstring(done.stdout).iter("job"):
        report, failure = job.find("validationReport"), job.find("taskException/exceptionMessage")
        if report is not None:
            failed = [f"{r.get('clause')}-{r.get('testNumber')}" for r in report.iter("rule")
                      if r.get("status") == "failed"]
            valid = report.get("isCompliant") == "true"
            detail = (f"PDF/A-{flavour} compliant" if valid else
                      f"not PDF/A-{flavour} compliant: failed ISO 19005-2 rules {', '.join(failed)}")
        else:
            valid, detail = False, f"not readable: {failure.text if failure is not None else 'no report'}"
        jobs[job.findtext("item/name")] = PdfaVerdict(valid, name, detail)
    return [jobs.get(str(p), PdfaVerdict(False, name, "veraPDF gave no report")) for p in paths]


def validate_pdfa(paths: list[Path], lib: Path | None, flavour: str = "2b") -> dict[str, bool]:
    """{file name: compliant} for each PDF, as veraPDF judges it."""
    return {p.name: bool(v.valid) for p, v in zip(paths, run_verapdf(paths, lib, flavour))}


def check_pdfa(pdfs: list[bytes], mode: str, lib: Path | None) -> list[PdfaVerdict]:
    """Verdicts for PDFs in memory. mode "auto" validates when veraPDF is installed, "on" requires it,
    "off" never validates; an unvalidated PDF gets a verdict saying so, never a pass."""
    if mode == "off" or (mode == "auto" and not verapdf_installed(lib)):
        reason = "switched off (SOHOA_PDFA_VALIDATION=off)" if mode == "off" else "veraPDF is not installed"
        return [PdfaVerdict(None, None, f"not validated: {reason}") for _ in pdfs]
    with tempfile.TemporaryDirectory(prefix="sohoa-pdfa-") as folder:
        paths = []
        for n, pdf in enumerate(pdfs, 1):
            paths.append(Path(folder) / f"{n}.pdf")
            paths[-1].write_bytes(pdf)
        return run_verapdf(paths, lib)
