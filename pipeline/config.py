"""Configuration from the environment, with embedded defaults that need no server."""
import os
from dataclasses import dataclass
from pathlib import Path


def default_home() -> Path:
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data) / "sohoa"


@dataclass(frozen=True)
class Settings:
    home: Path
    workers: int
    language: str = "vie"
    max_page_pixels: int = 100_000_000  # A3 at 600 dpi is 70 Mpx; beyond this a file is a bomb
    review_threshold: float = 0.80  # a key field below this confidence sends the record to review
    s3_endpoint: str | None = None  # set: objects go to this S3 service instead of the local folder
    s3_bucket: str = "sohoa"
    es_url: str | None = None  # set: the search index is this Elasticsearch instead of SQLite
    es_index: str = "sohoa-records"
    pdfa_validation: str = "auto"  # veraPDF: "auto" when installed, "on" required, "off"
    default_retention: str = "01"  # TT05 retention code of a dossier the catalogue does not describe
    default_access_mode: str = "01"  # TT05 access mode; a dossier holding a secret document is "03"
    agency: str | None = None  # the agency that hands SIPs over (METS archivist agent)
    replica_dir: Path | None = None  # a second copy of every object in this folder, or:
    replica_s3_endpoint: str | None = None  # in this S3 service (same credentials)
    replica_s3_bucket: str = "sohoa-replica"
    lock_max_years: int = 100  # S3 Object Lock of a permanent (retention 01) dossier
    fixity_period_days: int = 30  # the fixity sweep checks every object once in this many days

    @classmethod
    def from_env(cls) -> "Settings":
        home = Path(os.environ.get("SOHOA_HOME") or default_home()).expanduser().resolve()
        workers = int(os.environ.get("SOHOA_WORKERS") or os.cpu_count() or 1)
        return cls(home=home, workers=max(1, workers),
                   language=os.environ.get("SOHOA_OCR_LANGUAGE", "vie"),
                   max_page_pixels=int(os.environ.get("SOHOA_MAX_PAGE_PIXELS", cls.max_page_pixels)),
                   review_threshold=float(os.environ.get("SOHOA_REVIEW_THRESHOLD", cls.review_threshold)),
                   s3_endpoint=os.environ.get("SOHOA_S3_ENDPOINT") or None,
                   s3_bucket=os.environ.get("SOHOA_S3_BUCKET") or cls.s3_bucket,
                   es_url=os.environ.get("SOHOA_ES_URL") or None,
                   es_index=os.environ.get("SOHOA_ES_INDEX") or cls.es_index,
                   pdfa_validation=os.environ.get("SOHOA_PDFA_VALIDATION") or cls.pdfa_validation,
                   default_retention=os.environ.get("SOHOA_DEFAULT_RETENTION") or cls.default_retention,
                   default_access_mode=os.environ.get("SOHOA_DEFAULT_ACCESS_MODE") or cls.default_access_mode,
                   agency=os.environ.get("SOHOA_AGENCY") or None,
                   replica_dir=Path(os.environ["SOHOA_REPLICA_DIR"]) if os.environ.get("SOHOA_REPLICA_DIR") else None,
                   replica_s3_endpoint=os.environ.get("SOHOA_REPLICA_S3_ENDPOINT") or None,
                   replica_s3_bucket=os.environ.get("SOHOA_REPLICA_S3_BUCKET") or cls.replica_s3_bucket,
                   lock_max_years=int(os.environ.get("SOHOA_LOCK_MAX_YEARS") or cls.lock_max_years),
                   fixity_period_days=int(os.environ.get("SOHOA_FIXITY_PERIOD_DAYS") or cls.fixity_period_days))

    @property
    def objects_dir(self) -> Path:
        return self.home / "objects"

    @property
    def index_path(self) -> Path:
        return self.home / "index.sqlite"

    @property
    def checkpoints_dir(self) -> Path:
        return Path(os.environ.get("SOHOA_CHECKPOINT_DIR") or self.home / "checkpoints")

    @property
    def work_dir(self) -> Path:
        return self.home / "work"

    @property
    def quarantine_dir(self) -> Path:
        return self.home / "quarantine"

    @property
    def inbox_dir(self) -> Path:
        return self.home / "inbox"

    @property
    def done_dir(self) -> Path:
        return self.home / "done"
