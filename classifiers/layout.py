"""Visual lines of a page: Tesseract lines split at wide gaps, so the two header columns part."""
import statistics
from dataclasses import dataclass

from sohoa.core.page_text import PageText, Word
from sohoa.core.text import fold, is_upper_text


@dataclass
class Segment:
    words: list[Word]
    page_width: int
    page_height: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def x0(self) -> int:
        return min(w.box[0] for w in self.words)

    @property
    def x1(self) -> int:
        return max(w.box[2] for w in self.words)

    @property
    def y0(self) -> int:
        return min(w.box[1] for w in self.words)

    @property
    def y1(self) -> int:
        return max(w.box[3] for w in self.words)

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def rel_x(self) -> float:
        """Horizontal centre as a share of the page width."""
        return (self.x0 + self.x1) / 2 / self.page_width

    @property
    def rel_y(self) -> float:
        return self.y0 / self.page_height

    @property
    def width_share(self) -> float:
        return (self.x1 - self.x0) / self.page_width

    @property
    def confidence(self) -> float:
        return min(w.confidence for w in self.words) / 100

    @property
    def is_upper(self) -> bool:
        return is_upper_text(self.text)


COLUMN_GAP = 1.5  # in word heights: wider than any word space, narrower than the header's column gap
# The national motto opens the right header column, however close the left column comes to it.
RIGHT_COLUMN_START = "cong"


def segments(page: PageText) -> list[Segment]:
    heights = [w.box[3] - w.box[1] for w in page.words]
    if not heights:
        return []
    gap_limit = COLUMN_GAP * statistics.median(heights)
    pieces = []
    for line in page.lines:
        words = sorted(line.words, key=lambda w: w.box[0])
        current = [words[0]]
        for i, word in enumerate(words[1:], 1):
            motto = fold(word.text) == RIGHT_COLUMN_START and i + 1 < len(words) \
                and fold(words[i + 1].text) == "hoa" and word.box[0] > page.width * 0.35
            if (word.box[0] - current[-1].box[2] > gap_limit and not _label(current, word)) or motto:
                pieces.append(current)
                current = []
            current.append(word)
        pieces.append(current)
    return [Segment(words, page.width, page.height) for words in join_rows(pieces, gap_limit)]


DEBRIS = "'`\"‘’“”.,;:-_~|/\\"  # specks of a signature or seal that OCR reads as punctuation
DEBRIS_CONFIDENCE = 30  # below this, a line of a few marks is a speck of a seal or a signature


def reading_text(page: PageText) -> str:
    """The page's text a visual line per line, the two header columns apart (for records and search).
    Lines that are only specks of a signature or seal (no letter or digit, or a few low-confidence
    marks) are left out."""
    return "\n".join(segment.text for segment in segments(page) if not _debris(segment))


def _debris(segment: Segment) -> bool:
    text = segment.text
    if not any(ch.isalnum() for ch in text):
        return True
    return len(text) <= 4 and max(w.confidence for w in segment.words) < DEBRIS_CONFIDENCE


def _label(before: list[Word], word: Word) -> bool:
    """"Số" stays with ": 15/QĐ-UBND" and "Số:" with its number, however wide the space."""
    return word.text.startswith(":") or (len(before) == 1 and len(before[0].text) <= 3
                                         and before[0].text.endswith(":"))


def join_rows(pieces: list[list[Word]], gap_limit: float) -> list[list[Word]]:
    """Join pieces that Tesseract put on different lines although they sit side by side, at most
    gap_limit apart."""
    pieces = sorted(pieces, key=lambda ws: (min(w.box[1] for w in ws), min(w.box[0] for w in ws)))
    joined: list[list[Word]] = []
    for piece in pieces:
        for row in joined:
            left, right = (row, piece) if row[-1].box[0] <= piece[0].box[0] else (piece, row)
            top = max(min(w.box[1] for w in row), min(w.box[1] for w in piece))
            bottom = min(max(w.box[3] for w in row), max(w.box[3] for w in piece))
            smaller = min(max(w.box[3] for w in ws) - min(w.box[1] for w in ws) for ws in (row, piece))
            gap = right[0].box[0] - left[-1].box[2]
            if bottom - top >= 0.5 * smaller and -2 <= gap and (gap <= gap_limit or _label(left, right[0])):
                row[:] = sorted(row + piece, key=lambda w: w.box[0])
                break
        else:
            joined.append(list(piece))
    return sorted(joined, key=lambda ws: (min(w.box[1] for w in ws), min(w.box[0] for w in ws)))
