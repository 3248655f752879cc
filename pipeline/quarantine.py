"""Move a dossier that cannot be processed out of the batch, with a reason file beside it."""
import datetime as dt
import shutil
from pathlib import Path


def unique_destination(folder: Path, name: str) -> Path:
    target = folder / name
    n = 1
    while target.exists() or target.with_name(target.name + ".reason.txt").exists():
        n += 1
        target = folder / f"{name}.{n}"
    return target


def quarantine(path: Path, quarantine_root: Path, batch_name: str, file: str, reason: str) -> Path:
    folder = quarantine_root / batch_name
    folder.mkdir(parents=True, exist_ok=True)
    target = unique_destination(folder, path.name)
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    target.with_name(target.name + ".reason.txt").write_text(
        f"dossier: {path.name}\nfile: {file}\nreason: {reason}\nquarantined: {now}\nfrom: {path}\n",
        encoding="utf-8")
    shutil.move(str(path), str(target))
    return target
