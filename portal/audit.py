"""The audit trail for auditors (and admins): the PREMIS events, filtered, as a page and as CSV."""
import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sohoa.archive.search import EventQuery
from sohoa.core.dates import iso_date
from sohoa.core.errors import UsageError
from sohoa.portal.services import backends

AUDIT_ROLES = ("auditor", "admin")
OUTCOMES = ("success", "failure", "not performed")
COLUMNS = ("time", "type", "outcome", "file_code", "actor", "detail", "identifier")
PAGE_LIMIT, CSV_LIMIT = 200, 10_000


def auditor_only(view):
    @login_required
    def checked(request: HttpRequest, *args, **kwargs):
        if request.user.role not in AUDIT_ROLES:
            raise PermissionDenied("the audit trail is for auditors")
        return view(request, *args, **kwargs)
    return checked


def event_query(params, limit: int) -> EventQuery:
    outcome = params.get("outcome") or None
    if outcome and outcome not in OUTCOMES:
        raise UsageError(f"unknown outcome {outcome!r}: one of {', '.join(OUTCOMES)}")
    return EventQuery(params.get("dossier") or None, params.get("type") or None, outcome,
                      iso_date(params.get("from") or None, "from"), iso_date(params.get("to") or None, "to"), limit)


@auditor_only
def events(request: HttpRequest) -> HttpResponse:
    context = {"params": request.GET, "outcomes": OUTCOMES, "query_string": request.GET.urlencode()}
    try:
        context["events"] = backends().index.search_events(event_query(request.GET, PAGE_LIMIT))
    except UsageError as exc:
        context["error"] = str(exc)
        return render(request, "portal/audit.html", context, status=400)
    return render(request, "portal/audit.html", context)


@auditor_only
def events_csv(request: HttpRequest) -> HttpResponse:
    try:
        found = backends().index.search_events(event_query(request.GET, CSV_LIMIT))
    except UsageError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sohoa-audit-events.csv"'
    response.write("\ufeff")  # spreadsheet programs read UTF-8 Vietnamese only after a byte-order mark
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    for event in found:
        writer.writerow([event.get(column) or "" for column in COLUMNS])
    return response
