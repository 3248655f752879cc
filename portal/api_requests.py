"""Reading and copy requests through the JSON API: the same rules, deadlines and events as the pages."""
import json

from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sohoa.core.errors import UsageError
from sohoa.portal.access_requests import awaiting, decide, file_request
from sohoa.portal.api import JSON, signed_in
from sohoa.portal.models import AccessRequest


def as_json(filed: AccessRequest) -> dict:
    grant = filed.grant
    return {"id": filed.pk, "target": filed.target, "scope": filed.scope, "copies": filed.copies or None,
            "purpose": filed.purpose, "days": filed.days, "state": filed.state, "requester": filed.user.username,
            "created": timezone.localtime(filed.created).isoformat(), "due": timezone.localtime(filed.due).isoformat(),
            "overdue": filed.overdue, "reason": filed.reason or None,
            "decided_by": filed.decided_by.username if filed.decided_by else None,
            "grant": {"expires": timezone.localtime(grant.expires).isoformat(),
                      "copies": grant.copies_allowed or None} if grant else None}


def body(request: HttpRequest) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise UsageError("the body must be a JSON object") from None
    if not isinstance(data, dict):
        raise UsageError("the body must be a JSON object")
    return data


def whole(data: dict, name: str, default: int | None) -> int | None:
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"{name} must be a whole number")
    return value


def text(data: dict, name: str, default: str = "") -> str:
    value = data.get(name)
    return default if value is None else str(value)


@require_http_methods(["GET", "POST"])
@signed_in
def own_requests(request: HttpRequest) -> JsonResponse:
    """GET: the user's own requests, newest first; POST: file one."""
    if request.method == "GET":
        mine = request.user.access_requests.select_related("user", "grant", "decided_by").order_by("-created")
        return JsonResponse({"requests": [as_json(r) for r in mine[:500]]}, **JSON)
    data = body(request)
    filed = file_request(request.user, text(data, "target"), text(data, "scope", "read"), text(data, "purpose"),
                         whole(data, "days", 30), whole(data, "copies", 1))
    return JsonResponse(as_json(filed), status=201, **JSON)


@signed_in
def queue(request: HttpRequest) -> JsonResponse:
    """The pending requests this approver may decide, the most urgent first."""
    return JsonResponse({"requests": [as_json(r) for r in awaiting(request.user)]}, **JSON)


@require_POST
@signed_in
def decision(request: HttpRequest, request_id: int) -> JsonResponse:
    data = body(request)
    if not isinstance(data.get("approve"), bool):
        raise UsageError('"approve" must be true or false')
    try:
        decided = decide(request.user, request_id, data["approve"], text(data, "reason"), whole(data, "copies", None))
    except LookupError:
        raise Http404(f"no pending request {request_id} for this approver") from None
    return JsonResponse(as_json(decided), **JSON)
