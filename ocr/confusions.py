"""Correct Tesseract's known Vietnamese confusions, each only from evidence.

Article numbers: "Điều 1." is often read "Điều L." or "Điều I."; an article is always numbered, so a
single look-alike letter right after "Điều" is the digit 1.

A capital A whose thin left stroke the scan lost: its thick right stroke and the foot of the thin one are
read ".\\" or "\\" ("KẾ HO.\\CH", "CỘNG HÒ.\\"). Inside a word of capitals, with a capital before it,
that is the letter A: no word of capitals holds a backslash.

Marks, from dictionary evidence:
Tesseract's `vie` model often reads a hook above as an acute (or the reverse) when the vowel also
carries a circumflex, breve or horn: "kiểm tra" comes out "kiếm tra", "chuyển đổi" "chuyến đổi".
Each syllable alone is usually still a word ("kiếm" is one), so a syllable list cannot tell. A
list of compound words can: of two neighbouring syllables, if what was read is not a word but
exactly one way of swapping acute and hook above in them gives a word, that spelling is taken.
Nothing is changed without that evidence, and no letter other than the tone mark is ever touched.

The word list is Viet74K (74,000 words and compounds), shipped in the underthesea package.
"""
import functools
import importlib.util
import itertools
import re
import unicodedata
from pathlib import Path

from sohoa.core.page_text import PageText, Word
from sohoa.core.text import SHAPE_MARKS, one_tone_placement

ACUTE, HOOK = "\u0301", "\u0309"
ONE_LOOKALIKE = re.compile(r"^[LlIi|!\]]([.:]?)$")
BROKEN_A = re.compile(r"(?<=[^\W\d_])\.?\\")
SHAPED = set(SHAPE_MARKS)  # the vowels where the two are confused


@functools.cache
def compound_words() -> frozenset[str]:
    """Lower-case compounds of two syllables or more, in one tone-placement convention."""
    spec = importlib.util.find_spec("underthesea")  # the file only: importing the package is slow
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the Vietnamese word list is missing: pip install underthesea")
    path = Path(next(iter(spec.submodule_search_locations))) / "corpus" / "data" / "Viet74K.txt"
    words = path.read_text(encoding="utf-8").splitlines()
    return frozenset(one_tone_placement(w.lower()) for w in words if " " in w)


def swapped(syllable: str) -> str | None:
    """The syllable with acute and hook above exchanged on a shaped vowel, or None if it has neither."""
    decomposed = unicodedata.normalize("NFD", syllable)
    for i, ch in enumerate(decomposed):
        if ch in (ACUTE, HOOK) and any(c in SHAPED for c in decomposed[max(0, i - 2):i]):
            other = HOOK if ch == ACUTE else ACUTE
            return unicodedata.normalize("NFC", decomposed[:i] + other + decomposed[i + 1:])
    return None


def spellings(syllable: str) -> list[str]:
    other = swapped(syllable)
    return [syllable, other] if other else [syllable]


def is_word(first: str, second: str, words: frozenset[str]) -> bool:
    return one_tone_placement(f"{first} {second}".lower()) in words


def correct_pair(first: str, second: str, words: frozenset[str], keep_first: bool = False,
                 keep_second: bool = False) -> tuple[str, str]:
    """The two syllables as read, or as corrected when the dictionary gives exactly one reading.
    A syllable that already makes a word with its other neighbour is kept as read."""
    if is_word(first, second, words):
        return first, second
    known = [(a, b) for a, b in itertools.product([first] if keep_first else spellings(first),
                                                  [second] if keep_second else spellings(second))
             if (a, b) != (first, second) and is_word(a, b, words)]
    return known[0] if len(known) == 1 else (first, second)


def correct_confusions(text: PageText) -> int:
    """Every correction below, in place; the number of words changed."""
    return correct_article_numbers(text) + correct_broken_capital_a(text) + correct_marks(text)


def correct_broken_capital_a(text: PageText) -> int:
    """A in place of ".\\" or "\\" in words of capitals; the number of words changed."""
    changed = 0
    for line in text.lines:
        for i, word in enumerate(line.words):
            if "\\" not in word.text:
                continue
            letters = BROKEN_A.sub("A", word.text)
            if letters != word.text and letters.isupper() and letters.rstrip(".,:;").isalpha():
                line.words[i] = Word(letters, word.box, word.confidence)
                changed += 1
    return changed


def correct_article_numbers(text: PageText) -> int:
    changed = 0
    for line in text.lines:
        for i, word in enumerate(line.words[1:], 1):
            match = ONE_LOOKALIKE.match(word.text)
            if match and line.words[i - 1].text in ("Điều", "ĐIỀU"):
                line.words[i] = Word("1" + match.group(1), word.box, word.confidence)
                changed += 1
    return changed


def correct_marks(text: PageText, words: frozenset[str] | None = None) -> int:
    """Correct the words of every line in place; the number of words changed."""
    words = compound_words() if words is None else words
    changed = 0
    for line in text.lines:
        texts = [w.text for w in line.words]
        for i in range(len(texts) - 1):
            if not (texts[i].isalpha() and texts[i + 1].isalpha()):
                continue
            keep_first = i > 0 and texts[i - 1].isalpha() and is_word(texts[i - 1], texts[i], words)
            keep_second = i + 2 < len(texts) and texts[i + 2].isalpha() and is_word(texts[i + 1], texts[i + 2], words)
            texts[i], texts[i + 1] = correct_pair(texts[i], texts[i + 1], words, keep_first, keep_second)
        for k, (word, new) in enumerate(zip(line.words, texts)):
            if new != word.text:
                line.words[k] = Word(new, word.box, word.confidence)
                changed += 1
    return changed
