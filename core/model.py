"""The domain model: dossiers and their pages as scanned, and the documents found in them."""
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sohoa.core.page_text import PageText


@dataclass(frozen=True)
class PageRef:
    """One page of a dossier as it lies on disk."""
    file_code: str
    number: int  # 1-based position in the dossier
    path: Path
    kind: str  # "image" (one file a page), "tiff" (a frame of a multi-page TIFF) or "pdf"
    frame: int = 0  # frame of a TIFF or page of a PDF, 0-based
    dpi: int = 0  # declared resolution, or the resolution a PDF page is rasterised at

    @property
    def source_name(self) -> str:
        return self.path.name if self.kind == "image" else f"{self.path.name}#{self.frame + 1}"


@dataclass
class DossierSource:
    file_code: str
    path: Path
    kind: str  # "folder", "pdf", "tiff" or "image" (a one-page dossier)
    pages: list[PageRef]
    fingerprint: str  # SHA-256 over the source files: the same scans give the same value
    warnings: list[str] = field(default_factory=list)
    signatures: list[dict] = field(default_factory=list)  # of a digitally signed PDF, kept as it came


@dataclass
class Rejection:
    """A dossier that cannot be processed, and why, naming the file at fault."""
    file_code: str
    path: Path
    file: str
    reason: str

    def message(self) -> str:
        return f"{self.file_code}: {self.file}: {self.reason}"


TEXT_LAYER = "pdf text layer"  # where a page's text came from when it was not OCR


@dataclass
class RecognizedPage:
    """A page after cleanup and OCR; the archival image waits on disk for the PDF."""
    number: int
    source_name: str
    dpi: int
    dpi_estimated: bool
    width: int  # archival image size in pixels
    height: int
    archival_image: Path
    text: PageText  # in the OCR frame
    to_source: list[list[float]]  # 2x3 affine from the OCR frame to archival pixels
    skew_deg: float
    ink_ratio: float
    stamps: list[dict] = field(default_factory=list)
    second_readings: list[dict] = field(default_factory=list)  # header lines read by a second model
    written_in: list[dict] = field(default_factory=list)  # the number and day gaps read as digits alone
    hand_written: list[str] = field(default_factory=list)  # "number", "day": digits not typed with their row
    signature_block: PageText | None = None  # the zone right of "Nơi nhận" read again as one block
    text_source: str = "ocr"  # or TEXT_LAYER: a born-digital page's own words

    def to_json(self) -> dict:
        return {"number": self.number, "source_name": self.source_name, "dpi": self.dpi,
                "dpi_estimated": self.dpi_estimated, "width": self.width, "height": self.height,
                "archival_image": self.archival_image.name, "text": self.text.to_json(),
                "to_source": self.to_source, "skew_deg": self.skew_deg, "ink_ratio": self.ink_ratio,
                "stamps": self.stamps, "second_readings": self.second_readings, "written_in": self.written_in,
                "hand_written": self.hand_written,
                "signature_block": self.signature_block.to_json() if self.signature_block else None,
                "text_source": self.text_source}

    @classmethod
    def from_json(cls, data: dict, folder: Path) -> "RecognizedPage":
        return cls(number=data["number"], source_name=data["source_name"], dpi=data["dpi"],
                   dpi_estimated=data["dpi_estimated"], width=data["width"], height=data["height"],
                   archival_image=folder / data["archival_image"], text=PageText.from_json(data["text"]),
                   to_source=data["to_source"], skew_deg=data["skew_deg"], ink_ratio=data["ink_ratio"],
                   stamps=data["stamps"], second_readings=data.get("second_readings", []),
                   written_in=data.get("written_in", []), hand_written=data.get("hand_written", []),
                   text_source=data.get("text_source", "ocr"),
                   signature_block=PageText.from_json(block) if (block := data.get("signature_block")) else None)


@dataclass
class FieldValue:
    value: str | None
    confidence: float  # 0-1; 0 when the value is missing
    # Where several readers read the field: (reader, what it read), for a reviewer to pick from.
    readings: tuple[tuple[str, str], ...] = ()


@dataclass
class Document:
    """A document found in a dossier: its pages and the metadata read from them."""
    file_code: str
    ordinal: int
    pages: list[RecognizedPage]
    page_classes: list[str]
    fields: dict[str, FieldValue]
    needs_review: bool
    review_reasons: list[str]

    @property
    def doc_id(self) -> str:
        return f"{self.file_code}.{self.ordinal}"

    def value(self, name: str) -> str | None:
        field_value = self.fields.get(name)
        return field_value.value if field_value else None


def source_to_json(source: "DossierSource | Rejection") -> dict:
    if isinstance(source, Rejection):
        return {"rejection": {"file_code": source.file_code, "path": str(source.path), "file": source.file,
                              "reason": source.reason}}
    return {"source": {"file_code": source.file_code, "path": str(source.path), "kind": source.kind,
                       "fingerprint": source.fingerprint, "warnings": source.warnings,
                       "signatures": source.signatures,
                       "pages": [[p.number, str(p.path), p.kind, p.frame, p.dpi] for p in source.pages]}}


def source_from_json(data: dict) -> "DossierSource | Rejection":
    if "rejection" in data:
        r = data["rejection"]
        return Rejection(r["file_code"], Path(r["path"]), r["file"], r["reason"])
    s = data["source"]
    pages = [PageRef(s["file_code"], n, Path(p), kind, frame, dpi) for n, p, kind, frame, dpi in s["pages"]]
    return DossierSource(s["file_code"], Path(s["path"]), s["kind"], pages, s["fingerprint"], s["warnings"],
                         s.get("signatures", []))


class RunAttempt(NamedTuple):
    """An attempt of an orchestrated run (a Prefect flow run): the run's id and how many times it has started."""
    run: str
    attempt: int
