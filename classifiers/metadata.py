"""Metadata of a document read from its layout (Decree 30, Phụ lục I), each with a confidence.

Values that fail validation are left empty; values read with little confidence are kept but send
the document to review. Nothing is filled in by guessing.
"""
import re
import statistics
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from sohoa.classifiers.doctypes import BY_ABBREVIATION, BY_FOLDED_NAME, FOLDED_OTHER_NAMES, OTHER_CODE, DocType, by_name
from sohoa.classifiers.layout import (Segment, is_debris, letters_only, on_one_row, read_blind, segments,
                                      text_confidence, unsure_scrap)
from sohoa.classifiers.lexicon import restore_marks
from sohoa.classifiers.names import (FAMILY_NAMES, check_name, is_capitalised, is_name_cased, lost_capital, name_tail,
                                     trimmed)
from sohoa.classifiers.notation import SymbolEvidence
from sohoa.classifiers.number_and_date import read_code, read_date
from sohoa.classifiers.pages import AUTHORITY_PREFIX
from sohoa.classifiers.segment import PageGroup
from sohoa.classifiers.signing_titles import (INFERRED_CONFIDENCE, is_misspelt_position, is_position,
                                              plausible_title_line, position_ending, signs_for_a_title,
                                              title_run_together, titles)
from sohoa.core.layout import opens_recipients
from sohoa.core.model import FieldValue
from sohoa.core.page_text import Word
from sohoa.core.text import fold, is_upper_text, nfc

ORGAN_HEADS = tuple(fold(h) for h in (
    "ỦY BAN", "UBND", "HỘI ĐỒNG", "SỞ", "PHÒNG", "VĂN PHÒNG", "BỘ", "CỤC", "TỔNG CỤC", "CHI CỤC", "VỤ",
    "BAN", "TRUNG TÂM", "TRƯỜNG", "BỆNH VIỆN", "THANH TRA", "KHO BẠC", "CÔNG AN", "ĐẢNG ỦY", "VIỆN",
    "ĐẠI HỌC", "TÒA ÁN", "BẢO HIỂM", "CHÍNH PHỦ", "THỦ TƯỚNG", "QUỐC HỘI", "TỔNG CÔNG TY", "CÔNG TY",
    "ĐOÀN", "LIÊN ĐOÀN", "HỘI", "MẶT TRẬN", "TỈNH ỦY", "HUYỆN ỦY", "THÀNH ỦY"))
SECRECY = {"mat": "MẬT", "toi mat": "TỐI MẬT", "tuyet mat": "TUYỆT MẬT"}
URGENCY = {"khan": "KHẨN", "thuong khan": "THƯỢNG KHẨN", "hoa toc": "HỎA TỐC"}
STAMP_WORDS_A_LETTER_OFF = 7  # letters (a space counted) of a stamp's words still told a letter off ("HÓAA TỐC")
BODY_STARTS = ("can cu", "kinh gui", "dieu ")
# "V/v" (về việc) opening a công văn's subject, also as OCR reads it: "V.V", "V/w", the slash read as a stroke-like
# letter ("VỊv", "Vlv"), "\ v" (the first V lost), or glued to the next word ("V/vkiện toàn"): only with its slash.
ABOUT = re.compile(r"^(?:v\s*/\s*v|(?:v\s*[/.,\\|il1ịíì]?|[/\\])\s*[vw]\b)\s*", re.IGNORECASE)
# ...and, where the symbol alone says công văn, a short word opening with V in its place that no Vietnamese word
# spells (a W, a sign; a consonant after the V), read past knowing ("VWÑ", "VÑ").
MISREAD_ABOUT = re.compile(r"^v(?=[^aeiouy\s]|\S{0,2}[^a-vxy\s])\S{1,3}\s+(?=\w)", re.IGNORECASE)
ABOUT_MATTER = re.compile(r"^\W*ve viec\b")  # "Về việc" opening a subject (not a công văn's "V/v")
ENACTING_FORMULAS = {"quyet dinh": "Quyết định", "quyet nghi": "Nghị quyết"}  # the line over the articles
# The printed titles: folded name -> (type name, code).
TITLED_NAMES = {**{k: (t.name, t.code) for k, t in BY_FOLDED_NAME.items() if t.has_title},
                **{k: (v, OTHER_CODE) for k, v in FOLDED_OTHER_NAMES.items()}}
