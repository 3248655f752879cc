"""Reading and copy requests, from the officer who asks to the approver who decides (Circular 05 ch. 6).

A request reaches the approvers of the unit that owns the record (or dossier) whose clearance covers its
secrecy and, for a secret one, whose rank lets them authorise that level; it is answered within the
deadline of its kind (1 working day to read, 2 for a copy, 7 for a record of conditional or restricted
access). An approval is a grant that ends after the days asked for and, for a copy, allows the number of
copies the approver authorised. Every decision is an event in the audit trail."""
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sohoa.archive.search import SearchFilters, SearchRequest
from sohoa.core.access import OPEN, access_mode, clearance_level, secrecy_level
from sohoa.core.errors import UsageError
from sohoa.pipeline.access_events import log_access_decision
from sohoa.pipeline.backends import Backends
from sohoa.pipeline.copies import COPY_SCOPES
from sohoa.pipeline.reading import visible_record
from sohoa.portal.models import AccessRequest, Grant, User
from sohoa.portal.services import backends
from sohoa.portal.working_days import add_working_days

ANSWER_DAYS = {"read": 1, "copy": 2, "certified-copy": 2}
CONDITIONAL_ANSWER_DAYS = 7
MAX_DAYS, MAX_COPIES = 365, 20
MAX_DOSSIER_DOCUMENTS = 1000


def file_request(user: User, target: str, scope: str, purpose: str, days: int, copies: int = 1) -> AccessRequest:
    target, purpose = target.strip(), purpose.strip()
    if not target or not purpose:
        raise UsageError(_("Yêu cầu phải ghi mã văn bản và mục đích khai thác."))
    if scope not in Grant.SCOPES:
        raise UsageError(_("Hình thức khai thác không hợp lệ: %(scope)r.") % {"scope": scope})
    if not 1 <= days <= MAX_DAYS:
        raise UsageError(_("Thời hạn khai thác từ 1 đến %(days)d ngày.") % {"days": MAX_DAYS})
    if scope in COPY_SCOPES and not 1 <= copies <= MAX_COPIES:
        raise UsageError(_("Số bản sao từ 1 đến %(copies)d.") % {"copies": MAX_COPIES})
    # Looked up as the archive itself sees it, to route the request; the requester learns nothing of it: a
    # target they cannot see (unknown, secret or another unit's) is given the longest deadline, whatever it is.
    found = requested(backends(), target)
    mode = access_mode(found) if found else ""
    created = timezone.now()
    answer_days = ANSWER_DAYS[scope] if mode == OPEN and visible_record(backends(), user.viewer(), target) \
        else CONDITIONAL_ANSWER_DAYS
    return AccessRequest.objects.create(
        user=user, target=target, scope=scope, purpose=purpose, days=days,
        copies=copies if scope in COPY_SCOPES else 0, file_code=found.get("file_code") or "",
        unit=found.get("unit") or "", secrecy_level=found.get("secrecy_level", 0), access_mode=mode, created=created,
        due=add_working_days(timezone.localtime(created), answer_days, settings.DAYS_OFF))


def requested(archive: Backends, target: str) -> dict:
    """What a request routes by: the record of that doc_id, or else the dossier of that file code as one record
    of its unit and access mode; with the secrecy level to clear (a dossier's: its most secret document's).
    {} for neither."""
    record = visible_record(archive, None, target)
    if record:
        return {**record, "secrecy_level": secrecy_level(record.get("secrecy"))}
    documents = archive.index.search(SearchRequest(filters=SearchFilters(file_code=target), sort="dossier",
                                                   size=MAX_DOSSIER_DOCUMENTS, facets=False)).hits
    if not documents:
        return {}
    return {**documents[0], "secrecy_level": max(secrecy_level(d.get("secrecy")) for d in documents)}


def awaiting(approver: User):
    """The pending requests this approver may decide, oldest first: their unit's, others', within their clearance
    and within the secrecy level their rank lets them authorise."""
    if approver.role != "approver" or not approver.unit:
        return AccessRequest.objects.none()
    may_authorise = min(clearance_level(approver.clearance), clearance_level(approver.authority))
    return (AccessRequest.objects.filter(state=AccessRequest.PENDING, unit=approver.unit,
                                         secrecy_level__lte=may_authorise)
            .exclude(user=approver).select_related("user").order_by("due"))


def decide(approver: User, request_id: int, approve: bool, reason: str, copies: int | None = None) -> AccessRequest:
    """The approver's decision; an approved copy request allows the copies asked for, or fewer (copies)."""
    if not reason.strip():
        raise UsageError(_("Quyết định phải ghi lý do."))
    with transaction.atomic():
        found = awaiting(approver).select_for_update(of=("self",)).filter(pk=request_id).first()
        if found is None:
            raise LookupError(f"no pending request {request_id} for this approver")
        allowed = found.copies if copies is None else copies
        if approve and found.scope in COPY_SCOPES and not 1 <= allowed <= found.copies:
            raise UsageError(_("Số bản sao được duyệt từ 1 đến %(copies)d (số bản đã xin).") % {"copies": found.copies})
        now = timezone.now()
        found.state = AccessRequest.APPROVED if approve else AccessRequest.REFUSED
        found.decided_by, found.decided, found.reason = approver, now, reason.strip()
        if approve:
            found.grant = Grant.objects.create(
                user=found.user, target=found.target, scope=found.scope, granted_by=approver, reason=found.reason,
                starts=now, expires=now + dt.timedelta(days=found.days),
                copies_allowed=allowed if found.scope in COPY_SCOPES else 0)
        found.save()
        log_access_decision(backends(), found.file_code or None, decision_detail(found), approver.username)
    return found


def decision_detail(decided: AccessRequest) -> str:
    """The decision as the audit trail keeps it: which request, whose, for what, the answer and its reason."""
    asked = f"{decided.scope}" + (f", copies: {decided.copies}" if decided.scope in COPY_SCOPES else "")
    granted = decided.grant
    answer = "refused" if granted is None else (
        f"approved until {timezone.localtime(granted.expires):%Y-%m-%d %H:%M}"
        + (f", copies: {granted.copies_allowed}" if granted.scope in COPY_SCOPES else ""))
    return (f"request {decided.pk} by {decided.user.username} ({asked}, {decided.days} days) for {decided.target}: "
            f"{answer}; purpose: {decided.purpose}; reason: {decided.reason}")
