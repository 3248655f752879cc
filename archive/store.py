"""Object storage port and its embedded backend: a write-once folder with SHA-256 per object."""
import datetime as dt
import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol

from sohoa.core.errors import ObjectMissing, WriteOnceError, unavailable_on


@dataclass(frozen=True)
class StoredObject:
    key: str
    sha256: str
    size: int
    content_type: str


class ObjectStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str, retain_until: dt.datetime | None = None
            ) -> StoredObject: ...
    def restore(self, key: str, data: bytes, content_type: str, retain_until: dt.datetime | None = None
                ) -> StoredObject: ...
    def get(self, key: str) -> bytes: ...
    def head(self, key: str) -> StoredObject | None: ...
    def delete(self, key: str) -> None: ...
    def clean_temporary(self) -> list[str]: ...
    def list(self, prefix: str = "", start_after: str = "") -> Iterator[str]: ...
    def describe(self) -> str: ...
    def status(self) -> dict: ...


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_keys(folder: Path, key_prefix: str) -> Iterator[str]:
    """Keys of the regular files under folder, whose own key starts them. The audit log lists its folder
    at every append: scandir knows a file from a folder without a stat of its own for each."""
    try:
        entries = os.scandir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    with entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from file_keys(Path(entry.path), f"{key_prefix}{entry.name}/")
            elif entry.is_file():
                yield key_prefix + entry.name


READ_ONLY = 0o400  # the owner's account reads the archive; other local accounts nothing (secret documents)
STALE_AFTER_SECONDS = 3600  # a write in progress takes seconds: a temporary file this old was abandoned


class LocalObjectStore:
    """Objects are files under root; a sidecar under root/.meta keeps checksum and type.

    Writes go to a temporary file that is fsynced and then hard-linked into place: the link fails
    if the key exists, so a stored object is never overwritten, and a crash leaves either the whole
    object or none. Stored files are made read-only, and readable by their owner only.
    """

    role = "object storage"

    @unavailable_on(OSError)
    def __init__(self, root: Path):
        self.root = root
        (root / ".tmp").mkdir(parents=True, exist_ok=True, mode=0o700)
        (root / ".meta").mkdir(parents=True, exist_ok=True, mode=0o700)
        if root.stat().st_mode & 0o077:  # an archive made open to other accounts by an older sohoa
            try:
                os.chmod(root, 0o700)
            except OSError:  # a read-only mount is read as it is
                pass

    def describe(self) -> str:
        return f"local folder {self.root}"

    def status(self) -> dict:
        return {"backend": "local folder", "location": str(self.root), "version": "-", "health": "ok",
                "objects": sum(1 for _ in self.list())}

    def _path(self, key: str) -> Path:
        if not key or key.startswith("/") or ".." in key.split("/") or key.startswith("."):
            raise ValueError(f"invalid object key: {key!r}")
        return self.root / key

    def _meta_path(self, key: str) -> Path:
        return self.root / ".meta" / (key + ".json")

    def _write_once(self, target: Path, data: bytes) -> bool:
        """True if written, False if target already existed."""
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.root / ".tmp" / uuid.uuid4().hex
        try:  # a full disk fails the write part-way: the temporary file goes either way
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, READ_ONLY)
            os.link(tmp, target)
            return True
        except FileExistsError:
            return False
        finally:
            tmp.unlink(missing_ok=True)

    @unavailable_on(OSError)
    def put(self, key: str, data: bytes, content_type: str, retain_until: dt.datetime | None = None) -> StoredObject:
        """retain_until is for object stores with retention locks; files here are read-only in any case."""
        obj = StoredObject(key, sha256_hex(data), len(data), content_type)
        if not self._write_once(self._path(key), data):
            existing = self.head(key)
            if existing is None or existing.sha256 != obj.sha256:
                raise WriteOnceError(f"object {key} already exists with different content; not overwritten")
            return existing
        self._write_meta(obj)
        return obj

    @unavailable_on(OSError)
    def restore(self, key: str, data: bytes, content_type: str, retain_until: dt.datetime | None = None
                ) -> StoredObject:
        """Repair only: replace a damaged or missing object (the one way a stored file is ever replaced)."""
        obj = StoredObject(key, sha256_hex(data), len(data), content_type)
        for target, content in ((self._path(key), data), (self._meta_path(key), self._meta_bytes(obj))):
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.root / ".tmp" / uuid.uuid4().hex
            try:
                tmp.write_bytes(content)
                os.chmod(tmp, READ_ONLY)
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
        return obj

    @unavailable_on(OSError)
    def delete(self, key: str) -> None:
        """Disposal only (sohoa dispose), once the dossier's retention has ended."""
        for path in (self._path(key), self._meta_path(key)):
            path.unlink(missing_ok=True)

    @staticmethod
    def _meta_bytes(obj: StoredObject) -> bytes:
        return json.dumps({"sha256": obj.sha256, "size": obj.size, "content_type": obj.content_type}).encode()

    def _write_meta(self, obj: StoredObject) -> None:
        self._write_once(self._meta_path(obj.key), self._meta_bytes(obj))

    @unavailable_on(OSError)
    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise ObjectMissing(key) from exc

    @unavailable_on(OSError)
    def head(self, key: str) -> StoredObject | None:
        path = self._path(key)
        if not path.exists():
            return None
        meta_path = self._meta_path(key)
        if not meta_path.exists():  # interrupted between object and sidecar: finish the job
            data = path.read_bytes()
            self._write_meta(StoredObject(key, sha256_hex(data), len(data), "application/octet-stream"))
        meta = json.loads(meta_path.read_text())
        return StoredObject(key, meta["sha256"], meta["size"], meta["content_type"])

    @unavailable_on(OSError)
    def clean_temporary(self) -> list[str]:
        """Remove the temporary files of writes a killed process never finished; their names."""
        removed = []
        for path in sorted((self.root / ".tmp").iterdir()):
            if path.stat().st_mtime < time.time() - STALE_AFTER_SECONDS:
                path.unlink(missing_ok=True)
                removed.append(f"{path.name} in {self.root / '.tmp'}")
        return removed

    @unavailable_on(OSError)
    def list(self, prefix: str = "", start_after: str = "") -> Iterator[str]:
        """Keys under prefix, in key order, after start_after; only the folder the prefix names is walked."""
        folder = prefix.rpartition("/")[0]
        keys = file_keys(self.root / folder, f"{folder}/" if folder else "")
        yield from sorted(k for k in keys if not k.startswith(".") and k.startswith(prefix) and k > start_after)
