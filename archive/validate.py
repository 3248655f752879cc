"""PDF/A validation with veraPDF (Java), run from the folder of its jars that the settings name."""
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from sohoa.archive.verapdf_server import ValidatorStopped, server_for
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
    server, name = server_for(lib, flavour), verapdf_name(lib)
    verdicts = []
    for path in paths:
        try:
            report = server.report(path)
        except ValidatorStopped as exc:
            verdicts.append(PdfaVerdict(False, name, str(exc)))
            continue
        try:
            job = etree.fromstring(report).find("jobs/job")
        except etree.XMLSyntaxError:
            job = None
        if job is None or job.findtext("item/name") != str(path.resolve()):
            server.discard()  # an answer out of step: the next file gets a new server
            verdicts.append(PdfaVerdict(False, name, f"veraPDF gave no report on {path.name}"))
        else:
            verdicts.append(verdict(job, name, flavour))
    return verdicts


def verdict(job: etree._Element, name: str, flavour: str) -> PdfaVerdict:
    """The verdict of veraPDF's report on one file."""
    result, failure = job.find("validationReport"), job.find("taskException/exceptionMessage")
    if result is None:
        return PdfaVerdict(False, name, f"not readable: {failure.text if failure is not None else 'no report'}")
    if result.get("isCompliant") == "true":
        return PdfaVerdict(True, name, f"PDF/A-{flavour} compliant")
    failed = [f"{r.get('clause')}-{r.get('testNumber')}" for r in result.iter("rule") if r.get("status") == "failed"]
    return PdfaVerdict(False, name, f"not PDF/A-{flavour} compliant: failed ISO 19005-2 rules {', '.join(failed)}")


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
