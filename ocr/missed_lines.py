"""Lines of text the page's OCR passed over, read again.

Tesseract's page layout analysis now and then drops a whole line: a bold subject with its short rule
touching the descenders is taken for a picture. Ink that lies outside every word box, in a band as tall
as a line of text, is cut out (words already read whitened) and read as a block; lines read with some
confidence are added to the page's text in their place.
"""
import numpy as np

from sohoa.core.page_text import Line, PageText, Word
from sohoa.ocr.engine import OcrEngine
from sohoa.ocr.stacked import read_lines, shifted

INK = 128
MIN_CONFIDENCE = 60  # below this a recovered line is more likely a rule, a smudge or a seal's remains
WORD_MARGIN = 3  # pixels around a word box counted as the word's own ink


def uncovered_ink(image: np.ndarray, text: PageText) -> np.ndarray:
    ink = image < INK
    for word in text.words:
        x0, y0, x1, y1 = word.box
        ink[max(0, y0 - WORD_MARGIN):y1 + WORD_MARGIN, max(0, x0 - WORD_MARGIN):x1 + WORD_MARGIN] = False
    return ink


def bands(ink: np.ndarray, line_height: float) -> list[tuple[int, int]]:
    """Runs of rows holding uncovered ink, as tall as a line of text (not a rule, not a picture)."""
    rows = ink.sum(axis=1) > max(3, 0.01 * ink.shape[1])
    found, start = [], None
    for y, has_ink in enumerate(np.append(rows, False)):
        if has_ink and start is None:
            start = y
        elif not has_ink and start is not None:
            if 0.6 * line_height <= y - start <= 2.5 * line_height:
                found.append((start, y))
            start = None
    return found


def recover_missed_lines(image: np.ndarray, text: PageText, dpi: int, engine: OcrEngine) -> int:
    """Add the lines the page's OCR missed to text; returns how many were added."""
    heights = sorted(w.box[3] - w.box[1] for w in text.words if len(w.text) > 2)
    if len(heights) < 5:
        return 0  # a blank or near-blank page: nothing to measure a line against
    ink = uncovered_ink(image, text)
    found = []
    line_height = heights[len(heights) // 2]
    for top, bottom in bands(ink, line_height):
        # Marks above capitals and dots below sit in rows too sparse to count: take them too.
        top, bottom = max(0, top - int(0.35 * line_height)), min(ink.shape[0], bottom + int(0.35 * line_height))
        columns = np.nonzero(ink[top:bottom].any(axis=0))[0]
        left, right = int(columns[0]), int(columns[-1]) + 1
        crop = np.where(ink[top:bottom, left:right], image[top:bottom, left:right], 255).astype(np.uint8)
        found.append(((left, top), crop))
    added = 0
    for ((left, top), _), reading in zip(found, read_lines([crop for _, crop in found], dpi, engine)):
        for line in reading.lines:
            if line.confidence >= MIN_CONFIDENCE and any(ch.isalpha() for ch in line.text):
                text.lines.append(Line([Word(w.text, shifted(w.box, left, top), w.confidence) for w in line.words]))
                added += 1
    text.lines.sort(key=lambda line: (line.box[1], line.box[0]))
    return added
