"""Open the object store and search index that the configuration names."""
from archive.index import SqliteSearchIndex
from archive.store import LocalObjectStore
from pipeline.config import Settings


def open_store(settings: Settings) -> LocalObjectStore:
    return LocalObjectStore(settings.objects_dir)


def open_index(settings: Settings) -> SqliteSearchIndex:
    return SqliteSearchIndex(settings.index_path)