DAMAGED_TITLE_CONFIDENCE = 0.6
TITLE_SEARCH_ROWS = 10  # rows under the header searched for the title: stamps may come before it
NEXT_ROW = 1.5  # lines' heights from a line's top to the next row's, with room for a wide line spacing
RULE = re.compile(r"^[-_—–~=¬]{2,}|[-_—–~=¬]{2,}$")  # a rule read into a word at either end
SUBJECT_MAX_WIDTH = 0.7  # the subject is set narrower than body lines (about 125 of 165 mm)...
CENTRED = 0.02  # ...unless centred under the title as closely as this (a share of the page width)
BOLD = 1.2  # a title this much heavier than the page's typical word: the page's type tells bold apart...
MIN_WEIGHED_WORDS = 20  # ...when at least this many words were weighed
# A line of print is never a third of the page's typical line height: less is specks, or words Tesseract read
# twice and boxed the second time on specks ("hiện dụ", 4 px high under the subject line they belong to).
FLAT_SHARE = 3
MOSTLY_LETTERS = 0.9  # share of a line's print in letters and digits: words, not a stamp's "Ngày: .../.../2024"
PARENT_LIGHTER = 1.15  # the organ's bold lines weigh this much more than its parent's regular ones
DOUBTFUL_ORGAN = 0.7  # an organ the type and the head words part differently goes to review
SIGNATURE_ZONE_ABOVE = 3  # lines above "Nơi nhận" where the signature block may start
SIGNATURE_COLUMN = 0.55  # the signature block is centred in the right half, right of this share of the width
# On a page with the national motto, the block is below the header's right column; a later page may open with it.
HEADED_PAGE_TOP = 0.08
UNKNOWN_NAME_CONFIDENCE = 0.6  # a signer's name the name lexicon does not know goes to review
KEY_FIELDS = ("type_name", "code_number", "code_notation", "issued_date", "organ_name")
CHECKED_FIELDS = KEY_FIELDS + ("subject", "signer_name", "secrecy", "urgency")


def read_organ(segs: list[Segment], number_line: Segment | None, date_line: Segment | None
               ) -> tuple[FieldValue, str | None]:
    """Issuing body: the last organ named in the left header column, above the number line (or, when that
    was not read, above the date line, which is never higher)."""
    limit = (number_line or date_line).y0 if number_line or date_line else \
        max((s.y1 for s in segs if s.rel_y < 0.2), default=0)
    lines = [(s, text) for s in segs if s.y1 <= limit + 2 and s.rel_x < 0.5 and s.rel_y < 0.3
             and not read_blind(s) and (text := organ_line(s))]
    if not lines:
        return FieldValue(None, 0.0), None
    by_head_word, by_weight = organs_by_head_word(lines), organs_by_weight(lines)
    groups = by_weight or by_head_word
    organ = groups[-1]
    parent = " ".join(text for _, text in groups[-2]) if len(groups) > 1 else None
    read = " ".join(text for _, text in organ)
    name, _ = restore_marks(read)
    confidence = text_confidence([seg for seg, _ in organ])
    if by_weight and by_weight[-1] != by_head_word[-1]:  # the type and the words part the organs differently
        confidence = min(confidence, DOUBTFUL_ORGAN)
    if letters_only(fold(name)).replace(" ", "") != letters_only(fold(read)).replace(" ", ""):
        confidence = min(confidence, DOUBTFUL_ORGAN)  # the lexicon put letters right, not only marks: confirm
    return FieldValue(name, confidence), parent


def organs_by_weight(lines: list[tuple[Segment, str]]) -> list[list[tuple[Segment, str]]] | None:
    """The parent organ's lines and the issuing organ's, parted by their type: the parent in regular
    capitals, the organ under it in bold (Decree 30, Phụ lục I). None where the weights do not tell."""
    weights = [seg.weight for seg, _ in lines]
    if None in weights or max(weights) < PARENT_LIGHTER * min(weights):
        return None
    middle = (max(weights) + min(weights)) / 2
    start = len(lines)
    while start > 0 and weights[start - 1] >= middle:
        start -= 1
    if not 0 < start < len(lines) or max(weights[:start]) >= middle:
        return None  # all one weight, or bold above regular: not a parent over its organ
    return [lines[:start], lines[start:]]


