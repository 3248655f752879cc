"""Vietnamese personal names: the syllables they are made of, to check and mend a signer's name.

OCR confuses the marks of a syllable ("Đúc" for Đức, "Đỉnh" for Đinh). A read syllable that is
not a name syllable is respelled only where exactly one name syllable has its letters; where
several have them ("Đinh", "Đình", "Định") nothing is guessed and the name is left to review.
A seal's rim or the signature's last stroke often runs over the family name's first letters ("rần
Văn Tâm", "IIồ Thị Châu"): the one family name that ends so is taken, in doubt. So is the one family name
a first word read with other marks ("Đính": Đinh) or a letter lost ("Tịnh": Trịnh) can be. A given name
whose capital has the shape of its small letter ("kiên", "xuân") was read a size too small: it is capitalised.
"""
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from sohoa.core.text import SHAPE_MARKS, TONES, fold, nfc, one_tone_placement

FAMILY_NAMES = frozenset(nfc(n) for n in """
Âu Bạch Bùi Cao Châu Chu Đàm Đặng Đào Đậu Diệp Đinh Đỗ Doãn Đoàn Đồng Dương Đường Giang Hà Hầu Hồ
Hoàng Hứa Huỳnh Khổng Khúc Kiều Kim La Lã Lại Lâm Lê Lò Lục Lương Lưu Lý Mạc Mai Nghiêm Ngô Nguyễn
Ninh Nông Ông Phạm Phan Phó Phùng Quách Quan Tạ Tăng Thái Thạch Thân Tiêu Tô Tôn Tống Trang Trần
Triệu Trịnh Trương Từ Vi Võ Vũ Vương""".split())

GIVEN_SYLLABLES = frozenset(nfc(n) for n in """
An Ân Anh Ánh Bá Bắc Bách Ban Bằng Bảo Bé Bích Biên Bình Bội Bửu Ca Cầm Cẩm Cần Cảnh Chánh Châu Chi Chí
Chiến Chinh Chính Chuẩn Chung Chương Công Cúc Cung Cương Cường Cửu Đắc Đại Đan Đăng Đạo Đạt Diễm Diện
Diệp Điệp Diệu Đình Định Độ Đoan Doanh Đôn Đông Đức Dung Dũng Được Dương Duy Duyên Gấm Gia Giang Giao
Giáp Hà Hạ Hải Hân Hằng Hạnh Hào Hảo Hậu Hiến Hiền Hiển Hiệp Hiếu Hinh Hoa Hòa Hoài Hoan Hoàn Hoàng Học
Hội Hồng Hợp Huân Huấn Huế Huệ Hùng Hưng Hương Hướng Hường Hưởng Hữu Huy Huyền Kha Khắc Khải Khang Khanh
Khánh Khiêm Khoa Khôi Khuê Khương Kiên Kiệt Kim Kính Kỳ Lai Lam Lâm Lan Lành Lập Lệ Liêm Liên Liễu Linh
Loan Lộc Lợi Long Luân Luận Lực Lương Ly Lý Mai Mẫn Mạnh Miên Minh Mơ My Mỹ Nam Nga Ngà Ngân Nghị Nghĩa
Ngọc Nguyên Nguyệt Nhã Nhàn Nhân Nhật Nhi Nhiên Như Nhung Ninh Nữ Oanh Phát Phi Phớc Phong Phú Phúc
Phụng Phước Phương Phượng Quân Quang Quế Quốc Quý Quyên Quyền Quyết Quỳnh Sâm Sang Sáng Sĩ Sinh Sơn Song
Sửu Sỹ Tài Tâm Tân Tấn Tần Tạo Tất Thạch Thái Thắm Thăng Thắng Thanh Thành Thạnh Thảo Thế Thi Thị Thiện
Thịnh Thơ Thoa Thông Thu Thư Thuận Thục Thương Thùy Thúy Thụy Thủy Tiên Tiến Tín Tình Tịnh Toàn Toản
Trâm Trang Trí Triết Triều Trinh Trọng Trúc Trực Trung Trường Tú Tư Tuân Tuấn Tuệ Tùng Tường Tuyên Tuyền
Tuyết Uyên Vân Văn Viên Viết Việt Vinh Vĩnh Võ Vũ Vui Vượng Vy Xuân Xuyến Yên Yến""".split())

