"""The overnight run: every complete batch in the inbox (marked by a READY file) is ingested, then
moved to the done folder with its RESULT.json. A batch whose archiving failed for a reason other
than bad input (storage down, a crash) stays in the inbox and is taken again the next night."""
import json
import shutil
from pathlib import Path

from prefect import flow
from prefect.schedules import Cron

from flows.ingest import ingest_batch
from pipeline.config import Settings
from pipeline.intake import natural_key
from pipeline.quarantine import unique_destination

READY_MARK = "READY"


def ready_batches(inbox: Path) -> list[Path]:
    if not inbox.is_dir():
        return []
    return sorted((p for p in inbox.iterdir() if p.is_dir() and (p / READY_MARK).is_file()),
                  key=lambda p: natural_key(p.name))


def settle_batch(batch: Path, summary: dict, done_dir: Path, quarantine_dir: Path) -> Path | None:
    """Move a processed batch out of the inbox; None when it must be tried again."""
    (batch / "RESULT.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    if summary["failed"]:
        return None
    target_root = quarantine_dir if summary["dossiers"] == 0 else done_dir
    target_root.mkdir(parents=True, exist_ok=True)
    target = unique_destination(target_root, batch.name)
    shutil.move(str(batch), str(target))
    return target


@flow(name="nightly_inbox", validate_parameters=False)
def nightly_inbox(inbox: str | None = None) -> list[dict]:
    settings = Settings.from_env()
    inbox_dir = Path(inbox) if inbox else settings.inbox_dir
    results = []
    for batch in ready_batches(inbox_dir):
        summary = ingest_batch(str(batch))
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
