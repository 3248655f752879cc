"""Phrases of official organ names, to restore Vietnamese marks that OCR confuses (LÀO CẠI ->
LÀO CAI, KÊ HOẠCH -> KẾ HOẠCH).

Known phrases are matched on their letters with marks removed, longest first, so that context
decides between spellings ("HÀ TĨNH" the province, "TỈNH" the word); within a phrase of several words
its words of three letters or more may each be a letter off (one of two letters, one letter changed, where
every other word was read exactly: "NỘI VỊ" is NỘI VỤ), and a word read as two or two words read as one are
put right, and a word read inside a long phrase that it does not have is left out. Words outside every known
phrase are left as read.
"""
import re

from rapidfuzz.distance import Hamming, Levenshtein

from sohoa.core.text import fold

# The 63 provinces and centrally governed cities before the 2025 merger (older records name them).
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định",
    "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Hồ Chí Minh",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)

ORGAN_PHRASES = (
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG",
    "SỞ", "PHÒNG", "VĂN PHÒNG", "BỘ", "CỤC", "TỔNG CỤC", "CHI CỤC", "VỤ", "BAN", "TRUNG TÂM", "THANH TRA",
    "KHO BẠC NHÀ NƯỚC", "BẢO HIỂM XÃ HỘI", "CHÍNH PHỦ", "THỦ TƯỚNG CHÍNH PHỦ", "KẾ HOẠCH VÀ ĐẦU TƯ", "Y TẾ",
    "NỘI VỤ", "TÀI CHÍNH", "TƯ PHÁP", "GIÁO DỤC VÀ ĐÀO TẠO", "LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    "GIAO THÔNG VẬN TẢI", "XÂY DỰNG", "NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "TÀI NGUYÊN VÀ MÔI TRƯỜNG", "CÔNG THƯƠNG", "KHOA HỌC VÀ CÔNG NGHỆ", "THÔNG TIN VÀ TRUYỀN THÔNG",
    "VĂN HÓA, THỂ THAO VÀ DU LỊCH", "NGOẠI VỤ", "CỤC THUẾ", "THỐNG KÊ", "VĂN THƯ - LƯU TRỮ",
    "QUẢN LÝ DỰ ÁN", "DÂN TỘC", "CÔNG AN", "TÒA ÁN NHÂN DÂN", "VIỆN KIỂM SÁT NHÂN DÂN",
)

CITIES = ("Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Hồ Chí Minh")  # governed from the centre: THÀNH PHỐ, not TỈNH
# A province with the word before it ("TỈNH VĨNH LONG"): the whole phrase is the evidence for a word of it
# that lost a letter ("ÏNH VĨNH LONG").
LOCAL_PHRASES = tuple(("THÀNH PHỐ " if p in CITIES else "TỈNH ") + p.upper() for p in PROVINCES)

_PHRASES: dict[tuple[str, ...], list[str]] = {}
for _phrase in ORGAN_PHRASES + tuple(p.upper() for p in PROVINCES) + LOCAL_PHRASES:
    _words = _phrase.split()
    _PHRASES[tuple(fold(w).strip(",") for w in _words if w != "-")] = [w for w in _words if w != "-"]
_LONGEST = max(len(k) for k in _PHRASES)
# Two neighbouring words of a phrase read as one ("CHÍNHPHỦ"): split where the phrase says.
_GLUED = {first + second: len(first) for keys in _PHRASES for first, second in zip(keys, keys[1:])}
_WORDS = {key for keys in _PHRASES for key in keys}
MIN_GLUED_OFF = 6  # letters of two glued words that leave one misread letter evidence enough of them
MIN_JOINED = 5  # letters of a word read as two tokens that leave one misread letter evidence enough of it
_JOINABLE_WORDS = {word for word in _WORDS if len(word) >= MIN_JOINED}
_LONG_PHRASES = [keys for keys in _PHRASES if len(keys) >= 4]


def _key(word: str) -> str:
    return re.sub(r"[^\w]", "", fold(word))


def _near_phrase(keys: tuple[str, ...]) -> list[str] | None:
    """The one phrase of several words these spell with words of three letters or more each a letter off
    (one letter changed, added or lost, as a display face's broken hairlines make them: "TÀI CHÍSH", "KOXN
    TM"), or one word of two letters with one letter changed beside words read exactly; at most one letter in
    three of the phrase off: its other letters are the evidence."""
    near = []
    for known, words in _PHRASES.items():
        if len(known) != len(keys) or len(keys) < 2:
            continue
        off = [Levenshtein.distance(a, b) for a, b in zip(keys, known)]
        # A word read as a word of the lexicon is taken as read: "ĐA KHOA TỈNH" is not "HÒA BÌNH" a letter off.
        if all(d == 0 or (d == 1 and (len(b) >= 3 or (sum(off) == 1 and len(a) == len(b))) and a not in _WORDS)
               for a, b, d in zip(keys, known, off)) \
                and 0 < 3 * sum(off) <= sum(map(len, known)):
            near.append(words)
    return near[0] if len(near) == 1 else None


