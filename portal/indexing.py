"""Corrected records reach the search index in the background: a reviewer never waits for the index. Object
storage already holds the new version when a record is queued here; if the index is down, `sohoa verify`
names the record as differing and `sohoa reindex` (or the next correction) brings it up to date."""
import logging
from concurrent.futures import Future, ThreadPoolExecutor

from sohoa.core.errors import BackendUnavailable
from sohoa.pipeline.versions import stored_dossier, stored_record
from sohoa.portal.services import backends

log = logging.getLogger("sohoa.portal")
_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sohoa-index")


def _upsert(records: list[dict], whole_dossier: str | None = None) -> None:
    """The records as storage holds them now: of two corrections queued out of order, the index still ends
    with the current version."""
    try:
        store = backends().store
        if whole_dossier:  # its documents changed: the ones merged away leave the index too
            current = stored_dossier(store, whole_dossier)
            backends().index.delete_dossier(whole_dossier)
        else:
            current = [found for r in records if (found := stored_record(store, r["doc_id"])) is not None]
        backends().index.upsert(current)
    except BackendUnavailable as exc:
        log.warning("corrected records %s not indexed yet (%s); run sohoa reindex",
                    ", ".join(r["doc_id"] for r in records), exc)
    except Exception:  # a bug: in the log with its traceback, never lost in the worker thread
        log.exception("corrected records %s not indexed", ", ".join(r["doc_id"] for r in records))


def index_later(records: list[dict], whole_dossier: str | None = None) -> Future:
    """Index the records on the portal's one indexing thread, in the order corrections were made; with
    whole_dossier, they replace every record of that dossier in the index."""
    return _worker.submit(_upsert, records, whole_dossier)