def organs_by_head_word(lines: list[tuple[Segment, str]]) -> list[list[tuple[Segment, str]]]:
    """The organs named in the header, each from a line opening with an organ's head word ("SỞ", "ỦY BAN")."""
    groups: list[list[tuple[Segment, str]]] = []
    for seg, text in lines:
        if not groups or fold(text).startswith(ORGAN_HEADS):
            groups.append([(seg, text)])
        else:
            groups[-1].append((seg, text))
    return groups


def organ_line(seg: Segment) -> str | None:
    """A header line's organ words with the debris of a stamp over them left out ("z:BÌNH" is BÌNH, a
    lone "ST" is nothing), or None when what is left is not a line of capitals."""
    if re.search(r"\d\s*/", seg.text):  # a number and symbol: the number row, its "Số:" lost
        return None
    words = [w for w in organ_letters(seg.text).split() if not (w.islower() and len(w) <= 2)]
    text = " ".join(words)
    return text if is_upper_text(text) and sum(ch.isalpha() for ch in text) >= 3 else None


def organ_letters(text: str) -> str:
    """An organ name is letters, spaces, hyphens and commas: marks of a stamp over it ("“ BỘ NỘI VỤ",
    "LÀO ° CAI") and a comma glued between two words ("KẾ,HOẠCH") are dropped."""
    text = re.sub(r"(?<=\w),(?=\w)", " ", nfc(text))
    kept = (ch if ch in " ,-" or (ch.isalnum() and unicodedata.category(ch) != "Lm") else " " for ch in text)
    return nfc("".join(kept)).strip(" ,-")


def match_type_name(text: str) -> tuple[str | None, str | None, float]:
    """(type name, TT05 code, similarity 0-1) for a printed type name."""
    folded = fold(text)
    if folded in TITLED_NAMES:
        return (*TITLED_NAMES[folded], 1.0)
    best = process.extractOne(folded, list(TITLED_NAMES), scorer=fuzz.ratio)
    if best and best[1] >= 85:
        return (*TITLED_NAMES[best[0]], best[1] / 100)
    return None, None, 0.0


def read_type_and_subject(segs: list[Segment], header_bottom: int) -> tuple[FieldValue, str | None, FieldValue]:
    """The type's title, centred in capitals under the header (stamps and their debris may come
    first), and the subject under it."""
    body = under_the_header(segs, header_bottom)
    for i, seg in enumerate(title_search_rows(body)):
        if not 0.35 < seg.rel_x < 0.7:
            continue
        name, code, similarity = match_type_name(seg.text) if seg.is_upper else (None, None, 0.0)
        confidence = similarity * seg.confidence
        beside_a_stamp = False
        if name is None:
            name, code, confidence = title_before_a_stamp(seg)
            beside_a_stamp = name is not None
        if name is None:
            name, code, confidence = title_by_enacting_formula(seg, segs)
        if name is None:
            continue
        subject_lines = subject_under(seg, rows_ahead(body[i + 1:], 5), segs)
        subject = FieldValue(subject_text(subject_lines) or None, text_confidence(subject_lines))
        if beside_a_stamp:  # the stamp runs on over the subject's lines too
            subject = FieldValue(subject.value, min(subject.confidence, DAMAGED_TITLE_CONFIDENCE))
        return FieldValue(name, confidence), code, subject
    # No line left of the title (a seal or a stamp over it all): the enacting formula still names the type.
    doc_type = enacted_type(segs, header_bottom)
    if doc_type is not None:
        return (FieldValue(doc_type.name, DAMAGED_TITLE_CONFIDENCE), doc_type.code,
                subject_without_a_title(segs, header_bottom))
    return FieldValue(None, 0.0), None, FieldValue(None, 0.0)


def title_search_rows(body: list[Segment]) -> list[Segment]:
    """The rows under the header where a title, or a subject whose title was lost, is looked for: up to the
    body's first line, TITLE_SEARCH_ROWS at most besides specks (a stamp's frame read as "~", "`", "|")."""
    ends = next((i for i, s in enumerate(body) if s.folded.startswith(BODY_STARTS)), len(body))
    printed = [i for i, s in enumerate(body[:ends]) if not is_debris(s)]
    return body[:printed[TITLE_SEARCH_ROWS - 1] + 1] if len(printed) >= TITLE_SEARCH_ROWS else body[:ends]


