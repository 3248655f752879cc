"""The overnight inbox: every complete batch (marked by a READY file) is taken; once ingested it moves
to the done folder with its RESULT.json. A batch whose archiving failed for a reason other than bad
input (storage down, a crash) stays in the inbox and is taken again the next night."""
import json
import shutil
from pathlib import Path

from sohoa.pipeline.intake import natural_key
from sohoa.pipeline.quarantine import unique_destination

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
