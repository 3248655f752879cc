"""Metadata of a document read from its layout (Decree 30, Phụ lục I), each with a confidence.

Values that fail validation are left empty; values read with little confidence are kept but send
the document to review. Nothing is filled in by guessing.
"""
import datetime as dt
import re
import unicodedata

from rapidfuzz import fuzz, process

from classifiers.doctypes import BY_ABBREVIATION, BY_FOLDED_NAME, FOLDED_OTHER_NAMES, OTHER_CODE, by_name
from classifiers.layout import Segment
from ocr.engine import Word
from classifiers.lexicon import restore_marks
from classifiers.notation import SymbolEvidence
from classifiers.readings import (AGREED_CONFIDENCE, DISAGREED_CONFIDENCE, UNCONFIRMED_CONFIDENCE, reconcile,
                                  same_number)
from classifiers.pages import AUTHORITY_PREFIX
from classifiers.segment import PageGroup
from ocr.header_rows import NUMBER_ROW_SHARE
from pipeline.model import FieldValue, RecognizedPage
from pipeline.text import fold, is_upper_text, nfc

NUMBER_AND_SYMBOL = r"(\d{1,5})\s*/\s*([0-9A-ZĐa-zđ][0-9A-Za-zĐđƯưƠơ\-/.]*[0-9A-Za-zĐđ])"
CODE = re.compile(r"(?i:s\S{0,2})[^\d/]{0,3}" + NUMBER_AND_SYMBOL)
BARE_CODE = re.compile(r"(?<![\d/])" + NUMBER_AND_SYMBOL)  # in a reading of the number row alone
# "tháng" as the English model reads it, too ("thdng", "thang"); "năm" likewise ("ndm", "nim").
DATE_PARTS = re.compile(r"ngay\s*(\S{1,2})\s*th\S{1,2}ng\s*(\S{1,2})\s*n\S{1,4}\s*(\S{4})\b")
MONTH_AND_YEAR = re.compile(r"th\S{1,2}ng\s*(\d{1,2})\s*n\S{1,4}\s*(\d{4})\b")
SYMBOL_ONLY = re.compile(r"/\s*((?:\d{4}/)?[A-ZĐ][0-9A-Za-zĐđƯưƠơ\-/.]*[0-9A-Za-zĐđ])")  # "Số: __ /QĐ-UBND"
# Letters Tesseract reads for italic digits (after folding): only unambiguous ones. "S" and "§"
# stand for 5, 6 or 8 and are left unread.
DIGIT_LOOKALIKES = {"i": "1", "l": "1", "t": "1", "|": "1", "]": "1", "!": "1", "o": "0", "z": "2", "b": "8"}
DIGIT_LOOKALIKES_FOLDED = re.compile("[" + re.escape("".join(DIGIT_LOOKALIKES)) + "]")
CORRECTED_CONFIDENCE = 0.6
DEBRIS = "'`\"‘’“”.,;:-_~|/\\"  # specks of a signature or seal that OCR reads as punctuation
ORGAN_HEADS = tuple(fold(h) for h in (
    "ỦY BAN", "UBND", "HỘI ĐỒNG", "SỞ", "PHÒNG", "VĂN PHÒNG", "BỘ", "CỤC", "TỔNG CỤC", "CHI CỤC", "VỤ",
    "BAN", "TRUNG TÂM", "TRƯỜNG", "BỆNH VIỆN", "THANH TRA", "KHO BẠC", "CÔNG AN", "ĐẢNG ỦY", "VIỆN",
    "ĐẠI HỌC", "TÒA ÁN", "BẢO HIỂM", "CHÍNH PHỦ", "THỦ TƯỚNG", "QUỐC HỘI", "TỔNG CÔNG TY", "CÔNG TY",
    "ĐOÀN", "LIÊN ĐOÀN", "HỘI", "MẶT TRẬN", "TỈNH ỦY", "HUYỆN ỦY", "THÀNH ỦY"))
POSITIONS = {fold(p): p for p in (
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "BỘ TRƯỞNG", "THỨ TRƯỞNG", "CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG", "CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG",
    "VỤ TRƯỞNG", "PHÓ VỤ TRƯỞNG", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "CHÁNH THANH TRA", "TỔNG CỤC TRƯỞNG",
    "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "BÍ THƯ", "PHÓ BÍ THƯ", "HIỆU TRƯỞNG", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN")}
