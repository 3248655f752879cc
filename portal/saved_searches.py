"""Saved searches: an officer names the search on the page and runs it again from the list beside it."""
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from sohoa.portal.models import SavedSearch

KEPT = ("q", "type", "organ", "from", "to", "sort")  # a cursor is not part of a search


def query_of(params) -> str:
    return urlencode([(key, params[key]) for key in KEPT if params.get(key)])


@require_POST
@login_required
def save(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "").strip()[:100] or "Tìm kiếm"
    query = query_of(request.POST)
    SavedSearch.objects.update_or_create(user=request.user, name=name, defaults={"query": query})
    return redirect(f"{reverse('search')}?{query}")


@require_POST
@login_required
def delete(request: HttpRequest, saved_id: int) -> HttpResponse:
    get_object_or_404(SavedSearch, pk=saved_id, user=request.user).delete()
    return redirect("search")