def under_the_header(segs: list[Segment], header_bottom: int) -> list[Segment]:
    """The lines whose middle is below the header's last row: a seal may reach a title above that row."""
    return [s for s in segs if (s.y0 + s.y1) / 2 > header_bottom]


def subject_under(title: Segment, following: list[Segment], segs: list[Segment], opens_the_subject: bool = False
                  ) -> list[Segment]:
    """The subject's lines under a title (or under its own first line, opens_the_subject: the rest of that
    line's row is the subject's too): centred lines in sentence case, up to the rule, the first line in
    regular type (where the weights tell nothing: as wide as the body), the issuing authority's line in
    capitals, a wide gap or the body."""
    lines = []
    set_like_title = bold_like(title, segs)
    typical_height = statistics.median(s.height for s in segs)
    for nxt in following:
        if is_speck(nxt) or nxt.height * FLAT_SHARE <= typical_height:
            continue
        if not below(nxt, lines[-1] if lines else title):
            goes_on = (lines or opens_the_subject) and rest_of_row(nxt, lines[-1] if lines else title)
            if goes_on and (set_like_title is None or set_like_title(nxt)):
                lines.append(nxt)
            continue  # words of a stamp over the line
        gap = nxt.y0 - (lines[-1].y1 if lines else title.y1)
        if (nxt.folded.startswith(BODY_STARTS) or gap > 2.5 * title.height or not 0.3 < nxt.rel_x < 0.72
                or nxt.is_upper or is_rule(nxt.text)):
            break
        if set_like_title:  # the type tells: the subject is bold like the title, the body regular
            if not set_like_title(nxt):
                break
        elif nxt.width_share > SUBJECT_MAX_WIDTH and abs(nxt.rel_x - title.rel_x) > CENTRED:
            break
        lines.append(nxt)
    return lines


def rows_ahead(segs: list[Segment], count: int) -> list[Segment]:
    """The pieces of the next count rows: a row a stamp cut into pieces counts once."""
    taken: list[Segment] = []
    row_band = None
    for seg in segs:
        if row_band is None or not on_one_row(row_band, seg.band):
            count, row_band = count - 1, seg.band
        if count < 0:
            break
        taken.append(seg)
    return taken


def below(seg: Segment, line: Segment) -> bool:
    """Whether a line's middle lies under the bottom of another's typical word: the paragraph's next line."""
    return (seg.band[0] + seg.band[1]) / 2 > line.band[1]


def rest_of_row(seg: Segment, line: Segment) -> bool:
    """Whether a piece on a line's row goes on from its last word: Tesseract cuts a row that a stamp
    crosses in two. A piece that starts before the line ends lies over it."""
    top, bottom = line.band
    return on_one_row(line.band, seg.band) and seg.x0 >= line.x1 - (bottom - top) / 2


def subject_without_a_title(segs: list[Segment], header_bottom: int) -> FieldValue:
    """Where a stamp or a seal took the title whole, the subject centred under the header, with the lines
    that go on from it; in doubt. Its first line opens "Về việc"; failing that, it is a sentence set in bold
    (the body is regular), not a stamp's words run into the title's remains ("QUYẾT ĐẾN Ngày: .../.../2024")
    nor a word of them ("No")."""
    body = under_the_header(segs, header_bottom)
    rows = [(i, seg) for i, seg in enumerate(title_search_rows(body)) if 0.3 < seg.rel_x < 0.72]
    regular = regular_weight(segs)
    first = next((row for row in rows if ABOUT_MATTER.match(row[1].folded)), None) or next(
        (row for row in rows if opens_in_bold(row[1], regular)), None)
    if first is None:
        return FieldValue(None, 0.0)
    i, seg = first
    lines = [seg, *subject_under(seg, rows_ahead(body[i + 1:], 4), segs, opens_the_subject=True)]
    return FieldValue(subject_text(lines), min(text_confidence(lines), DAMAGED_TITLE_CONFIDENCE))


