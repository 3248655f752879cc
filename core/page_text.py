"""What a page says: words and lines with their boxes and confidences, as an OCR engine or a PDF's
own text layer gives them."""
from dataclasses import dataclass, field

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the recognised image


@dataclass
class Word:
    text: str
    box: Box
    confidence: float  # 0-100, as Tesseract reports it
    weight: float | None = None  # stroke width in pixels, measured on the image (ocr.typography)


@dataclass
class Line:
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> Box:
        return (min(w.box[0] for w in self.words), min(w.box[1] for w in self.words),
                max(w.box[2] for w in self.words), max(w.box[3] for w in self.words))

    @property
    def confidence(self) -> float:
        return sum(w.confidence for w in self.words) / len(self.words)


@dataclass
class PageText:
    width: int
    height: int
    lines: list[Line] = field(default_factory=list)

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def confidence(self) -> float:
        words = self.words
        return sum(w.confidence for w in words) / len(words) if words else 0.0

    def to_json(self) -> dict:
        return {"width": self.width, "height": self.height,
                "lines": [[[w.text, list(w.box), w.confidence] + ([w.weight] if w.weight is not None else [])
                           for w in line.words] for line in self.lines]}

    @classmethod
    def from_json(cls, data: dict) -> "PageText":
        return cls(data["width"], data["height"],
                   [Line([Word(t, tuple(b), c, *rest) for t, b, c, *rest in line]) for line in data["lines"]])
