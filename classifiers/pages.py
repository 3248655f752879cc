"""Page classes from layout cues of Decree 30: first page of a document, continuation, appendix,
blank, other."""
import math
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from sohoa.classifiers.dossier_pages import dossier_page_kind
from sohoa.classifiers.layout import DEBRIS, Segment, join_rows, on_one_row, segments
from sohoa.classifiers.number_and_date import DAY_WORD, MONTH_WORD
from sohoa.core.layout import opens_recipients
from sohoa.core.model import RecognizedPage

MOTTO = "cong hoa xa hoi chu nghia viet nam"
MOTTO_2 = "doc lap - tu do - hanh phuc"
# "Số: 15/QĐ-UBND"; or "Số:" and a symbol with no digits before it: a number written in by pen is lifted
# with the coloured ink, or not filled in at all.
# "Số:" may lose its S to a stamp or a speck ("ố: {1$ /TA-KTTH"): its colon and a symbol after it still tell it;
# its ố may be read as another vowel ("Sẽ: 420/VPCP-TH").
NUMBER_LINE = re.compile(r"^s[o0ố6e]\s*[:;.,]?\s*\S*\d|^s?[o0ố6e]\s*[:;.,].{0,12}?/\s*[a-z]")
# "Số:" whose number and slash were both misread ("Số: Tĩậ@ø TVKTTH") opens the number row where it stands level
# with the date line, as Decree 30 sets them; elsewhere it may open a received stamp's lines.
NUMBER_LABEL = re.compile(r"^so\s*[:;]")
# Words, day and year may be misread ("ngàv", "2°5`", "nủi¡ì", "202+3", "2)2+"), the year cut short by a stamp
# ("năm 20"): the line is the date line all the same, its date read from the other readings of its row.
DATE_LINE = re.compile(DAY_WORD + r".{0,8}?" + MONTH_WORD + r"\s*\S{0,3}\s*n\S{0,5}\s*\S{2}")
AUTHORITY_PREFIX = re.compile(r"^(tm|kt|q|tl|tu?q)\s*[.,]\s*\S")  # TUQ. read "TQ." too
APPENDIX_HEADING = re.compile(r"^(phu luc\b|\(?\s*kem theo\b)")
HEADER_ZONE = 0.40  # header cues sit in the top part of a first page


@dataclass
class PageFeatures:
    segments: list[Segment]
    motto: bool
    number_line: Segment | None
    date_line: Segment | None
    page_number: bool
    signature: bool
    blank: bool
    appendix: bool = False  # headed "PHỤ LỤC" or "(Kèm theo ...": issued with the document before it
    dossier_page: str | None = None  # "cover" or "toc": a page of the dossier, not of a document

    @property
    def is_first(self) -> bool:
        return self.motto or (self.number_line is not None and self.date_line is not None)


def column_rows(segs: list[Segment], right: bool) -> list[Segment]:
    """Segments of one header column joined row by row, however wide the gap: a number or a day
    written in by pen leaves a blank wide enough to split "Số: __/QĐ-UBND" or "<place>, ngày __ tháng
    06 năm 2024" in two."""
    # A column's lines keep to their half of the page; body lines (the legal bases) run across both. Specks
    # read after a line's end (": :") do not make it run across.
    in_column = (lambda s: s.x0 > 0.4 * s.page_width) if right else (lambda s: inked_end(s) < 0.6 * s.page_width)
    column = [s for s in segs if in_column(s)]
    if not column:
        return []
    width, height = column[0].page_width, column[0].page_height
    return [Segment(words, width, height) for words in join_rows([s.words for s in column], math.inf, width)]


def inked_end(seg: Segment) -> int:
    """Where the segment's last word with a letter or digit ends."""
    return max((w.box[2] for w in seg.words if w.text.strip(DEBRIS)), default=seg.x1)


def features(page: RecognizedPage) -> PageFeatures:
    segs = segments(page.text)
    top = [s for s in segs if s.rel_y < HEADER_ZONE]
    motto = any(fuzz.partial_ratio(MOTTO, s.folded) >= 85 or fuzz.ratio(MOTTO_2, s.folded) >= 85
                for s in top if len(s.folded) >= 15)
    date_line = next((s for s in column_rows(top, right=True) if DATE_LINE.search(s.folded)), None)
    # Specks of a stamp may come before "Số:" ("_` Số: 28 /GGT-SYT").
    left = [(s, s.folded.lstrip(DEBRIS + " ")) for s in column_rows(top, right=False)]
    number_line = next((s for s, folded in left if NUMBER_LINE.match(folded)), None) or next(
        (s for s, folded in left if NUMBER_LABEL.match(folded) and date_line and on_one_row(s.band, date_line.band)),
        None)
    page_number = any(s.rel_y < 0.09 and s.text.strip(" -.").isdigit() and len(s.text) <= 4
                      and 0.3 < s.rel_x < 0.7 for s in segs)
    signature = any(opens_recipients(s.folded) for s in segs) or any(
        AUTHORITY_PREFIX.match(s.folded) and s.rel_x > 0.5 and s.is_upper for s in segs)
    reliable_words = [w for w in page.text.words if w.confidence > 40 and len(w.text) > 1]
    blank = len(reliable_words) < 3 and page.ink_ratio < 0.02
    appendix = any(APPENDIX_HEADING.match(s.folded) for s in top[:4])
    dossier_page = None if motto or blank else dossier_page_kind(segs)
    return PageFeatures(segs, motto, number_line, date_line, page_number, signature, blank, appendix, dossier_page)
