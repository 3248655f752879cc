"""One record read by a viewer through a front door: found only where the access rule lets the viewer
see it (the rule is part of the index query), and logged either way. A record that does not exist and
one the viewer may not see are the same answer, None, so nobody learns of a record by asking for it."""
from sohoa.archive.search import SearchFilters, SearchRequest
from sohoa.core.access import Viewer
from sohoa.pipeline.access_events import log_access
from sohoa.pipeline.backends import Backends

NOT_VISIBLE = "no such record or not permitted"


def visible_record(backends: Backends, viewer: Viewer | None, doc_id: str) -> dict | None:
    """The record if the viewer may see it (a viewer of None: the archive itself, which sees every one)."""
    request = SearchRequest(filters=SearchFilters(doc_id=doc_id), size=1, facets=False, viewer=viewer)
    hits = backends.index.search(request).hits
    return {k: v for k, v in hits[0].items() if k not in ("score", "highlights")} if hits else None


def refuse(backends: Backends, viewer: Viewer, doc_id: str, how: str, why: str) -> None:
    log_access(backends, None, f"{doc_id} refused ({how}): {why}", [], viewer.login, granted=False)


def visible_or_refused(backends: Backends, viewer: Viewer, doc_id: str, how: str) -> dict | None:
    """The record if the viewer may see it; else None, the refusal logged."""
    record = visible_record(backends, viewer, doc_id)
    if record is None:
        refuse(backends, viewer, doc_id, how, NOT_VISIBLE)
    return record


def read_record(backends: Backends, viewer: Viewer, doc_id: str, how: str) -> dict | None:
    """The record as the viewer may see it, with the reading (how: "viewed in the portal" …) in the audit
    trail; None, logged as a refusal, when it is unknown or not the viewer's to see."""
    record = visible_or_refused(backends, viewer, doc_id, how)
    if record is None:
        return None
    log_access(backends, record["file_code"], f"{doc_id} {how}", [(record["pdf"]["key"], record["pdf"]["sha256"])],
               viewer.login)
    return record
