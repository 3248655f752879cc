"""The fixity sweep: each day checks one partition of the dossiers, so that every object is checked
once per period (Circular 05 asks for all within 3 years; the default is 30 days), and the audit log's
chain at every run. Only problems are reported."""
import datetime as dt
import hashlib

from sohoa.core.settings import Settings
from sohoa.pipeline.backends import Backends
from sohoa.pipeline.verification import verify_archive, write_reports


def partition_of(file_code: str, partitions: int) -> int:
    """A dossier's partition: stable across runs and machines, and spread evenly by hashing."""
    return int(hashlib.sha256(file_code.encode("utf-8")).hexdigest()[:12], 16) % partitions


def todays_partition(day: dt.date, partitions: int) -> int:
    return day.toordinal() % partitions


def sweep_partition(backends: Backends, settings: Settings, day: dt.date, period_days: int) -> dict:
    """Check the dossiers of the day's partition and the audit log; a report file only when something is wrong."""
    partition = todays_partition(day, period_days)
    report = verify_archive(backends, settings.operator,
                            selected=lambda file_code: partition_of(file_code, period_days) == partition,
                            trust_roots=settings.trust_roots)
    problems = [p.line() for p in report.all_problems()]
    result = {"day": day.isoformat(), "partition": partition, "partitions": period_days,
              "dossiers": len(report.dossiers), "objects": report.objects, "log_entries": report.log_entries,
              "problems": problems, "report": None}
    if problems:
        base = settings.reports_dir / f"fixity-{day.isoformat()}-{partition}"
        write_reports(report, base.with_suffix(".json"), base.with_suffix(".csv"))
        result["report"] = str(base.with_suffix(".json"))
    return result
