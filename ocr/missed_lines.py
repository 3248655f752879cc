"""Lines of text the page's OCR passed over, read again.

Tesseract's page layout analysis now and then drops a whole line: a bold subject with its short rule
touching the descenders is taken for a picture. Ink that lies outside every word box, in a band as tall
as a line of text, is cut out (words already read whitened) and read as a block; lines read with some
confidence are added to the page's text in their place; stretches of a band that wide blank keeps apart
(the header's two columns) are read apart. A "word" of a few letters and almost no confidence in a box far
too big for them is ink Tesseract could not make out, not a reading of it. A seal's rings or a stamp
beside the lines join them into a taller band (on real scans, the title and subject under a seal's faint
print were lost so); within it the rows of letters, far inkier than the rings, are taken apart and read on
their own.
"""
import numpy as np

from sohoa.core.page_text import Box, Line, PageText, Word
from sohoa.ocr.engine import OcrEngine
from sohoa.ocr.header_rows import free_runs
from sohoa.ocr.stacked import read_lines, shifted

INK = 128
MIN_CONFIDENCE = 60  # below this a recovered line is more likely a rule, a smudge or a seal's remains
WORD_MARGIN = 3  # pixels around a word box counted as the word's own ink
TALLEST = 2.5  # line heights: a taller run of ink is a picture, or lines with a seal or a stamp
DENSE_ROWS = 0.5  # of the run's inkiest rows (90th percentile): rows of letters, not of a seal's arcs
DENSE_SHORTEST = 0.4  # line heights: a line's dense rows are its letters' x-height, not its accents
# Share of the page height, from the top, that a taller run must keep to for being taken apart: the title
# and subject. A signature block is read again with its seal lifted (`ocr.signature_block`).
UNDER_MARKS_ZONE = 0.5
COLUMN_GAP = 3  # line heights of blank across a band: two things side by side, each read on its own
SMEAR_CONFIDENCE, SMEAR_HEIGHT = 20, 1.5  # a "word" below this confidence and taller than this many lines


def smeared(word: Word, line_height: float) -> bool:
    """A word of little confidence whose box is far too big for its letters: ink Tesseract could not make out
    (a bold line whose rule touches it) read as a few letters. Its ink is not taken for read."""
    x0, y0, x1, y1 = word.box
    return word.confidence < SMEAR_CONFIDENCE and (y1 - y0 > SMEAR_HEIGHT * line_height
                                                   or x1 - x0 > (len(word.text) + 2) * line_height)


def uncovered_ink(image: np.ndarray, text: PageText, smears: list[Word]) -> np.ndarray:
    ink = image < INK
    for word in text.words:
        if word in smears:
            continue
        x0, y0, x1, y1 = word.box
        ink[max(0, y0 - WORD_MARGIN):y1 + WORD_MARGIN, max(0, x0 - WORD_MARGIN):x1 + WORD_MARGIN] = False
    return ink


def bands(ink: np.ndarray, line_height: float) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Runs of rows holding uncovered ink as tall as a line of text (not a rule, not a picture), and the
    lines within taller runs in the page's top half: text under a seal or beside a stamp, whose letters' rows hold
    far more ink than the seal's arcs or the stamp's frame."""
    sums = ink.sum(axis=1)
    lines, under_marks = [], []
    for start, end in free_runs(sums > max(3, 0.01 * ink.shape[1])):
        if end - start <= TALLEST * line_height:
            lines += [(start, end)] if end - start >= 0.6 * line_height else []
            continue
        if end > UNDER_MARKS_ZONE * ink.shape[0]:
            continue
        dense = sums[start:end] > DENSE_ROWS * np.percentile(sums[start:end], 90)
        under_marks += [(start + a, start + b) for a, b in free_runs(dense)
                        if DENSE_SHORTEST * line_height <= b - a <= TALLEST * line_height]
    return lines, under_marks


def recover_missed_lines(image: np.ndarray, text: PageText, dpi: int, engine: OcrEngine) -> int:
    """Add the lines the page's OCR missed to text; returns how many were added."""
    heights = sorted(w.box[3] - w.box[1] for w in text.words if len(w.text) > 2)
    if len(heights) < 5:
        return 0  # a blank or near-blank page: nothing to measure a line against
    line_height = heights[len(heights) // 2]
    smears = [word for word in text.words if smeared(word, line_height)]
    ink = uncovered_ink(image, text, smears)
    # Read apart: the crops of one call are read as one block, and a seal's remains would sway the others.
    added = [line for found in bands(ink, line_height)
             for line in read_bands(image, ink, found, line_height, dpi, engine)]
    read_again = [word for word in smears if any(overlap(word.box, line.box) for line in added)]
    if read_again:
        text.lines = [Line(kept) for line in text.lines if (kept := [w for w in line.words if w not in read_again])]
    text.lines = sorted(text.lines + added, key=lambda line: (line.box[1], line.box[0]))
    return len(added)


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def pieces(inked_columns: np.ndarray, line_height: float) -> list[tuple[int, int]]:
    """The stretches of a band that blank COLUMN_GAP lines wide keeps apart, each as wide as a line is high at
    least: a line of one header column and the rule of the other, read together, make one line of little
    confidence; a speck or a frame's side alone holds no word, and in the block read with the others sways
    their reading."""
    stretches: list[tuple[int, int]] = []
    for left, right in free_runs(inked_columns):
        if stretches and left - stretches[-1][1] < COLUMN_GAP * line_height:
            stretches[-1] = (stretches[-1][0], right)
        else:
            stretches.append((left, right))
    return [(left, right) for left, right in stretches if right - left >= line_height]


def read_bands(image: np.ndarray, ink: np.ndarray, found: list[tuple[int, int]], line_height: float, dpi: int,
               engine: OcrEngine) -> list[Line]:
    crops = []
    for top, bottom in found:
        # Marks above capitals and dots below sit in rows too sparse to count: take them too.
        top, bottom = max(0, top - int(0.35 * line_height)), min(ink.shape[0], bottom + int(0.35 * line_height))
        for left, right in pieces(ink[top:bottom].any(axis=0), line_height):
            crop = np.where(ink[top:bottom, left:right], image[top:bottom, left:right], 255).astype(np.uint8)
            crops.append(((left, top), crop))
    return [Line([Word(w.text, shifted(w.box, left, top), w.confidence) for w in line.words])
            for ((left, top), _), reading in zip(crops, read_lines([crop for _, crop in crops], dpi, engine))
            for line in reading.lines if line.confidence >= MIN_CONFIDENCE and any(ch.isalpha() for ch in line.text)]
