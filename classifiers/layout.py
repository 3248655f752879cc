"""Visual lines of a page: Tesseract lines split at wide gaps, so the two header columns part."""
import re
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
    def band(self) -> tuple[float, float]:
        """(top, bottom) of the line's typical word: unlike its box, not stretched by one word that a
        stamp's or a seal's ink joined to."""
        return statistics.median(w.box[1] for w in self.words), statistics.median(w.box[3] for w in self.words)

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

    @property
    def weight(self) -> float | None:
        """The line's stroke width (ocr.typography): the median of its words', None if not measured."""
        weights = [w.weight for w in self.words if w.weight is not None]
        return statistics.median(weights) if weights else None


def text_confidence(lines: list[Segment]) -> float:
    """Mean word confidence: for running text, where one doubtful word is not a wrong value."""
    words = [w.confidence for seg in lines for w in seg.words]
    return sum(words) / len(words) / 100 if words else 0.0


def letters_only(folded: str) -> str:
    return re.sub(r"[^a-z ]", "", folded).strip()


COLUMN_GAP = 1.5  # in word heights: wider than any word space, narrower than the header's column gap
NARROWEST_LETTER = 0.4  # in word heights: narrower than any letter but "i", "l" and signs
SURELY_READ = 60  # Tesseract's word confidence
# The national motto opens the right header column, however close the left column comes to it.
RIGHT_COLUMN_START = "cong"


def segments(page: PageText) -> list[Segment]:
    heights = [w.box[3] - w.box[1] for w in page.words]
    if not heights:
        return []
    word_height = statistics.median(heights)
    gap_limit = COLUMN_GAP * word_height
    pieces = []
    for line in page.lines:
        words = motto_unglued(sorted(line.words, key=lambda w: w.box[0]))
        current = [words[0]]
        for i, word in enumerate(words[1:], 1):
            motto = _opens_motto(words[i:], page.width)
            if (word.box[0] - ink_right(current[-1], word_height) > gap_limit and not _label(current, word)) or motto:
                pieces.append(current)
                current = []
            current.append(word)
        pieces.append(current)
    rows = [Segment(words, page.width, page.height) for words in join_rows(pieces, gap_limit, page.width)]
    box_bottom = signature_box_bottom(rows)
    return [row for row in rows if row.y0 >= box_bottom]


def ink_right(word: Word, word_height: float) -> int:
    """Where a word's ink ends: Tesseract now and then boxes a sliver of a short bold word it read surely ("BỘ" 11
    px wide beside capitals 41 px high, a signature's stroke over it), so the box is taken as wide as its letters
    need at least; a sliver read unsurely is a speck (a rule's piece read "2"), taken as boxed."""
    if word.confidence < SURELY_READ:
        return word.box[2]
    return max(word.box[2], word.box[0] + int(NARROWEST_LETTER * word_height * len(word.text)))


# The box a signing service stamps on a signed scan, above the header of page 1: "Người ký: …",
# "Email: …", "Cơ quan: …", "Thời gian ký: 16.09.2024 16:29:07 +07:00".
SIGNATURE_BOX_LABEL = re.compile(r"^\W*(nguoi k\w{0,2}|email|co quan|thoi gian)\b")
SIGNATURE_TIME = re.compile(r"\d\d[./]\d\d[./]\d{4}\s+\d\d:\d\d")
SIGNATURE_BOX_ZONE = 0.1  # share of the page height, from the top, the box keeps to


def signature_box_bottom(rows: list[Segment]) -> int:
    """The lowest pixel row of a digital-signature box at the top of the page (0 when there is none):
    its signing time, or two of its labels, must be read; everything above them is the box or its logo."""
    top = [row for row in rows if row.rel_y < SIGNATURE_BOX_ZONE]
    labels = [row for row in top if SIGNATURE_BOX_LABEL.search(row.folded)]
    times = [row for row in top if SIGNATURE_TIME.search(row.text)]
    found = labels + times if times or len(labels) >= 2 else []
    return max((row.y1 for row in found), default=0)


def motto_unglued(words: list[Word]) -> list[Word]:
    """words with one that runs the left column's last word into the motto's first ("SƠNCỘNG HÒA …": a
    one-line organ as wide as its column) cut in two, the box shared out by letters."""
    for i, word in enumerate(words[:-1]):
        head = len(word.text) - len(RIGHT_COLUMN_START)
        if head >= 2 and fold(word.text[head:]) == RIGHT_COLUMN_START and fold(words[i + 1].text) == "hoa" \
                and word.text[head].isupper():
            x0, y0, x1, y1 = word.box
            cut = x0 + round((x1 - x0) * head / len(word.text))
            return [*words[:i], Word(word.text[:head], (x0, y0, cut, y1), word.confidence, word.weight),
                    Word(word.text[head:], (cut, y0, x1, y1), word.confidence, word.weight), *words[i + 1:]]
    return words


