"""What a search asks and what it answers, the same for every SearchIndex backend.

A search has text (optional), filters, a sort order and a page size, and answers one page of hits,
the exact total, facet counts (type, year, organ) over all matching records, highlights and an
opaque cursor for the next page. Cursors carry the last hit's sort key (keyset pagination), so
paging never slows down or stops at a hit count the way offset paging does.

Highlights are computed here from the original text rather than by the server: matching happens
on accent-folded copies, and a server highlighter would show those ("ho so" instead of "hồ sơ").
"""
import base64
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, replace

from sohoa.core.access import Viewer
from sohoa.core.dates import iso_date
from sohoa.core.errors import BadCursor, UsageError
from sohoa.core.text import fold

SORTS = ("relevance", "newest", "oldest", "dossier")
FACETS = ("type", "year", "organ")
FACET_SIZE = 10
CODE_QUERY = re.compile(r"^\s*(\d{1,5})\s*/\s*(\S+)\s*$")
TOKEN = re.compile(r"\w+", re.UNICODE)
OPERATOR_WORD = re.compile(r"-\w|\w+\*")  # -word (NOT) and word* (prefix)
FRAGMENT_CHARS = 160
MAX_FRAGMENTS = 3


@dataclass
class SearchFilters:
    type_name: str | None = None  # type name with or without accents, or its TT05 code
    organ: str | None = None  # any part of the issuing body's name
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None
    secrecy: str | None = None  # "mật", "tối mật", "tuyệt mật", with or without accents
    doc_id: str | None = None  # this one record
    file_code: str | None = None  # the records of this dossier
    needs_review: bool | None = None  # only the records flagged for review (True) or those not (False)
    batch: str | None = None  # the records that came in this batch folder