NAME_SYLLABLES = FAMILY_NAMES | GIVEN_SYLLABLES
FOREIGN_LETTERS = "fjwz"  # not in the Vietnamese alphabet
VOWELS = "aeiouy"  # the letters that take marks, besides đ
LONG_ENDING = 4  # letters of a family name's ending that tell it even with its marks lost and a letter misread
SIZE_ONLY = "ckosuvx"  # letters whose capital is the small letter's shape, larger: OCR confuses the two
VIETNAMESE_MARKS = frozenset(TONES + SHAPE_MARKS)
_SIGNS_BEFORE, _SIGNS_AFTER = re.compile(r"^[\W\d_]+"), re.compile(r"[\W\d_]+$")  # digits, punctuation, specks
_SIGNS_WITHIN = re.compile(r"(?<=[^\W\d_])[\W\d_]+(?=[^\W\d_])")
_BY_LETTERS: dict[str, set[str]] = {}
for _syllable in NAME_SYLLABLES:
    _BY_LETTERS.setdefault(fold(_syllable), set()).add(_syllable)
_FAMILY_LESS_A_LETTER: dict[str, set[str]] = {}  # "Tịnh" -> {Trịnh}: each family name with one letter lost
for _family in FAMILY_NAMES:
    for _at in range(1, len(_family)):  # its capital lost is family_name_ending's
        _FAMILY_LESS_A_LETTER.setdefault(_family[:_at] + _family[_at + 1:], set()).add(_family)


@dataclass
class CheckedName:
    text: str  # as read, or with marks mended where only one name syllable fits
    known: bool  # a family name, then name syllables, each read so or mended without doubt
    mended: bool  # some syllable was respelled


def spelled(syllable: str) -> str:
    return one_tone_placement(nfc(syllable))


def mend_syllable(read: str) -> tuple[str, bool]:
    """(the syllable, whether it is a name syllable): as read if it is one; the one name syllable with
    its letters if there is exactly one; else as read, unknown."""
    word = spelled(read)
    if word in NAME_SYLLABLES:
        return word, True
    fits = _BY_LETTERS.get(fold(word), set())
    return (next(iter(fits)), True) if len(fits) == 1 else (word, False)


def family_name_ending(read: str) -> str | None:
    """The one family name whose first letter or two were lost, possibly read as up to two other signs,
    that the word ends like ("rần", "1rần": Trần; "IIồ": Hồ; "Xiuỳnh": Huỳnh; "uyễn": Uyên's letters, but in
    small letters and another mark no name is so); failing that, the one it ends like if marks were lost too
    ("rinh": Trịnh), also after one misread letter where four letters or more are left ("Xguyên": Nguyễn).
    None for a name syllable as printed, or a family name in small letters (its capital's top lost: "châu"), or
    where no family name or several end so ("ương": Lương, Dương, Trương, Vương). The longest ending read
    decides ("aỳnh" ends like Huỳnh by three letters, like Đinh and Ninh by two). A given name in small letters
    is the end of a family name only after one letter read for the lost ones ("cần", "định": Trần, Trịnh; not
    "xuân", Thân's end after two)."""
    after_signs = _SIGNS_BEFORE.sub("", read)
    word, signs = spelled(after_signs), len(read) - len(after_signs)
    if not word or (mend_syllable(word)[1] if word[0].isupper() else word.capitalize() in FAMILY_NAMES):
        return None
    if word.capitalize() in NAME_SYLLABLES:  # a given name in small letters: its first letter only read for the lost
        return ending_of(word, 1, spelled)
    # without its marks, the word must be the ending itself: "chư" is no Chu that lost its C and its mark,
    # unless four letters or more are left after the one misread ("Xguyên": Nguyễn)
    folded = fold(word)
    long_ending = ending_of(folded[1:], 0, fold) if len(folded) > LONG_ENDING else None
    return ending_of(word, 2 - min(signs, 2), spelled) or ending_of(folded, 0, fold) or long_ending


def family_name_misread(read: str) -> str | None:
    """The one family name a capitalised word that is none can be read with other marks ("Đính": Đinh, where
    Đình and Định are given names only) or with a letter lost ("Tịnh": Trịnh); None where none or several fit."""
    word = spelled(read)
    if not is_capitalised(word) or word in FAMILY_NAMES:
        return None
    fits = _BY_LETTERS.get(fold(word), set()) & FAMILY_NAMES or _FAMILY_LESS_A_LETTER.get(word, set())
    return next(iter(fits)) if len(fits) == 1 else None


def ending_of(word: str, misread_at_most: int, written: Callable[[str], str]) -> str | None:
    """The one family name, each written so, that the word ends like after up to misread_at_most letters read
    for the lost ones; see family_name_ending."""
    fits = {(len(family) - lost, family) for family in FAMILY_NAMES for lost in (1, 2)
            for misread in range(misread_at_most + 1)
            if (ending := written(family[lost:])) and word[misread:] == ending and ending_holds(word[:misread], ending)}
    longest = max((length for length, _ in fits), default=0)
    families = [family for length, family in fits if length == longest]  # "aỳnh": Huỳnh ("ỳnh"), not Đinh
    return families[0] if len(families) == 1 else None


