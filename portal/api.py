"""The JSON API (architecture contract): the same access control as the pages, token or session sign-in.

An unknown record and one the user may not see answer the same 404; both are logged as a refused access.
"""
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from sohoa.archive.search import SearchFilters, SearchRequest
from sohoa.core.errors import BackendUnavailable, Refused, UsageError
from sohoa.pipeline.reading import read_record
from sohoa.pipeline.search import search_page
from sohoa.portal.copies import copy_response
from sohoa.portal.services import backends

JSON = {"json_dumps_params": {"ensure_ascii": False}}


def error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, **JSON)


_csrf = CsrfViewMiddleware(lambda request: None)


def signed_in(view):
    """401 without a valid token or session; the archive's expected failures as JSON errors, never a page. A
    change through a session (not a token) still needs its CSRF token, checked here to answer in JSON."""
    @csrf_exempt
    @wraps(view)
    def answer(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            response = error(401, "sign in, or send Authorization: Bearer TOKEN (sohoa user token LOGIN)")
            response["WWW-Authenticate"] = 'Bearer realm="sohoa"'
            return response
        if _csrf.process_view(request, None, (), {}) is not None:
            return error(403, "a change through a signed-in session needs its CSRF token (X-CSRFToken)")
        try:
            return view(request, *args, **kwargs)
        except Http404 as exc:
            return error(404, str(exc))
        except PermissionDenied as exc:
            return error(403, str(exc))
        except UsageError as exc:
            return error(400, str(exc))
        except Refused as exc:  # the archive's rules, or another change under way: nothing was changed
            return error(409, str(exc))
        except BackendUnavailable as exc:
            return error(503, str(exc))
    return answer


def search_request(params, viewer) -> SearchRequest:
    """The query string of /api/search as `sohoa search` reads its options."""
    try:
        limit = int(params.get("limit", 20))
    except ValueError:
        raise UsageError(f"limit must be a whole number, not {params.get('limit')!r}") from None
    cursor = params.get("after") or None
    filters = SearchFilters(params.get("type") or None, params.get("organ") or None, params.get("from") or None,
                            params.get("to") or None, params.get("secrecy") or None)
    return SearchRequest(params.get("q", ""), filters, params.get("sort") or "relevance", limit, cursor,
                         facets=cursor is None, viewer=viewer)


@require_GET
@signed_in
def search(request: HttpRequest) -> JsonResponse:
    page = search_page(backends().index, search_request(request.GET, request.user.viewer()))
    return JsonResponse(page, **JSON)


@require_GET
@signed_in
def record(request: HttpRequest, doc_id: str) -> JsonResponse:
    found = read_record(backends(), request.user.viewer(), doc_id, "read through the API")
    return JsonResponse(found, **JSON) if found else error(404, f"no record {doc_id}")


@require_GET
@signed_in
def copy(request: HttpRequest, doc_id: str) -> HttpResponse:
    return copy_response(request, doc_id)
