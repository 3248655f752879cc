"""Page classes from layout cues of Decree 30: first page of a document, continuation, appendix,
blank, other."""
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from classifiers.layout import Segment, segments
from pipeline.model import RecognizedPage

MOTTO = "cong hoa xa hoi chu nghia viet nam"
MOTTO_2 = "doc lap - tu do - hanh phuc"
NUMBER_LINE = re.compile(r"^s[o0ố6]\s*[:;.,]?\s*\S*\d")
DATE_LINE = re.compile(r"ngay\s*\S{0,3}\s*thang\s*\S{0,3}\s*nam\s*\d{4}")
AUTHORITY_PREFIX = re.compile(r"^(tm|kt|q|tl|tuq)\s*[.,]\s*\S")
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

    @property
    def is_first(self) -> bool:
        return self.motto or (self.number_line is not None and self.date_line is not None)


def features(page: RecognizedPage) -> PageFeatures:
    segs = segments(page.text)
    top = [s for s in segs if s.rel_y < HEADER_ZONE]
    motto = any(fuzz.partial_ratio(MOTTO, s.folded) >= 85 or fuzz.ratio(MOTTO_2, s.folded) >= 85
                for s in top if len(s.folded) >= 15)
    number_line = next((s for s in top if s.rel_x < 0.5 and NUMBER_LINE.match(s.folded)), None)
    date_line = next((s for s in top if DATE_LINE.search(s.folded)), None)
    page_number = any(s.rel_y < 0.09 and s.text.strip(" -.").isdigit() and len(s.text) <= 4
                      and 0.3 < s.rel_x < 0.7 for s in segs)
    signature = any(s.folded.startswith("noi nhan") for s in segs) or any(
        AUTHORITY_PREFIX.match(s.folded) and s.rel_x > 0.5 and s.is_upper for s in segs)
    reliable_words = [w for w in page.text.words if w.confidence > 40 and len(w.text) > 1]
    blank = len(reliable_words) < 3 and page.ink_ratio < 0.02
    appendix = any(APPENDIX_HEADING.match(s.folded) for s in top[:4])
    return PageFeatures(segs, motto, number_line, date_line, page_number, signature, blank, appendix)
