"""A batch's quality report and sampling QA, for archivists: draw a random sample of the batch's unflagged
records, judge each against its scan (Enter: right; Alt+W with a note: wrong, and it goes to review)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sohoa.core.errors import CorrectionRefused, UsageError
from sohoa.portal.models import QualitySample
from sohoa.portal.quality import MAX_SAMPLE, batch_report, draw_sample, judge
from sohoa.portal.review import FIELDS, highlighted_words
from sohoa.portal.review_service import current_record, require_reviewer

DEFAULT_SAMPLE = 20


@login_required
def report(request: HttpRequest, batch: str) -> HttpResponse:
    require_reviewer(request.user)
    found = batch_report(request.user, batch)
    if not found["documents"]:
        raise Http404(f"no batch {batch}")
    return render(request, "portal/batch_report.html", {**found, "default_sample": DEFAULT_SAMPLE,
                                                         "max_sample": MAX_SAMPLE})


@require_POST
@login_required
def sample(request: HttpRequest, batch: str) -> HttpResponse:
    require_reviewer(request.user)
    try:
        drawn = draw_sample(request.user, batch, int(request.POST.get("size") or DEFAULT_SAMPLE))
    except ValueError:
        messages.error(request, _("Cỡ mẫu phải là một số nguyên."))
    except UsageError as exc:
        messages.error(request, str(exc))
    else:
        first = drawn.records.first()
        return redirect("sample-record", drawn.pk, first.doc_id)
    return redirect("batch-report", batch)


@login_required
def sample_record(request: HttpRequest, sample_id: int, doc_id: str) -> HttpResponse:
    require_reviewer(request.user)
    drawn = get_object_or_404(QualitySample, pk=sample_id)
    sampled = get_object_or_404(drawn.records, doc_id=doc_id)
    record = current_record(request.user, doc_id, "opened for sampling QA")
    status = 200
    if request.method == "POST":
        try:
            judge(request.user, sampled, request.POST.get("verdict") != "wrong", request.POST.get("note", ""))
        except (UsageError, CorrectionRefused) as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            following = drawn.records.filter(verdict="").first()
            if following is None:
                messages.success(request, _("Đã chấm xong mẫu số %(number)s.") % {"number": drawn.pk})
                return redirect("batch-report", drawn.batch)
            return redirect("sample-record", drawn.pk, following.doc_id)
    judged = drawn.records.exclude(verdict="").count()
    fields = [(label, record.get(name)) for name, label in FIELDS if record.get(name)]
    return render(request, "portal/sample_record.html", {
        "sample": drawn, "sampled": sampled, "record": record, "fields": fields, "judged": judged,
        "size": drawn.records.count(), "words": highlighted_words(record)}, status=status)
