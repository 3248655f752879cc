"""The production search index: Elasticsearch (client major pinned to the server's, 8).

Accent folding is done here in Python into *_folded fields, because the minimal server (and some
managed clusters) lack the asciifolding filter and no filter folds "đ" anyway. Documents are
indexed under their doc_id, so indexing a record again replaces it.
"""
import hashlib
import json

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from sohoa.archive.search import (FACET_SIZE, FACETS, EventQuery, SearchFilters, SearchRequest, SearchResults,
                                  decode_cursor, encode_cursor, finish_hit, searchable_text, secrecy_key)
from sohoa.core.access import OPEN, Viewer, access_mode, secrecy_level
from sohoa.core.errors import unavailable_on
from sohoa.core.text import fold

SCHEMA_VERSION = 4
PIT_KEEP_ALIVE = "10m"
MAPPINGS = {
    "_meta": {"sohoa_schema": SCHEMA_VERSION},
    "dynamic": False,
    "properties": {
        "doc_id": {"type": "keyword"}, "file_code": {"type": "keyword"}, "doc_ordinal": {"type": "integer"},
        "type_name": {"type": "keyword"}, "type_folded": {"type": "keyword"}, "type_code": {"type": "keyword"},
        "code_number": {"type": "keyword"}, "code_notation": {"type": "keyword"},
        "code_exact": {"type": "keyword"}, "code_folded": {"type": "text"},
        "issued_date": {"type": "date", "format": "strict_date"},
        "organ_name": {"type": "keyword"}, "organ_folded": {"type": "text", "fields": {"raw": {"type": "keyword"}}},
        "subject": {"type": "text"}, "meta_folded": {"type": "text"}, "body_folded": {"type": "text"},
        "signer_name": {"type": "keyword"}, "secrecy": {"type": "keyword"}, "secrecy_folded": {"type": "keyword"},
        "urgency": {"type": "keyword"},
        "secrecy_level": {"type": "integer"}, "access_mode": {"type": "keyword"}, "unit": {"type": "keyword"},
        "needs_review": {"type": "boolean"}, "batch": {"type": "keyword"},
        "record": {"type": "object", "enabled": False},  # the exported record, returned as stored
    },
}


# Sort orders; doc_id last makes every sort key unique, so search_after pages exactly.
SORTS = {
    "relevance": [{"_score": "desc"}, {"doc_id": "asc"}],
    "newest": [{"issued_date": {"order": "desc", "missing": "_last"}}, {"doc_id": "asc"}],
    "oldest": [{"issued_date": {"order": "asc", "missing": "_last"}}, {"doc_id": "asc"}],
    "dossier": [{"file_code": "asc"}, {"doc_ordinal": {"order": "asc", "missing": "_first"}}, {"doc_id": "asc"}],
}
AGGREGATIONS = {
    "type": {"terms": {"field": "type_name", "size": FACET_SIZE}},
    "year": {"date_histogram": {"field": "issued_date", "calendar_interval": "year", "format": "yyyy",
                                "min_doc_count": 1, "order": {"_count": "desc"}}},
    "organ": {"terms": {"field": "organ_name", "size": FACET_SIZE}},
}


EVENT_MAPPINGS = {"dynamic": False, "properties": {
    "identifier": {"type": "keyword"}, "type": {"type": "keyword"}, "time": {"type": "date"},
    "file_code": {"type": "keyword"}, "outcome": {"type": "keyword"}, "agent": {"type": "keyword"},
    "detail": {"type": "text"}}}


ES_ERRORS = (ApiError, TransportError, helpers.BulkIndexError)