def _opens_motto(words: list[Word], page_width: int) -> bool:
    """The words start "CỘNG HÒA" right of the left column: the national motto, a column of its own."""
    return len(words) >= 2 and words[0].box[0] > page_width * 0.35 and fold(words[0].text) == RIGHT_COLUMN_START \
        and fold(words[1].text) == "hoa"


DEBRIS = "'`\"‘’“”.,;:-_~|/\\"  # specks of a signature or seal that OCR reads as punctuation
DEBRIS_CONFIDENCE = 30  # below this, a line of a few marks is a speck of a seal or a signature


def reading_text(page: PageText) -> str:
    """The page's text a visual line per line, the two header columns apart (for records and search).
    Lines that are only specks of a signature or seal (no letter or digit, or a few low-confidence
    marks) are left out. Reading order: the left header column, the right one, then the rest top to
    bottom."""
    return "\n".join(segment.text for segment in in_reading_order(segments(page)) if not is_debris(segment))


def in_reading_order(rows: list[Segment]) -> list[Segment]:
    """rows (top to bottom) with the header's left column before its right one. The right column is the
    one the national motto opens; the header ends at the first row below the motto that reaches
    across the motto's left edge (the title, or the body)."""
    motto = next((i for i, row in enumerate(rows) if _opens_motto(row.words, row.page_width)), None)
    if motto is None:
        return rows
    split = rows[motto].x0
    end = next((i for i, row in enumerate(rows)
                if i > motto and row.x0 < split - row.height and row.x1 > split + row.height), len(rows))
    header = rows[:end]
    left = [row for row in header if row.x1 <= split + row.height]
    return left + [row for row in header if row not in left] + rows[end:]


def is_debris(segment: Segment) -> bool:
    return not any(ch.isalnum() for ch in segment.text) or unsure_scrap(segment)


def unsure_scrap(segment: Segment) -> bool:
    """A few marks read with almost no confidence: a speck of a seal, a signature or a stamp ("ị")."""
    return len(segment.text) <= 4 and read_blind(segment)


def read_blind(segment: Segment) -> bool:
    """A line none of whose words Tesseract was even a little sure of: a speck, a rule, a stamp's frame or a
    second reading of the line above ("THAM" under "THÀNH PHỐ TAM ĐIỆP"), never a line of print."""
    return max(w.confidence for w in segment.words) < DEBRIS_CONFIDENCE


def _label(before: list[Word], word: Word) -> bool:
    """"Số" stays with ": 15/QĐ-UBND" and "Số:" with its number, however wide the space; a speck read ":"
    after a label that has its colon ("Nơi nhận: :") is no label's."""
    return (word.text.startswith(":") and not before[-1].text.endswith(":")) or (
        len(before) == 1 and len(before[0].text) <= 3 and before[0].text.endswith(":"))


def on_one_row(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two (top, bottom) spans overlap by half the smaller one's height at least: side by side."""
    return min(a[1], b[1]) - max(a[0], b[0]) >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def join_rows(pieces: list[list[Word]], gap_limit: float, page_width: int) -> list[list[Word]]:
    """Join pieces that Tesseract put on different lines although they sit side by side, at most
    gap_limit apart: each overlaps the other's height by half the smaller one's at least."""
    pieces = sorted(pieces, key=lambda ws: (min(w.box[1] for w in ws), min(w.box[0] for w in ws)))
    joined: list[list[Word]] = []
    spans: list[tuple[int, int]] = []  # (top, bottom) of each joined row
    for piece in pieces:
        piece_top, piece_bottom = min(w.box[1] for w in piece), max(w.box[3] for w in piece)
        for i, row in enumerate(joined):
            row_top, row_bottom = spans[i]
            if not on_one_row(spans[i], (piece_top, piece_bottom)):
                continue
            left, right = (row, piece) if row[-1].box[0] <= piece[0].box[0] else (piece, row)
            gap = right[0].box[0] - left[-1].box[2]
            if -2 <= gap and (gap <= gap_limit or _label(left, right[0])) and not _opens_motto(right, page_width):
                row[:] = sorted(row + piece, key=lambda w: w.box[0])
                spans[i] = (min(row_top, piece_top), max(row_bottom, piece_bottom))
                break
        else:
            joined.append(list(piece))
            spans.append((piece_top, piece_bottom))
    return sorted(joined, key=lambda ws: (min(w.box[1] for w in ws), min(w.box[0] for w in ws)))
