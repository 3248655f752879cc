"""The scheduled fixity sweep: each run checks one partition of the dossiers, so that every object is
checked once per period (Circular 05 asks for all within 3 years; the default is 30 days), and the
audit log's chain at every run. Only problems are reported."""
import datetime as dt
import hashlib

from prefect import flow, get_run_logger
from prefect.schedules import Cron

from archive.fixity import manifest_keys
from pipeline.backends import open_backends
from pipeline.config import Settings
from pipeline.verification import verify_archive, write_reports


def partition_of(file_code: str, partitions: int) -> int:
    """A dossier's partition: stable across runs and machines, and spread evenly by hashing."""
    return int(hashlib.sha256(file_code.encode("utf-8")).hexdigest()[:12], 16) % partitions


def todays_partition(day: dt.date, partitions: int) -> int:
    return day.toordinal() % partitions


@flow(name="fixity_sweep", validate_parameters=False)
def fixity_sweep(period_days: int | None = None, day: str | None = None) -> dict:
    """Check the dossiers of the day's partition (one of period_days) and the audit log."""
    settings = Settings.from_env()
    period = period_days or settings.fixity_period_days
    today = dt.date.fromisoformat(day) if day else dt.date.today()
    partition = todays_partition(today, period)
    backends = open_backends(settings)
    try:
        selected = {key.split("/")[1] for key in manifest_keys(backends.store)
                    if partition_of(key.split("/")[1], period) == partition}
        report = verify_archive(backends, selected)
    finally:
        backends.close()
    problems = report.all_problems()
    result = {"day": today.isoformat(), "partition": partition, "partitions": period,
              "dossiers": len(report.dossiers), "objects": report.objects, "log_entries": report.log_entries,
              "problems": [p.line() for p in problems], "report": None}
    if problems:
        logger = get_run_logger()
        for problem in problems:
            logger.error(problem.line())
        base = settings.home / "reports" / f"fixity-{today.isoformat()}-{partition}"
        write_reports(report, base.with_suffix(".json"), base.with_suffix(".csv"))
        result["report"] = str(base.with_suffix(".json"))
    return result


def fixity_deployment(at: str, timezone: str, period_days: int):
    hour, minute = (int(v) for v in at.split(":"))
    return fixity_sweep.to_deployment(name="daily", schedules=[Cron(f"{minute} {hour} * * *", timezone=timezone)],
                                      parameters={"period_days": period_days})
