"""What the review pages and the review API share: who may correct, the record as storage holds it, the
correction committed as a new version and then indexed in the background, and the queue of flagged records."""
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from sohoa.archive.search import SearchFilters, SearchRequest
from sohoa.pipeline.access_events import log_access
from sohoa.pipeline.corrections import Correction, correct_dossier, correct_record
from sohoa.pipeline.reading import NOT_VISIBLE, refuse
from sohoa.pipeline.restructure import Restructure, restructure_dossier
from sohoa.pipeline.search import search_page
from sohoa.pipeline.versions import stored_dossier, stored_record
from sohoa.portal.indexing import index_later
from sohoa.portal.services import backends

REVIEWER = "archivist"
QUEUE_SIZE = 1000  # flagged records listed at once; a batch's review is worked down from the top


def require_reviewer(user) -> None:
    if user.role != REVIEWER:
        raise PermissionDenied("review and corrections are for archivists (role archivist)")


def current_record(user, doc_id: str, how: str) -> dict:
    """The record as the current version in storage holds it (the index may lag behind a correction by a
    moment), if the user may see it, the reading logged; else 404, the refusal logged."""
    viewer = user.viewer()
    record = stored_record(backends().store, doc_id)
    if record is None or not viewer.may_see(record):
        refuse(backends(), viewer, doc_id, how, NOT_VISIBLE)
        raise Http404(f"no record {doc_id}")
    log_access(backends(), record["file_code"], f"{doc_id} {how}", [(record["pdf"]["key"], record["pdf"]["sha256"])],
               viewer.login)
    return record


def correct(user, doc_id: str, fields: dict, reason: str, needs_review: bool | None = False,
            page_classes: dict | None = None) -> dict:
    """The correction as a new version of the record's dossier; the record as it now is."""
    require_reviewer(user)
    current_record(user, doc_id, "opened for correction")
    record = correct_record(backends(), settings.SOHOA, Correction(doc_id, fields, reason, user.username,
                                                                    needs_review, page_classes or {}))
    index_later([record])
    return record


def visible_dossier(user, file_code: str) -> list[dict]:
    """The dossier's current records, if the user may see every one of them; else 404."""
    viewer = user.viewer()
    records = stored_dossier(backends().store, file_code)
    if not records or not all(viewer.may_see(r) for r in records):
        raise Http404(f"no dossier {file_code}")
    return records


def correct_dossier_fields(user, file_code: str, fields: dict, reason: str) -> dict:
    """The dossier's own fields (its EAD) corrected as a new version; the fields as they now are."""
    require_reviewer(user)
    visible_dossier(user, file_code)
    return correct_dossier(backends(), settings.SOHOA, file_code, fields, reason, user.username)


def restructure(user, file_code: str, documents: list[tuple[str | None, list[int]]], reason: str) -> list[dict]:
    """The dossier's new structure as a new version, if the user may see every record of it; its records."""
    require_reviewer(user)
    visible_dossier(user, file_code)
    changed = restructure_dossier(backends(), settings.SOHOA, Restructure(file_code, documents, reason, user.username))
    index_later(changed, whole_dossier=file_code)
    return changed


def flagged(user, file_code: str | None = None) -> list[dict]:
    """The flagged records the user may see, dossier by dossier, each in its order."""
    listed = SearchRequest(filters=SearchFilters(file_code=file_code, needs_review=True), sort="dossier",
                           size=QUEUE_SIZE, facets=False, viewer=user.viewer())
    return search_page(backends().index, listed)["hits"]


def next_flagged(user, after: str) -> str | None:
    """The record to review after this one: the next in the queue that storage still has flagged (the index
    may not have caught up with the corrections just made), from the top again after the last."""
    queue = [hit["doc_id"] for hit in flagged(user)]
    at = queue.index(after) + 1 if after in queue else 0
    for doc_id in queue[at:] + queue[:at]:
        if doc_id == after:
            continue
        record = stored_record(backends().store, doc_id)
        if record and record.get("needs_review"):
            return doc_id
    return None
