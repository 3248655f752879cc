"""The production search index: Elasticsearch (client major pinned to the server's, 8).

Accent folding is done here in Python into *_folded fields, because the minimal server (and some
managed clusters) lack the asciifolding filter and no filter folds "đ" anyway. Documents are
indexed under their doc_id, so indexing a record again replaces it.
"""
from elasticsearch import Elasticsearch, helpers

from archive.index import CODE_QUERY, SearchFilters, searchable_text
from pipeline.text import fold

MAPPINGS = {
    "dynamic": False,
    "properties": {
        "doc_id": {"type": "keyword"}, "file_code": {"type": "keyword"}, "doc_ordinal": {"type": "integer"},
        "type_name": {"type": "keyword"}, "type_folded": {"type": "keyword"}, "type_code": {"type": "keyword"},
        "code_number": {"type": "keyword"}, "code_notation": {"type": "keyword"},
        "code_exact": {"type": "keyword"}, "code_folded": {"type": "text"},
        "issued_date": {"type": "date", "format": "strict_date"},
        "organ_name": {"type": "keyword"}, "organ_folded": {"type": "text", "fields": {"raw": {"type": "keyword"}}},
        "subject": {"type": "text"}, "meta_folded": {"type": "text"}, "body_folded": {"type": "text"},
        "signer_name": {"type": "keyword"}, "secrecy": {"type": "keyword"}, "urgency": {"type": "keyword"},
        "needs_review": {"type": "boolean"},
        "record": {"type": "object", "enabled": False},  # the exported record, returned as stored
    },
}


class ElasticsearchSearchIndex:
    def __init__(self, url: str, index: str = "sohoa-records"):
        self.url, self.index = url, index
        self.client = Elasticsearch(url, request_timeout=30, max_retries=3, retry_on_timeout=True)
        self._create()

    def _create(self) -> None:
        if not self.client.indices.exists(index=self.index):
            self.client.indices.create(index=self.index, mappings=MAPPINGS,
                                       settings={"number_of_shards": 1, "number_of_replicas": 0})

    def status(self) -> dict:
        health = self.client.cluster.health()
        # The minimal server has no root endpoint (GET /), so versions come from the node list.
        versions = sorted({node["version"] for node in self.client.cat.nodes(h="version", format="json")})
        return {"backend": "Elasticsearch", "location": f"{self.url}/{self.index}",
                "version": ", ".join(versions), "health": f"{health['status']} ({health['number_of_nodes']} node(s))",
                "records": self.count()}

    def drop(self) -> None:
        """Delete and recreate the index (it is rebuilt from object storage)."""
        self.client.indices.delete(index=self.index, ignore_unavailable=True)
        self._create()

    def describe(self) -> str:
        return f"Elasticsearch {self.url} index {self.index}"

    def close(self) -> None:
        self.client.close()

    def _document(self, record: dict) -> dict:
        code, meta, body = searchable_text(record)
        return {
            **{k: record.get(k) for k in ("doc_id", "file_code", "doc_ordinal", "type_name", "type_code",
                                          "code_number", "code_notation", "issued_date", "organ_name", "subject",
                                          "signer_name", "secrecy", "urgency", "needs_review")},
            "type_folded": fold(record.get("type_name") or ""), "code_exact": code, "code_folded": code,
            "organ_folded": fold(record.get("organ_name") or ""), "meta_folded": meta, "body_folded": body,
            "record": record,
        }

    def upsert(self, records: list[dict]) -> None:
        actions = ({"_index": self.index, "_id": r["doc_id"], "_source": self._document(r)} for r in records)
        for ok, item in helpers.streaming_bulk(self.client, actions, raise_on_error=False, max_retries=3):
            if not ok:
                raise RuntimeError(f"Elasticsearch refused a record: {item}")
        self.client.indices.refresh(index=self.index)

    def delete_dossier(self, file_code: str) -> None:
        # By id in bulk: _delete_by_query needs the reindex module, which minimal servers lack.
        hits = self.client.search(index=self.index, query={"term": {"file_code": file_code}}, size=10_000,
                                  source=False)["hits"]["hits"]
        actions = ({"_op_type": "delete", "_index": self.index, "_id": h["_id"]} for h in hits)
        helpers.bulk(self.client, actions, refresh=True)

    def count(self, file_code: str | None = None) -> int:
        query = {"term": {"file_code": file_code}} if file_code else {"match_all": {}}
        return self.client.count(index=self.index, query=query)["count"]

    def same_code(self, record: dict) -> list[str]:
        if not (record.get("code_number") and record.get("code_notation") and record.get("organ_name")):
            return []
        code = fold(f"{record['code_number']}/{record['code_notation']}")
        query = {"bool": {"filter": [{"term": {"code_exact": code}},
                                     {"term": {"organ_folded.raw": fold(record["organ_name"])}}],
                          "must_not": [{"term": {"file_code": record["file_code"]}}]}}
        hits = self.client.search(index=self.index, query=query, size=100, sort=["doc_id"], source=["doc_id"])
        return [h["_source"]["doc_id"] for h in hits["hits"]["hits"]]

    def search(self, query: str, filters: SearchFilters, limit: int = 20) -> list[dict]:
        folded = fold(query)
        bool_query: dict = {"filter": _filters(filters)}
        sort = None
        if folded.strip():
            bool_query["must"] = [{"multi_match": {"query": folded, "operator": "and", "type": "cross_fields",
                                                   "fields": ["code_folded^10", "meta_folded^4", "body_folded"]}}]
            match = CODE_QUERY.match(query)
            if match:
                exact = fold(f"{match.group(1)}/{match.group(2)}")
                bool_query["should"] = [{"constant_score": {"filter": {"term": {"code_exact": exact}},
                                                            "boost": 100.0}}]
        else:
            sort = [{"issued_date": {"order": "desc", "missing": "_last"}}, "doc_id"]
        result = self.client.search(index=self.index, query={"bool": bool_query}, size=limit, sort=sort,
                                    source=["record"], track_total_hits=False)
        hits = []
        for hit in result["hits"]["hits"]:
            record = hit["_source"]["record"]
            record["score"] = round(hit["_score"] or 0.0, 4)
            hits.append(record)
        return hits


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
    return clauses
