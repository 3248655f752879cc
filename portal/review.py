"""The review workstation: the queue of flagged records, and one screen per record to settle it by keyboard
(Tab between fields, Enter saves and opens the next record). Only archivists reach it."""
import json
import re
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sohoa.archive.catalogue import load_manifest
from sohoa.core.errors import CorrectionRefused, UsageError
from sohoa.pipeline.corrections import DOSSIER_FIELDS, fields_of
from sohoa.pipeline.versions import record_versions, stored_dossier
from sohoa.portal.quality import reason_kind
from sohoa.portal.review_service import (correct, correct_dossier_fields, current_record, flagged, next_flagged,
                                         require_reviewer, restructure)
from sohoa.portal.services import backends

FIELDS = [("type_name", gettext_lazy("Loại văn bản")), ("code_number", gettext_lazy("Số")),
          ("code_notation", gettext_lazy("Ký hiệu")), ("issued_date", gettext_lazy("Ngày ban hành (YYYY-MM-DD)")),
          ("parent_organ", gettext_lazy("Cơ quan chủ quản")), ("organ_name", gettext_lazy("Cơ quan ban hành")),
          ("subject", gettext_lazy("Trích yếu")), ("signing_authority", gettext_lazy("Quyền hạn ký")),
          ("signer_position", gettext_lazy("Chức vụ người ký")), ("signer_name", gettext_lazy("Người ký")),
          ("secrecy", gettext_lazy("Độ mật")), ("urgency", gettext_lazy("Độ khẩn")),
          ("title", gettext_lazy("Tiêu đề (văn bản không có thể thức)"))]
DEFAULT_REASON = "Đối chiếu với bản quét"
KINDS = {"document": gettext_lazy("Văn bản"), "attachment": gettext_lazy("Tài liệu kèm theo"),
         "cover": gettext_lazy("Bìa hồ sơ"), "toc": gettext_lazy("Mục lục văn bản")}
PAGE_CLASSES = {"first": gettext_lazy("Trang đầu"), "continuation": gettext_lazy("Trang tiếp"),
                "appendix": gettext_lazy("Phụ lục"), "other": gettext_lazy("Tài liệu kèm theo"),
                "blank": gettext_lazy("Trang trắng"), "cover": gettext_lazy("Bìa hồ sơ"),
                "toc": gettext_lazy("Mục lục văn bản")}
DOSSIER_LABELS = [("title", gettext_lazy("Tiêu đề hồ sơ")), ("paper_file_code", gettext_lazy("Mã hồ sơ giấy")),
                  ("start_date", gettext_lazy("Ngày bắt đầu (YYYY-MM-DD)")),
                  ("end_date", gettext_lazy("Ngày kết thúc (YYYY-MM-DD)")),
                  ("organ_name", gettext_lazy("Cơ quan lập hồ sơ")), ("description", gettext_lazy("Chú giải"))]
READERS = {"page": gettext_lazy("trang (mô hình tiếng Việt)"), "row": gettext_lazy("đọc lại dòng (mô hình tiếng Anh)"),
           "digits": gettext_lazy("chữ số viết tay"), "digits-eng": gettext_lazy("chữ số (mô hình tiếng Anh)")}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The flagged records, batch by batch and dossier by dossier, with counts by reason."""
    require_reviewer(request.user)
    records = flagged(request.user)
    batches: dict[str, dict[str, list[dict]]] = {}
    for record in records:
        batches.setdefault(record.get("batch") or "", {}).setdefault(record["file_code"], []).append(record)
    reasons = Counter(reason_kind(r) for record in records for r in record.get("review_reasons", []))
    return render(request, "portal/review_queue.html", {
        "batches": [(batch, dossiers.items()) for batch, dossiers in batches.items()], "total": len(records),
        "reasons": reasons.most_common(), "first": records[0]["doc_id"] if records else None})


def field_focus(record: dict) -> str:
    """The field the reviewer most likely has to fix: the first one a review reason names, else the least
    confident one read."""
    reasons = " ".join(record.get("review_reasons", []))
    named = [name for name, _ in FIELDS if re.search(rf"\b{name}\b", reasons)]
    if named:
        return named[0]
    confidence = record.get("confidence", {})
    read = [name for name, _ in FIELDS if name in confidence]
    return min(read, key=lambda name: confidence[name]) if read else FIELDS[0][0]


def described(file_code: str, records: list[dict]) -> list[tuple[str, str, str | None]]:
    """(name, label, value) of the dossier's own fields, for their form; records: its current ones, read already."""
    fields = fields_of(load_manifest(backends().store, file_code), records, settings.SOHOA)
    return [(name, label, fields[name]) for name, label in DOSSIER_LABELS]


def distinct_readings(readings: list[dict]) -> list[dict]:
    """Each value the readers gave once, with the readers that gave it."""
    by_value: dict[str, list[str]] = {}
    for reading in readings:
        by_value.setdefault(reading["value"], []).append(str(READERS.get(reading["reader"], reading["reader"])))
    return [{"value": value, "readers": ", ".join(readers)} for value, readers in by_value.items()]


def highlighted_words(record: dict) -> str:
    """The values as printed, for the page viewer to highlight where each was read."""
    code = "/".join(v for v in (record.get("code_number"), record.get("code_notation")) if v)
    values = [code] + [record.get(name) for name in ("organ_name", "subject", "signer_name")]
    return json.dumps([v for v in values if v], ensure_ascii=False)