@dataclass
class SearchRequest:
    text: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: str = "relevance"  # without text, relevance means newest
    size: int = 20
    cursor: str | None = None
    facets: bool = True
    viewer: Viewer | None = None  # None: the archive's own operator, who sees every record

    def __post_init__(self):
        if self.sort not in SORTS:
            raise UsageError(f"unknown sort {self.sort!r}: one of {', '.join(SORTS)}")
        if not 1 <= self.size <= 1000:
            raise UsageError("page size must be between 1 and 1000")
        refuse_operators(self.text)
        if self.text.strip() and not self.tokens:
            raise UsageError(f"the query {self.text!r} has no searchable words (letters or digits)")
        filters = self.filters
        if filters.organ is not None and not TOKEN.search(fold(filters.organ)):
            raise UsageError(f"--organ {filters.organ!r} has no words to look for in the issuing body's name")
        self.filters = replace(filters, date_from=iso_date(filters.date_from, "--from"),
                               date_to=iso_date(filters.date_to, "--to"))

    @property
    def effective_sort(self) -> str:
        return "newest" if self.sort == "relevance" and not self.tokens else self.sort

    @property
    def tokens(self) -> list[str]:
        return query_tokens(self.text)

    @property
    def exact_code(self) -> str:
        """The folded number/symbol when the text is one, e.g. "213/ttr-skhdt"; else ""."""
        match = CODE_QUERY.match(self.text)
        return fold(f"{match.group(1)}/{match.group(2)}") if match else ""

    def fingerprint(self) -> str:
        what = json.dumps([self.text, asdict(self.filters), self.sort], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(what.encode()).hexdigest()[:16]


def query_tokens(text: str) -> list[str]:
    """The folded words a query matches."""
    return TOKEN.findall(fold(text))


def refuse_operators(text: str) -> None:
    """Every word of a query must match, on every backend; other punctuation is ignored. What a user would
    mean as an operator (AND, OR, NOT, -word, a "phrase", prefix*) is refused rather than quietly read as
    words, which would answer something else than was asked."""
    words = text.split()
    found = sorted({w for w in words if w in ("AND", "OR", "NOT")} | {w for w in words if OPERATOR_WORD.match(w)}
                   | ({'"'} if '"' in text else set()))
    if found:
        raise UsageError(f"search operators are not supported ({' '.join(found)}): every word of the query must "
                         "match; write the words alone, e.g. ke hoach chuyen doi so")


@dataclass
class SearchResults:
    hits: list[dict]  # the records, each with "score" and "highlights"
    total: int
    facets: dict[str, list[tuple[str, int]]]
    cursor: str | None  # None on the last page


def encode_cursor(request: SearchRequest, after: list, **extra) -> str:
    payload = {"q": request.fingerprint(), "after": after, **extra}
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()


def decode_cursor(request: SearchRequest) -> dict | None:
    if not request.cursor:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(request.cursor.encode()))
        after = payload["after"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BadCursor("the cursor is damaged") from exc
    if not isinstance(after, list) or not all(sort_value(v) for v in after):
        raise BadCursor("the cursor is damaged")
    if payload.get("q") != request.fingerprint():
        raise BadCursor("the cursor belongs to a different search (text, filters or sort changed)")
    return payload


def sort_value(value) -> bool:
    """A value a cursor may carry: what the sort keys hold (text, a 64-bit number, a score, or nothing)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -2 ** 63 <= value < 2 ** 63
    return value is None or isinstance(value, (str, float))


def searchable_text(record: dict) -> tuple[str, str, str]:
    """(code, metadata, body) folded for the three weighted full-text fields."""
    code = f"{record.get('code_number') or ''}/{record.get('code_notation') or ''}"
    meta = " ".join(str(record.get(k) or "") for k in (
        "type_name", "subject", "organ_name", "signer_name", "signer_position", "file_code", "doc_id",
        "issued_date", "secrecy", "urgency"))
    body = " ".join(page.get("text", "") for page in record.get("pages", []))
    return fold(code), fold(meta), fold(body)


def highlights(record: dict, tokens: list[str]) -> list[dict]:
    """Where the query's words occur in the subject and the pages, in the original spelling.

    Each highlight is {"field": "subject" | "page", "page": n | None, "text": fragment,
    "marks": [[start, end], ...]} with marks as offsets into the fragment (no markup to escape).
    """
    wanted = set(tokens)
    if not wanted:
        return []
    found = []
    places = [("subject", None, record.get("subject") or "")]
    places += [("page", page.get("number"), page.get("text") or "") for page in record.get("pages", [])]
    for field_name, page, text in places:
        spans = [m.span() for m in TOKEN.finditer(text) if fold(m.group()) in wanted]
        if spans:
            found.append(_fragment(field_name, page, text, spans))
        if len(found) == MAX_FRAGMENTS:
            break
    return found


def matched_words(record: dict, tokens: list[str]) -> list[str]:
    """The words of the record's pages that a query's words match, as printed ("Quyết", "định" for
    "quyet dinh"): a viewer that cannot fold marks (PDF.js does not fold "đ") finds these exactly."""
    wanted, found = set(tokens), {}
    for page in record.get("pages", []):
        for match in TOKEN.finditer(page.get("text") or ""):
            if fold(match.group()) in wanted:
                found.setdefault(match.group(), None)
    return list(found)


def _fragment(field_name: str, page, text: str, spans: list[tuple[int, int]]) -> dict:
    start = max(0, spans[0][0] - FRAGMENT_CHARS // 4)
    if start:  # begin at a word boundary
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + FRAGMENT_CHARS)
    marks = [[a - start, b - start] for a, b in spans if b <= end]
    return {"field": field_name, "page": page, "text": text[start:end], "marks": marks}


def finish_hit(record: dict, score: float, request: SearchRequest) -> dict:
    return {**record, "score": round(score, 4), "highlights": highlights(record, request.tokens)}


def secrecy_key(value: str | None) -> str:
    return fold(value or "")


def every_hit(index, request: SearchRequest):
    """Every hit of a search, page after page by cursor (no limit on how deep)."""
    request = replace(request, facets=False)
    while True:
        results = index.search(request)
        yield from results.hits
        if not results.cursor:
            return
        request = replace(request, cursor=results.cursor)


@dataclass(frozen=True)
class EventQuery:
    """Audit events, newest first, filtered by dossier, PREMIS event type, outcome and date (inclusive)."""
    file_code: str | None = None
    type: str | None = None
    outcome: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    limit: int = 100
