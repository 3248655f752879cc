"""Open the object store, search index and audit log that the configuration names."""
from dataclasses import dataclass

from archive.audit import AuditLog, log_entries
from archive.index import SearchIndex, SqliteSearchIndex
from archive.premis import Event
from archive.replica import ReplicatedStore
from archive.store import LocalObjectStore, ObjectStore
from pipeline.config import Settings


class BackendUnavailable(RuntimeError):
    """A storage or search backend did not answer (after the client's own bounded retries)."""


def _connect(what: str, factory):
    try:
        return factory()
    except Exception as exc:
        raise BackendUnavailable(f"{what} unavailable: {type(exc).__name__}: {exc}") from exc


def _s3(endpoint: str, bucket: str) -> ObjectStore:
    from archive.s3store import S3ObjectStore  # boto3 only when S3 is configured

    return _connect(f"object storage S3 {endpoint} bucket {bucket}", lambda: S3ObjectStore(endpoint, bucket))


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


def open_index(settings: Settings) -> SearchIndex:
    """The configured index; one left empty by a schema upgrade is first rebuilt from object storage."""
    if settings.es_url:
        from archive.esindex import ElasticsearchSearchIndex  # the client only when configured

        index = _connect(f"search index Elasticsearch {settings.es_url}",
                         lambda: ElasticsearchSearchIndex(settings.es_url, settings.es_index))
    else:
        index = SqliteSearchIndex(settings.index_path)
    if index.needs_rebuild:
        rebuild_index(open_store(settings), index)
        index.needs_rebuild = False
    return index


def rebuild_index(store: ObjectStore, index: SearchIndex, batch_size: int = 500) -> int:
    """Empty the index and fill it from object storage alone (the index holds nothing else): the records
    of every committed dossier, and the events of the audit log. Returns the number of records."""
    index.drop()
    index.drop_events()
    in_batches((entry["event"] for entry in log_entries(store)), index.upsert_events, batch_size)
    return in_batches(stored_records(store), index.upsert, batch_size)


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


def stored_records(store: ObjectStore, file_code: str | None = None):
    """Every committed record in object storage, dossier by dossier: the source of truth."""
    import json

    prefix = f"dossiers/{file_code}/" if file_code else "dossiers/"
    for key in store.list(prefix):
        if key.endswith("/manifest.json"):
            manifest = json.loads(store.get(key))
            for entry in manifest["documents"]:
                yield json.loads(store.get(entry["metadata_key"]))


def open_audit(settings: Settings, store: ObjectStore) -> AuditLog:
    """The log lives with the objects; its checkpoints in a second place, a folder of their own."""
    return AuditLog(store, LocalObjectStore(settings.checkpoints_dir), settings.lock_max_years)


@dataclass
class Backends:
    store: ObjectStore
    index: SearchIndex
    audit: AuditLog

    def close(self) -> None:
        self.index.close()

    def record(self, events: list[Event]) -> str | None:
        """Append events to the audit log, then index them; a warning when only the indexing failed
        (the log is their source: sohoa reindex catches the index up)."""
        self.audit.append(events)
        try:
            self.index.upsert_events([e.to_json() for e in events])
        except Exception as exc:  # noqa: BLE001 - the events are safe in the log
            return f"events logged but not indexed ({type(exc).__name__}: {exc}); run sohoa reindex"
        return None


def open_backends(settings: Settings) -> Backends:
    store = open_store(settings)
    return Backends(store, open_index(settings), open_audit(settings, store))
