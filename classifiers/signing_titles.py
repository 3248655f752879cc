"""The titles over a signature (Decree 30, Phụ lục I): the authority the signer signs for ("TM.
ỦY BAN NHÂN DÂN", "KT. THỦ TƯỚNG", "TL. BỘ TRƯỞNG", "TUQ. GIÁM ĐỐC") and the signer's own position."""
import re

from rapidfuzz.distance import Levenshtein

from sohoa.classifiers.layout import Segment, letters_only, text_confidence
from sohoa.classifiers.names import check_name, is_capitalised, trimmed
from sohoa.core.model import FieldValue
from sohoa.core.text import fold, nfc

POSITIONS = {fold(p): p for p in (
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "BỘ TRƯỞNG", "THỨ TRƯỞNG", "CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG", "CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG",
    "VỤ TRƯỞNG", "PHÓ VỤ TRƯỞNG", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "CHÁNH THANH TRA", "TỔNG CỤC TRƯỞNG",
    "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "BÍ THƯ", "PHÓ BÍ THƯ", "HIỆU TRƯỞNG", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
    "CHÁNH ÁN", "PHÓ CHÁNH ÁN", "CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC",
    "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "TỔNG THƯ KÝ", "CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA")}
# KT. is read XT., MT. or xr. as often as not where a seal's rim runs into its K, "<T." where its stem is lost,
# "TT." where the rim took its arms and left a bar over the stem, and "T." where the rim took it whole. Debris
# before them (a seal's specks, "_") is any run of signs, or a letter glued to a whole "KT." ("RKT.").
KT = "(?:[a-z]?kt|[kxm<t][tr]|t)"
TUQ = "tu?q"  # read "TQ." where its U was lost
AUTHORITY_MARK = re.compile(rf"^[\W_]*((tm|{KT}|q|tl|{TUQ})\s*[.,])?\s*", re.IGNORECASE)
SIGNS_FOR = re.compile(rf"^[\W_]*(tm|{KT}|tl|{TUQ})\s*[.,]")  # Q. (acting) opens the signer's own title
SIGNS_AS_DEPUTY = re.compile(rf"^[\W_]*{KT}\s*[.,]")
ACTING = re.compile(r"^[\W_]*q\s*[.,]")
BROKEN_A = re.compile(r"[./]?\\")  # an A whose crossbar and left stroke broke off, read ".\", "/\" or "\"
INFERRED_CONFIDENCE = 0.7  # a title completed from the rules, not read whole: a person confirms it
SURE = 0.9  # a title read whole, letter for letter
LETTERS_PER_SLIP = 6  # a title run together in a display face may be a letter off in this many, broken A's aside


def holds_the_signer(lines: list[list[str]]) -> bool:
    """Whether lines read from a signature block, as words, hold a position of the signer's own and a name
    the names lexicon knows."""
    return any(is_own_position(words) for words in lines) and any(is_a_known_name(words) for words in lines)


def is_a_known_name(words: list[str]) -> bool:
    """Words that, debris at either end taken off, are a full name the names lexicon knows, as printed."""
    name = [text for word in words if (text := trimmed(word))]
    return check_name(name).known and all(is_capitalised(word) for word in name)


def is_own_position(words: list[str]) -> bool:
    """A line that is a position, or two ("BỘ TRƯỞNG, CHỦ NHIỆM"), read whole: not an authority signed for
    ("KT. THỦ TƯỚNG"), nor a line that only ends like a position ("_nfT CHÁNH THANH TRA", its "KT." lost)."""
    return all(letters_only(part) in POSITIONS for part in fold(" ".join(words)).split(","))


def titles(block: list[Segment]) -> tuple[FieldValue, str | None]:
    """(the signer's position, the authority signed for) from a signature block's lines in capitals.

    Lines opening with TM., KT., TL. or TUQ. name the authority; the last other line is the position.
    Under "KT. X" the signer is X's deputy (Decree 30), so a position read as X itself, or taken from a
    line's ending only ("Ò THỦ TƯỚNG", "WỦ TƯỚNG"), or lost under the seal, is the deputy's title, to be
    confirmed; so is the title under two lines both ending with X, "KT." lost with "PHÓ". Where X is two titles
    held at once ("KT. BỘ TRƯỞNG, CHỦ NHIỆM"), the signer is the deputy of the one the position line reads."""
    authority_lines = [seg for seg in block if SIGNS_FOR.match(seg.folded)]
    own = [seg for seg in block if seg not in authority_lines]
    authority = " ".join(authority_text(seg) for seg in authority_lines) or None
    deputy_of = [exact_title(seg) or position_ending(seg)
                 for seg in authority_lines if SIGNS_AS_DEPUTY.match(seg.folded)]
    if not own:  # the position's line lost under the seal: under "KT. X" it is X's deputy
        inferred = deputy(deputy_of[-1]) if deputy_of and deputy_of[-1] else None
        return FieldValue(inferred, INFERRED_CONFIDENCE if inferred else 0.0), authority
    if not authority_lines and len(own) >= 2 and (hidden := deputy_under_hidden_mark(own[-2], own[-1])):
        return FieldValue(hidden, min(text_confidence(own[-2:]), INFERRED_CONFIDENCE)), authority
    exact = [seg for seg in own if exact_title(seg)]
    position = position_value(exact[-1] if exact else own[-1])
    head = deputy_of[-1] if deputy_of else None
    if head and position.value in head.split(", "):  # "KT. BỘ TRƯỞNG, CHỦ NHIỆM" over "CHỦ NHIỆM": its deputy
        head = position.value
    # Read as X itself, or as another title only from a line's ending ("WỦ TƯỚNG" -> VỤ TRƯỞNG): X's deputy.
    if head and deputy(head) and position.value != deputy(head) and (
            position.value == head or position.confidence < SURE):
        return FieldValue(deputy(head), min(position.confidence, INFERRED_CONFIDENCE)), authority
    return position, authority


def authority_text(seg: Segment) -> str:
    """An authority line as printed: its mark ("xr." read for KT.) and the title or organ after it."""
    mark = SIGNS_FOR.match(seg.folded).group(1)
    deputy_mark = SIGNS_AS_DEPUTY.match(seg.folded) is not None
    title = exact_title(seg) or (position_ending(seg) if deputy_mark else None)
    printed = "KT" if deputy_mark else "TUQ" if re.fullmatch(TUQ, mark) else mark.upper()
    return f"{printed}. {title or nfc(strip_authority(seg.text))}"


def deputy_under_hidden_mark(upper: Segment, lower: Segment) -> str | None:
    """Two title lines ending with the same title X were "KT. X" over "PHÓ X", their starts hidden by a
    seal (the lower one may have lost X's first letters with "PHÓ": "IÓXHÁNH THANH TRA"): no signature
    block repeats a title otherwise. The deputy's title, or None."""
    head = position_ending(upper)
    if not head:
        return None
    ending, lower_text, title = position_ending(lower), letters_only(lower.folded), fold(head)
    ends_alike = ending == head or (ending is None and any(lower_text.endswith(title[cut:]) for cut in (1, 2)))
    return deputy(head) if ends_alike else None


def deputy(head: str) -> str | None:
    """The title of a head's deputy, who signs "KT." for the head."""
    title = "THỨ TRƯỞNG" if head == "BỘ TRƯỞNG" else f"PHÓ {head}"
    return title if fold(title) in POSITIONS else None


def position_value(seg: Segment) -> FieldValue:
    """A signer position, spelled as in the lexicon when the folded letters match one exactly, or when
    the line ends with one after debris (only then with doubt). An acting head's title keeps its "Q."
    ("Q. GIÁM ĐỐC"): the signer holds the head's powers, not the head's post."""
    acting = "Q. " if ACTING.match(seg.folded) else ""
    canonical = exact_title(seg)
    if canonical:
        return FieldValue(acting + canonical, max(text_confidence([seg]), SURE))
    if held_together := two_titles_a_letter_off(seg):
        return FieldValue(held_together, min(text_confidence([seg]), INFERRED_CONFIDENCE))
    ending = position_ending(seg)
    return FieldValue(acting + (ending or nfc(strip_authority(seg.text))),
                      min(text_confidence([seg]), INFERRED_CONFIDENCE))


def exact_title(seg: Segment) -> str | None:
    """The position of the lexicon a line is, letter for letter, after its authority mark, or the two
    positions one person holds at once ("BỘ TRƯỞNG, CHỦ NHIỆM" of the Government Office)."""
    text = letters_only(fold(strip_authority(seg.text)))
    if text in POSITIONS:
        return POSITIONS[text]
    words = text.split()
    halves = ((" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(1, len(words)))
    return next((f"{POSITIONS[first]}, {POSITIONS[second]}" for first, second in halves
                 if first in POSITIONS and second in POSITIONS), None)


def two_titles_a_letter_off(seg: Segment) -> str | None:
    """Two positions one person holds, one letter of the line off them in all ("ĐỘ TRƯỞNG, CHỦ NHIỆM"): else
    the second alone would be taken for the position."""
    parts = [letters_only(part).split() for part in fold(strip_authority(seg.text)).split(",")]
    nearest = [nearest_title(words) for words in parts] if len(parts) == 2 else [None]
    if None in nearest or sum(off for off, _ in nearest) != 1:
        return None
    return ", ".join(POSITIONS[title] for _, title in nearest)


def nearest_title(words: list[str]) -> tuple[int, str] | None:
    """(letters off, title) of the one title of as many words that the words are nearest, at most a letter off."""
    near = sorted((off, p) for p in POSITIONS if len(p.split()) == len(words)
                  and (off := letters_off(words, p.split())) is not None and off <= 1)
    return near[0] if near and (len(near) == 1 or near[1][0] > near[0][0]) else None


def position_ending(seg: Segment) -> str | None:
    """The position of the lexicon a line ends with ("ƒ© mà THỦ TƯỚNG" -> THỦ TƯỚNG), the longest one; or
    failing that, the one its last words are each a letter off ("Z7; GIÁN Đốc" -> GIÁM ĐỐC), the fewest letters off
    in all, if no other is as near; failing both, the title a lone word can only end ("TƯỚNG" -> THỦ TƯỚNG)."""
    text = letters_only(seg.folded)
    ends = titles_ending(text)
    if ends:
        return POSITIONS[max(ends, key=len)]
    words = text.split()
    if rejoined := title_split_in_a_word(words):
        return rejoined
    near = {p: off for p in POSITIONS if (off := letters_off(words, p.split())) is not None}
    closest = [p for p in near if near[p] == min(near.values())]  # "HỦ TƯỚNG": THỦ TƯỚNG, not THỨ TRƯỞNG
    longest = max(closest, key=len, default=None)
    if longest and all(longest.endswith(p) for p in closest):
        return POSITIONS[longest]
    return title_of_its_last_word(words) or title_run_together(seg.folded)


def title_split_in_a_word(words: list[str]) -> str | None:
    """The title a line is, letter for letter, once one space read inside a word is taken out ("CH ẤNH VĂN PHÒNG":
    a broken letter read as a space and another letter)."""
    rejoined = (" ".join(words[:i] + [words[i] + words[i + 1]] + words[i + 2:]) for i in range(len(words) - 1))
    return next((POSITIONS[text] for text in rejoined if text in POSITIONS), None)


def title_of_its_last_word(words: list[str]) -> str | None:
    """For a line of one word of four letters or more, the rest lost under a seal: the title of the lexicon that
    ends with it, the shortest, where every other title ending with it ends with that one ("TƯỚNG": THỦ TƯỚNG,
    of which PHÓ THỦ TƯỚNG is the deputy's; "PHÒNG": TRƯỞNG PHÒNG or CHÁNH VĂN PHÒNG, none)."""
    if len(words) != 1 or len(words[0]) < 4:
        return None
    ending = [p for p in POSITIONS if p.split()[-1] == words[0]]
    shortest = min(ending, key=len, default=None)
    return POSITIONS[shortest] if shortest and all(p.endswith(shortest) for p in ending) else None


def title_run_together(folded: str) -> str | None:
    """A line in a display face whose A's broke into strokes and whose spaces were lost ("CHÁNHTH.\\NHTR.\\"):
    the longest title its letters end with, spaces aside; failing that, the one title its last letters are
    nearest, a letter off in LETTERS_PER_SLIP at most, where other hairlines broke too ("CHẾNH TH\\YHTR\\"). Only with
    a broken A: letters run together alone may end with a short title by chance."""
    if not BROKEN_A.search(folded):
        return None
    letters = letters_only(BROKEN_A.sub("a", folded)).replace(" ", "")
    ends = [p for p in POSITIONS if letters.endswith(p.replace(" ", ""))]
    if ends:
        return POSITIONS[max(ends, key=len)]
    near = sorted((off, p) for p in POSITIONS
                  if (off := ending_off(letters, title := p.replace(" ", ""))) * LETTERS_PER_SLIP <= len(title))
    return POSITIONS[near[0][1]] if len(near) == 1 or near and near[1][0] > near[0][0] else None


def ending_off(letters: str, title: str) -> int:
    """Letters off between a title and the line's ending of about its length (a letter lost or read twice)."""
    return min(Levenshtein.distance(letters[-length:], title) for length in range(len(title) - 2, len(title) + 3))


def titles_ending(text: str) -> list[str]:
    """The positions of the lexicon (folded) that a line's letters are, or end with after a space."""
    return [p for p in POSITIONS if text == p or text.endswith(" " + p)]


def letters_off(words: list[str], title: list[str]) -> int | None:
    """How many letters the last words are off the title's, None if any word is off by more than one, unless
    a single word of four letters or more is two off and the others are read whole ("NRÁNH VĂN PHÒNG", "Q.
    GLÁÝM ĐỐC": a display face's hairlines broken). The line's first word may have lost its first letters (to
    a seal or a speck): "ÁNH VĂN PHÒNG" is one off CHÁNH VĂN PHÒNG, and so, of a first word of two letters, is
    its last letter alone ("2Ô TRƯỞNG" is one off BỘ TRƯỞNG)."""
    if len(words) < len(title):
        return None
    read_words = words[-len(title):]
    distances = [Levenshtein.distance(read, known) if len(read) >= 2 else 2 for read, known in zip(read_words, title)]
    if len(words) == len(title) and (len(words[0]) >= 2 or len(title[0]) == 2) and title[0].endswith(words[0]):
        distances[0] = min(distances[0], 1)
    if max(distances) <= 1:
        return sum(distances)
    two_off = [i for i, off in enumerate(distances) if off == 2]
    whole_but_one = len(two_off) == 1 and sum(distances) == 2
    return 2 if whole_but_one and min(len(read_words[two_off[0]]), len(title[two_off[0]])) >= 4 else None


def strip_authority(text: str) -> str:
    return AUTHORITY_MARK.sub("", text, count=1).strip()


def plausible_title_line(seg: Segment) -> bool:
    """Not debris of a seal or signature: enough letters, read with some confidence."""
    return sum(ch.isalpha() for ch in seg.text) >= 4 and text_confidence([seg]) >= 0.5


def signs_for_a_title(seg: Segment) -> bool:
    """An authority line of a title, however its mark was read ("xr. THỦ TƯỚNG")."""
    return SIGNS_FOR.match(seg.folded) is not None and position_ending(seg) is not None


def is_misspelt_position(seg: Segment) -> bool:
    """A line that is a position of the lexicon with one letter wrong and nothing else ("TRƯỞNG PHÒYG");
    not a line that ends with a title after other signs ("“HÓ CHÁNH ÁN": PHÓ lost, or debris)."""
    text = letters_only(seg.folded)
    words = text.split()
    return not titles_ending(text) and any(len(words) == len(p.split()) and letters_off(words, p.split()) == 1
                                           for p in POSITIONS)


def is_position(seg: Segment) -> bool:
    """A line that is, or begins with, a position of the lexicon ("KT. CHỦ TỊCH", "GIÁM ĐỐC SỞ Y TẾ")."""
    text = letters_only(strip_authority(seg.folded))
    return any(text == p or text.startswith(p + " ") for p in POSITIONS)
