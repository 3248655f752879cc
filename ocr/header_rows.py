"""The two header rows of a Decree 30 first page that carry the number and the date, found among the
page's OCR lines: "Số: 15/QĐ-UBND" opening a row of the left column, "<place>, ngày 05 tháng 02 năm
2024" in the right one. Only these rows are read again, so a cited "Nghị định số 30/2020/NĐ-CP ngày …"
in the body is never taken for them.
"""
import re
from dataclasses import dataclass

import numpy as np

from sohoa.core.layout import NUMBER_ROW_SHARE
from sohoa.core.page_text import Box, Line, PageText, Word
from sohoa.core.text import fold

NUMBER_ANCHOR = re.compile(r"^s[o0ố6]\s*[:;.,]$")
NUMBER_ANCHOR_BARE = re.compile(r"^s[o0ố6]$")  # "Số" with its colon lost: only when a symbol follows
PRINTED_NUMBER = re.compile(r"^\d{1,5}(\s*/.*)?$")  # the row's "Số:" lost under a stamp: "1975 /BTT-BNV"
SYMBOL = re.compile(r"/(\d{4}/)?[A-ZĐ][A-Za-zĐđ]")  # "/QĐ-UBND", "/2024/TT-BNV"; not pen strokes read as "/Z⁄Z"
DAY_ANCHOR = re.compile(r"(^|\W)ngay\W*$")  # "Bến Tre,ngày": the comma's space may be lost
DAY_ANCHOR_MISREAD = re.compile(r"(^|\W)ng(?:[^\W\d]{1,2}|a[vy]{2})\W*$")  # "ngàv", "ngàyv", where "tháng" follows
MONTH_WORD = re.compile(r"^th\S{0,2}ng")
HEADER_SHARE = 0.45
COLUMN_BAND = 0.3  # share of the page height, from the top, where the header's columns are looked for
GUTTER_RANGE = (0.25, 0.75)  # shares of the width where the gutter between them may lie
COLUMN_SPLIT = 0.48  # where they meet when the page shows no gutter
ROWS_ABOVE_DATE = 2.2  # in row heights: how far above the date a number row not read is looked for
GAP_HEIGHTS = 6  # how far right of its anchor, in line heights, a value may reach when nothing ends it


@dataclass
class HeaderRow:
    field: str  # "number" or "day"
    box: Box  # the row's words within its column
    column: tuple[int, int]  # x range of the column
    anchor: Word | None  # the word a written-in value follows ("Số:", "ngày"), if it was read
    gap_right: int  # where the written-in value must end


def height(word: Word) -> int:
    return word.box[3] - word.box[1]


def _slash_x(word: Word) -> int:
    """Where the "/" before the symbol lies inside a word, estimated from its share of the letters."""
    share = SYMBOL.search(word.text).start() / max(1, len(word.text))
    return int(word.box[0] + share * (word.box[2] - word.box[0]))


def _row(name: str, words: list[Word], column: tuple[int, int], anchor: Word | None, right: int) -> HeaderRow:
    inside = [w for w in words if column[0] <= (w.box[0] + w.box[2]) / 2 < column[1]] or words
    box = (min(w.box[0] for w in inside), min(w.box[1] for w in inside),
           max(w.box[2] for w in inside), max(w.box[3] for w in inside))
    return HeaderRow(name, box, column, anchor, right)


def column_split(text: PageText) -> int:
    """Where the header's two columns part, from the ink: the middle of the widest stretch that the
    header's lines leave free. The lines that count keep to one side of the page's middle, or part
    there with a gap of more than two letters' height (columns read as one line); a centred title or a
    body line crosses the middle and says nothing. Near the middle when no gutter shows."""
    width = text.width
    free = np.ones(width, bool)
    lo, hi = (int(share * width) for share in GUTTER_RANGE)
    for line in text.lines:
        x0, y0, x1, _ = line.box
        if y0 > COLUMN_BAND * text.height:
            continue
        parted = any(b.box[0] - a.box[2] > 2 * height(a) and lo < b.box[0] and a.box[2] < hi
                     for a, b in zip(line.words, line.words[1:]))
        if x1 < width // 2 or x0 > width // 2 or parted:
            for word in line.words:
                free[max(0, word.box[0]):word.box[2]] = False
    runs = [(end - start, start, end) for start, end in free_runs(free[lo:hi])]
    if not runs or free.all():
        return int(COLUMN_SPLIT * width)
    _, start, end = max(runs)
    return lo + (start + end) // 2


