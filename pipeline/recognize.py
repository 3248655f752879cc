"""Recognise pages: decode, keep the archival image, clean, OCR. Results are cached per page on
disk so that an interrupted batch resumes without redoing finished pages."""
import json
import os
import resource
import shutil
import signal
import threading
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import Callable

import cv2
import numpy as np
from PIL import Image

from sohoa.classifiers.signing_titles import holds_the_signer
from sohoa.core.errors import PageError, WorkerCrashed
from sohoa.core.model import TEXT_LAYER, PageRef, RecognizedPage
from sohoa.core.page_text import PageText
from sohoa.core.settings import Settings
from sohoa.ocr.clean import clean_page, printed_ink
from sohoa.ocr.confusions import correct_confusions
from sohoa.ocr.engine import OcrEngine, open_engine
from sohoa.ocr.grey_stamps import grey_stamp_frames, read_grey_stamps, without_stamps
from sohoa.ocr.hand_digits import hand_written
from sohoa.ocr.header_rows import header_rows
from sohoa.ocr.missed_lines import recover_missed_lines
from sohoa.ocr.reading_resolution import read_page
from sohoa.ocr.second_opinion import SECOND_ENGINE_LANGUAGE, second_readings
from sohoa.ocr.signature_block import read_signature_block
from sohoa.ocr.stamps import read_stamps
from sohoa.ocr.text_layer import trusted_text_layer
from sohoa.ocr.typography import measure_weights
from sohoa.ocr.written_in import read_written_in
from sohoa.pipeline.files import write_atomically
from sohoa.pipeline.intake import load_page, set_pixel_limit, upright
from sohoa.pipeline.pdf_scans import STREAM_KEY

ARCHIVAL_JPEG_QUALITY = 90
TIFF_ROWS_PER_STRIP = 278  # one strip of all rows: a PDF's fax image is one
WORKER_MEMORY_LIMIT = 4 * 1024**3
IDENTITY = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]  # OCR frame = archival image


def page_cache(folder: Path, number: int) -> Path:
    return folder / f"{number:04d}.json"


def keep_archival_image(ref: PageRef, image: Image.Image, folder: Path) -> Path:
    """The page image that goes into the PDF, kept in folder: the scanner's own image of a PDF page (a JPEG, or
    bilevel fax data, bit for bit), an unrotated JPEG source as it is, a bilevel page as fax data, else a JPEG
    of image."""
    target = folder / f"{ref.number:04d}.jpg"
    if ref.kind == "pdf" and STREAM_KEY in image.info and upright(image):  # a PNG's text chunk may bear the name
        scan = image.info[STREAM_KEY]
        target = target.with_suffix(".tif" if scan.coding == "fax" else ".jpg")
        target.write_bytes(scan.file)
        return target
    if ref.kind == "image" and ref.path.suffix.lower() in (".jpg", ".jpeg"):
        with Image.open(ref.path) as original:
            unturned = upright(original)
            plain = (original.format == "JPEG" and original.mode in ("RGB", "L")  # named .jpg, and so it is
                     and original.size == image.size)  # not resampled
        if unturned and plain:
            shutil.copyfile(ref.path, target)
            return target
    if image.mode == "L" and not any(image.histogram()[1:255]):  # black and white only: a bilevel scan
        target = target.with_suffix(".tif")  # lossless, and a twentieth of a JPEG's size
        image.convert("1", dither=Image.Dither.NONE).save(target, "TIFF", compression="group4",
                                                         tiffinfo={TIFF_ROWS_PER_STRIP: image.height})
        return target
    image.save(target, "JPEG", quality=ARCHIVAL_JPEG_QUALITY, optimize=True)
    return target


def recognize_page(ref: PageRef, folder: Path, engine: OcrEngine, digits_engine: OcrEngine) -> RecognizedPage:
    cached = page_cache(folder, ref.number)
    if cached.exists():
        return RecognizedPage.from_json(json.loads(cached.read_text(encoding="utf-8")), folder)
    try:
        image, dpi, dpi_estimated = load_page(ref)
    except PageError:
        raise
    except Exception as exc:  # noqa: BLE001 - decoders raise anything on hostile data: the file is bad
        raise PageError(f"cannot decode: {type(exc).__name__}: {exc}") from exc
    archival = keep_archival_image(ref, image, folder)
    pixels = np.asarray(image)  # RGB, or L for a grey scan: it has no coloured ink
    del image
    page = RecognizedPage(number=ref.number, source_name=ref.source_name, dpi=dpi, dpi_estimated=dpi_estimated,
                          width=pixels.shape[1], height=pixels.shape[0], archival_image=archival, text=PageText(0, 0),
                          to_source=IDENTITY, skew_deg=0.0, ink_ratio=0.0)
    layer = None
    if ref.kind == "pdf":
        grey = pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
        layer = trusted_text_layer(ref.path, ref.frame, dpi, grey)
    if layer is not None:  # a born-digital page: its own words, exactly
        page.text, page.text_source = layer, TEXT_LAYER
        page.ink_ratio = float(np.count_nonzero(grey < 128)) / grey.size
    else:
        read_scan(page, pixels, dpi, engine, digits_engine)
    write_atomically(cached, json.dumps(page.to_json(), ensure_ascii=False).encode("utf-8"))
    return page


# Below this share of ink the cleaned page holds no text, a speck or a page number at most. Read anyway, such a
# page costs Tesseract minutes: its own thresholding of an inkless page turns the paper's grain into words.
BLANK_INK_RATIO = 0.0002
PRINTED_LINE_INK = 0.002  # a page with this share of ink holds at least a line of print, a speck-only back less


