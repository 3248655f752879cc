"""The pages of reading and copy requests: an officer's own requests and the form to file one; an
approver's queue with its deadlines, and the decision."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sohoa.core.errors import UsageError
from sohoa.portal.access_requests import MAX_COPIES, MAX_DAYS, awaiting, decide, file_request
from sohoa.portal.models import Grant


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    form = {"target": request.GET.get("target", ""), "scope": request.GET.get("scope", "read"), "purpose": "",
            "days": 30, "copies": 1}
    status = 200
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in form}
        try:
            days, copies = int(form["days"] or 0), int(form["copies"] or 1)
            filed = file_request(request.user, form["target"], form["scope"], form["purpose"], days, copies)
        except ValueError:
            messages.error(request, _("Số ngày và số bản sao phải là số nguyên."))
            status = 400
        except UsageError as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            messages.success(request, _("Đã gửi yêu cầu số %(number)s; hạn trả lời %(due)s.") % {
                "number": filed.pk, "due": f"{timezone.localtime(filed.due):%d/%m/%Y %H:%M}"})
            return redirect("requests")
    return render(request, "portal/requests.html", {
        "form": form, "scopes": Grant.SCOPES.items(), "max_days": MAX_DAYS, "max_copies": MAX_COPIES,
        "requests": request.user.access_requests.select_related("grant").order_by("-created")[:100]}, status=status)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if request.user.role != "approver":
        raise Http404("no queue")
    return render(request, "portal/review_requests.html", {"pending": awaiting(request.user)})


@require_POST
@login_required
def decision(request: HttpRequest, request_id: int) -> HttpResponse:
    try:
        copies = int(request.POST["copies"]) if request.POST.get("copies") else None
        decided = decide(request.user, request_id, request.POST.get("decision") == "approve",
                         request.POST.get("reason", ""), copies)
    except ValueError:
        messages.error(request, _("Số bản sao phải là một số nguyên."))
    except LookupError:
        raise Http404("no such pending request") from None
    except UsageError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Yêu cầu số %(number)s: %(state)s.") % {
            "number": decided.pk, "state": decided.get_state_display().lower()})
    return redirect("request-queue")