SECRECY = {"mat": "MẬT", "toi mat": "TỐI MẬT", "tuyet mat": "TUYỆT MẬT"}
URGENCY = {"khan": "KHẨN", "thuong khan": "THƯỢNG KHẨN", "hoa toc": "HỎA TỐC"}
BODY_STARTS = ("can cu", "kinh gui", "dieu ")
SUBJECT_MAX_WIDTH = 0.7  # the subject is set narrower than body lines (about 125 of 165 mm)
KEY_FIELDS = ("type_name", "code_number", "code_notation", "issued_date", "organ_name")
CHECKED_FIELDS = KEY_FIELDS + ("subject", "signer_name", "secrecy", "urgency")


def word_confidence(seg: Segment, fragment: str) -> float:
    """Lowest OCR confidence among the words of seg that carry part of fragment."""
    parts = [w.confidence for w in seg.words if any(p and p in w.text for p in fragment.split())]
    return (min(parts) if parts else min(w.confidence for w in seg.words)) / 100


def text_confidence(lines: list[Segment]) -> float:
    """Mean word confidence: for running text, where one doubtful word is not a wrong value."""
    words = [w.confidence for seg in lines for w in seg.words]
    return sum(words) / len(words) / 100 if words else 0.0


def letters_only(folded: str) -> str:
    return re.sub(r"[^a-z ]", "", folded).strip()


def clean_notation(notation: str) -> str:
    """Digits misread inside letter abbreviations (5KHĐT -> SKHĐT); a year stays as it is."""
    parts = []
    for part in re.split(r"([-/])", notation.rstrip(".-/")):
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
    return next(((seg, match) for seg, match in candidates if match), None)


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
    if printed:
        symbol = printed[1].group(2)
    else:
        symbol = (m := SYMBOL_ONLY.search(line.text)) and m.group(1) if line else None
    return (read_number(page, printed, column, reading is not None),
            read_notation(line, symbol, column, reading is not None, evidence))


def unconfirmed(own: float, second_read: bool) -> float:
    """A value only one reading gave: its own confidence, unless a second reading of the row missed it."""
    return min(own, UNCONFIRMED_CONFIDENCE) if second_read else own


def read_number(page: RecognizedPage, printed: tuple[Segment, re.Match] | None, column: re.Match | None,
                second_read: bool) -> FieldValue:
    main = printed[1].group(1) if printed else None
    # The digit model is usually right where the two whole-row readings differ: it goes first.
    number = reconcile([column and column.group(1), main], gap_readings(page, "number"), same_number)
    if main and number.value == main:
        alone = unconfirmed(word_confidence(printed[0], f"{main}/{printed[1].group(2)}"), second_read)
    else:
        alone = CORRECTED_CONFIDENCE
    return FieldValue(number.value, number.confidence(alone))


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
    try:
        return dt.date(year, month, day).isoformat(), parts != list(raw)
    except ValueError:
        return None, False


def with_day(date: str | None, day: str) -> str:
    """date with its day replaced by a day read on its own; "" when that makes no date."""
    try:
        return dt.date.fromisoformat(date).replace(day=int(day)).isoformat() if date and day.isdigit() else ""
    except ValueError:
        return ""


def month_and_year(folded: str) -> str | None:
    """The first of the month the line names ("… tháng 06 năm 2024"), to place a day read on its own."""
    match = MONTH_AND_YEAR.search(folded)
    try:
        return dt.date(int(match.group(2)), int(match.group(1)), 1).isoformat() if match else None
    except ValueError:
        return None


