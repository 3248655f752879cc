"""What a batch run did, in numbers people check."""
from dataclasses import dataclass, field


@dataclass
class DossierResult:
    file_code: str
    status: str  # archived | already archived | quarantined | failed | busy (another run has it)
    documents: int = 0
    pages: int = 0
    needs_review: int = 0
    detail: str = ""


@dataclass
class BatchSummary:
    batch: str
    results: list[DossierResult] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def pages(self) -> int:
        return sum(r.pages for r in self.results if r.status == "archived")

    @property
    def documents(self) -> int:
        return sum(r.documents for r in self.results if r.status in ("archived", "already archived"))

    @property
    def needs_review(self) -> int:
        return sum(r.needs_review for r in self.results)

    @property
    def pages_per_minute(self) -> float:
        return self.pages / self.elapsed_s * 60 if self.elapsed_s else 0.0

    @property
    def ok(self) -> bool:
        return all(r.status in ("archived", "already archived") for r in self.results)

    def to_json(self) -> dict:
        return {"batch": self.batch, "elapsed_s": round(self.elapsed_s, 1), "ok": self.ok,
                "dossiers": len(self.results), "archived": self.count("archived"),
                "already_archived": self.count("already archived"), "quarantined": self.count("quarantined"),
                "failed": self.count("failed"), "busy": self.count("busy"), "documents": self.documents,
                "pages": self.pages,
                "needs_review": self.needs_review, "pages_per_minute": round(self.pages_per_minute, 1),
                "ignored": self.ignored, "results": [r.__dict__ for r in self.results]}

    @classmethod
    def from_json(cls, data: dict) -> "BatchSummary":
        return cls(data["batch"], [DossierResult(**r) for r in data["results"]], data["ignored"], data["elapsed_s"])
