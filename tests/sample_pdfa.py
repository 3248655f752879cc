"""A one-page PDF/A-2b made without OCR: a grey scan with two words in its text layer ("Hồ sơ")."""
import datetime as dt
from pathlib import Path

from PIL import Image

from sohoa.archive.pdfa import build_pdfa
from sohoa.core.model import RecognizedPage
from sohoa.core.page_text import Line, PageText, Word

MADE = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)


def grey_pdfa(folder: Path, name: str = "HS.1") -> bytes:
    scan = folder / f"{name}.jpg"
    Image.new("L", (1654, 2339), 250).save(scan, quality=90)
    words = Line([Word("Hồ", (200, 200, 260, 245), 90.0), Word("sơ", (270, 200, 320, 245), 90.0)])
    page = RecognizedPage(1, scan.name, 200, False, 1654, 2339, scan, PageText(1654, 2339, [words]),
                          [[1, 0, 0], [0, 1, 0]], 0.0, 0.0)
    return build_pdfa([page], name, MADE)
