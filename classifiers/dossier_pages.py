"""The pages of a dossier that are not documents: its cover (bìa hồ sơ) and its table of contents
(mục lục văn bản), and what they say of the dossier.

A cover names the dossier ("HỒ SƠ" over its title), its dates, the number of sheets and the
retention; a table of contents lists each document by number and symbol, with its date. The cover's
fields describe the dossier in its EAD; the list is checked against the documents found, and a
difference goes to review. A document whose own date could not be read (a received stamp across it)
takes the date its row of the list gives, for a person to confirm.
"""
import re

from sohoa.classifiers.layout import Segment
from sohoa.classifiers.number_and_date import NUMBER_AND_SYMBOL
from sohoa.core.text import nfc

COVER_CUES = re.compile(r"\b(thoi han bao quan|ma ho so|gom \S+ to|tu ngay .* den ngay)\b")
# "HỒ SƠ" alone on its line, its H often broken by the display face's hairlines ("IIỒ SƠ", "HIÔ SƠ").
COVER_HEADING = re.compile(r"^\W*\w{1,3}\s*so\W*$")
TOC_TITLE = re.compile(r"\bmuc\s*luc")  # "MỤC LỤCVĂN BẢN": its words may run together
TOC_COLUMNS = re.compile(r"\b(so, ky hieu|so va ky hieu|trich yeu)\b")
CODE_IN_ROW = re.compile(NUMBER_AND_SYMBOL)
VN_DATE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
RETENTION_CODES = {"vinh vien": "01", "70 nam": "02", "50 nam": "03", "30 nam": "04", "20 nam": "05", "10 nam": "06"}


def dossier_page_kind(segs: list[Segment]) -> str | None:
    """"cover", "toc", or None for a page of a document."""
    folded = [s.folded for s in segs]
    if any(COVER_HEADING.match(f) for f in folded) and sum(bool(COVER_CUES.search(f)) for f in folded) >= 2:
        return "cover"
    top = [s.folded for s in segs if s.rel_y < 0.3]
    if any(TOC_TITLE.search(f) for f in top) and any(TOC_COLUMNS.search(f) for f in folded):
        return "toc"
    return None


def iso(match: re.Match) -> str | None:
    day, month, year = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 and 1 <= month <= 12 else None


def read_cover(segs: list[Segment]) -> dict:
    """The dossier's title (the lines under "HỒ SƠ" up to the dates), first and last dates and retention
    code, as far as the cover gives them."""
    heading = next((i for i, s in enumerate(segs) if COVER_HEADING.match(s.folded)), None)
    title_lines = []
    if heading is not None:
        for seg in segs[heading + 1:]:
            if COVER_CUES.search(seg.folded) or seg.y0 - (title_lines[-1].y1 if title_lines else segs[heading].y1) \
                    > 3 * seg.height:
                break
            title_lines.append(seg)
    cover = {"title": nfc(" ".join(s.text for s in title_lines)) or None, "start_date": None, "end_date": None,
             "retention": None}
    for seg in segs:
        if "tu ngay" in seg.folded:
            dates = [d for d in map(iso, VN_DATE.finditer(seg.text)) if d]
            if dates:
                cover["start_date"], cover["end_date"] = dates[0], dates[-1]
        if "thoi han bao quan" in seg.folded:
            cover["retention"] = next((code for words, code in RETENTION_CODES.items() if words in seg.folded), None)
    return cover


def read_toc(segs: list[Segment]) -> list[str]:
    """The numbers and symbols the table of contents lists ("15/QĐ-UBND"), in its order."""
    return [code for _, code in listed_codes(segs)]


def listed_codes(segs: list[Segment]) -> list[tuple[Segment, str]]:
    """Each number and symbol listed, with its line."""
    return [(s, f"{m.group(1)}/{m.group(2)}") for s in segs for m in CODE_IN_ROW.finditer(s.text)
            if re.search(r"[A-Za-zĐđ]", m.group(2))]  # "17/01/2024" is a date


def listed_dates(segs: list[Segment]) -> dict[str, str]:
    """The date the table of contents gives each number and symbol it lists (by `code_key`): on the code's
    line, else on the line nearest level with it, within a line's height (OCR parts a table's columns)."""
    dated = [(s, date) for s in segs for m in VN_DATE.finditer(s.text) if (date := iso(m))]
    found = {}
    for seg, code in listed_codes(segs):
        level = [(distance, date) for other, date in dated
                 if (distance := abs(middle(other) - middle(seg))) <= seg.height]
        if level:
            found[code_key(code)] = min(level)[1]
    return found


def middle(seg: Segment) -> float:
    return (seg.y0 + seg.y1) / 2


def code_key(code: str) -> str:
    """A number and symbol as compared: leading zeros and case aside."""
    number, _, symbol = code.partition("/")
    return f"{number.lstrip('0')}/{symbol.casefold()}"


def toc_differences(listed: list[str], found: list[str]) -> list[str]:
    """Review reasons where the table of contents and the documents found disagree."""
    listed_keys, found_keys = {code_key(c) for c in listed}, {code_key(c) for c in found}
    reasons = [f"table of contents lists {code}, not among the documents found"
               for code in listed if code_key(code) not in found_keys]
    reasons += [f"document {code} is not in the table of contents"
                for code in found if code_key(code) not in listed_keys]
    return reasons