def title_before_a_stamp(seg: Segment) -> tuple[str | None, str | None, float]:
    """A title a received stamp's words run on from ("KẾ HOẠCH: ĐẾN Số: … Ngày: …"): its first words in
    capitals are exactly a type's name, and what follows them is not all capitals; with doubt."""
    if seg.is_upper:
        return None, None, 0.0
    for count in range(min(3, len(seg.words) - 1), 0, -1):
        first = seg.words[:count]
        folded = fold(" ".join(w.text for w in first)).rstrip(":;,.")
        if all(is_upper_text(w.text) for w in first) and folded in TITLED_NAMES:
            return (*TITLED_NAMES[folded], DAMAGED_TITLE_CONFIDENCE)
    return None, None, 0.0


def title_by_enacting_formula(seg: Segment, segs: list[Segment]) -> tuple[str | None, str | None, float]:
    """A title a stamp or seal left only the end of ("/# Ki ` ĐỊNH"), named by the enacting formula over the
    articles further down, a line of its own ("QUYẾT ĐỊNH:" in a decision, "QUYẾT NGHỊ:" in a resolution),
    with doubt."""
    if not seg.words or not is_upper_text(seg.words[-1].text):
        return None, None, 0.0
    doc_type = enacted_type(segs, seg.y1)
    if doc_type is None or letters_only(seg.folded).split()[-1:] != fold(doc_type.name).split()[-1:]:
        return None, None, 0.0
    return doc_type.name, doc_type.code, DAMAGED_TITLE_CONFIDENCE


def enacted_type(segs: list[Segment], below: int) -> DocType | None:
    """The type whose enacting formula is a line of its own below the given pixel row, if one is."""
    for formula, type_name in ENACTING_FORMULAS.items():
        if any(s.y0 > below and s.is_upper and letters_only(s.folded) == formula for s in segs):
            return by_name(type_name)
    return None


def regular_weight(segs: list[Segment]) -> float | None:
    """The page's typical (body) stroke width; None where too few words were weighed (a text layer)."""
    weights = [w.weight for s in segs for w in s.words if w.weight is not None]
    return statistics.median(weights) if len(weights) >= MIN_WEIGHED_WORDS else None


def opens_in_bold(seg: Segment, regular: float | None) -> bool:
    """Whether a line is a sentence's start in bold: words, a capital first and a word in small letters after
    it (not a title in capitals read with a small letter, "TỜ YiÍNH"), letters and digits (a year) nearly all
    of its print."""
    if regular is None or seg.weight is None or seg.weight < BOLD * regular or seg.is_upper or len(seg.words) < 2:
        return False
    printed = seg.text.replace(" ", "")
    in_small_letters = any(w.text.isalpha() and w.text.islower() for w in seg.words[1:])
    return seg.text[0].isupper() and in_small_letters and sum(
        ch.isalnum() for ch in printed) >= MOSTLY_LETTERS * len(printed)


def bold_like(title: Segment, segs: list[Segment]) -> Callable[[Segment], bool] | None:
    """Whether a line is set in the title's bold, judged against the page's typical (body) weight; None
    where the weights were not measured (a text layer) or do not tell bold from regular."""
    regular = regular_weight(segs)
    if title.weight is None or regular is None or title.weight < BOLD * regular:
        return None
    middle = (title.weight + regular) / 2
    return lambda seg: seg.weight is not None and seg.weight >= middle


def is_rule(text: str) -> bool:
    """A drawn rule as OCR reads it: dashes, underscores and the like, no letter or digit."""
    return not any(ch.isalnum() for ch in text)


def is_speck(seg: Segment) -> bool:
    """A speck of a seal or stamp read as a mark or two (">`"): too short to be a rule; or as a letter or two
    read unsurely ("ị")."""
    return is_rule(seg.text) and len(seg.text.replace(" ", "")) <= 3 or unsure_scrap(seg)


def subject_words(seg: Segment) -> str:
    """A subject line without what is not the subject: a rule read into it ("————Về việc") and the
    words of a stamp beside it, a run of three or more words in capitals before the sentence-case
    text ("CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ hỗ trợ …")."""
    words = [RULE.sub("", w.text) for w in seg.words]
    words = [w for w in words if w]
    capitals = next((i for i, w in enumerate(words) if not is_upper_text(w) and any(ch.isalpha() for ch in w)),
                    len(words))
    if capitals >= 3 and capitals < len(words):
        words = words[capitals:]
    return " ".join(words)


