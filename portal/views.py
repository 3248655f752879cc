"""The pages officers use: search and a record's page. Every answer goes through the same access rule as
the API (inside the index query); a record the user may not see is a 404 like an unknown one, and is
logged as a refused access."""
import json
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from sohoa.archive.search import SearchFilters, SearchRequest, matched_words, query_tokens
from sohoa.core.errors import UsageError
from sohoa.pipeline.reading import read_record
from sohoa.pipeline.search import search_page
from sohoa.portal.api import search_request
from sohoa.portal.copies import copy_response, reading_copy_response
from sohoa.portal.services import backends

DOSSIER_SIZE = 1000  # documents listed of one dossier; dossiers hold tens
FACET_FILTERS = {"type": "type", "organ": "organ", "year": None}  # a facet value and the filter it sets
SORT_NAMES = {"relevance": _("Phù hợp nhất"), "newest": _("Mới nhất"), "oldest": _("Cũ nhất"),
              "dossier": _("Theo hồ sơ")}
FIELD_NAMES = [("type_name", _("Loại văn bản")), ("code", _("Số, ký hiệu")), ("issued_date", _("Ngày ban hành")),
               ("organ_name", _("Cơ quan ban hành")), ("subject", _("Trích yếu")),
               ("signer_position", _("Chức vụ người ký")), ("signer_name", _("Người ký")), ("secrecy", _("Độ mật")),
               ("urgency", _("Độ khẩn")), ("file_code", _("Hồ sơ")), ("page_amount", _("Số trang"))]


def marked(highlight: dict) -> str:
    """A highlight's fragment as HTML, its hits in <mark> and everything escaped."""
    text, html, at = highlight["text"], [], 0
    for start, end in highlight["marks"]:
        html += [escape(text[at:start]), format_html("<mark>{}</mark>", text[start:end])]
        at = end
    return mark_safe("".join(html) + escape(text[at:]))  # every piece escaped above


def with_param(params, **changes) -> str:
    merged = {k: v for k, v in params.items() if v and k != "after"}
    merged.update({k: v for k, v in changes.items() if v is not None})
    return "?" + urlencode({k: v for k, v in merged.items() if v})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    params = request.GET
    context = {"params": params, "sorts": SORT_NAMES.items(), "saved": request.user.saved_searches.all()}
    try:
        page = search_page(backends().index, search_request(params, request.user.viewer()))
    except UsageError as exc:
        context["error"] = str(exc)
        return render(request, "portal/search.html", context, status=400)
    for hit in page["hits"]:
        hit["marked"] = [{"where": h, "html": marked(h)} for h in hit["highlights"]]
        hit["heading"] = heading(hit)
        # the record's page highlights the same words on its page images
        hit["link"] = reverse("record", args=[hit["doc_id"]]) + (f"?{urlencode({'q': params['q']})}"
                                                                 if params.get("q") else "")
    facets = {name: [{**bucket, "link": with_param(params, **{FACET_FILTERS[name]: bucket["value"]})
                      if FACET_FILTERS[name] else None} for bucket in buckets]
              for name, buckets in page["facets"].items()}
    context.update(page=page, facets=facets,
                   next_link=with_param(params, after=page["cursor"]) if page["cursor"] else None)
    return render(request, "portal/search.html", context)


@login_required
def record(request: HttpRequest, doc_id: str) -> HttpResponse:
    found = read_record(backends(), request.user.viewer(), doc_id, "viewed in the portal")
    if found is None:
        raise Http404(f"no record {doc_id}")
    code = "/".join(part for part in (found.get("code_number"), found.get("code_notation")) if part)
    fields = [(label, code if name == "code" else found.get(name)) for name, label in FIELD_NAMES]
    words = matched_words(found, query_tokens(request.GET.get("q", "")))
    return render(request, "portal/record.html", {"record": found, "heading": heading(found) or doc_id,
                                                  "fields": fields, "words": json.dumps(words, ensure_ascii=False)})


def heading(record: dict) -> str:
    """The subject of a document, or the title of a record without a Decree 30 header."""
    return record.get("subject") or record.get("title") or ""


@login_required
def copy(request: HttpRequest, doc_id: str) -> HttpResponse:
    return copy_response(request, doc_id)


@login_required
def print_copy(request: HttpRequest, doc_id: str) -> HttpResponse:
    return copy_response(request, doc_id, printing=True)


@login_required
def pages(request: HttpRequest, doc_id: str) -> HttpResponse:
    return reading_copy_response(request, doc_id)


@login_required
def dossier(request: HttpRequest, file_code: str) -> HttpResponse:
    """A dossier's table of contents (mục lục văn bản): the documents of it the user may see, in order."""
    listed = SearchRequest(filters=SearchFilters(file_code=file_code), sort="dossier", size=DOSSIER_SIZE,
                           facets=False, viewer=request.user.viewer())
    documents = search_page(backends().index, listed)["hits"]
    if not documents:
        raise Http404(f"no dossier {file_code}")
    for document in documents:
        document["heading"] = heading(document)
    return render(request, "portal/dossier.html", {"file_code": file_code, "documents": documents})
