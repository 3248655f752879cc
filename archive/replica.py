"""A second, independent copy (Circular 05 asks for at least two): every write goes to both stores,
reads come from the primary, and a damaged object is repaired from the copy that still matches."""
import datetime as dt
from typing import Iterator

from sohoa.archive.store import ObjectStore, StoredObject, sha256_hex
from sohoa.core.errors import ObjectMissing


class ReplicatedStore:
    def __init__(self, primary: ObjectStore, replica: ObjectStore):
        self.primary, self.replica = primary, replica

    def describe(self) -> str:
        return f"{self.primary.describe()} (replica: {self.replica.describe()})"

    def status(self) -> dict:
        return self.primary.status()

    def put(self, key: str, data: bytes, content_type: str, retain_until: dt.datetime | None = None) -> StoredObject:
        stored = self.primary.put(key, data, content_type, retain_until)
        self.replica.put(key, data, content_type, retain_until)
        return stored

    def restore(self, key: str, data: bytes, content_type: str, retain_until: dt.datetime | None = None
                ) -> StoredObject:
        return self.primary.restore(key, data, content_type, retain_until)

    def delete(self, key: str) -> None:
        self.primary.delete(key)
        self.replica.delete(key)

    def get(self, key: str) -> bytes:
        return self.primary.get(key)

    def head(self, key: str) -> StoredObject | None:
        return self.primary.head(key)

    def clean_temporary(self) -> list[str]:
        return self.primary.clean_temporary() + self.replica.clean_temporary()

    def list(self, prefix: str = "", start_after: str = "") -> Iterator[str]:
        return self.primary.list(prefix, start_after)


def good_copy(store: ObjectStore, key: str, sha256: str) -> bytes | None:
    """The object from this store if it is there and matches the checksum, else None."""
    try:
        data = store.get(key)
    except ObjectMissing:
        return None
    return data if sha256_hex(data) == sha256 else None
