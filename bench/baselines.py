"""The baselines sohoa is measured against, run on the same pages and dossiers.

- Raw Tesseract: each page as decoded, with no cleanup, read by the same engine sohoa uses (the
  Tesseract library, `vie`, automatic page segmentation, single-threaded, one process per core, the
  model loaded before the clock starts). Its seconds per page give the Tesseract-only limit of the
  machine: sum of seconds ÷ cores. Its pages also go through sohoa's own
  classification and extraction, which shows what the cleanup and second readings add.
- OCRmyPDF with --deskew (and --clean when unpaper is installed) and --jobs <cores>, on each dossier
  as one PDF, writing its default PDF/A output.
"""
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from sohoa.core.model import DossierSource, PageRef, RecognizedPage, Rejection
from sohoa.core.page_text import PageText
from sohoa.ocr.tesseract import TesseractEngine
from sohoa.pipeline.intake import dossier_paths, load_page, read_dossier
from sohoa.pipeline.recognize import IDENTITY

INK_LEVEL = 128  # grey level below which a pixel counts as ink for the blank-page test


def dossiers(batch_dir: Path, max_pixels: int) -> list[DossierSource]:
    found = []
    for path in dossier_paths(batch_dir)[0]:
        source = read_dossier(path, max_pixels)
        if isinstance(source, Rejection):
            raise SystemExit(source.message())
        found.append(source)
    return found


def _raw_page(ref: PageRef) -> tuple[PageRef, dict, float, int, float]:
    image, dpi, _ = load_page(ref)
    pixels = np.asarray(image.convert("RGB"))
    ink = float((pixels.min(axis=2) < INK_LEVEL).mean())
    engine = TesseractEngine("vie")
    started = time.perf_counter()
    text = engine.recognize(pixels, dpi)
    return ref, text.to_json(), time.perf_counter() - started, dpi, ink


def raw_tesseract(sources: list[DossierSource], workers: int) -> tuple[dict[str, list[RecognizedPage]], list[float]]:
    """Pages of every dossier read by plain Tesseract, and Tesseract's seconds for each page."""
    refs = [ref for source in sources for ref in source.pages]
    pages: dict[str, list[RecognizedPage]] = {source.file_code: [] for source in sources}
    seconds = []
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        for ref, text, spent, dpi, ink in pool.map(_raw_page, refs):
            seconds.append(spent)
            text = PageText.from_json(text)
            pages[ref.file_code].append(RecognizedPage(
                number=ref.number, source_name=ref.source_name, dpi=dpi, dpi_estimated=False,
                width=text.width, height=text.height, archival_image=Path(ref.source_name), text=text,
                to_source=IDENTITY, skew_deg=0.0, ink_ratio=ink))
    return pages, seconds


def ocrmypdf_command() -> str | None:
    """The ocrmypdf beside this Python (a virtual environment's), else on the PATH."""
    local = Path(sys.executable).with_name("ocrmypdf")
    return str(local) if local.exists() else shutil.which("ocrmypdf")


def ocrmypdf(sources: list[DossierSource], workers: int, work: Path) -> tuple[dict[str, list[str]], float, list[str]]:
    """Text of every page as OCRmyPDF made it, its total seconds, and the options used."""
    options = ["--deskew", "-l", "vie", "--jobs", str(workers)]
    if shutil.which("unpaper"):
        options.insert(1, "--clean")
    work.mkdir(parents=True, exist_ok=True)
    texts, total = {}, 0.0
    for source in sources:
        given = as_pdf(source, work)
        out = work / f"{source.file_code}.ocr.pdf"
        started = time.perf_counter()
        done = subprocess.run([ocrmypdf_command(), *options, str(given), str(out)], capture_output=True,
                              text=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        total += time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"ocrmypdf failed on {source.file_code}: {done.stderr[-1000:]}")
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        texts[source.file_code] = text.split("\f")[:len(source.pages)]
    return texts, total, options


def as_pdf(source: DossierSource, work: Path) -> Path:
    """The dossier as one PDF: a PDF dossier as it is, page images wrapped at their resolution."""
    if source.kind == "pdf":
        return source.path
    target = work / f"{source.file_code}.pdf"
    images = [load_page(ref) for ref in source.pages]
    first, dpi, _ = images[0]
    first.save(target, "PDF", save_all=True, append_images=[image for image, _, _ in images[1:]], resolution=dpi,
               quality=92)
    return target