def subject_text(lines: list[Segment]) -> str:
    """The subject's lines as one text, the names of organs in it spelled as the lexicon spells them."""
    return restore_marks(nfc(" ".join(subject_words(s) for s in lines)), running_text=True)[0]


def read_official_letter_subject(segs: list[Segment], number_line: Segment | None,
                                 opening: re.Pattern = ABOUT) -> FieldValue:
    """Công văn: "V/v <subject>" under the number, possibly over several lines."""
    if number_line is None:
        return FieldValue(None, 0.0)
    # by the lines' typical words: a descender of the number's symbol may reach the first line of the subject, and
    # a stamp's ink joined to the number's words may stretch them down to it: a line opening a row lower is below
    below = [s for s in segs if s.rel_x < 0.5 and s.rel_y < 0.4 and (
        s.band[0] >= number_line.band[1] or s.band[0] >= number_line.band[0] + NEXT_ROW * s.height)]
    for i, seg in enumerate(below):
        if opening.match(seg.folded):
            lines = [seg]
            for nxt in below[i + 1:]:
                if nxt.y0 - lines[-1].y1 > 1.5 * seg.height or nxt.is_upper:
                    break
                lines.append(nxt)
            text = opening.sub("V/v ", subject_text(lines))
            return FieldValue(text, text_confidence(lines))
    return FieldValue(None, 0.0)


@dataclass
class Signer:
    position: FieldValue
    name: FieldValue
    authority: str | None
    known: bool  # the name is a family name and name syllables (classifiers.names)


def read_signer(group: PageGroup) -> tuple[FieldValue, FieldValue, str | None]:
    """(position, name, signing authority) from the signature block on the right of the last page
    that has one. Two readings are weighed: the page's, and the block's zone read again on its own;
    a name the lexicon knows is preferred, else the one holding more of a full name (name_evidence), and one
    it does not know is never certain. The titles come
    from a reading that saw the authority line, when one did; else from the reading surer of them (a
    page that read only "KT. THỦ TƯỚNG" beside a block that read it over "PHÓ THỦ TƯỚNG")."""
    titles_alone = None
    for page, feats in zip(reversed(group.pages), reversed(group.features)):
        recipients = next((s for s in feats.segments if opens_recipients(s.folded)), None)
        zone_top = recipients.y0 - SIGNATURE_ZONE_ABOVE * recipients.height if recipients else None
        top = HEADED_PAGE_TOP if feats.motto else 0.0
        found = [signer_in(feats.segments, zone_top, top)]
        if page.signature_block:
            found.append(signer_in(segments(page.signature_block), 0, top))
        found = [signer for signer in found if signer]
        named = [signer for signer in found if signer.name.value]
        if named:
            best = next((signer for signer in named if signer.known), None) or max(named, key=name_evidence)
            authority = next((s.authority for s in found if s.authority), None)
            titled = next((s for s in found if s.authority and s.position.value), None)
            surest = max((s for s in (best, *found) if s.position.value), key=lambda s: s.position.confidence,
                         default=best)
            return (titled or surest).position, best.name, authority
        titles_alone = titles_alone or next(iter(found), None)
    if titles_alone:
        return titles_alone.position, titles_alone.name, titles_alone.authority
    return FieldValue(None, 0.0), FieldValue(None, 0.0), None


def name_evidence(signer: Signer) -> tuple[bool, int]:
    """How much of a full name a reading the lexicon does not know holds: a family name first (read, or completed
    from its end), then its syllables ("Đinh Trâm", its Huỳnh lost and Đình taken for the family name, holds
    less than "Huỳnh Đình Trâm")."""
    words = signer.name.value.split()
    return words[0] in FAMILY_NAMES, len(words)


