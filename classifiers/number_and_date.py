"""The number and symbol ("Số: 15/QĐ-UBND") and the issued date ("ngày 05 tháng 02 năm 2024") of a
document, each with a confidence.

Both are read up to three ways: in the page's OCR, in the header row read again by a second model with
pen ink kept, and in the gap where a clerk wrote the number or the day in by hand, read as digits alone
(`classifiers.readings` reconciles them). The symbol is respelled from the page's own evidence: the
title's type and the organ's initials (`classifiers.notation`).
"""
import datetime as dt
import re
from dataclasses import replace

from sohoa.classifiers.layout import DEBRIS, Segment
from sohoa.classifiers.notation import SymbolEvidence
from sohoa.classifiers.readings import (AGREED_CONFIDENCE, DISAGREED_CONFIDENCE, UNCONFIRMED_CONFIDENCE, reconcile,
                                        same_number)
from sohoa.core.layout import NUMBER_ROW_SHARE
from sohoa.core.model import FieldValue, RecognizedPage
from sohoa.core.text import fold, nfc

NUMBER_AND_SYMBOL = r"(\d{1,5})\s*/\s*([0-9A-ZĐa-zđ][0-9A-Za-zĐđƯưƠơ\-/.]*[0-9A-Za-zĐđ])"
CODE = re.compile(r"(?i:s\S{0,2})[^\d/]{0,3}" + NUMBER_AND_SYMBOL)
BARE_CODE = re.compile(r"(?<![\d/])" + NUMBER_AND_SYMBOL)  # in a reading of the number row alone
# The slash read as a mark, a letter or nothing: "Số: 1664'TTg-KTTH", "Số: 872 DPNV-TH", "Số: 23PNV-QHĐP"; the
# S of "Số" read "$" by the English model ("$6: 1186 TA-KTTH").
SLASH_LOST = re.compile(r"(?i:[s$]\S{0,2})[^\d/]{0,3}(\d{1,5})\s*[^\s\w/]?\s*"
                        r"([A-ZĐ][A-Za-zĐđ]*-[A-Za-zĐđ][A-Za-zĐđ-]*)")
# "ngày" and "tháng", folded, as either model may read them ("ngdy", "ngàv", "ngavy", "thdng", "hang"); "năm" likewise
# ("ndm").
DAY_WORD, MONTH_WORD = r"\bng(?:[^\s\d]{1,2}|a[vy]{2})", r"(?<![a-z])t?h\S{1,2}ng"
FIRST_YEAR = 1945  # of the state whose records these are
# A dot or comma may be read glued after "ngày", the day or the month ("ngay. 13", "tháng 10.năm", "ngày 02,
# tháng"), a bar between "ngày" and a day of two digits ("ngày|01"; "|1" alone is an italic 11).
DATE_PARTS = re.compile(DAY_WORD + r"[\s.,]*\|??([^\s.,]{1,2})[\s.,]*" + MONTH_WORD + r"\s*([^\s.,]{1,2})[\s.,]*"
                        r"n\S{1,4}\s*(\S{4})\b")
MONTH_AND_YEAR = re.compile(MONTH_WORD + r"\s*(\d{1,2})[\s.,]*n\S{1,4}\s*(\d{4})\b")
# Each part of a date on its own, in digits only and whole (not the 2 of "2=", a broken 03): a reading may keep
# some parts where a stamp broke others; "năm" may have lost its n ("‘am 2024").
DATE_PART_ALONE = (re.compile(DAY_WORD + r"\s*(\d{1,2})(?=[\s.,])"), re.compile(MONTH_WORD + r"\s*(\d{1,2})(?=[\s.,])"),
                   re.compile(MONTH_WORD + r"\s*\S{0,3}[\s.,]*(?:n\S{1,4}|\S{1,3})\s*(\d{4})\b"))
SYMBOL_ONLY = re.compile(r"/\s*((?:\d{4}/)?[A-ZĐ][0-9A-Za-zĐđƯưƠơ\-/.]*[0-9A-Za-zĐđ])")  # "Số: __ /QĐ-UBND"
# Letters Tesseract reads for italic digits (after folding): only unambiguous ones. "S" and "§"
# stand for 5, 6 or 8 and are left unread.
DIGIT_LOOKALIKES = {"i": "1", "l": "1", "t": "1", "|": "1", "]": "1", "!": "1", "o": "0", "z": "2", "b": "8"}
DIGIT_LOOKALIKES_FOLDED = re.compile("[" + re.escape("".join(DIGIT_LOOKALIKES)) + "]")
CORRECTED_CONFIDENCE = 0.6
SHAKY_READING = 0.6  # a word confidence below this: the page's OCR itself doubted the digits