def ending_holds(misread: str, ending: str) -> bool:
    """Whether a family name's ending is evidence enough: two letters or more, or one with a mark after capitals,
    signs or letters no Vietnamese word has that stand for the lost ones ("IIồ", "2ñồ": Hồ); never one letter
    after small letters that may be the word's own, nor a bare one ("5n" is no more Tôn than any name in n)."""
    return len(ending) >= 2 or ending != fold(ending) and not any(
        ch.islower() and not foreign_letter(ch) for ch in misread)


def foreign_letter(letter: str) -> bool:
    """Whether a letter is none of the Vietnamese alphabet: f, j, w, z, or a letter with a mark Vietnamese
    does not write ("ç"), or on a consonant ("ñ")."""
    base, *marks = unicodedata.normalize("NFD", letter.lower())
    if base == "đ" or (base in VOWELS and VIETNAMESE_MARKS.issuperset(marks)):
        return False
    return base in FOREIGN_LETTERS or bool(marks) or not ("a" <= base <= "z")


def check_name(words: list[str]) -> CheckedName:
    """A full name read as words: each syllable checked against the lexicon, the first as a family name,
    or as the end of one; a family name completed so is never known."""
    mended = [mend_syllable(w) for w in words[:1]] + [mend_syllable(capitalised(w)) for w in words[1:]]
    if words and mended[0][0] not in FAMILY_NAMES and (
            family := family_name_ending(words[0]) or family_name_misread(words[0])):
        mended[0] = (family, False)
    elif words and lost_capital(words[0]):
        mended[0] = (nfc(words[0]).capitalize(), False)
    text = " ".join(w for w, _ in mended)
    known = 2 <= len(words) <= 5 and all(ok for _, ok in mended) and mended[0][0] in FAMILY_NAMES
    return CheckedName(text, known, text != " ".join(spelled(w) for w in words))


def lost_capital(word: str) -> bool:
    """Whether a word in small letters is a family name whose capital lost its top to a seal's rim ("châu")."""
    return word.islower() and nfc(word).capitalize() in FAMILY_NAMES


def is_capitalised(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower() and word.isalpha()


def capitalised(word: str) -> str:
    """A name syllable read in small letters whose capital differs from its small letter in size only
    ("kiên", "văn"): capitalised; any other word as it is."""
    base = unicodedata.normalize("NFD", word[:1].lower())[:1]
    if word.isalpha() and word.islower() and base in SIZE_ONLY and nfc(word).capitalize() in NAME_SYLLABLES:
        return nfc(word).capitalize()
    return word


def is_name_cased(word: str) -> bool:
    """Capitalised as a name syllable is, or read a size too small where only size tells its capital."""
    return is_capitalised(capitalised(word))


def trimmed(word: str) -> str:
    """The word without the digits and signs at either end ("„Hố" -> "Hố"), and a family name without the
    specks read into it ("l.ương" -> "lương"; "t'han" is kept, its "t'" may be a misread P)."""
    word = _SIGNS_AFTER.sub("", _SIGNS_BEFORE.sub("", word))
    joined = _SIGNS_WITHIN.sub("", word)
    return joined if nfc(joined).capitalize() in FAMILY_NAMES else word


def name_tail(words: list[str]) -> list[str]:
    """The longest run of name syllables ending the line, opening with a family name or the end of one:
    a name read with debris of a seal or a signature before it ("—_— Hồ Đức Phớc" -> Hồ Đức Phớc)."""
    run: list[str] = []
    for word in reversed(words):
        text = trimmed(word)
        if not (is_name_cased(text) and mend_syllable(capitalised(text))[1]):
            # "W6uyễn Kim Trâm": Kim is a family name, but also a middle name, and a name of two is rare
            first = mend_syllable(run[0])[0] if run else None
            opens = bool(run) and (first not in FAMILY_NAMES or len(run) == 2 and first in GIVEN_SYLLABLES)
            before_signs = _SIGNS_AFTER.sub("", word)
            if opens and (family_name_ending(before_signs) or family_name_misread(text) or lost_capital(text)):
                run.insert(0, before_signs)
            break
        run.insert(0, text)
    while run and mend_syllable(run[0])[0] not in FAMILY_NAMES and not (
            family_name_ending(run[0]) or family_name_misread(run[0])):
        run.pop(0)
    return run if 2 <= len(run) <= 5 else []