def signer_in(segs: list[Segment], zone_top: int | None = None, top: float = HEADED_PAGE_TOP) -> Signer | None:
    """The signer in one reading of a page: authority and position lines in capitals right of the
    middle (the issuing authority's line above the body is centred), then the name below them; the
    titles alone when no name is under them. Failing those (a seal over the titles), the lowest name
    right of "Nơi nhận" (zone_top: from where the signature block may start; None when the page has no
    recipients), and the titles of the lines above it that end with one, never certain. Lines above top
    (a share of the page's height) are the page's header."""
    right = [s for s in segs if s.rel_x > SIGNATURE_COLUMN and s.rel_y > top]
    unnamed = None
    for i, seg in enumerate(right):
        opens_titles = (AUTHORITY_PREFIX.match(seg.folded) or is_position(seg) or is_misspelt_position(seg)
                        or title_run_together(seg.folded))
        if not (seg.is_upper and opens_titles or signs_for_a_title(seg)):
            continue
        block = [seg]
        for nxt in right[i + 1:]:
            if nxt.y0 - block[-1].y1 > 2 * seg.height:
                break
            if nxt.is_upper and plausible_title_line(nxt) or position_ending(nxt):
                block.append(nxt)
        position, authority = titles(block)
        name = next((words for n in right if n.y0 > block[-1].y1 and (words := name_words(n))), None)
        if name is not None:
            return signer_named(position, name, authority)
        unnamed = unnamed or Signer(position, FieldValue(None, 0.0), authority, known=False)
    names = [(seg, words) for seg in right if zone_top is not None and seg.y0 >= zone_top
             and (words := name_words(seg))]
    if not names:
        return unnamed
    seg, words = names[-1]
    above = [s for s in right if s.y1 <= seg.y0 and position_ending(s)]
    position, authority = titles(above[-2:]) if above else (FieldValue(None, 0.0), None)
    return signer_named(FieldValue(position.value, min(position.confidence, INFERRED_CONFIDENCE)), words, authority)


def signer_named(position: FieldValue, words: list[Word], authority: str | None) -> Signer:
    checked = check_name([w.text for w in words])
    confidence = sum(w.confidence for w in words) / len(words) / 100
    if not checked.known:
        confidence = min(confidence, UNKNOWN_NAME_CONFIDENCE)
    return Signer(position, FieldValue(checked.text, confidence), authority, checked.known)


def name_words(seg: Segment) -> list[Word]:
    """The words of a full name ("Trần Văn Nam") on the line, debris at either end left out, or debris
    before a name the lexicon knows ("—_— Hồ Đức Phớc", "Nà Trần Hồng Hà"); [] if the line is not a name,
    or is running text that ends in words like a name.
    A word of three letters or more before a known name is kept: it may be a family name the lexicon lacks."""
    words = list(seg.words)
    while words and not any(ch.isalpha() for ch in words[0].text):
        words.pop(0)
    while words and not any(ch.isalpha() for ch in words[-1].text):
        words.pop()
    texts = [trimmed(w.text) for w in words]
    tail = name_tail(texts)
    before = texts[:len(texts) - len(tail)]
    # the family name may have lost its capital's top to a seal's rim ("châu Thành Hà")
    whole = 2 <= len(texts) <= 5 and (is_capitalised(texts[0]) or lost_capital(texts[0])) and all(
        is_name_cased(t) for t in texts[1:])
    if whole and not (tail and all(len(t) <= 2 for t in before)):
        return [Word(t, w.box, w.confidence) for t, w in zip(texts, words)]
    if any(len(t) >= 3 and t.islower() for t in before):  # running text ("… nhân dân tịnh Bắc"), not a name
        return []
    return [Word(t, w.box, w.confidence) for t, w in zip(tail, words[len(words) - len(tail):])]


def read_stamp_field(group: PageGroup, vocabulary: dict[str, str]) -> FieldValue:
    """A secrecy or urgency stamp's words: read exactly (marks aside), certain; or, of the longer ones, a letter
    off ("HÓAA TỐC"), in doubt: a secret document's mark missed would show it to anyone."""
    first = group.pages[0]
    texts = [(s["text"], s["confidence"] / 100) for s in first.stamps]
    texts += [(s.text, s.confidence) for s in group.features[0].segments if s.rel_y < 0.4 and s.rel_x < 0.5]
    texts = [(letters_only(fold(text)), conf) for text, conf in texts]
    for folded, conf in texts:
        if folded in vocabulary:
            # The word is fixed vocabulary: an exact folded match is certain even if marks were misread.
            return FieldValue(vocabulary[folded], max(conf, 0.9))
    for folded, _ in texts:
        near = {word for key, word in vocabulary.items()
                if len(key) >= STAMP_WORDS_A_LETTER_OFF and Levenshtein.distance(key, folded) == 1}
        if len(near) == 1:
            return FieldValue(near.pop(), DAMAGED_TITLE_CONFIDENCE)
    return FieldValue(None, 1.0)


