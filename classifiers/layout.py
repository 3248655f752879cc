"""Visual lines of a page: Tesseract lines split at wide gaps, so the two header columns part."""
import statistics
from dataclasses import dataclass

from ocr.engine import PageText, Word
from pipeline.text import fold, is_upper_text


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


def segments(page: PageText) -> list[Segment]:
    heights = [w.box[3] - w.box[1] for w in page.words]
    if not heights:
        return []
    gap_limit = 2.2 * statistics.median(heights)
    result = []
    for line in page.lines:
        words = sorted(line.words, key=lambda w: w.box[0])
        current = [words[0]]
        for word in words[1:]:
            if word.box[0] - current[-1].box[2] > gap_limit:
                result.append(Segment(current, page.width, page.height))
                current = []
            current.append(word)
        result.append(Segment(current, page.width, page.height))
    return sorted(result, key=lambda s: (s.y0, s.x0))
