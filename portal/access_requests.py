"""Reading and copy requests, from the officer who asks to the approver who decides (Circular 05 ch. 6).

A request reaches the approvers of the unit that owns the record whose clearance covers its secrecy; it
is answered within the deadline of its kind (1 working day to read, 2 for a copy, 7 for a record of
conditional or restricted access). An approval is a grant that ends after the days asked for."""
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sohoa.core.access import OPEN, access_mode, clearance_level, secrecy_level
from sohoa.core.errors import UsageError
from sohoa.pipeline.reading import visible_record
from sohoa.portal.models import AccessRequest, Grant, User
from sohoa.portal.services import backends

ANSWER_DAYS = {"read": 1, "copy": 2, "certified-copy": 2}
CONDITIONAL_ANSWER_DAYS = 7
MAX_DAYS = 365


def add_working_days(moment: dt.datetime, days: int) -> dt.datetime:
    """Monday to Friday count; public holidays are not known here."""
    while days:
        moment += dt.timedelta(days=1)
        days -= moment.weekday() < 5
    return moment


def file_request(user: User, target: str, scope: str, purpose: str, days: int) -> AccessRequest:
    target, purpose = target.strip(), purpose.strip()
    if not target or not purpose:
        raise UsageError(_("Yêu cầu phải ghi mã văn bản và mục đích khai thác."))
    if scope not in Grant.SCOPES:
        raise UsageError(_("Hình thức khai thác không hợp lệ: %(scope)r.") % {"scope": scope})
    if not 1 <= days <= MAX_DAYS:
        raise UsageError(_("Thời hạn khai thác từ 1 đến %(days)d ngày.") % {"days": MAX_DAYS})
    # Looked up as the archive itself sees it, to route the request; the requester learns nothing of it.
    record = visible_record(backends(), None, target) or {}
    mode = access_mode(record) if record else ""
    created = timezone.now()
    answer_days = CONDITIONAL_ANSWER_DAYS if mode not in ("", OPEN) else ANSWER_DAYS[scope]
    return AccessRequest.objects.create(
        user=user, target=target, scope=scope, purpose=purpose, days=days, unit=record.get("unit") or "",
        secrecy_level=secrecy_level(record.get("secrecy")) if record else 0, access_mode=mode, created=created,
        due=add_working_days(created, answer_days))


def awaiting(approver: User):
    """The pending requests this approver may decide: their unit's, within their clearance, oldest first."""
    if approver.role != "approver" or not approver.unit:
        return AccessRequest.objects.none()
    return (AccessRequest.objects.filter(state=AccessRequest.PENDING, unit=approver.unit,
                                         secrecy_level__lte=clearance_level(approver.clearance))
            .select_related("user").order_by("due"))


def decide(approver: User, request_id: int, approve: bool, reason: str) -> AccessRequest:
    if not reason.strip():
        raise UsageError(_("Quyết định phải ghi lý do."))
    with transaction.atomic():
        found = awaiting(approver).select_for_update().filter(pk=request_id).first()
        if found is None:
            raise LookupError(f"no pending request {request_id} for this approver")
        now = timezone.now()
        found.state = AccessRequest.APPROVED if approve else AccessRequest.REFUSED
        found.decided_by, found.decided, found.reason = approver, now, reason.strip()
        if approve:
            found.grant = Grant.objects.create(user=found.user, target=found.target, scope=found.scope,
                                               granted_by=approver, reason=found.reason, starts=now,
                                               expires=now + dt.timedelta(days=found.days))
        found.save()
    return found
