"""The audit trail: an append-only, hash-chained log of PREMIS events in object storage.

Entry n is the object audit/log/<n>.json holding {seq, prev, event, hash}: prev is entry n-1's hash
and hash is the SHA-256 of the entry's canonical JSON without it, so changing, removing or
reordering an entry breaks the chain at that point. Objects are write-once: two writers racing for
the same sequence number cannot both win, and the loser appends after the winner.

After each append the chain head (seq, hash) is written as a checkpoint to a second store, signed
with a key kept outside the archive. A log cut short, or rewritten from some point with a new
consistent chain, no longer matches the checkpoints there, and checkpoints written to match it lack
a valid signature.
"""
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sohoa.archive.checkpoint_key import CheckpointKey
from sohoa.archive.premis import DELETION, INGESTION_END, METADATA_MODIFICATION, SIGNATURE_GENERATION, SUCCESS, Event
from sohoa.archive.store import ObjectStore
from sohoa.core.errors import DamagedArchive, WriteOnceError
from sohoa.core.keys import (CHECKPOINT_PREFIX, LOG_PREFIX, checkpoint_key, checkpoint_seq, is_manifest_key,
                             is_version_manifest_key, log_entry_key, log_entry_seq)

GENESIS = "0" * 64


def entry_hash(seq: int, prev: str, event: dict) -> str:
    canonical = json.dumps({"seq": seq, "prev": prev, "event": event}, sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class ChainProblem:
    seq: int | None
    key: str
    kind: str  # "altered", "missing", "out of order", "truncated", "rewritten", "unreadable", "duplicate event",
    # "forged checkpoint", "unanchored"
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
    commits: dict[str, str]  # manifest key of every dossier committed and not disposed of -> its SHA-256


class AuditLog:
    def __init__(self, store: ObjectStore, checkpoints: ObjectStore, key_path: Path, lock_years: int | None = None):
        self.store, self.checkpoints, self.key_path, self.lock_years = store, checkpoints, key_path, lock_years
        self._head: tuple[int, str] | None = None
        self._key: CheckpointKey | None = None
        self._last_checkpoint = 0

    @property
    def key(self) -> CheckpointKey:
        """Loaded (made, the first time) when a checkpoint is written or checked, not for every command."""
        if self._key is None:
            self._key = CheckpointKey.load_or_create(self.key_path)
        return self._key

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
            # base and previous link the checkpoints into a chain of their own: deleting some is seen.
            checkpoint = self.key.sign({"seq": last["seq"], "hash": last["hash"],
                                        "time": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                                        "base": entries[0]["seq"] - 1, "previous": self._latest_checkpoint()})
            self._last_checkpoint = last["seq"]
            self.checkpoints.put(checkpoint_key(last["seq"]), json.dumps(checkpoint).encode(), "application/json",
                                 self._retain())
        return entries

    def _retain(self) -> dt.datetime | None:
        """Entries and checkpoints are locked (S3 Object Lock) as long as a permanent dossier."""
        return dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=365 * self.lock_years) if self.lock_years else None

    def _latest_checkpoint(self) -> int:
        """The newest checkpoint's sequence number (0: none), listing only what is newer than the last seen."""
        start = checkpoint_key(self._last_checkpoint) if self._last_checkpoint else ""
        for key in self.checkpoints.list(CHECKPOINT_PREFIX, start_after=start):
            self._last_checkpoint = max(self._last_checkpoint, checkpoint_seq(key))
        return self._last_checkpoint

    def _append_one(self, event: dict) -> dict:
        while True:
            seq, prev = self.head()
            entry = {"seq": seq + 1, "prev": prev, "event": event, "hash": entry_hash(seq + 1, prev, event)}
            try:
                self.store.put(log_entry_key(seq + 1), json.dumps(entry, ensure_ascii=False, sort_keys=True).encode(),
                               "application/json", self._retain())
            except WriteOnceError as exc:  # another writer took this number: read the new head and go again
                if self.head()[0] == seq:  # ...unless no entry took it: something else holds the key
                    raise DamagedArchive(f"the audit log cannot grow: {log_entry_key(seq + 1)} is taken by "
                                         "something that is not a log entry") from exc
                continue
            self._head = (entry["seq"], entry["hash"])
            return entry

    def entries(self, after: int = 0) -> Iterator[dict]:
        return log_entries(self.store, after)

    def logged_since(self, after: int) -> set[str]:
        """Identifiers of the events appended after sequence number `after`."""
        return {entry["event"]["identifier"] for entry in self.entries(after)}

    def verify(self) -> "ChainReport":
        """The chain from the first entry, then every checkpoint against it and against the key."""
        problems, hashes, commits, seen = [], {}, {}, {}
        prev, last = GENESIS, 0  # hash and position of the entry before, as the keys order them
        for key in self.store.list(LOG_PREFIX):
            position = log_entry_seq(key)
            gap = position != last + 1
            if gap:
                gone = f"entries {last + 1}-{position - 1} are" if position - last > 2 else f"entry {last + 1} is"
                problems.append(ChainProblem(position, key, "missing", f"{gone} gone"))
            try:
                entry = json.loads(self.store.get(key))
                seq, stored_hash, event = entry["seq"], entry["hash"], entry["event"]
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(ChainProblem(position, key, "unreadable", f"{type(exc).__name__}: {exc}"))
                prev, last = None, position
                continue
            if seq != position:
                problems.append(ChainProblem(position, key, "out of order", f"holds entry {seq}"))
            if entry_hash(seq, entry["prev"], event) != stored_hash:
                problems.append(ChainProblem(position, key, "altered", "its content does not match its hash"))
            elif not gap and prev is not None and entry["prev"] != prev:
                problems.append(ChainProblem(position, key, "altered",
                                             f"previous hash {entry['prev'][:16]}… does not match {prev[:16]}…"))
            identifier = event.get("identifier")
            if identifier in seen:
                problems.append(ChainProblem(position, key, "duplicate event",
                                             f"event {identifier} is also entry {seen[identifier]}"))
            seen.setdefault(identifier, position)
            hashes[position], prev, last = stored_hash, stored_hash, position
            track_commits(commits, event)
        problems += self._check_checkpoints(hashes, last)
        return ChainReport(len(hashes), problems, commits)

    def _check_checkpoints(self, hashes: dict[int, str], head: int) -> list[ChainProblem]:
        """Each checkpoint must carry this key's signature and agree with the log, the checkpoint it names as
        the one before must still be there, and the newest must be the log's head. A log with entries and no
        valid checkpoint is anchored nowhere."""
        problems, valid = [], {}
        for key in self.checkpoints.list(CHECKPOINT_PREFIX):
            try:
                checkpoint = json.loads(self.checkpoints.get(key))
                seq = int(checkpoint["seq"])
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(ChainProblem(None, key, "forged checkpoint", f"unreadable: {type(exc).__name__}"))
                continue
            forged = self.key.problem_with(checkpoint)
            if forged:
                problems.append(ChainProblem(seq, key, "forged checkpoint", forged))
            else:
                valid[seq] = (key, checkpoint)
        beyond, anchored, rewritten = None, 0, False
        for seq, (key, checkpoint) in sorted(valid.items()):
            if seq > head:
                beyond = checkpoint
            elif seq in hashes and hashes[seq] != checkpoint["hash"]:
                rewritten = True
                problems.append(ChainProblem(seq, log_entry_key(seq), "rewritten",
                                             f"hash differs from checkpoint {key} of {checkpoint['time']}"))
            else:
                anchored = max(anchored, seq)
            problems += self._gaps_before(key, checkpoint, valid)
        if beyond:
            problems.append(ChainProblem(beyond["seq"], log_entry_key(beyond["seq"]), "truncated",
                                         f"a checkpoint of {beyond['time']} records entry {beyond['seq']}; "
                                         f"the log ends at {head}"))
        elif rewritten:  # said above, entry by entry
            return problems
        elif hashes and anchored == 0:
            problems.append(ChainProblem(None, CHECKPOINT_PREFIX, "unanchored",
                                         f"the log has {len(hashes)} entries and no checkpoint signed by key "
                                         f"{self.key.key_id} in {self.checkpoints.describe()}"))
        elif anchored < head:
            problems.append(ChainProblem(anchored + 1, log_entry_key(anchored + 1), "unanchored",
                                         f"entries {anchored + 1}-{head} follow the last signed checkpoint (a run "
                                         "cut off before its checkpoint, or entries added without the key)"))
        return problems

    @staticmethod
    def _gaps_before(key: str, checkpoint: dict, valid: dict[int, tuple[str, dict]]) -> list[ChainProblem]:
        """A checkpoint names the newest checkpoint its writer saw. One that saw none is either the first
        (its entries start the log) or its writer raced the first, whose checkpoint then exists too.
        Either way, checkpoints deleted to hide a rewritten log leave a gap here."""
        previous, base = checkpoint.get("previous") or 0, checkpoint.get("base") or 0
        if previous and previous not in valid:
            return [ChainProblem(previous, checkpoint_key(previous), "unanchored",
                                 f"checkpoint {key} follows checkpoint {previous}, which is gone")]
        if not previous and base and not any(not c.get("base") for _, c in valid.values()):
            return [ChainProblem(base, key, "unanchored",
                                 f"checkpoints start again at entry {base + 1}: the ones before are gone")]
        return []


# The events that commit a manifest: an ingest, a correction, a renewal of the agency's timestamps.
COMMITTING = (INGESTION_END, METADATA_MODIFICATION, SIGNATURE_GENERATION)


def track_commits(commits: dict[str, str], event: dict) -> None:
    """A commit event adds the dossier's manifest, a new version the manifest of its version; a disposal takes
    them away again."""
    manifests = [(k, digest) for k, digest in event.get("objects", [])
                 if is_manifest_key(k) or is_version_manifest_key(k)]
    if event.get("type") in COMMITTING and event.get("outcome") == SUCCESS:
        commits.update(manifests)
    elif event.get("type") == DELETION and event.get("outcome") == SUCCESS:
        for k, _ in manifests:
            commits.pop(k, None)