def extract(group: PageGroup) -> tuple[dict[str, FieldValue], dict]:
    """Fields of one document and extra facts (place, parent organ, signing authority)."""
    feats = group.features[0]
    segs = feats.segments
    first_page = group.pages[0]
    issued, place = read_date(first_page, feats.date_line)
    organ, parent = read_organ(segs, feats.number_line, feats.date_line)
    header_lines = [s for s in (feats.number_line, feats.date_line) if s is not None]
    header_bottom = max((s.y1 for s in header_lines), default=0)
    type_name, type_code, subject = read_type_and_subject(segs, header_bottom)
    titled = by_name(type_name.value) if type_name.value else None
    evidence = SymbolEvidence(titled.abbreviation if titled else None, organ.value)
    number, notation = read_code(first_page, segs, feats.number_line, evidence)
    if organ.value and notation.value and evidence.names_another_organ(notation.value):
        organ = FieldValue(organ.value, min(organ.confidence, DOUBTFUL_ORGAN))
    abbreviation_type = _type_from_notation(notation.value)
    if type_name.value is None:
        letter_subject = read_official_letter_subject(segs, feats.number_line)
        if letter_subject.value:
            cong_van = by_name("Công văn")
            agrees = abbreviation_type is None
            type_name = FieldValue(cong_van.name, 0.95 if agrees else 0.5)
            type_code, subject = cong_van.code, letter_subject
        elif abbreviation_type is not None:  # the title lost under a stamp: its number's symbol names the type
            type_name = FieldValue(abbreviation_type.name, DAMAGED_TITLE_CONFIDENCE)
            type_code, subject = abbreviation_type.code, subject_without_a_title(segs, header_bottom)
        elif notation.value and evidence.opens_with_the_organ(notation.value):
            # Only a công văn's symbol opens with its organ's abbreviation, no type's (Decree 30): its
            # "V/v" was misread past knowing ("VWÑ thu hồi …").
            cong_van = by_name("Công văn")
            type_name, type_code = FieldValue(cong_van.name, DAMAGED_TITLE_CONFIDENCE), cong_van.code
            misread = read_official_letter_subject(segs, feats.number_line, MISREAD_ABOUT)
            subject = FieldValue(misread.value, min(misread.confidence, DAMAGED_TITLE_CONFIDENCE))
    elif abbreviation_type is not None and type_code != OTHER_CODE:
        agrees = abbreviation_type.name == type_name.value
        type_name = FieldValue(type_name.value, max(type_name.confidence, 0.95) if agrees else
                               min(type_name.confidence, 0.5))
    position, signer, authority = read_signer(group)
    fields = {
        "type_name": type_name, "type_code": FieldValue(type_code, type_name.confidence),
        "code_number": number, "code_notation": notation, "issued_date": issued, "organ_name": organ,
        "subject": subject, "signer_position": position, "signer_name": signer,
        "secrecy": read_stamp_field(group, SECRECY), "urgency": read_stamp_field(group, URGENCY),
    }
    return fields, {"place": place, "parent_organ": parent, "signing_authority": authority}


def _type_from_notation(notation: str | None):
    if not notation:
        return None
    parts = [p for p in notation.split("/") if not p.isdigit()]
    head = parts[0].split("-")[0] if parts else ""
    return BY_ABBREVIATION.get(head)


def review_reasons(fields: dict[str, FieldValue], threshold: float) -> list[str]:
    reasons = []
    for name in CHECKED_FIELDS:
        value = fields[name]
        if value.value is None and name in KEY_FIELDS + ("subject", "signer_name"):
            reasons.append(f"{name} not found")
        elif value.value is not None and value.confidence < threshold:
            reasons.append(f"{name} unsure ({value.confidence:.2f})")
    return reasons
