"""The titles over a signature (Decree 30, Phụ lục I): the authority the signer signs for ("TM.
ỦY BAN NHÂN DÂN", "KT. THỦ TƯỚNG", "TL. BỘ TRƯỞNG", "TUQ. GIÁM ĐỐC") and the signer's own position."""
import re

from rapidfuzz.distance import Levenshtein

from sohoa.classifiers.layout import Segment, letters_only, text_confidence
from sohoa.core.model import FieldValue
from sohoa.core.text import fold, nfc

POSITIONS = {fold(p): p for p in (
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "BỘ TRƯỞNG", "THỨ TRƯỞNG", "CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG", "CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG",
    "VỤ TRƯỞNG", "PHÓ VỤ TRƯỞNG", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "CHÁNH THANH TRA", "TỔNG CỤC TRƯỞNG",
    "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "BÍ THƯ", "PHÓ BÍ THƯ", "HIỆU TRƯỞNG", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
    "CHÁNH ÁN", "PHÓ CHÁNH ÁN", "CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC",
    "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "TỔNG THƯ KÝ", "CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA")}
AUTHORITY_MARK = re.compile(r"^\W*((tm|kt|q|tl|tuq)\s*[.,])?\s*", re.IGNORECASE)
SIGNS_FOR = re.compile(r"^\W*(tm|kt|tl|tuq)\s*[.,]")  # Q. (acting) opens the signer's own title
SIGNS_AS_DEPUTY = re.compile(r"^\W*kt\s*[.,]")
INFERRED_CONFIDENCE = 0.7  # a title completed from the rules, not read whole: a person confirms it


def titles(block: list[Segment]) -> tuple[FieldValue, str | None]:
    """(the signer's position, the authority signed for) from a signature block's lines in capitals.

    Lines opening with TM., KT., TL. or TUQ. name the authority; the last other line is the position.
    Under "KT. X" the signer is X's deputy, so a position read as X itself, or a line ending with X
    whose start the seal hid ("Ò THỦ TƯỚNG"), is the deputy's title, to be confirmed."""
    authority_lines = [seg for seg in block if SIGNS_FOR.match(seg.folded)]
    own = [seg for seg in block if seg not in authority_lines]
    authority = " ".join(seg.text for seg in authority_lines) or None
    if not own:
        return FieldValue(None, 0.0), authority
    exact = [seg for seg in own if POSITIONS.get(letters_only(fold(strip_authority(seg.text))))]
    position = position_value(exact[-1] if exact else own[-1])
    deputy_of = [POSITIONS.get(letters_only(fold(strip_authority(seg.text))))
                 for seg in authority_lines if SIGNS_AS_DEPUTY.match(seg.folded)]
    if deputy_of and position.value == deputy_of[-1] and deputy(position.value):
        return FieldValue(deputy(position.value), min(position.confidence, INFERRED_CONFIDENCE)), authority
    return position, authority


def deputy(head: str) -> str | None:
    """The title of a head's deputy, who signs "KT." for the head."""
    title = "THỨ TRƯỞNG" if head == "BỘ TRƯỞNG" else f"PHÓ {head}"
    return title if fold(title) in POSITIONS else None


def position_value(seg: Segment) -> FieldValue:
    """A signer position, spelled as in the lexicon when the folded letters match one exactly, or when
    the line ends with one after debris (only then with doubt)."""
    text = strip_authority(seg.text)
    canonical = POSITIONS.get(letters_only(fold(text)))
    if canonical:
        return FieldValue(canonical, max(text_confidence([seg]), 0.9))
    ending = position_ending(seg)
    return FieldValue(ending or nfc(text), min(text_confidence([seg]), INFERRED_CONFIDENCE))


def position_ending(seg: Segment) -> str | None:
    """The position of the lexicon a line ends with ("ƒ© mà THỦ TƯỚNG" -> THỦ TƯỚNG), the longest one; or
    failing that, the one its last words are each a letter off ("Z7; GIÁN Đốc" -> GIÁM ĐỐC), if no other is."""
    text = letters_only(seg.folded)
    ends = [p for p in POSITIONS if text == p or text.endswith(" " + p)]
    if ends:
        return POSITIONS[max(ends, key=len)]
    words = text.split()
    near = [p for p in POSITIONS if len(words) >= len(p.split()) and all(
        len(read) >= 2 and Levenshtein.distance(read, known) <= 1
        for read, known in zip(words[-len(p.split()):], p.split()))]
    longest = max(near, key=len, default=None)
    return POSITIONS[longest] if longest and all(longest.endswith(p) for p in near) else None


def strip_authority(text: str) -> str:
    return AUTHORITY_MARK.sub("", text, count=1).strip()


def plausible_title_line(seg: Segment) -> bool:
    """Not debris of a seal or signature: enough letters, read with some confidence."""
    return sum(ch.isalpha() for ch in seg.text) >= 4 and text_confidence([seg]) >= 0.5


def is_position(seg: Segment) -> bool:
    """A line that is, or begins with, a position of the lexicon ("KT. CHỦ TỊCH", "GIÁM ĐỐC SỞ Y TẾ")."""
    text = letters_only(strip_authority(seg.folded))
    return any(text == p or text.startswith(p + " ") for p in POSITIONS)