def read_date(page: RecognizedPage, date_line: Segment | None) -> tuple[FieldValue, str | None]:
    if date_line is None:
        return FieldValue(None, 0.0), None
    place = nfc(date_line.text.split(",")[0]) if "," in date_line.text else None
    main, corrected = parse_date(date_line.folded)
    own = 0.0
    if main:
        match = DATE_PARTS.search(date_line.folded)
        own = word_confidence(date_line, " ".join(match.groups()))
        if corrected:  # read through a known confusion: right more often than not, never certain
            own = min(own, CORRECTED_CONFIDENCE)
    column_text = fold(second_reading(page, date_line) or "")
    other, _ = parse_date(column_text)
    month = main or other or month_and_year(date_line.folded) or month_and_year(column_text)
    gap = [with_day(month, day) for day in gap_readings(page, "day")]
    # The digit model is usually right where the two whole-line readings differ: it goes first.
    date = reconcile([other, main], gap)
    return FieldValue(date.value, date.confidence(own if date.value == main else CORRECTED_CONFIDENCE)), place


def read_organ(segs: list[Segment], number_line: Segment | None, date_line: Segment | None
               ) -> tuple[FieldValue, str | None]:
    """Issuing body: the last organ named in the left header column, above the number line (or, when that
    was not read, above the date line, which is never higher)."""
    limit = (number_line or date_line).y0 if number_line or date_line else \
        max((s.y1 for s in segs if s.rel_y < 0.2), default=0)
    lines = [(s, text) for s in segs if s.y1 <= limit + 2 and s.rel_x < 0.5 and s.rel_y < 0.3
             and (text := organ_line(s))]
    groups: list[list[tuple[Segment, str]]] = []
    for seg, text in lines:
        if not groups or fold(text).startswith(ORGAN_HEADS):
            groups.append([(seg, text)])
        else:
            groups[-1].append((seg, text))
    if not groups:
        return FieldValue(None, 0.0), None
    organ = groups[-1]
    parent = " ".join(text for _, text in groups[-2]) if len(groups) > 1 else None
    name, _ = restore_marks(" ".join(text for _, text in organ))
    return FieldValue(name, text_confidence([seg for seg, _ in organ])), parent


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
    names = {**{k: (t.name, t.code) for k, t in BY_FOLDED_NAME.items() if t.has_title},
             **{k: (v, OTHER_CODE) for k, v in FOLDED_OTHER_NAMES.items()}}
    if folded in names:
        return (*names[folded], 1.0)
    best = process.extractOne(folded, list(names), scorer=fuzz.ratio)
    if best and best[1] >= 85:
        return (*names[best[0]], best[1] / 100)
    return None, None, 0.0


def read_type_and_subject(segs: list[Segment], header_bottom: int) -> tuple[FieldValue, str | None, FieldValue]:
    body = [s for s in segs if s.y0 > header_bottom]
    for i, seg in enumerate(body[:4]):
        if not (seg.is_upper and 0.35 < seg.rel_x < 0.7):
            continue
        name, code, similarity = match_type_name(seg.text)
        if name is None:
            continue
        subject_lines = []
        for nxt in body[i + 1:i + 6]:
            gap = nxt.y0 - (subject_lines[-1].y1 if subject_lines else seg.y1)
            if (nxt.folded.startswith(BODY_STARTS) or gap > 2.5 * seg.height or not 0.3 < nxt.rel_x < 0.72
                    or nxt.width_share > SUBJECT_MAX_WIDTH):
                break
            subject_lines.append(nxt)
        subject = FieldValue(subject_text(subject_lines) or None, text_confidence(subject_lines))
        return FieldValue(name, similarity * seg.confidence), code, subject
    return FieldValue(None, 0.0), None, FieldValue(None, 0.0)


def subject_text(lines: list[Segment]) -> str:
    """The subject's lines as one text, the names of organs in it spelled as the lexicon spells them."""
    return restore_marks(nfc(" ".join(s.text for s in lines)), running_text=True)[0]


def read_official_letter_subject(segs: list[Segment], number_line: Segment | None) -> FieldValue:
    """Công văn: "V/v <subject>" under the number, possibly over several lines."""
    if number_line is None:
        return FieldValue(None, 0.0)
    below = [s for s in segs if s.y0 >= number_line.y1 - 2 and s.rel_x < 0.5 and s.rel_y < 0.4]
    for i, seg in enumerate(below):
        if re.match(r"^v\s*/\s*v\b", seg.folded):
            lines = [seg]
            for nxt in below[i + 1:]:
                if nxt.y0 - lines[-1].y1 > 1.5 * seg.height or nxt.is_upper:
                    break
                lines.append(nxt)
            text = re.sub(r"^[Vv]\s*/\s*[Vv]\s*", "V/v ", subject_text(lines))
            return FieldValue(text, text_confidence(lines))
    return FieldValue(None, 0.0)


