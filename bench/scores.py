"""Text scores of an OCR result against the printed ground truth of a page.

Both sides are normalised the same way: NFC, one tone-placement convention (the mark of a
syllable ending in oa, oe or uy goes on the first vowel: "hoà" -> "hòa", "thuý" -> "thúy", as the
Decree 30 forms print "CỘNG HÒA"), whitespace collapsed within a line, empty lines dropped.

Reading order: the header of an administrative page is two columns, and engines and the generator
may list them in either order. The character error rate therefore matches lines one to one
(greedily, closest first) before counting edits: the order of lines does not count, the order of
characters within a line does. Lines left unmatched count in full (deleted or inserted).
"""
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist

from sohoa.core.text import one_tone_placement

WORD = re.compile(r"\w+")
SPACES = re.compile(r"\s+")


def normalise(text: str) -> list[str]:
    """The non-empty lines of text, normalised for comparison."""
    lines = (SPACES.sub(" ", line).strip() for line in one_tone_placement(text).splitlines())
    return [line for line in lines if line]


@dataclass
class TextScore:
    edits: int  # character edits after line matching
    truth_chars: int
    words_matched: int
    truth_words: int
    ocr_words: int

    @property
    def cer(self) -> float:
        return self.edits / self.truth_chars if self.truth_chars else float(self.edits > 0)

    @property
    def word_f1(self) -> float:
        if not self.truth_words and not self.ocr_words:
            return 1.0
        precision = self.words_matched / self.ocr_words if self.ocr_words else 0.0
        recall = self.words_matched / self.truth_words if self.truth_words else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def __add__(self, other: "TextScore") -> "TextScore":
        return TextScore(*(a + b for a, b in zip(self.astuple(), other.astuple())))

    def astuple(self) -> tuple[int, ...]:
        return self.edits, self.truth_chars, self.words_matched, self.truth_words, self.ocr_words


def score_page(truth: str, ocr: str) -> TextScore:
    truth_lines, ocr_lines = normalise(truth), normalise(ocr)
    edits = line_matched_edits(truth_lines, ocr_lines)
    truth_words = Counter(WORD.findall(" ".join(truth_lines).casefold()))
    ocr_words = Counter(WORD.findall(" ".join(ocr_lines).casefold()))
    return TextScore(edits, sum(map(len, truth_lines)), sum((truth_words & ocr_words).values()),
                     sum(truth_words.values()), sum(ocr_words.values()))


def line_matched_edits(truth_lines: list[str], ocr_lines: list[str]) -> int:
    if not truth_lines or not ocr_lines:
        return sum(map(len, truth_lines)) + sum(map(len, ocr_lines))
    distances = cdist(truth_lines, ocr_lines, scorer=Levenshtein.distance, workers=1)
    pairs = sorted(((distances[t][o] / max(len(truth_lines[t]), 1), t, o)
                    for t in range(len(truth_lines)) for o in range(len(ocr_lines))))
    free_truth, free_ocr, edits = set(range(len(truth_lines))), set(range(len(ocr_lines))), 0
    for _, t, o in pairs:
        if t in free_truth and o in free_ocr:
            free_truth.discard(t)
            free_ocr.discard(o)
            edits += int(distances[t][o])
    return edits + sum(len(truth_lines[t]) for t in free_truth) + sum(len(ocr_lines[o]) for o in free_ocr)
