"""The object store, search index and audit log that the settings name, opened once per command or
run and handed to every service that needs them."""
from contextlib import contextmanager
from typing import Callable, Iterator

from sohoa.archive.audit import AuditLog, log_entries
from sohoa.archive.catalogue import stored_records
from sohoa.archive.index import SearchIndex, SqliteSearchIndex
from sohoa.archive.locks import DossierLocks, LocalLocks, StoreLeases
from sohoa.archive.premis import Event
from sohoa.archive.replica import ReplicatedStore
from sohoa.archive.store import LocalObjectStore, ObjectStore
from sohoa.core.errors import BackendUnavailable
from sohoa.core.model import RunAttempt
from sohoa.core.settings import Settings


def _s3(endpoint: str, bucket: str) -> ObjectStore:
    from sohoa.archive.s3store import S3ObjectStore  # boto3 only when S3 is configured

    return S3ObjectStore(endpoint, bucket)


def open_primary(settings: Settings) -> ObjectStore:
    return _s3(settings.s3_endpoint, settings.s3_bucket) if settings.s3_endpoint else \
        LocalObjectStore(settings.objects_dir)


def open_replica(settings: Settings) -> ObjectStore | None:
    if settings.replica_s3_endpoint:
        return _s3(settings.replica_s3_endpoint, settings.replica_s3_bucket)
    return LocalObjectStore(settings.replica_dir) if settings.replica_dir else None


def open_store(settings: Settings) -> ObjectStore:
    """The primary store; with a replica configured, writes go to both."""
    primary, replica = open_primary(settings), open_replica(settings)
    return ReplicatedStore(primary, replica) if replica else primary


def open_index(settings: Settings, store: ObjectStore) -> SearchIndex:
    """The configured index; one left empty by a schema upgrade is first rebuilt from object storage."""
    if settings.es_url:
        from sohoa.archive.esindex import ElasticsearchSearchIndex  # the client only when configured

        auth = (settings.es_auth[0], settings.es_auth[1].reveal()) if settings.es_auth else None
        index = ElasticsearchSearchIndex(settings.es_url, settings.es_index, auth)
    else:
        index = SqliteSearchIndex(settings.index_path)
    if index.needs_rebuild:  # a record left out as damaged is verify's to name
        rebuild_index(store, index, damaged=lambda line: None)
        index.needs_rebuild = False
    return index


def open_audit(settings: Settings, store: ObjectStore) -> AuditLog:
    """The log lives with the objects; its checkpoints, signed with a key kept outside the archive, in a
    folder of their own and, on S3, also in the bucket under Object Lock, where nobody can remove them."""
    checkpoints = LocalObjectStore(settings.checkpoints_dir)
    if settings.s3_endpoint:
        checkpoints = ReplicatedStore(primary_of(store), checkpoints)
    return AuditLog(store, checkpoints, settings.checkpoint_key, settings.lock_max_years)


def primary_of(store: ObjectStore) -> ObjectStore:
    return store.primary if isinstance(store, ReplicatedStore) else store


def rebuild_index(store: ObjectStore, index: SearchIndex, damaged: Callable[[str], None], batch_size: int = 500
                  ) -> int:
    """Empty the index and fill it from object storage alone (the index holds nothing else): the records
    of every committed dossier, and the events of the audit log. A record that does not match its
    manifest is left out and named to damaged. Returns the number of records indexed."""
    index.drop()
    index.drop_events()
    in_batches((entry["event"] for entry in log_entries(store)), index.upsert_events, batch_size)
    return in_batches(stored_records(store, damaged=damaged), index.upsert, batch_size)


def in_batches(items, write, batch_size: int) -> int:
    batch, total = [], 0
    for item in items:
        batch.append(item)
        if len(batch) == batch_size:
            write(batch)
            total, batch = total + len(batch), []
    if batch:
        write(batch)
        total += len(batch)
    return total


def open_locks(settings: Settings, store: ObjectStore, run: RunAttempt | None = None) -> DossierLocks:
    """Dossier locks where every run that could take the dossier sees them: this machine's folder for the
    embedded store, leases in the bucket for S3 (naming the attempt of an orchestrated run, when there is one)."""
    if settings.s3_endpoint:
        return StoreLeases(primary_of(store), run)
    return LocalLocks(settings.home / "locks")


class Backends:
    def __init__(self, store: ObjectStore, open_search_index: Callable[[], SearchIndex], audit: AuditLog,
                 locks: DossierLocks):
        self.store, self.audit, self.locks = store, audit, locks
        self._open_search_index, self._index = open_search_index, None

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self._index = self._open_search_index()
        return self._index

    def close(self) -> None:
        if self._index is not None:
            self._index.close()

    def record(self, events: list[Event]) -> str | None:
        """Append events to the audit log, then index them; a warning when only the indexing failed
        (the log is their source: sohoa reindex catches the index up)."""
        self.audit.append(events)
        try:
            self.index.upsert_events([e.to_json() for e in events])
        except BackendUnavailable as exc:  # the events are safe in the log
            return f"events logged but not indexed ({exc}); run sohoa reindex"
        return None


@contextmanager
def open_backends(settings: Settings, index_when_used: bool = False, run: RunAttempt | None = None
                  ) -> Iterator[Backends]:
    """The backends, open for as long as the with-block runs. The index is opened at once (a run finds it
    unreachable before any work), or with index_when_used at its first use (verify checks the objects
    even when the index cannot be opened). run: the attempt of an orchestrated run this is, which its leases name."""
    store = open_store(settings)
    backends = Backends(store, lambda: open_index(settings, store), open_audit(settings, store),
                        open_locks(settings, store, run))
    if not index_when_used:
        backends.index
    try:
        yield backends
    finally:
        backends.close()
