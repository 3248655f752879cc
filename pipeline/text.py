"""Vietnamese text normalisation shared by OCR, classification and search."""
import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Vietnamese letters whose base letter is not recovered by decomposition.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


# OCR engines emit the Icelandic eth for the Vietnamese d with stroke; Vietnamese has no eth.
_ETH = str.maketrans({"Ð": "Đ", "ð": "đ"})


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
