"""Vietnamese text normalisation shared by OCR, classification and search."""
import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Vietnamese letters whose base letter is not recovered by decomposition.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


# OCR engines emit the Icelandic eth for the Vietnamese d with stroke; Vietnamese has no eth.
_ETH = str.maketrans({"Ð": "Đ", "ð": "đ"})


TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
SHAPE_MARKS = "\u0302\u0306\u031b"  # circumflex, breve, horn: the vowels' own marks
# In NFD, a final "oa"/"oe"/"uy" carrying its tone on the second vowel ("qu" + y is not such a pair).
_LATE_TONE = re.compile(rf"(?<![qQ])([oO][aAeE]|[uU][yY])([{TONES}])(?!\w)")


def one_tone_placement(text: str) -> str:
    """NFC text with the tone of a syllable ending in oa, oe or uy on the first vowel ("hoà" -> "hòa",
    "thuý" -> "thúy"), as the Decree 30 forms print "CỘNG HÒA": both spellings are in use."""
    decomposed = unicodedata.normalize("NFD", text)
    decomposed = _LATE_TONE.sub(lambda m: m.group(1)[0] + m.group(2) + m.group(1)[1], decomposed)
    return unicodedata.normalize("NFC", decomposed)


def nfc(text: str) -> str:
    """Unicode NFC with whitespace collapsed: one spelling for every Vietnamese letter."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text.translate(_ETH))).strip()


def fold(text: str) -> str:
    """Lower-case text with Vietnamese tone and vowel marks removed ("Hồ sơ" -> "ho so")."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def is_upper_text(text: str) -> bool:
    """True when every cased letter of text is upper case and it has at least two letters."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters if ch.lower() != ch.upper())