@login_required
def screen(request: HttpRequest, doc_id: str) -> HttpResponse:
    require_reviewer(request.user)
    record = current_record(request.user, doc_id, "opened for review")
    status, reason, values = 200, DEFAULT_REASON, {name: record.get(name) or "" for name, _ in FIELDS}
    if request.method == "POST":
        values = {name: request.POST.get(name, values[name]) for name, _ in FIELDS}
        values["record_kind"] = request.POST.get("record_kind", record.get("record_kind") or "document")
        page_classes = {p["number"]: request.POST[f"page_class_{p['number']}"] for p in record["pages"]
                        if f"page_class_{p['number']}" in request.POST}
        reason = request.POST.get("reason", "").strip()
        try:
            saved = correct(request.user, doc_id, values, reason, needs_review=False, page_classes=page_classes)
        except (UsageError, CorrectionRefused) as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            messages.success(request, _("Đã lưu %(doc_id)s (phiên bản %(version)s).") % {
                "doc_id": doc_id, "version": saved.get("version", 1)})
            following = next_flagged(request.user, doc_id)
            return redirect(reverse("review-record", args=[following]) if following else reverse("review"))
    confidence = record.get("confidence", {})
    readings = record.get("readings") or {}
    fields = [{"name": name, "label": label, "value": values[name],
               "confidence": round(confidence[name] * 100) if name in confidence else None,
               "readings": distinct_readings(readings.get(name, []))} for name, label in FIELDS]
    following = next_flagged(request.user, doc_id)
    dossier = stored_dossier(backends().store, record["file_code"])
    at = [r["doc_id"] for r in dossier].index(doc_id)
    return render(request, "portal/review.html", {
        "record": record, "fields": fields, "focus": field_focus(record), "reason": reason,
        "words": highlighted_words(record), "following": following,
        "versions": record_versions(backends().store, doc_id), "page_numbers": [p["number"] for p in record["pages"]],
        "kinds": KINDS.items(), "page_classes": PAGE_CLASSES.items(),
        "dossier": described(record["file_code"], dossier),
        "next_document": dossier[at + 1]["doc_id"] if at + 1 < len(dossier) else None,
        "other_documents": [r["doc_id"] for r in dossier if r["doc_id"] != doc_id]}, status=status)


def new_structure(dossier: list[dict], doc_id: str, action: str, page: int | None, target: str | None
                  ) -> list[tuple[str | None, list[int]]]:
    """The dossier's documents and pages after splitting this document at a page (a new document from it on),
    merging the next document into it, or moving one of its pages to another document."""
    structure = [(r["doc_id"], [p["number"] for p in r["pages"]]) for r in dossier]
    at = [d for d, _ in structure].index(doc_id)
    pages = structure[at][1]
    if action == "split" and page in pages[1:]:
        cut = pages.index(page)
        return structure[:at] + [(doc_id, pages[:cut]), (None, pages[cut:])] + structure[at + 1:]
    if action == "merge" and at + 1 < len(structure):
        return structure[:at] + [(doc_id, pages + structure[at + 1][1])] + structure[at + 2:]
    if action == "move" and page in pages and target in dict(structure) and target != doc_id:
        moved = [(d, sorted(numbers + [page]) if d == target else [n for n in numbers if n != page])
                 for d, numbers in structure]
        return [(d, numbers) for d, numbers in moved if numbers]
    raise UsageError(_("Không thể thay đổi cấu trúc như vậy."))


@require_POST
@login_required
def structure(request: HttpRequest, doc_id: str) -> HttpResponse:
    """Split, merge or move pages from the review screen; the new document, if one was split off, opens next."""
    require_reviewer(request.user)
    record = current_record(request.user, doc_id, "opened for correction")
    dossier = stored_dossier(backends().store, record["file_code"])
    before = {r["doc_id"] for r in dossier}
    try:
        page = int(request.POST["page"]) if request.POST.get("page") else None
        documents = new_structure(dossier, doc_id, request.POST.get("action", ""), page, request.POST.get("target"))
        changed = restructure(request.user, record["file_code"], documents, request.POST.get("reason", "").strip())
    except (ValueError, UsageError, CorrectionRefused) as exc:
        messages.error(request, str(exc))
        return redirect("review-record", doc_id)
    added = [r["doc_id"] for r in changed if r["doc_id"] not in before]
    kept = doc_id in {r["doc_id"] for r in changed}
    messages.success(request, _("Đã sửa cấu trúc hồ sơ %(file_code)s.") % {"file_code": record["file_code"]})
    return redirect("review-record", added[0] if added else doc_id if kept else request.POST.get("target") or doc_id)


@require_POST
@login_required
def dossier_correction(request: HttpRequest, doc_id: str) -> HttpResponse:
    """The dossier's own fields corrected from the review screen of one of its records."""
    require_reviewer(request.user)
    record = current_record(request.user, doc_id, "opened for correction")
    fields = {name: request.POST[name] for name in DOSSIER_FIELDS if name in request.POST}
    try:
        correct_dossier_fields(request.user, record["file_code"], fields, request.POST.get("reason", "").strip())
    except (UsageError, CorrectionRefused) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã sửa thông tin hồ sơ %(file_code)s.") % {"file_code": record["file_code"]})
    return redirect("review-record", doc_id)
