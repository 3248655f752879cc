"""The overnight run as a Prefect flow: each READY batch of the inbox through ingest_batch, then settled;
and its nightly deployment."""
from pathlib import Path

from prefect import flow
from prefect.schedules import Cron

from sohoa.core.settings import Settings
from sohoa.flows.ingest import ingest_batch
from sohoa.pipeline.inbox import ready_batches, settle_batch
from sohoa.pipeline.progress import ProgressSink


@flow(name="nightly_inbox", validate_parameters=False)
def nightly_inbox(inbox: str | None = None, settings: Settings | None = None, progress: ProgressSink | None = None
                  ) -> list[dict]:
    settings = settings or Settings.from_env()
    results = []
    for batch in ready_batches(Path(inbox) if inbox else settings.inbox_dir):
        summary = ingest_batch(str(batch), settings, progress)
        target = settle_batch(batch, summary, settings.done_dir, settings.quarantine_dir)
        results.append({"batch": batch.name, "moved_to": str(target) if target else None,
                        "ok": summary["ok"], "failed": summary["failed"]})
    return results


def nightly_deployment(at: str, timezone: str, inbox: Path):
    hour, minute = (int(v) for v in at.split(":"))
    return nightly_inbox.to_deployment(name="nightly", schedules=[Cron(f"{minute} {hour} * * *", timezone=timezone)],
                                       parameters={"inbox": str(inbox)})


def serve_scheduled(deployments: list) -> None:
    """Register the deployments and run them on their schedules (blocks; needs a Prefect API)."""
    from prefect import serve

    serve(*deployments)