def read_scan(page: RecognizedPage, pixels: np.ndarray, dpi: int, engine: OcrEngine, digits_engine: OcrEngine
              ) -> None:
    """Clean a scanned page and read it: the page, lines it passed over, stamps, and the header rows
    with the number and date again."""
    cleaned = clean_page(pixels)
    page.to_source, page.skew_deg, page.ink_ratio = cleaned.to_source.tolist(), cleaned.skew_deg, cleaned.ink_ratio
    page.stamps = read_stamps(cleaned.red_ink, dpi, engine)
    if cleaned.ink_ratio < BLANK_INK_RATIO:
        page.text = PageText(cleaned.image.shape[1], cleaned.image.shape[0])
        return
    grey_stamps = grey_stamp_frames(cleaned.image, dpi)
    image, header = without_stamps(cleaned.image, grey_stamps), without_stamps(cleaned.header_with_pen, grey_stamps)
    page.stamps += read_grey_stamps(cleaned.image, grey_stamps, cleaned.to_source, dpi, engine)
    text = read_page(engine, image, dpi)
    if not text.lines and cleaned.ink_ratio >= PRINTED_LINE_INK:
        # A photo or a map whose tones made Tesseract take the page for one picture: the print round it is
        # read on its own, the title and caption that name the attachment.
        text = read_page(engine, printed_ink(image, dpi), dpi)
    recover_missed_lines(image, text, dpi, engine)
    correct_confusions(text)
    measure_weights(image, text)
    rows = header_rows(text)
    page.text = text
    page.second_readings = second_readings(header, rows, dpi, digits_engine)
    page.written_in = read_written_in(header, rows, dpi, [digits_engine, engine])
    page.hand_written = hand_written(header, text, rows)
    page.signature_block = read_signature_block(image, text, dpi, engine, holds_the_signer)


_engines: tuple[OcrEngine, OcrEngine] | None = None


def _init_worker(engine: str, language: str, max_pixels: int) -> None:
    global _engines
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's: it stops the pool, each page read whole
    os.environ["OMP_THREAD_LIMIT"] = "1"
    os.nice(10)  # the bulk of the work: Prefect's API and the archiving of read dossiers go first
    # A page that would need more than this is hostile; its dossier fails, the pool carries on.
    resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_LIMIT, WORKER_MEMORY_LIMIT))
    cv2.setNumThreads(1)
    set_pixel_limit(max_pixels)
    _engines = (open_engine(engine, language), open_engine(engine, SECOND_ENGINE_LANGUAGE))


def _started() -> None:
    """A worker's first job: nothing. It is only given so that the worker starts and loads its models."""


def _work(ref: PageRef, folder: Path) -> tuple[PageRef, RecognizedPage | None, str | None, bool]:
    """(page, recognised page or None, why not, whether that is a bug rather than a bad file)."""
    try:
        return ref, recognize_page(ref, folder, *_engines), None, False
    except PageError as exc:
        return ref, None, str(exc), False
    except Exception as exc:  # noqa: BLE001 - a bug here must not stop the batch, nor blame the scan
        return ref, None, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}", True


class RecognitionBug(Exception):
    """Reading a page that decoded failed inside sohoa: the scan is not at fault, and is not quarantined.
    The message is one line; details hold the worker process's traceback, for the log."""

    def __init__(self, message: str, details: str):
        super().__init__(message)
        self.details = details


class PagePool:
    """One pool of single-threaded OCR processes shared by every dossier of a batch.

    Several threads may call recognize() at once; their pages queue in the same pool, so the cores
    stay busy across dossier boundaries. If a worker dies the pool is renewed and WorkerCrashed
    raised: a retry costs only the pages not yet cached.
    """

    def __init__(self, settings: Settings):
        self._workers = settings.workers
        self._engine_args = (settings.ocr_engine, settings.language, settings.max_page_pixels)
        open_engine(settings.ocr_engine, settings.language)  # a misconfigured engine fails here, not in each worker
        self._lock = threading.Lock()
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        # spawn, not fork: the parent runs threads (Prefect) that a fork would copy mid-flight.
        return ProcessPoolExecutor(max_workers=self._workers, mp_context=get_context("spawn"),
                                   initializer=_init_worker, initargs=self._engine_args)

    def start_workers(self) -> None:
        """Start every worker now, each loading its models while the caller does other work; left alone, the
        pool starts them as the first pages come."""
        for _ in range(self._workers):
            self._executor.submit(_started)

    def recognize(self, jobs: list[tuple[PageRef, Path]], on_page: Callable[[PageRef], None] = lambda ref: None
                  ) -> tuple[list[RecognizedPage], tuple[PageRef, str] | None]:
        """(pages in order, first (page, error) that failed to decode or None); RecognitionBug when sohoa
        itself failed on a page."""
        executor = self._executor
        pages, failure, bug = [], None, None
        try:  # a worker that died since the last dossier broke the pool: submitting to it raises
            futures = [executor.submit(_work, ref, folder) for ref, folder in jobs]
            for future in as_completed(futures):
                ref, page, error, internal = future.result()
                on_page(ref)
                if page is not None:
                    pages.append(page)
                elif internal:
                    bug = bug or RecognitionBug(f"page {ref.number} ({ref.source_name}): {error.splitlines()[0]}",
                                                error)
                elif failure is None or ref.number < failure[0].number:
                    failure = (ref, error)
        except BrokenProcessPool as exc:
            with self._lock:
                if self._executor is executor:
                    executor.shutdown(wait=False, cancel_futures=True)
                    self._executor = self._new_executor()
            raise WorkerCrashed("an OCR worker process died while reading this dossier") from exc
        if bug:
            raise bug
        return sorted(pages, key=lambda p: p.number), failure

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "PagePool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
