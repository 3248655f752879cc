"""The weekly renewal of the agency's timestamps as a Prefect flow and its deployment."""
from prefect import flow, get_run_logger
from prefect.schedules import Cron

from sohoa.core.errors import BackendUnavailable
from sohoa.core.settings import Settings
from sohoa.pipeline.backends import open_backends
from sohoa.pipeline.timestamp_renewal import renew_timestamps


@flow(name="timestamp_renewal", validate_parameters=False)
def timestamp_renewal(settings: Settings | None = None) -> dict:
    """A new document timestamp on every signed PDF/A that is due. A scheduled run has no settings handed to
    it and reads them from its environment."""
    settings = settings or Settings.from_env()
    with open_backends(settings) as backends:
        report = renew_timestamps(backends, settings, settings.operator)
    logger = get_run_logger()
    for problem in report.problems:
        logger.error(problem)
    logger.info("%d signed PDF/As checked, %d given a new timestamp", report.checked, len(report.renewed))
    if report.stopped:  # the run is marked failed, its report logged above
        raise BackendUnavailable(report.stopped)
    return report.to_json()


def renewal_deployment(at: str, timezone: str):
    """Every Sunday at the local time at."""
    hour, minute = (int(v) for v in at.split(":"))
    return timestamp_renewal.to_deployment(name="weekly",
                                           schedules=[Cron(f"{minute} {hour} * * 0", timezone=timezone)])
