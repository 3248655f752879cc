"""Digits a clerk wrote into a typed header row by hand or with a numbering stamp (the number before its
symbol, the day before "tháng"), told from typed ones by their shape.

Type sets every digit of a row as tall as the row's capitals and on its baseline; a hand does not.
Every reading of such digits reads the same strokes and errs alike (a hand's 1 is read as 4 by all of
them), so extraction never trusts them without a person.
"""
import re

import cv2
import numpy as np

from sohoa.core.page_text import PageText, Word
from sohoa.core.text import fold
from sohoa.ocr.header_rows import DAY_ANCHOR, MONTH_WORD, SYMBOL, HeaderRow
from sohoa.ocr.written_in import INK

TOLERANCE = 0.15  # typed digits are as tall as the row's capitals, on their baseline, within this share
UNEVEN_BASELINE = 0.25  # the most the digits' own bottoms may differ, in capital heights
MIN_GLYPH = 0.4  # of the capital height: smaller marks are dots, commas and specks
CAPITAL = 0.75  # of the letters' median height: shorter ones are x-height letters ("r" of "TTr") or a hyphen
SINGLE_GLYPH = 1.2  # width to height: wider pieces of the reference are letters run together ("Tg")
YEAR = re.compile(r"\d{4}")

Span = tuple[float, float]


def hand_written(image: np.ndarray, text: PageText, rows: list[HeaderRow]) -> list[str]:
    """The fields ("number", "day") of rows whose digits were written in, not typed. image: the page
    with pen ink kept, in the frame of text."""
    found = []
    for row in rows:
        words = row_words(text, row)
        found_spans = number_spans(words) if row.field == "number" else day_spans(words)
        if found_spans and unlike_print(image, *found_spans):
            found.append(row.field)
    return found


def row_words(text: PageText, row: HeaderRow) -> list[Word]:
    x0, y0, x1, y1 = row.box
    return sorted((w for w in text.words if x0 <= (w.box[0] + w.box[2]) / 2 <= x1 and y0 <= (w.box[1] + w.box[3]) / 2
                   <= y1), key=lambda w: w.box[0])


def char_span(word: Word, start: int, end: int) -> Span:
    """Where characters start:end of a word lie, from their share of its letters."""
    x0, x1, count = word.box[0], word.box[2], max(1, len(word.text))
    return x0 + start / count * (x1 - x0), x0 + end / count * (x1 - x0)


def same_line(words: list[Word], word: Word) -> list[Word]:
    return [w for w in words if min(w.box[3], word.box[3]) > max(w.box[1], word.box[1])]


def number_spans(words: list[Word]) -> tuple[list[Word], list[Span], list[Span]] | None:
    """(the words of the symbol's line, the digits before the symbol, the symbol's letters after its "/")."""
    symbol = next((w for w in words if SYMBOL.search(w.text)), None)
    if symbol is None:
        return None
    slash = SYMBOL.search(symbol.text).start()
    line = same_line(words, symbol)
    digits = [char_span(w, m.start(), m.end()) for w in line if w.box[0] < symbol.box[0]
              for m in re.finditer(r"\d+", w.text)]
    digits += [char_span(symbol, m.start(), m.end()) for m in re.finditer(r"\d+", symbol.text[:slash])]
    return (line, digits, [char_span(symbol, slash + 1, len(symbol.text))]) if digits else None


def day_spans(words: list[Word]) -> tuple[list[Word], list[Span], list[Span]] | None:
    """(the words of the year's line, the digits between "ngày" and "tháng", the year's)."""
    anchor = next((i for i, w in enumerate(words) if DAY_ANCHOR.search(fold(w.text))), None)
    if anchor is None:
        return None
    month = next((i for i, w in enumerate(words) if i > anchor and MONTH_WORD.match(fold(w.text))), None)
    year = next((w for w in words[month:] if YEAR.fullmatch(w.text)), None) if month else None
    if year is None:
        return None
    digits = [char_span(w, m.start(), m.end()) for w in words[anchor + 1:month] for m in re.finditer(r"\d+", w.text)]
    return (same_line(words, year), digits, [char_span(year, 0, len(year.text))]) if digits else None


def unlike_print(image: np.ndarray, words: list[Word], digits: list[Span], reference: list[Span]) -> bool:
    """Whether the digits' glyphs stand off the height and line of the reference's glyphs (the symbol's
    capitals, the year's digits), typed on the same row."""
    if not words:
        return False
    height = int(np.median([w.box[3] - w.box[1] for w in words]))
    top = max(0, min(w.box[1] for w in words) - height // 2)
    band = image[top:max(w.box[3] for w in words) + height // 2]
    if height < 2 or band.size == 0:  # boxes without height, or a row outside the header image
        return False
    found = glyphs(band, height)

    def within(spans: list[Span]) -> list[tuple[int, int, int]]:  # (width, top, bottom) of each glyph
        return [(x1 - x0, y0, y1) for x0, y0, x1, y1 in found if any(a <= (x0 + x1) / 2 <= b for a, b in spans)]

    printed = within(reference)
    letters = [(top, bottom) for w, top, bottom in printed if w <= SINGLE_GLYPH * (bottom - top)] \
        or [g[1:] for g in printed]
    if not letters:
        return False
    typical = np.median([bottom - top for top, bottom in letters])
    capitals = [(top, bottom) for top, bottom in letters if bottom - top >= CAPITAL * typical]
    cap = float(np.median([bottom - top for top, bottom in capitals]))
    highest = min(top for top, _ in capitals)  # a g's descender makes it as tall as a capital, but lower
    baseline = float(np.median([bottom for top, bottom in capitals if top - highest <= TOLERANCE * cap]))
    written = [(top, bottom) for _, top, bottom in within(digits) if bottom - top >= MIN_GLYPH * cap]
    if not written:
        return False
    off_height = np.median([abs((bottom - top) / cap - 1) for top, bottom in written])
    off_baseline = np.median([abs(bottom - baseline) / cap for _, bottom in written])
    uneven = (max(b for _, b in written) - min(b for _, b in written)) / cap  # typed digits share one baseline
    return bool(max(off_height, off_baseline) > TOLERANCE or uneven > UNEVEN_BASELINE)


def glyphs(band: np.ndarray, height: int) -> list[tuple[int, int, int, int]]:
    """The boxes of the band's glyphs: its pieces of ink, those whose columns touch joined (a glyph a
    removed rule or a thin scan cut in two, a letter and its mark; italic neighbours, on one baseline)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats((band < INK).astype(np.uint8))
    pieces = sorted((x, y, x + w, y + h) for x, y, w, h, area in stats[1:]
                    if area >= 0.01 * height * height and w <= 2 * height)  # not a speck, not a rule or frame
    joined: list[tuple[int, int, int, int]] = []
    for x0, y0, x1, y1 in pieces:
        if joined and joined[-1][2] >= x0:
            a0, b0, a1, b1 = joined.pop()
            x0, y0, x1, y1 = min(x0, a0), min(y0, b0), max(x1, a1), max(y1, b1)
        joined.append((x0, y0, x1, y1))
    return joined
