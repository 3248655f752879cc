"""The dossier manifest: the object that commits an archived dossier, typed.

It names every object of the dossier with its SHA-256: each document's PDF/A and record, a signed
original kept as it came, and every file of the AIP. A dossier is archived once its manifest is
stored, and the manifest is the list fixity, exports and disposal work from. Its JSON form is the
stored one: the same manifest always serialises to the same bytes (an interrupted ingest writes it
again identically, and the audit log holds its checksum).

A correction commits a new version of the dossier with a manifest of its own: the whole dossier as it
now stands (unchanged objects keep the keys an earlier version stored them under), and the key and
SHA-256 of the manifest it follows, so that the versions form a chain nobody can rewrite unnoticed.
"""
import datetime as dt
import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentEntry:
    doc_id: str
    pdf_key: str
    pdf_sha256: str
    metadata_key: str
    metadata_sha256: str


@dataclass(frozen=True)
class PackageFile:
    key: str
    sha256: str
    size: int


@dataclass(frozen=True)
class PackageEntry:
    type: str  # "AIP"
    prefix: str
    files: tuple[PackageFile, ...]  # METS.xml last

    def sha256_of(self, key: str) -> str | None:
        return next((f.sha256 for f in self.files if f.key == key), None)


@dataclass(frozen=True)
class Manifest:
    file_code: str
    fingerprint: str  # SHA-256 over the scans: the same scans give the same value
    source_kind: str
    source_name: str
    ingested_at: str
    operator: str | None
    page_count: int
    retention: str | None  # TT05 retention code
    retain_until: str | None  # ISO 8601; None in manifests older than retention
    documents: tuple[DocumentEntry, ...]
    signed_original: dict | None = None  # {"key", "sha256", "size", "signatures"}
    package: PackageEntry | None = None  # None in manifests older than packages
    version: int = 1
    previous: dict | None = None  # a later version: {"version", "key", "sha256"} of the manifest it follows
    revised_at: str | None = None  # a later version: when it was made (ISO 8601), and by whom
    revised_by: str | None = None
    dossier: dict | None = None  # the dossier's fields as a reviewer corrected them (title, dates…), over those read
    extra: dict = field(default_factory=dict, compare=False)  # fields of a newer sohoa, kept as they are

    @property
    def retain_until_time(self) -> dt.datetime | None:
        return dt.datetime.fromisoformat(self.retain_until) if self.retain_until else None

    def committed_objects(self) -> list[tuple[str, str]]:
        """(key, SHA-256) of every object the manifest commits, without repeats."""
        objects = [pair for d in self.documents for pair in ((d.pdf_key, d.pdf_sha256),
                                                              (d.metadata_key, d.metadata_sha256))]
        if self.signed_original:
            objects.append((self.signed_original["key"], self.signed_original["sha256"]))
        if self.package:
            objects += [(f.key, f.sha256) for f in self.package.files]
        return list(dict.fromkeys(objects))

    def to_json(self) -> dict:
        data = {"file_code": self.file_code, "fingerprint": self.fingerprint, "source_kind": self.source_kind,
                "source_name": self.source_name, "ingested_at": self.ingested_at, "operator": self.operator,
                "page_count": self.page_count, "retention": self.retention, "retain_until": self.retain_until,
                "documents": [d.__dict__ for d in self.documents], "signed_original": self.signed_original}
        if self.package:
            data["package"] = {"type": self.package.type, "prefix": self.package.prefix,
                               "files": [f.__dict__ for f in self.package.files]}
        if self.version > 1:
            data.update(version=self.version, previous=self.previous, revised_at=self.revised_at,
                        revised_by=self.revised_by)
        if self.dossier:
            data["dossier"] = self.dossier
        return {**data, **self.extra}

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, data: dict) -> "Manifest":
        package = data.get("package")
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        return cls(
            file_code=data["file_code"], fingerprint=data.get("fingerprint", ""), source_kind=data.get("source_kind", ""),
            source_name=data.get("source_name", ""), ingested_at=data.get("ingested_at", ""),
            operator=data.get("operator"), page_count=data.get("page_count", 0), retention=data.get("retention"),
            retain_until=data.get("retain_until"),
            documents=tuple(DocumentEntry(**d) for d in data["documents"]),
            signed_original=data.get("signed_original"),
            package=PackageEntry(package["type"], package["prefix"], tuple(PackageFile(**f) for f in package["files"]))
            if package else None,
            version=data.get("version", 1), previous=data.get("previous"), revised_at=data.get("revised_at"),
            revised_by=data.get("revised_by"), dossier=data.get("dossier"),
            extra={k: v for k, v in data.items() if k not in known})

    @classmethod
    def from_bytes(cls, data: bytes) -> "Manifest":
        return cls.from_json(json.loads(data))
