"""The OCR engine port: an image in, words and lines with boxes and confidences out; and the choice
of the engine that implements it (SOHOA_OCR_ENGINE)."""
import importlib
from typing import TYPE_CHECKING, Protocol

from sohoa.core.errors import ConfigurationError
from sohoa.core.page_text import PageText

if TYPE_CHECKING:  # the port is loaded by commands that never see an image
    import numpy as np

# Engine name -> "module:class". An engine is loaded only when chosen, with its native library.
ENGINES = {"tesseract": "sohoa.ocr.tesseract:TesseractEngine"}


class OcrEngine(Protocol):
    name: str

    def recognize(self, image: "np.ndarray", dpi: int, layout: str = "page", digits_only: bool = False) -> PageText:
        """Recognise a greyscale uint8 image scanned at dpi. layout: "page" (find the text blocks), "block"
        (one block of lines) or "line"; digits_only reads nothing but 0-9."""
        ...

    def version(self) -> str:
        ...


def open_engine(name: str, language: str) -> OcrEngine:
    """The engine called name, reading language ("vie", "eng")."""
    if name not in ENGINES:
        raise ConfigurationError(f"SOHOA_OCR_ENGINE={name}: no such OCR engine (available: {', '.join(ENGINES)})")
    module, _, cls = ENGINES[name].partition(":")
    return getattr(importlib.import_module(module), cls)(language)