def word_confidence(seg: Segment, fragment: str) -> float:
    """Lowest OCR confidence among the words of seg that carry part of fragment."""
    parts = [w.confidence for w in seg.words if any(p and p in w.text for p in fragment.split())]
    return (min(parts) if parts else min(w.confidence for w in seg.words)) / 100


def clean_notation(notation: str) -> str:
    """Digits misread inside letter abbreviations (5KHĐT -> SKHĐT) and a hyphen read as a full stop
    (TTr.TTg); a year stays as it is."""
    parts = []
    notation = re.sub(r"(?<=[A-Za-zĐđ])\.(?=[A-Za-zĐđ])", "-", notation.rstrip(".-/"))
    for part in re.split(r"([-/])", notation):
        if re.search(r"[A-Za-zĐđ]", part) and re.search(r"\d", part):
            part = part.translate(str.maketrans({"5": "S", "0": "O", "8": "B"}))
        parts.append(part)
    return "".join(parts)


def second_reading(page: RecognizedPage, seg: Segment | None) -> str | None:
    """The second model's reading of the header line that holds seg, if there is one."""
    if seg is None:
        return None
    for reading in page.second_readings:
        x0, y0, x1, y1 = reading["box"]
        overlap = min(y1, seg.y1) - max(y0, seg.y0)
        if overlap >= 0.5 * seg.height and x0 <= seg.x1 and seg.x0 <= x1:
            return reading["text"]
    return None


def printed_code(segs: list[Segment], number_line: Segment | None) -> tuple[Segment, re.Match] | None:
    """The number line, else a left-column header line that starts with "Số" (read however badly); never
    a line that merely cites another document ("Căn cứ Nghị định số 30/2020/NĐ-CP")."""
    candidates = [(number_line, CODE.search(number_line.text))] if number_line else []
    candidates += [(s, CODE.match(s.text.lstrip(DEBRIS + " ")) or bare_code(s)) for s in segs
                   if s.rel_y < 0.4 and s.rel_x < 0.5 and s is not number_line]
    found = next(((seg, match) for seg, match in candidates if match), None)
    if found is None and number_line is not None and (match := SLASH_LOST.match(number_line.text.lstrip(DEBRIS + " "))):
        return number_line, match
    return found


def bare_code(seg: Segment) -> re.Match | None:
    """"1975 /BTT-BNV" opening a row high in the left column: the number row with its "Số:" lost under
    a stamp."""
    match = BARE_CODE.match(seg.text) if seg.rel_y < NUMBER_ROW_SHARE else None
    return match if match and re.search("[A-Za-zĐđ]", match.group(2)) else None


def gap_readings(page: RecognizedPage, name: str) -> list[str]:
    return next((w["readings"] for w in page.written_in if w["field"] == name), [])


def read_code(page: RecognizedPage, segs: list[Segment], number_line: Segment | None, evidence: SymbolEvidence
              ) -> tuple[FieldValue, FieldValue]:
    """Number and symbol. A number written in by pen is lifted with the coloured ink, so the page's OCR may
    hold only the symbol; the header row read again with pen ink kept, and the gap read as digits,
    are the other readings."""
    printed = printed_code(segs, number_line)
    line = printed[0] if printed else number_line
    reading = second_reading(page, line)
    column = (CODE.search(reading) or BARE_CODE.search(reading)) if reading else None
    if printed is None and column is None:  # any header row the second model read as "Số …/…"
        column = next((m for r in page.second_readings if (m := CODE.search(r["text"]))), None)
    if column is None and reading and (lost := SLASH_LOST.search(reading)) \
            and lost.group(1) in without_the_slash(gap_readings(page, "number"), [lost.group(1)]):
        column = lost  # the row read again, its slash lost too ("S6: 763 QD-TA"), its number as the gap's
    printed_slash_lost = printed is not None and printed[1].re is SLASH_LOST
    slash_lost = printed_slash_lost or (column is not None and column.re is SLASH_LOST)
    if printed:
        symbol = slash_read_as_letter(printed[1].group(2), evidence) if printed_slash_lost else printed[1].group(2)
    else:
        symbol = (m := SYMBOL_ONLY.search(line.text)) and m.group(1) if line else None
    number = read_number(page, printed, column, reading is not None, slash_lost)
    notation = read_notation(line, symbol, column, reading is not None, evidence)
    if slash_lost:  # where a slash was lost, a digit or a letter may have been lost or gained with it
        number, notation = (replace(field, confidence=min(field.confidence, UNCONFIRMED_CONFIDENCE))
                            for field in (number, notation))
    return number, notation


def slash_read_as_letter(symbol: str, evidence: SymbolEvidence) -> str:
    """"DPNV-TH" is "PNV-TH" when the type or the organ explains "PNV" and not "DPNV": the slash before it
    was read as a letter."""
    first = symbol.split("-")[0]
    if evidence.explains(evidence.respell(first[1:])) and not evidence.explains(evidence.respell(first)):
        return symbol[1:]
    return symbol


