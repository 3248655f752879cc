"""Corrections and versions through the JSON API (architecture contract), with the roles, the access rule
and the events of the review pages."""
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from sohoa.core.errors import UsageError
from sohoa.pipeline.versions import record_versions
from sohoa.portal.api import JSON, signed_in
from sohoa.portal.api_requests import body
from sohoa.portal.review_service import correct, correct_dossier_fields, current_record, restructure
from sohoa.portal.services import backends


@require_POST
@signed_in
def corrections(request: HttpRequest, doc_id: str) -> JsonResponse:
    """{"fields": {"subject": "…"}, "page_classes": {"3": "blank"}, "reason": "…", "needs_review": false}: a new
    version, and the record as it now is. needs_review false (the default) settles the record, true sends it to
    review, null leaves it."""
    data = body(request)
    fields = data.get("fields") if data.get("fields") is not None else {}
    if not isinstance(fields, dict):
        raise UsageError("fields must be a JSON object of field names and values")
    reason = data.get("reason")
    if not isinstance(reason, str):
        raise UsageError("reason must be text: why the record is corrected")
    needs_review = data.get("needs_review", False)
    if needs_review is not None and not isinstance(needs_review, bool):
        raise UsageError("needs_review must be true, false or null")
    page_classes = data.get("page_classes") if data.get("page_classes") is not None else {}
    if not isinstance(page_classes, dict):
        raise UsageError('page_classes must be a JSON object of page numbers and classes, e.g. {"3": "blank"}')
    return JsonResponse(correct(request.user, doc_id, fields, reason, needs_review, page_classes), **JSON)


@require_GET
@signed_in
def versions(request: HttpRequest, doc_id: str) -> JsonResponse:
    """The record's versions, current last."""
    current_record(request.user, doc_id, "versions read through the API")
    return JsonResponse({"doc_id": doc_id, "versions": record_versions(backends().store, doc_id)}, **JSON)


@require_POST
@signed_in
def structure(request: HttpRequest, file_code: str) -> JsonResponse:
    """{"documents": [{"doc_id": "X.1", "pages": [1, 2]}, {"doc_id": null, "pages": [3]}], "reason": "…"}: the
    dossier's documents and their pages as they should be (split, merge, move, reorder), as a new version."""
    data = body(request)
    documents = data.get("documents")
    if not isinstance(documents, list) or not all(
            isinstance(d, dict) and (d.get("doc_id") is None or isinstance(d.get("doc_id"), str))
            and isinstance(d.get("pages"), list) and all(isinstance(n, int) and not isinstance(n, bool)
                                                         for n in d["pages"]) for d in documents):
        raise UsageError('documents must be a list of {"doc_id": "…" or null, "pages": [page numbers]}')
    reason = data.get("reason")
    if not isinstance(reason, str):
        raise UsageError("reason must be text: why the structure is corrected")
    records = restructure(request.user, file_code, [(d.get("doc_id"), d["pages"]) for d in documents], reason)
    return JsonResponse({"file_code": file_code, "documents": records}, **JSON)


@require_POST
@signed_in
def dossier(request: HttpRequest, file_code: str) -> JsonResponse:
    """{"fields": {"title": "…", "start_date": "YYYY-MM-DD"}, "reason": "…"}: the dossier's own fields (its EAD)
    corrected, as a new version; the fields as they now are."""
    data = body(request)
    fields, reason = data.get("fields"), data.get("reason")
    if not isinstance(fields, dict) or not isinstance(reason, str):
        raise UsageError("send the fields to correct as a JSON object, and the reason as text")
    return JsonResponse({"file_code": file_code, "fields": correct_dossier_fields(request.user, file_code, fields,
                                                                                   reason)}, **JSON)