def free_runs(free: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True."""
    edges = np.diff(np.concatenate(([0], free.astype(np.int8), [0])))
    return [(int(start), int(end)) for start, end in zip(np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0])]


def number_row(line: Line, width: int, top_share: float, split: int) -> HeaderRow | None:
    """"Số:" opening a row of the left column; never the "số" of a citation."""
    words, column = line.words, (0, split)
    for i, word in enumerate(words):
        if any(sum(ch.isalnum() for ch in w.text) > 1 for w in words[:i]) or word.box[2] > 0.5 * width:
            return None
        folded = fold(word.text)
        symbol = next((w for w in words[i:] if SYMBOL.search(w.text)), None)
        if NUMBER_ANCHOR.match(folded) or (NUMBER_ANCHOR_BARE.match(folded) and symbol):
            right = _slash_x(symbol) if symbol else word.box[2] + GAP_HEIGHTS * height(word)
            return _row("number", words, column, word, min(right, int(0.55 * width)))
        if PRINTED_NUMBER.match(word.text) and top_share < NUMBER_ROW_SHARE and symbol:
            return _row("number", words, column, None, word.box[0])
    return None


def _run_start(words: list[Word], i: int) -> Word:
    """The first word of the run of closely spaced words that ends at words[i]: a header row merged
    with the other column has a wide gap between the two."""
    while i > 0 and words[i].box[0] - words[i - 1].box[2] < 3 * height(words[i]):
        i -= 1
    return words[i]


def date_row(line: Line, width: int, top_share: float, split: int) -> HeaderRow | None:
    """"<place>, ngày" in the right column; never a date cited in a body line across the page."""
    words, column = line.words, (split, width)
    i = day_anchor([fold(w.text) if w.box[0] >= 0.35 * width else "" for w in words])
    if i is None or _run_start(words, i).box[0] < 0.35 * width:
        return None
    month = next((w for w in words[i + 1:] if MONTH_WORD.match(fold(w.text))), None)
    anchor = words[i]
    return _row("day", words, column, anchor, month.box[0] if month else anchor.box[2] + GAP_HEIGHTS * height(anchor))


def day_anchor(folded: list[str]) -> int | None:
    """Which word is "ngày": the first read right, else a misread one ("ngàv") that comes last before "tháng"
    (in "Quảng Ngãi, ngàv 04 tháng" the place's "Ngãi" is not it)."""
    exact = [i for i, text in enumerate(folded) if DAY_ANCHOR.search(text)]
    if exact:
        return exact[0]
    month = next((i for i, text in enumerate(folded) if MONTH_WORD.match(text)), None)
    misread = [i for i, text in enumerate(folded[:month]) if DAY_ANCHOR_MISREAD.search(text)] if month else []
    return misread[-1] if misread else None


def header_rows(text: PageText) -> list[HeaderRow]:
    """The number row and the date row where they exist: of each, the first from the top that has its
    "Số:" or "ngày", else the first without."""
    found: dict[str, list[HeaderRow]] = {"number": [], "day": []}
    split = column_split(text)
    for line in text.lines:
        top_share = line.box[1] / text.height
        if top_share > HEADER_SHARE:
            continue
        for name, finder in (("number", number_row), ("day", date_row)):
            if row := finder(line, text.width, top_share, split):
                found[name].append(row)
    if found["day"] and not found["number"]:
        found["number"].append(level_with(found["day"][0], split))
    return [min(rows, key=lambda r: r.anchor is None) for rows in found.values() if rows]


def level_with(day: HeaderRow, split: int) -> HeaderRow:
    """Where the number row must be when nothing of it was read (a stamp over it): the left column, level
    with the date as the Decree 30 layout sets them, or up to two rows higher, where some forms put it."""
    top = max(0, day.box[1] - ROWS_ABOVE_DATE * (day.box[3] - day.box[1]))
    return HeaderRow("number", (0, int(top), split, day.box[3]), (0, split), None, 0)
