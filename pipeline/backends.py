"""Open the object store and search index that the configuration names."""
from archive.index import SqliteSearchIndex
from archive.store import LocalObjectStore, ObjectStore
from pipeline.config import Settings


def open_store(settings: Settings) -> ObjectStore:
    if settings.s3_endpoint:
        from archive.s3store import S3ObjectStore  # boto3 only when S3 is configured

        return S3ObjectStore(settings.s3_endpoint, settings.s3_bucket)
    return LocalObjectStore(settings.objects_dir)


def open_index(settings: Settings) -> SqliteSearchIndex:
    return SqliteSearchIndex(settings.index_path)