class ElasticsearchSearchIndex:
    role = "search index"

    def __init__(self, url: str, index: str = "sohoa-records", auth: tuple[str, str] | None = None):
        self.url, self.index, self.events_index = url, index, f"{index}-events"
        self.client = Elasticsearch(url, basic_auth=auth, request_timeout=30, max_retries=3, retry_on_timeout=True)
        self._open()

    @unavailable_on(*ES_ERRORS)
    def _open(self) -> None:
        self.needs_rebuild = self._migrate()
        self._create_events()

    def _migrate(self) -> bool:
        """Create the index, or recreate it empty when its mapping is older than this code's."""
        if self.client.indices.exists(index=self.index):
            mapping = self.client.indices.get_mapping(index=self.index)[self.index]["mappings"]
            if mapping.get("_meta", {}).get("sohoa_schema") == SCHEMA_VERSION:
                return False
            self.drop()
            return True
        self._create()
        return False

    def _create(self) -> None:
        if not self.client.indices.exists(index=self.index):
            self.client.indices.create(index=self.index, mappings=MAPPINGS,
                                       settings={"number_of_shards": 1, "number_of_replicas": 0})

    @unavailable_on(*ES_ERRORS)
    def status(self) -> dict:
        health = self.client.cluster.health()
        # The minimal server has no root endpoint (GET /), so versions come from the node list.
        versions = sorted({node["version"] for node in self.client.cat.nodes(h="version", format="json")})
        return {"backend": "Elasticsearch", "location": f"{self.url}/{self.index}",
                "version": ", ".join(versions), "health": f"{health['status']} ({health['number_of_nodes']} node(s))",
                "records": self.count()}

    @unavailable_on(*ES_ERRORS)
    def drop(self) -> None:
        """Delete and recreate the index (it is rebuilt from object storage)."""
        self.client.indices.delete(index=self.index, ignore_unavailable=True)
        self._create()

    def describe(self) -> str:
        return f"Elasticsearch {self.url} index {self.index}"

    def _create_events(self) -> None:
        if not self.client.indices.exists(index=self.events_index):
            self.client.indices.create(index=self.events_index, mappings=EVENT_MAPPINGS,
                                       settings={"number_of_shards": 1, "number_of_replicas": 0})

    @unavailable_on(*ES_ERRORS)
    def upsert_events(self, events: list[dict]) -> None:
        actions = ({"_index": self.events_index, "_id": e["identifier"], "_source": e} for e in events)
        for ok, item in helpers.streaming_bulk(self.client, actions, raise_on_error=False, max_retries=3):
            if not ok:
                raise RuntimeError(f"Elasticsearch refused an event: {item}")
        self.client.indices.refresh(index=self.events_index)

    @unavailable_on(*ES_ERRORS)
    def search_events(self, query: EventQuery) -> list[dict]:
        filters = [{"term": {field: value}} for field, value in
                   (("file_code", query.file_code), ("type", query.type), ("outcome", query.outcome)) if value]
        bounds = (("gte", query.date_from), ("lte", query.date_to and f"{query.date_to}||/d"))  # to: the whole day
        if query.date_from or query.date_to:
            filters.append({"range": {"time": {k: v for k, v in bounds if v}}})
        hits = self.client.search(index=self.events_index, query={"bool": {"filter": filters}}, size=query.limit,
                                  sort=[{"time": "desc"}, {"identifier": "asc"}])
        return [h["_source"] for h in hits["hits"]["hits"]]

    @unavailable_on(*ES_ERRORS)
    def drop_events(self) -> None:
        self.client.indices.delete(index=self.events_index, ignore_unavailable=True)
        self._create_events()

    def close(self) -> None:
        self.client.close()

    def _document(self, record: dict) -> dict:
        code, meta, body = searchable_text(record)
        return {
            **{k: record.get(k) for k in ("doc_id", "file_code", "doc_ordinal", "type_name", "type_code",
                                          "code_number", "code_notation", "issued_date", "organ_name", "subject",
                                          "signer_name", "secrecy", "urgency", "needs_review", "batch")},
            "type_folded": fold(record.get("type_name") or ""), "code_exact": code, "code_folded": code,
            "organ_folded": fold(record.get("organ_name") or ""), "secrecy_folded": secrecy_key(record.get("secrecy")),
            "meta_folded": meta, "body_folded": body,
            "secrecy_level": secrecy_level(record.get("secrecy")), "access_mode": access_mode(record),
            "unit": record.get("unit"),
            "record": record,
        }

    @unavailable_on(*ES_ERRORS)
    def upsert(self, records: list[dict]) -> None:
        actions = ({"_index": self.index, "_id": r["doc_id"], "_source": self._document(r)} for r in records)
        for ok, item in helpers.streaming_bulk(self.client, actions, raise_on_error=False, max_retries=3):
            if not ok:
                raise RuntimeError(f"Elasticsearch refused a record: {item}")
        self.client.indices.refresh(index=self.index)

    @unavailable_on(*ES_ERRORS)
    def indexed_digests(self) -> dict[str, str]:
        """doc_id -> digest of the indexed document, to hold against expected_digest of the stored record."""
        return {hit["_id"]: _digest(hit["_source"])
                for hit in helpers.scan(self.client, index=self.index, query={"query": {"match_all": {}}})}

    def expected_digest(self, record: dict) -> str:
        return _digest(self._document(record))

    @unavailable_on(*ES_ERRORS)
    def indexed_record(self, doc_id: str) -> dict | None:
        found = self.client.options(ignore_status=404).get(index=self.index, id=doc_id)
        return found["_source"]["record"] if found.get("found") else None

    @unavailable_on(*ES_ERRORS)
    def delete_dossier(self, file_code: str) -> None:
        # By id in bulk: _delete_by_query needs the reindex module, which minimal servers lack.
        hits = self.client.search(index=self.index, query={"term": {"file_code": file_code}}, size=10_000,
                                  source=False)["hits"]["hits"]
        actions = ({"_op_type": "delete", "_index": self.index, "_id": h["_id"]} for h in hits)
        helpers.bulk(self.client, actions, refresh=True)

    @unavailable_on(*ES_ERRORS)
    def count(self, file_code: str | None = None) -> int:
        query = {"term": {"file_code": file_code}} if file_code else {"match_all": {}}
        return self.client.count(index=self.index, query=query)["count"]

    @unavailable_on(*ES_ERRORS)
    def same_code(self, record: dict) -> list[str]:
        if not (record.get("code_number") and record.get("code_notation") and record.get("organ_name")):
            return []
        code = fold(f"{record['code_number']}/{record['code_notation']}")
        query = {"bool": {"filter": [{"term": {"code_exact": code}},
                                     {"term": {"organ_folded.raw": fold(record["organ_name"])}}],
                          "must_not": [{"term": {"file_code": record["file_code"]}}]}}
        hits = self.client.search(index=self.index, query=query, size=100, sort=["doc_id"], source=["doc_id"])
        return [h["_source"]["doc_id"] for h in hits["hits"]["hits"]]

    @unavailable_on(*ES_ERRORS)
    def search(self, request: SearchRequest) -> SearchResults:
        cursor = decode_cursor(request)
        sort = SORTS[request.effective_sort]
        body = {"query": _query(request), "sort": sort, "size": request.size + 1, "track_total_hits": True,
                "source": ["record"]}
        if request.facets:
            body["aggs"] = AGGREGATIONS
        if cursor:
            body["search_after"] = cursor["after"]
        result, pit = self._search_in(cursor.get("pit") if cursor else None, body)
        found = result["hits"]["hits"]
        more = len(found) > request.size
        found = found[:request.size]
        next_cursor = None
        if more:
            # Later pages read a point in time, so records indexed meanwhile do not shift them.
            pit = result.get("pit_id") or pit or self.client.open_point_in_time(
                index=self.index, keep_alive=PIT_KEEP_ALIVE)["id"]
            next_cursor = encode_cursor(request, found[-1]["sort"][:len(sort)], pit=pit)
        elif pit:
            self._close_pit(pit)
        return SearchResults(
            hits=[finish_hit(h["_source"]["record"], h["_score"] or 0.0, request) for h in found],
            total=result["hits"]["total"]["value"], facets=_facets(result.get("aggregations", {})),
            cursor=next_cursor)

    def _search_in(self, pit: str | None, body: dict) -> tuple[dict, str | None]:
        """The search's answer, inside the point in time if it is still open; and that point in time."""
        if pit:
            try:
                return self.client.search(pit={"id": pit, "keep_alive": PIT_KEEP_ALIVE}, **body), pit
            except NotFoundError:
                pass  # the point in time expired: the sort keys alone still page exactly
        return self.client.search(index=self.index, **body), None

    def _close_pit(self, pit: str) -> None:
        try:
            self.client.close_point_in_time(id=pit)
        except NotFoundError:
            pass