def read_signer(group: PageGroup) -> tuple[FieldValue, FieldValue, str | None]:
    """(position, name, signing authority) from the signature block on the right of the last page
    that has one: authority and position lines in capitals, then the signer's name below them."""
    for feats in reversed(group.features):
        right = [s for s in feats.segments if s.rel_x > 0.5 and s.rel_y > 0.08]
        for i, seg in enumerate(right):
            if not (seg.is_upper and (AUTHORITY_PREFIX.match(seg.folded) or _is_position(seg))):
                continue
            block = [seg]
            for nxt in right[i + 1:]:
                if nxt.y0 - block[-1].y1 > 2 * seg.height:
                    break
                if nxt.is_upper and _plausible_title_line(nxt):
                    block.append(nxt)
            name = next((words for n in right if n.y0 > block[-1].y1 and (words := name_words(n))), None)
            if name is None:
                continue
            positions = [b for b in block if POSITIONS.get(letters_only(_strip_authority(b.folded)))]
            position = positions[-1] if positions else block[-1]
            authority = " ".join(b.text for b in block if b is not position) or None
            name_value = FieldValue(nfc(" ".join(w.text for w in name)),
                                    sum(w.confidence for w in name) / len(name) / 100)
            return position_value(position), name_value, authority
    return FieldValue(None, 0.0), FieldValue(None, 0.0), None


def _strip_authority(text: str) -> str:
    return re.sub(r"^\W*((tm|kt|q|tl|tuq|TM|KT|Q|TL|TUQ)\s*[.,])?\s*", "", text).strip()


def _plausible_title_line(seg: Segment) -> bool:
    """Not debris of a seal or signature: enough letters, read with some confidence."""
    return sum(ch.isalpha() for ch in seg.text) >= 4 and text_confidence([seg]) >= 0.5


def position_value(seg: Segment) -> FieldValue:
    """A signer position, spelled as in the lexicon when the folded letters match one exactly."""
    text = _strip_authority(seg.text)
    canonical = POSITIONS.get(letters_only(fold(text)))
    if canonical:
        return FieldValue(canonical, max(text_confidence([seg]), 0.9))
    return FieldValue(nfc(text), min(text_confidence([seg]), 0.7))


def _is_position(seg: Segment) -> bool:
    return any(w in seg.folded for w in ("chu tich", "giam doc", "truong", "thu truong", "bi thu", "cuc truong"))




def name_words(seg: Segment) -> list[Word]:
    """The words of a full name ("Trần Văn Nam") on the line, debris at either end left out; [] if the
    line is not a name."""
    words = list(seg.words)
    while words and not any(ch.isalpha() for ch in words[0].text):
        words.pop(0)
    while words and not any(ch.isalpha() for ch in words[-1].text):
        words.pop()
    texts = [w.text.strip(DEBRIS) for w in words]
    if 2 <= len(texts) <= 5 and all(t[:1].isupper() and t[1:].islower() and t.isalpha() for t in texts):
        return [Word(t, w.box, w.confidence) for t, w in zip(texts, words)]
    return []


def read_stamp_field(group: PageGroup, vocabulary: dict[str, str]) -> FieldValue:
    first = group.pages[0]
    texts = [(s["text"], s["confidence"] / 100) for s in first.stamps]
    texts += [(s.text, s.confidence) for s in group.features[0].segments if s.rel_y < 0.4 and s.rel_x < 0.5]
    for text, conf in texts:
        folded = letters_only(fold(text))
        if folded in vocabulary:
            # The word is fixed vocabulary: an exact folded match is certain even if marks were misread.
            return FieldValue(vocabulary[folded], max(conf, 0.9))
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
    abbreviation_type = _type_from_notation(notation.value)
    if type_name.value is None:
        letter_subject = read_official_letter_subject(segs, feats.number_line)
        if letter_subject.value:
            cong_van = by_name("Công văn")
            agrees = abbreviation_type is None
            type_name = FieldValue(cong_van.name, 0.95 if agrees else 0.5)
            type_code, subject = cong_van.code, letter_subject
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