def unconfirmed(own: float, second_read: bool) -> float:
    """A value only one reading gave: its own confidence, unless a second reading of the row missed it."""
    return min(own, UNCONFIRMED_CONFIDENCE) if second_read else own


def read_number(page: RecognizedPage, printed: tuple[Segment, re.Match] | None, column: re.Match | None,
                second_read: bool, slash_lost: bool) -> FieldValue:
    main = printed[1].group(1) if printed else None
    own = word_confidence(printed[0], f"{main}/{printed[1].group(2)}") if printed else 1.0
    gap = gap_readings(page, "number")
    if slash_lost:
        gap = without_the_slash(gap, [n for n in (main, column and column.group(1)) if n])
    # The digit model is usually right where the two whole-row readings differ: it goes first.
    number = reconcile([column and column.group(1), main], gap, same_number)
    alone = unconfirmed(own, second_read) if main and number.value == main else CORRECTED_CONFIDENCE
    confidence = shaky(number.confidence(alone), own)
    if "number" in page.hand_written or by_hand(printed, bool(gap)):
        confidence = min(confidence, UNCONFIRMED_CONFIDENCE)
    return FieldValue(number.value, confidence, labelled(main, column and column.group(1), gap))


def without_the_slash(gap: list[str], numbers: list[str]) -> list[str]:
    """Gap readings with a last 1 that is the slash after the number, where a row's reading lost that slash and
    reads the number's digits before it ("7631" beside "S6: 763 QD-TA")."""
    return [reading[:-1] if reading.endswith("1") and reading[:-1] in numbers else reading for reading in gap]


def labelled(page_reading: str | None, row_reading: str | None, gap: list[str]) -> tuple[tuple[str, str], ...]:
    """The readings a value was reconciled from, named by their reader: the page's OCR (Vietnamese model), the
    header row read again with pen ink kept (English model), the written-in gap read as digits by the digit
    model and by the English one."""
    named = [("page", page_reading), ("row", row_reading)] + list(zip(("digits", "digits-eng"), gap))
    return tuple((reader, value) for reader, value in named if value)


def by_hand(printed: tuple[Segment, re.Match] | None, gap_has_ink: bool) -> bool:
    """The number was written into the blank the typist left before the symbol ("Số: 1114 /QĐ-TTg"
    apart, where a typed one runs into its "/"), or a pen's ink was lifted from the page's reading.
    Every reading then reads the same hand, and a hand's 1 is read as 4 by all of them alike: such a
    number is always confirmed by a person (as is one whose glyphs are not the row's type:
    `ocr.hand_digits`)."""
    if printed is None:
        return gap_has_ink
    match = printed[1]
    return bool(re.match(r"\s", match.string[match.end(1):match.start(2)]))


def shaky(confidence: float, own: float) -> float:
    """A value whose strokes the page's OCR itself read with little confidence (a hand, a smudge, a
    seal over them) is never certain: the other readings read the same strokes and err alike."""
    return min(confidence, UNCONFIRMED_CONFIDENCE) if own < SHAKY_READING else confidence


def read_notation(line: Segment | None, symbol: str | None, column: re.Match | None, second_read: bool,
                  evidence: SymbolEvidence) -> FieldValue:
    """The symbol, respelled from the title and the organ name; where the two readings differ, the one
    that the type and the organ account for wholly, if only one does, but never with confidence."""
    main = evidence.respell(clean_notation(symbol)) if symbol else None
    other = evidence.respell(clean_notation(column.group(2))) if column else None
    if main is None:
        return FieldValue(other, CORRECTED_CONFIDENCE if other else 0.0)
    own = word_confidence(line, symbol)
    if other is None:
        return FieldValue(main, unconfirmed(own, second_read))
    if fold(main) == fold(other):
        return FieldValue(main, max(own, AGREED_CONFIDENCE))
    better = other if evidence.explains(other) and not evidence.explains(main) else main
    return FieldValue(better, DISAGREED_CONFIDENCE)


def parse_date(folded: str) -> tuple[str | None, bool]:
    """(ISO date, read through a digit look-alike) from "ngay DD thang MM nam YYYY"."""
    match = DATE_PARTS.search(folded)
    if not match:
        return None, False
    raw = match.groups()
    parts = [DIGIT_LOOKALIKES_FOLDED.sub(lambda m: DIGIT_LOOKALIKES[m.group(0)], g) for g in raw]
    if not all(p.isdigit() for p in parts):
        return None, False
    day, month, year = (int(p) for p in parts)
    date = calendar_date(year, month, day)
    if date is None and (mended := year_a_digit_off(year)):
        return calendar_date(mended, month, day), True
    return date, date is not None and parts != list(raw)


