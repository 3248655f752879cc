"""Copies for download (pages and API alike): a copy stamped for its user and entered in the copy
register, never the stored object. A record the user may not see is a 404; a record they may read but
not copy without an approved copy request is a 403; both are logged as refused accesses."""
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from sohoa.archive.stamp import CopyStamp
from sohoa.pipeline.copies import COPY_SCOPES, copy_needs_grant, make_copy
from sohoa.pipeline.reading import refuse, visible_or_refused
from sohoa.portal.models import CopyEntry, Grant
from sohoa.portal.services import backends

HOW = "copy"
NO_REQUEST = "a copy of this record needs an approved copy request"
ALL_COPIES_MADE = "every copy the approved copy requests allow has been made"
FROM_ELSEWHERE = "a copy is made from the portal's own pages, or through the API with a token"


def copy_response(request: HttpRequest, doc_id: str, printing: bool = False) -> HttpResponse:
    """A copy to download or, printing, to open for the browser to print: printing a record makes a copy
    too (the copy register and the rules on copying secret records count both)."""
    user, archive = request.user, backends()
    viewer = user.viewer()
    record = visible_or_refused(archive, viewer, doc_id, HOW)
    if record is None:
        raise Http404(f"no record {doc_id}")
    if from_elsewhere(request):
        refuse(archive, viewer, doc_id, HOW, FROM_ELSEWHERE)
        raise PermissionDenied(FROM_ELSEWHERE)
    with transaction.atomic():  # no line in the register for a copy that could not be made
        grant, refused = copy_grant(user, doc_id, record) if copy_needs_grant(record) else (None, "")
        if refused:
            refuse(archive, viewer, doc_id, HOW, refused)
            raise PermissionDenied(refused)
        entry = CopyEntry.objects.create(user=user, doc_id=doc_id, secrecy=record.get("secrecy") or "", grant=grant,
                                         pages=record.get("page_amount") or 0)
        data = make_copy(archive, viewer, record, copy_stamp(user, entry, grant, record),
                         f"copy {entry.number} {'printed' if printing else 'made'} for {user.username}",
                         certified_by=settings.SOHOA)
        entry.sha256 = hashlib.sha256(data).hexdigest()
        entry.save(update_fields=["sha256"])
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (f'{"inline" if printing else "attachment"}; '
                                       f'filename="{doc_id}-ban-sao-{entry.pk}.pdf"')
    response["Cache-Control"] = "no-store"
    return response


def from_elsewhere(request: HttpRequest) -> bool:
    """Asked for with the user's session by another site's page (a link or a redirect there, which would spend
    a copy the user did not ask for): browsers say where a request comes from in Sec-Fetch-Site."""
    return (not getattr(request, "signed_in_by_token", False)
            and request.headers.get("Sec-Fetch-Site", "none") not in ("same-origin", "none"))


def copy_grant(user, doc_id: str, record: dict) -> tuple[Grant | None, str]:
    """The user's active copy grant for the record with a copy left, locked until the copy is entered in the
    register (two downloads at once cannot both take the last one); else None and why."""
    grants = (Grant.objects.active().select_for_update()
              .filter(user=user, scope__in=COPY_SCOPES, target__in=[doc_id, record["file_code"]]).order_by("expires"))
    if not grants:
        return None, NO_REQUEST
    for grant in grants:
        if grant.copies.count() < grant.copies_allowed:
            return grant, ""
    return None, ALL_COPIES_MADE


def reading_copy_response(request: HttpRequest, doc_id: str) -> HttpResponse:
    """The pages as the viewer shows them: a read-only copy naming its reader, the agency at each foot."""
    user, archive = request.user, backends()
    viewer = user.viewer()
    record = visible_or_refused(archive, viewer, doc_id, "pages viewed in the portal")
    if record is None:
        raise Http404(f"no record {doc_id}")
    stamp = CopyStamp(f"Bản đọc của {holder(user)}, {timezone.localtime():%d/%m/%Y %H:%M}", agency(), copy_mark=False)
    data = make_copy(archive, viewer, record, stamp, "pages viewed in the portal")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc_id}.pdf"'
    response["Cache-Control"] = "no-store"  # a secret record's pages stay in no shared cache
    return response


def holder(user) -> str:
    return (user.full_name or user.username) + (f" ({user.unit})" if user.unit else "")


def agency() -> str:
    return settings.SOHOA.agency or "Lưu trữ cơ quan"


def copy_stamp(user, entry: CopyEntry, grant: Grant | None, record: dict) -> CopyStamp:
    made_for = (f"Bản sao số {entry.number} cấp cho {holder(user)}, {timezone.localtime(entry.made):%d/%m/%Y %H:%M}"
                + (f", theo yêu cầu số {grant.pk}" if grant else ""))
    return CopyStamp(made_for, agency(), copy_mark=bool(record.get("secrecy")))
