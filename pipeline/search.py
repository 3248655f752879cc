"""Search as every front door answers it: one page in the JSON shape of the contract (`sohoa search
--json`, the portal's /api/search), or every hit."""
from typing import Iterator

from sohoa.archive.index import SearchIndex
from sohoa.archive.search import SearchRequest, every_hit


def without_page_text(hit: dict) -> dict:
    """A hit as listed: the pages' full text stays in the record (highlights show where the words are)."""
    return {**hit, "pages": [{k: v for k, v in page.items() if k != "text"} for page in hit.get("pages", [])]}


def search_page(index: SearchIndex, request: SearchRequest) -> dict:
    """{"total", "facets": {"type"|"year"|"organ": [{"value", "count"}]}, "cursor", "hits"}."""
    results = index.search(request)
    facets = {name: [{"value": value, "count": n} for value, n in buckets] for name, buckets in results.facets.items()}
    return {"total": results.total, "facets": facets, "cursor": results.cursor,
            "hits": [without_page_text(h) for h in results.hits]}


def all_hits(index: SearchIndex, request: SearchRequest) -> Iterator[dict]:
    """Every hit, however many, page after page by cursor."""
    return (without_page_text(hit) for hit in every_hit(index, request))