def _phrase_at(keys: list[str], running_text: bool) -> list[str] | None:
    """The longest known phrase the words at the start of keys spell exactly, else nearly. In running
    text, where "tinh gọn" is not "TỈNH", only whole phrases of several words count, spelled exactly."""
    sizes = range(min(_LONGEST, len(keys)), 1 if running_text else 0, -1)
    exact = next((p for size in sizes if (p := _PHRASES.get(tuple(keys[:size])))), None)
    return exact if exact or running_text else next(
        (p for size in sizes if (p := _near_phrase(tuple(keys[:size])))), None)


def split_glued(tokens: list[str]) -> list[str]:
    """Tokens with each one that spells two neighbouring words of a known phrase cut in two at the
    letter where the second word starts ("CHÍNHPHỦ" -> "CHÍNH", "PHỦ"), also with one of its letters read as
    another where that leaves one such pair ("CHÍYHPHỦ" -> "CHÍYH", "PHỦ": the phrase then mends the letter)."""
    split = []
    for token in tokens:
        key = _key(token)
        cut = _GLUED.get(key) or _glued_a_letter_off(key)
        letters = [i for i, ch in enumerate(token) if _key(ch)] if cut else []
        if cut and len(letters) == len(key):
            split += [token[:letters[cut]], token[letters[cut]:]]
        else:
            split.append(token)
    return split


def _glued_a_letter_off(key: str) -> int | None:
    """Where the one pair of glued words a token of six letters or more spells with one letter changed starts
    its second word; None where none or several do."""
    if len(key) < MIN_GLUED_OFF:
        return None
    cuts = {cut for glued, cut in _GLUED.items() if len(glued) == len(key) and Hamming.distance(glued, key) == 1}
    return cuts.pop() if len(cuts) == 1 else None


def join_split(tokens: list[str]) -> list[str]:
    """Tokens with a word of a known phrase read as two, one of them a lone letter ("V Ụ"), put back
    together ("VỤ"), or neither a word of the lexicon and together one of its words of MIN_JOINED letters
    or more a letter off (a display face's broken A read as a space and a V: "TH VNH" for THANH); two tokens
    that are words each are left apart."""
    joined: list[str] = []
    for token in tokens:
        previous, key = _key(joined[-1]) if joined else "", _key(token)
        lone_letter = 1 in (len(previous), len(key))
        if lone_letter and previous + key in _WORDS and not (previous in _WORDS and key in _WORDS):
            joined[-1] += token
        elif previous and previous not in _WORDS and key not in _WORDS and _a_word_a_letter_off(previous + key):
            joined[-1] += token
        else:
            joined.append(token)
    return joined


def _a_word_a_letter_off(key: str) -> bool:
    return len(key) >= MIN_JOINED and any(Levenshtein.distance(key, word) == 1 for word in _JOINABLE_WORDS)


def without_a_stray_word(tokens: list[str]) -> list[str]:
    """Tokens less the one word read inside a known phrase of four words or more that the phrase does not
    have: a stamp's word run into the organ name, or one of its words read twice ("GIÁO DỤC GẦN VÀ ĐÀO TẠO",
    "GIÁO DỤC ĐÀO VÀ ĐÀO TẠO"). Left as read when no phrase, or more than one word, could be the stray one."""
    slots = [i for i, t in enumerate(tokens) if _key(t)]
    keys = [_key(tokens[i]) for i in slots]
    strays = {slots[start + i] for phrase in _LONG_PHRASES for start in range(len(keys) - len(phrase))
              for i in range(1, len(phrase)) if keys[start:start + i] + keys[start + i + 1:start + len(phrase) + 1]
              == list(phrase) and keys[start + i] != phrase[i]}
    return [t for i, t in enumerate(tokens) if i not in strays] if len(strays) == 1 else tokens


def _in_case_of(right: str, read: str) -> str:
    if read.isupper():
        return right.upper()
    return right[:1].upper() + right[1:].lower() if read[:1].isupper() else right.lower()


def restore_marks(text: str, running_text: bool = False) -> tuple[str, bool]:
    """Text with known phrases respelled from the lexicon, each word in the case it was read in; True if
    anything changed. running_text: a subject or body line rather than an organ name. A phrase of one word
    (SỞ, HUYỆN, QUẬN, PHÒNG) heads an organ's name: it is respelled only first on the line or after a phrase of
    several words ("ỦY BAN NHÂN DÂN HUYỆN"), never inside a name ("HUYỆN NHO QUAN", "XÃ PHONG NIÊN")."""
    tokens = text.split() if running_text else without_a_stray_word(join_split(split_glued(text.split())))
    slots = [i for i, t in enumerate(tokens) if _key(t)]  # dashes and lone punctuation are kept as read
    keys = [_key(tokens[i]) for i in slots]
    changed, n, heads = len(tokens) != len(text.split()), 0, True
    while n < len(slots):
        canonical = _phrase_at(keys[n:], running_text)
        if canonical is not None and len(canonical) == 1 and not heads:
            canonical = None
        heads = canonical is not None and len(canonical) > 1
        if canonical is None:
            n += 1
            continue
        for slot, right in zip(slots[n:n + len(canonical)], canonical):
            read = tokens[slot]
            trail = read[len(read.rstrip(",;.")):]
            fixed = _in_case_of(right.rstrip(","), read.rstrip(",;.")) + trail
            changed = changed or fixed != read
            tokens[slot] = fixed
        n += len(canonical)
    return " ".join(tokens), changed
