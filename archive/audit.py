"""The audit trail: an append-only, hash-chained log of PREMIS events in object storage.

Entry n is the object audit/log/<n>.json holding {seq, prev, event, hash}: prev is entry n-1's hash
and hash is the SHA-256 of the entry's canonical JSON without it, so changing, removing or
reordering an entry breaks the chain at that point. Objects are write-once: two writers racing for
the same sequence number cannot both win, and the loser appends after the winner.

After each append the chain head (seq, hash) is written as a checkpoint to a second store. A log
cut short, or rewritten from some point with a new consistent chain, no longer matches the
checkpoints there.
"""
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Iterator

from sohoa.archive.premis import Event
from sohoa.archive.store import ObjectStore
from sohoa.core.errors import WriteOnceError
from sohoa.core.keys import CHECKPOINT_PREFIX, LOG_PREFIX, checkpoint_key, is_manifest_key, log_entry_key, log_entry_seq

GENESIS = "0" * 64


def entry_hash(seq: int, prev: str, event: dict) -> str:
    canonical = json.dumps({"seq": seq, "prev": prev, "event": event}, sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class ChainProblem:
    seq: int | None
    key: str
    kind: str  # "altered", "missing", "out of order", "truncated", "rewritten", "unreadable"
    detail: str

    def line(self) -> str:
        return f"audit log {self.kind}: {self.key}: {self.detail}"


def log_entries(store: ObjectStore, after: int = 0) -> Iterator[dict]:
    """The log's entries in order, after sequence number `after`."""
    for key in store.list(LOG_PREFIX, start_after=log_entry_key(after) if after else ""):
        yield json.loads(store.get(key))


@dataclass
class ChainReport:
    entries: int
    problems: list[ChainProblem]
    commits: dict[str, str]  # manifest key -> the SHA-256 its commit event recorded


class AuditLog:
    def __init__(self, store: ObjectStore, checkpoints: ObjectStore, lock_years: int | None = None):
        self.store, self.checkpoints, self.lock_years = store, checkpoints, lock_years
        self._head: tuple[int, str] | None = None

    def describe(self) -> str:
        return f"audit log in {self.store.describe()}, checkpoints in {self.checkpoints.describe()}"

    def head(self) -> tuple[int, str]:
        """(sequence number, hash) of the last entry; (0, GENESIS) for an empty log."""
        last = None
        for last in self.store.list(LOG_PREFIX, start_after=log_entry_key(self._head[0]) if self._head else ""):
            pass
        if last is not None:
            entry = json.loads(self.store.get(last))
            self._head = (entry["seq"], entry["hash"])
        return self._head or (0, GENESIS)

    def append(self, events: list[Event]) -> list[dict]:
        """Append events in order and checkpoint the new head. A caller that may repeat an action (a
        resumed ingest) first drops the events already logged, with `logged_since`."""
        entries = []
        for event in events:
            entries.append(self._append_one(event.to_json()))
        if entries:
            last = entries[-1]
            checkpoint = {"seq": last["seq"], "hash": last["hash"],
                          "time": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
            self.checkpoints.put(checkpoint_key(last["seq"]), json.dumps(checkpoint).encode(), "application/json")
        return entries

    def _append_one(self, event: dict) -> dict:
        while True:
            seq, prev = self.head()
            entry = {"seq": seq + 1, "prev": prev, "event": event, "hash": entry_hash(seq + 1, prev, event)}
            retain = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=365 * self.lock_years) \
                if self.lock_years else None
            try:
                self.store.put(log_entry_key(seq + 1), json.dumps(entry, ensure_ascii=False, sort_keys=True).encode(),
                               "application/json", retain)
            except WriteOnceError:  # another writer took this number: read the new head and go again
                continue
            self._head = (entry["seq"], entry["hash"])
            return entry

    def entries(self, after: int = 0) -> Iterator[dict]:
        return log_entries(self.store, after)

    def logged_since(self, after: int) -> set[str]:
        """Identifiers of the events appended after sequence number `after`."""
        return {entry["event"]["identifier"] for entry in self.entries(after)}

    def verify(self) -> "ChainReport":
        """The chain from the first entry, then every checkpoint against it."""
        problems, hashes, commits = [], {}, {}
        prev, last = GENESIS, 0  # hash and position of the entry before, as the keys order them
        for key in self.store.list(LOG_PREFIX):
            position = log_entry_seq(key)
            gap = position != last + 1
            if gap:
                gone = f"entries {last + 1}-{position - 1} are" if position - last > 2 else f"entry {last + 1} is"
                problems.append(ChainProblem(position, key, "missing", f"{gone} gone"))
            try:
                entry = json.loads(self.store.get(key))
                seq, stored_hash = entry["seq"], entry["hash"]
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(ChainProblem(position, key, "unreadable", f"{type(exc).__name__}: {exc}"))
                prev, last = None, position
                continue
            if seq != position:
                problems.append(ChainProblem(position, key, "out of order", f"holds entry {seq}"))
            if entry_hash(seq, entry["prev"], entry["event"]) != stored_hash:
                problems.append(ChainProblem(position, key, "altered", "its content does not match its hash"))
            elif not gap and prev is not None and entry["prev"] != prev:
                problems.append(ChainProblem(position, key, "altered",
                                             f"previous hash {entry['prev'][:16]}… does not match {prev[:16]}…"))
            hashes[position], prev, last = stored_hash, stored_hash, position
            commits.update((k, digest) for k, digest in entry["event"].get("objects", [])
                           if is_manifest_key(k))
        head, beyond = last, None
        for key in self.checkpoints.list(CHECKPOINT_PREFIX):
            checkpoint = json.loads(self.checkpoints.get(key))
            seq = checkpoint["seq"]
            if seq > head:
                beyond = checkpoint
            elif seq in hashes and hashes[seq] != checkpoint["hash"]:
                problems.append(ChainProblem(seq, log_entry_key(seq), "rewritten",
                                             f"hash differs from checkpoint {key} of {checkpoint['time']}"))
        if beyond:
            problems.append(ChainProblem(beyond["seq"], log_entry_key(beyond["seq"]), "truncated",
                                         f"a checkpoint of {beyond['time']} records entry {beyond['seq']}; "
                                         f"the log ends at {head}"))
        return ChainReport(len(hashes), problems, commits)