def _digest(document: dict) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _query(request: SearchRequest) -> dict:
    bool_query: dict = {"filter": _filters(request.filters)}
    if request.viewer:
        bool_query["filter"].append(_visible_to(request.viewer))
    if request.tokens:
        bool_query["must"] = [{"multi_match": {"query": " ".join(request.tokens), "operator": "and",
                                               "type": "cross_fields",
                                               "fields": ["code_folded^10", "meta_folded^4", "body_folded"]}}]
        if request.exact_code:
            bool_query["should"] = [{"constant_score": {"filter": {"term": {"code_exact": request.exact_code}},
                                                        "boost": 100.0}}]
    return {"bool": bool_query}


def _filters(filters: SearchFilters) -> list[dict]:
    clauses = []
    if filters.type_name:
        value = filters.type_name.strip()
        clauses.append({"bool": {"should": [{"term": {"type_folded": fold(value)}}, {"term": {"type_code": value}}]}})
    if filters.organ:
        clauses.append({"match_phrase": {"organ_folded": fold(filters.organ)}})
    if filters.date_from or filters.date_to:
        bounds = {k: v for k, v in (("gte", filters.date_from), ("lte", filters.date_to)) if v}
        clauses.append({"range": {"issued_date": bounds}})
    if filters.secrecy:
        clauses.append({"term": {"secrecy_folded": secrecy_key(filters.secrecy)}})
    clauses += [{"term": {field: getattr(filters, field)}} for field in ("doc_id", "file_code")
                if getattr(filters, field)]
    if filters.needs_review is not None:
        clauses.append({"term": {"needs_review": filters.needs_review}})
    if filters.batch:
        clauses.append({"term": {"batch": filters.batch}})
    return clauses


def _visible_to(viewer: Viewer) -> dict:
    """The access rule of sohoa.core.access as a filter of the query itself."""
    allowed = [{"term": {"access_mode": OPEN}}]
    if viewer.unit is not None:
        allowed.append({"term": {"unit": viewer.unit}})
    if viewer.grants:
        grants = sorted(viewer.grants)
        allowed += [{"terms": {"doc_id": grants}}, {"terms": {"file_code": grants}}]
    return {"bool": {"filter": [{"range": {"secrecy_level": {"lte": viewer.clearance}}}],
                     "should": allowed, "minimum_should_match": 1}}


def _facets(aggregations: dict) -> dict[str, list[tuple[str, int]]]:
    return {name: [(b.get("key_as_string", b["key"]), b["doc_count"]) for b in aggregations[name]["buckets"]][:FACET_SIZE]
            for name in FACETS if name in aggregations}
