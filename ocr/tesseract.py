"""Tesseract through its library (tesserocr), one engine per language per worker process.

The model is loaded once per process and pages and crops go to it in memory: a command-line call
pays for starting a process, loading the model and decoding an image file every time, which costs
more than reading a short line. Each worker process is single-threaded; parallelism comes from one
process per core (multithreaded Tesseract is several times slower per page on small machines).
The language data is Debian's (tesseract-ocr-vie), found where the tesseract command finds it.
"""
import functools
import os
import re
import shutil
import subprocess

import numpy as np

from sohoa.core.errors import ConfigurationError, PageError
from sohoa.core.page_text import Line, PageText, Word
from sohoa.core.text import nfc

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # read by Tesseract when it starts: before the import

import tesserocr  # noqa: E402

# Leptonica, under Tesseract, prints its internal complaints ("box outside rectangle") on stderr of
# every worker; they say nothing a user could act on, and a real failure comes back as an error.
tesserocr.set_leptonica_log_level(tesserocr.LeptLogLevel.NONE)

PAGE_SEGMENTATION = {"page": tesserocr.PSM.AUTO, "block": tesserocr.PSM.SINGLE_BLOCK,
                     "line": tesserocr.PSM.SINGLE_LINE}
DIGITS = "0123456789"


@functools.cache
def tessdata_dir() -> str:
    """The folder with the language data, as the tesseract command reports it."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    if shutil.which("tesseract") is None:
        raise ConfigurationError("tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-vie)")
    listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout
    match = re.search(r'"([^"]+)"', listing)
    if not match:
        raise ConfigurationError(f"could not find Tesseract's language data: {listing.strip()[:200]}")
    return match.group(1)


class TesseractEngine:
    name = "tesseract"

    def __init__(self, language: str = "vie", timeout_s: float = 300.0):
        self.language = language
        self.timeout_ms = int(timeout_s * 1000)
        try:
            self._api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=language)
        except RuntimeError as exc:
            raise ConfigurationError(f"Tesseract could not load the '{language}' language data from {tessdata_dir()} "
                           f"(Debian: apt-get install tesseract-ocr-{language})") from exc

    def version(self) -> str:
        return f"tesseract {tesserocr.tesseract_version().split()[1]} (tesserocr {tesserocr.__version__})"

    def recognize(self, image: np.ndarray, dpi: int, layout: str = "page", digits_only: bool = False) -> PageText:
        grey = np.ascontiguousarray(image if image.ndim == 2 else image.mean(axis=2).astype(np.uint8))
        height, width = grey.shape
        api = self._api
        api.SetPageSegMode(PAGE_SEGMENTATION[layout])
        api.SetVariable("tessedit_char_whitelist", DIGITS if digits_only else "")
        api.SetImageBytes(grey.tobytes(), width, height, 1, width)
        api.SetSourceResolution(int(dpi))
        if not api.Recognize(timeout=self.timeout_ms):
            raise PageError(f"Tesseract took longer than {self.timeout_ms / 1000:.0f} s")
        return page_text(api, width, height)


def page_text(api: "tesserocr.PyTessBaseAPI", width: int, height: int) -> PageText:
    """The recognised words, grouped in Tesseract's text lines."""
    lines: list[Line] = []
    iterator = api.GetIterator()
    if iterator is None:
        return PageText(width, height)
    level = tesserocr.RIL.WORD
    while True:
        try:
            text = nfc(iterator.GetUTF8Text(level) or "")
        except RuntimeError:  # "No text returned": a page with nothing on it
            text = ""
        box = iterator.BoundingBox(level) if text else None
        if box:
            word = Word(text, tuple(box), max(0.0, float(iterator.Confidence(level))))
            if iterator.IsAtBeginningOf(tesserocr.RIL.TEXTLINE) or not lines:
                lines.append(Line([word]))
            else:
                lines[-1].words.append(word)
        if not iterator.Next(level):
            break
    return PageText(width, height, lines)
