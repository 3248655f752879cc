"""The scheduled fixity sweep as a Prefect flow and its daily deployment."""
import datetime as dt

from prefect import flow, get_run_logger
from prefect.schedules import Cron

from sohoa.core.settings import Settings
from sohoa.pipeline.backends import open_backends
from sohoa.pipeline.fixity_sweep import sweep_partition


@flow(name="fixity_sweep", validate_parameters=False)
def fixity_sweep(period_days: int | None = None, day: str | None = None, settings: Settings | None = None) -> dict:
    """Check the dossiers of the day's partition (one of period_days) and the audit log. A scheduled run
    has no settings handed to it and reads them from its environment."""
    settings = settings or Settings.from_env()
    with open_backends(settings) as backends:
        result = sweep_partition(backends, settings, dt.date.fromisoformat(day) if day else dt.date.today(),
                                 period_days or settings.fixity_period_days)
    if result["problems"]:
        logger = get_run_logger()
        for problem in result["problems"]:
            logger.error(problem)
    return result


def fixity_deployment(at: str, timezone: str, period_days: int):
    hour, minute = (int(v) for v in at.split(":"))
    return fixity_sweep.to_deployment(name="daily", schedules=[Cron(f"{minute} {hour} * * *", timezone=timezone)],
                                      parameters={"period_days": period_days})
