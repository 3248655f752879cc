"""Vietnamese personal names: the syllables they are made of, to check and mend a signer's name.

OCR confuses the marks of a syllable ("Đúc" for Đức, "Đỉnh" for Đinh). A read syllable that is
not a name syllable is respelled only where exactly one name syllable has its letters; where
several have them ("Đinh", "Đình", "Định") nothing is guessed and the name is left to review.
A seal's rim or the signature's last stroke often runs over the family name's first letters ("rần
Văn Tâm", "IIồ Thị Châu"): the one family name that ends so is taken, in doubt.
"""
import re
from dataclasses import dataclass

from sohoa.core.text import fold, nfc, one_tone_placement

FAMILY_NAMES = frozenset(nfc(n) for n in """
Âu Bạch Bùi Cao Châu Chu Đàm Đặng Đào Đậu Diệp Đinh Đỗ Doãn Đoàn Đồng Dương Đường Giang Hà Hầu Hồ
Hoàng Hứa Huỳnh Khổng Khúc Kiều Kim La Lã Lại Lâm Lê Lò Lục Lương Lưu Lý Mạc Mai Nghiêm Ngô Nguyễn
Ninh Nông Ông Phạm Phan Phó Phùng Quách Quan Tạ Tăng Thái Thạch Thân Tiêu Tô Tôn Tống Trang Trần
Triệu Trịnh Trương Từ Vi Võ Vũ Vương""".split())

GIVEN_SYLLABLES = frozenset(nfc(n) for n in """
An Ân Anh Ánh Bắc Bằng Bảo Bích Biên Bình Bửu Ca Cầm Cảnh Chánh Châu Chi Chí Chiến Chinh Chính Chung
Cúc Cương Cường Đại Đan Đăng Đạo Đạt Diễm Diện Diệp Điệp Diệu Định Đình Doanh Độ Đoan Đông Dũng Dung
Đức Dương Duy Duyên Gấm Giang Hạ Hà Hải Hân Hằng Hạnh Hào Hảo Hậu Hiền Hiển Hiến Hiệp Hiếu Hinh
Hòa Hoa Hoài Hoan Hoàn Hoàng Học Hồng Hợp Huân Huấn Huế Huệ Hùng Hưng Hương Hướng Hường Hưởng Huy Hữu
Huyền Kha Khải Khang Khanh Khánh Khiêm Khoa Khôi Khuê Kiên Kiệt Kim Kỳ Lai Lam Lâm Lan Lành Lập Lệ
Liên Liêm Liễu Linh Loan Lộc Lợi Long Luân Luận Lực Lương Ly Lý Mai Mẫn Mạnh Minh Mơ My Mỹ Nam Nga
Ngà Ngân Nghĩa Nghị Ngọc Nguyên Nguyệt Nhã Nhàn Nhân Nhật Nhi Nhiên Nhung Như Ninh Oanh Phát Phi
Phong Phú Phúc Phụng Phước Phớc Phương Phượng Quân Quang Quế Quốc Quý Quyên Quyền Quyết Quỳnh Sang
Sáng Sinh Sơn Song Sửu Sỹ Sĩ Tài Tâm Tân Tấn Tần Thạch Thái Thắm Thăng Thắng Thanh Thành Thạnh Thảo
Thi Thị Thiện Thịnh Thơ Thông Thu Thư Thuận Thục Thương Thủy Thúy Thụy Tiên Tiến Tín Tình Tịnh Toàn
Toản Trâm Trang Trí Triều Trinh Trọng Trúc Trung Trực Trường Tú Tuân Tuấn Tuệ Tùng Tường Tuyên Tuyền
Tuyết Tư Uyên Vân Văn Viên Việt Vinh Vĩnh Võ Vũ Vui Vượng Vy Xuân Xuyến Yên Yến""".split())

NAME_SYLLABLES = FAMILY_NAMES | GIVEN_SYLLABLES
_SIGNS_BEFORE, _SIGNS_AFTER = re.compile(r"^[\W\d_]+"), re.compile(r"[\W\d_]+$")  # digits, punctuation, specks
_BY_LETTERS: dict[str, set[str]] = {}
for _syllable in NAME_SYLLABLES:
    _BY_LETTERS.setdefault(fold(_syllable), set()).add(_syllable)


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
    that the word ends like ("rần", "1rần": Trần; "IIồ": Hồ; "Xiuỳnh": Huỳnh); None for a name syllable,
    or where no family name or several end so ("ương": Lương, Dương, Trương, Vương)."""
    after_signs = _SIGNS_BEFORE.sub("", read)
    word, signs = spelled(after_signs), len(read) - len(after_signs)
    if not word or mend_syllable(word)[1]:
        return None
    fits = {family for family in FAMILY_NAMES for lost in (1, 2) for misread in range(3 - min(signs, 2))
            if family[lost:] and word[misread:] == family[lost:] and ending_holds(word[:misread], family[lost:])}
    return next(iter(fits)) if len(fits) == 1 else None


def ending_holds(misread: str, ending: str) -> bool:
    """Whether a family name's ending is evidence enough: two letters or more, or one after capitals or signs
    that stand for the lost ones ("II" for H), never one letter after small letters that are the word's own."""
    return len(ending) >= 2 or not any(ch.islower() for ch in misread)


def check_name(words: list[str]) -> CheckedName:
    """A full name read as words: each syllable checked against the lexicon, the first as a family name,
    or as the end of one; a family name completed so is never known."""
    mended = [mend_syllable(w) for w in words]
    if words and mended[0][0] not in FAMILY_NAMES and (family := family_name_ending(words[0])):
        mended[0] = (family, False)
    text = " ".join(w for w, _ in mended)
    known = 2 <= len(words) <= 5 and all(ok for _, ok in mended) and mended[0][0] in FAMILY_NAMES
    return CheckedName(text, known, text != " ".join(spelled(w) for w in words))


def is_capitalised(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower() and word.isalpha()


def trimmed(word: str) -> str:
    """The word without the digits and signs at either end ("„Hố" -> "Hố")."""
    return _SIGNS_AFTER.sub("", _SIGNS_BEFORE.sub("", word))


def name_tail(words: list[str]) -> list[str]:
    """The longest run of name syllables ending the line, opening with a family name or the end of one:
    a name read with debris of a seal or a signature before it ("—_— Hồ Đức Phớc" -> Hồ Đức Phớc)."""
    run: list[str] = []
    for word in reversed(words):
        text = trimmed(word)
        if not (is_capitalised(text) and mend_syllable(text)[1]):
            opens = bool(run) and mend_syllable(run[0])[0] not in FAMILY_NAMES
            before_signs = _SIGNS_AFTER.sub("", word)
            if opens and family_name_ending(before_signs):
                run.insert(0, before_signs)
            break
        run.insert(0, text)
    while run and mend_syllable(run[0])[0] not in FAMILY_NAMES and not family_name_ending(run[0]):
        run.pop(0)
    return run if 2 <= len(run) <= 5 else []