def year_a_digit_off(year: int) -> int | None:
    """The one year a record can bear that a year it cannot bear ("2624") is with one digit read for another;
    None where the year is one, or none or several are a digit off ("2094": 2004, 2014, 2024)."""
    text = f"{year:04d}"
    if len(text) != 4 or bearable(year):
        return None
    fits = {fit for i in range(4) for digit in "0123456789" if bearable(fit := int(text[:i] + digit + text[i + 1:]))}
    return fits.pop() if len(fits) == 1 else None


def bearable(year: int) -> bool:
    """Whether a record can bear the year: from the state's first year to this one ("2624" is a misread)."""
    return FIRST_YEAR <= year <= dt.date.today().year


def calendar_date(year: int, month: int, day: int) -> str | None:
    """The ISO date, if it is one a record can bear (bearable)."""
    if not bearable(year):
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def with_day(date: str | None, day: str) -> str:
    """date with its day replaced by a day read on its own; "" when that makes no date."""
    try:
        return dt.date.fromisoformat(date).replace(day=int(day)).isoformat() if date and day.isdigit() else ""
    except ValueError:
        return ""


def cut_short(day: str, dates: list[str | None]) -> bool:
    """Whether a day read alone is the first digit of a two-digit day a whole-line reading has ("1" beside "15"):
    its cut of the gap lost the second digit."""
    return any(date and len(day) < len(date[8:]) and date[8:].startswith(day) for date in dates)


def month_and_year(folded: str) -> str | None:
    """The first of the month the line names ("… tháng 06 năm 2024"), to place a day read on its own."""
    match = MONTH_AND_YEAR.search(folded)
    return calendar_date(int(match.group(2)), int(match.group(1)), 1) if match else None


def date_from_parts(readings: list[str]) -> str | None:
    """A date put together part by part from readings of one line that each lost some part to a stamp
    ("ngày 2š, tháng 9 năm 2024" beside "ngay 23. thang 9 nam “tod"): every part read, by one reading at
    least, no two readings of a part differing, and one part at least read by two of them alike."""
    parts = [[int(m.group(1)) for text in readings if (m := pattern.search(text))] for pattern in DATE_PART_ALONE]
    if not all(parts) or any(len(set(values)) > 1 for values in parts) or max(map(len, parts)) < 2:
        return None
    day, month, year = (values[0] for values in parts)
    return calendar_date(year, month, day)


def month_of_gap(other: str | None, main: str | None, days: list[str]) -> str | None:
    """The whole-line reading whose month a day read alone belongs to: the one whose own day the gap's
    readings back, else the digit model's, else the page's. Where the two differ in year or month ("2023"
    for "2024"), a gap placed in the wrong one would back the wrong reading."""
    backed = [date for date in (other, main) if date and any(with_day(date, day) == date for day in days)]
    return (backed or [other or main])[0]


def read_date(page: RecognizedPage, date_line: Segment | None) -> tuple[FieldValue, str | None]:
    if date_line is None:
        return FieldValue(None, 0.0), None
    place = nfc(date_line.text.split(",")[0]).lstrip(DEBRIS + "¬ ") or None if "," in date_line.text else None
    main, corrected = parse_date(date_line.folded)
    own = 0.0
    if main:
        match = DATE_PARTS.search(date_line.folded)
        own = word_confidence(date_line, " ".join(match.groups()))
        if corrected:  # read through a known confusion: right more often than not, never certain
            own = min(own, CORRECTED_CONFIDENCE)
    column_text = fold(second_reading(page, date_line) or "")
    other, _ = parse_date(column_text)
    days = [day for day in gap_readings(page, "day") if not cut_short(day, [main, other])]
    page_month = month_and_year(date_line.folded)
    # The digit model is usually right where the two whole-line readings differ: it goes first, for the date as for
    # the month a day read alone is placed in.
    month = month_of_gap(other, main, days) or month_and_year(column_text) or page_month
    gap = [with_day(month, day) for day in days]
    date = reconcile([other, main], gap)
    if date.value is None and (pieced := date_from_parts([date_line.folded, column_text])):
        return FieldValue(pieced, UNCONFIRMED_CONFIDENCE, labelled(main, other, gap)), place
    confidence = date.confidence(own if date.value == main else CORRECTED_CONFIDENCE)
    if main:
        confidence = shaky(confidence, own)
    elif date.value and (page_month or "")[:7] != date.value[:7]:
        confidence = min(confidence, UNCONFIRMED_CONFIDENCE)  # its month and year rest on one reading alone
    if "day" in page.hand_written:  # every reading reads the same hand: a person confirms it
        confidence = min(confidence, UNCONFIRMED_CONFIDENCE)
    return FieldValue(date.value, confidence, labelled(main, other, gap)), place
