"""Throughput and latency of the storage and search backends, embedded and production, in one run.

    python -m bench.backends [--records 100000] [--queries 200] [--objects 100]

Starts its own Elasticsearch and SeaweedFS (as the tests do). Prints JSON: bulk indexing rate
(records/s), search latency p50/p95 (first page with total and facets; the same as an officer of the
portal sees it, the access rule inside the query; a dossier's table of contents) and a cursor walk over
every record on Elasticsearch and on the embedded SQLite index, and S3 put/get throughput for 1 MB
objects next to the local folder store.
"""
import argparse
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

from sohoa.archive.esindex import ElasticsearchSearchIndex
from sohoa.archive.index import SqliteSearchIndex
from sohoa.archive.s3store import S3ObjectStore
from sohoa.archive.search import SearchFilters, SearchRequest
from sohoa.archive.store import LocalObjectStore
from sohoa.classifiers.doctypes import DECREE_30_TYPES
from sohoa.core.access import CONDITIONAL, OPEN, RESTRICTED, Viewer
from sohoa.synth.content import make_document

from servers import elasticsearch, seaweedfs

UNITS = tuple(f"Phòng {n}" for n in range(10))
# An officer cleared for Mật, of one unit, holding a few grants: what the portal adds to every query.
OFFICER = Viewer("officer", 1, UNITS[3], frozenset(f"B.{n:06d}" for n in range(0, 5000, 1000)))
QUERY_WORDS = ("ho so", "ke hoach", "chuyen doi so", "luu tru", "ngan sach", "kiem tra", "tuyen dung",
               "dich vu cong", "bao cao", "van thu", "cai cach hanh chinh", "so hoa")


def synthetic_records(count: int, seed: int = 1):
    rng = random.Random(seed)
    for n in range(count):
        spec = make_document(rng, rng.choice((2021, 2022, 2023, 2024)), rng.choice(DECREE_30_TYPES))
        file_code = f"B.{n // 3:06d}"
        yield {"doc_id": f"{file_code}.{n % 3 + 1}", "file_code": file_code, "doc_ordinal": n % 3 + 1,
               "type_name": spec.type_name, "type_code": spec.type_code, "code_number": spec.code_number,
               "code_notation": spec.code_notation, "issued_date": spec.issued_date, "organ_name": spec.organ_name,
               "subject": spec.subject, "signer_name": spec.signer_name, "secrecy": spec.secrecy,
               "urgency": spec.urgency, "needs_review": False, "unit": UNITS[n // 3 % len(UNITS)],
               "access_mode": RESTRICTED if spec.secrecy else rng.choice((OPEN,) * 7 + (CONDITIONAL,) * 3),
               "pages": [{"number": 1, "text": " ".join(spec.bases + spec.body_paragraphs)}]}


def index_rate(index, records: int) -> float:
    started, batch = time.perf_counter(), []
    for record in synthetic_records(records):
        batch.append(record)
        if len(batch) == 1000:
            index.upsert(batch)
            batch = []
    if batch:
        index.upsert(batch)
    return records / (time.perf_counter() - started)


def latencies(index, queries: int, records: int) -> dict:
    """Search latency of a first page with its facets and total, as `sohoa search` asks for it and as the
    portal asks for an officer; and of a dossier's table of contents for that officer."""
    found = {}
    for name, viewer in (("", None), ("officer_", OFFICER)):
        rng = random.Random(2)
        found.update(percentiles(name, [timed(index, SearchRequest(
            rng.choice(QUERY_WORDS), SearchFilters(date_from="2023-01-01") if rng.random() < 0.3 else SearchFilters(),
            size=20, viewer=viewer)) for _ in range(queries)]))
    rng = random.Random(3)
    found.update(percentiles("officer_dossier_", [timed(index, SearchRequest(
        filters=SearchFilters(file_code=f"B.{rng.randrange(records // 3):06d}"), sort="dossier", size=1000,
        facets=False, viewer=OFFICER)) for _ in range(queries)]))
    return found


def timed(index, request: SearchRequest) -> float:
    started = time.perf_counter()
    index.search(request)
    return (time.perf_counter() - started) * 1000


def percentiles(name: str, times: list[float]) -> dict:
    times.sort()
    return {f"{name}p50_ms": round(statistics.median(times), 2),
            f"{name}p95_ms": round(times[int(0.95 * len(times)) - 1], 2)}


def deep_paging(index, records: int) -> dict:
    """Walk every record by cursor, 1000 per page: the last pages are as fast as the first."""
    started, pages, seen = time.perf_counter(), [], 0
    request = SearchRequest("", sort="newest", size=1000, facets=False)
    while True:
        page_started = time.perf_counter()
        results = index.search(request)
        pages.append((time.perf_counter() - page_started) * 1000)
        seen += len(results.hits)
        if not results.cursor:
            break
        request = replace(request, cursor=results.cursor)
    assert seen == records, (seen, records)
    return {"walk_all_records_per_s": round(seen / (time.perf_counter() - started)),
            "first_page_ms": round(pages[0], 1), "last_page_ms": round(pages[-1], 1)}


def store_throughput(store, objects: int) -> dict:
    payloads = [os.urandom(1024 * 1024) for _ in range(objects)]
    prefix = uuid.uuid4().hex
    started = time.perf_counter()
    for n, data in enumerate(payloads):
        store.put(f"bench/{prefix}/{n}.pdf", data, "application/pdf")
    put_s = time.perf_counter() - started
    started = time.perf_counter()
    for n in range(objects):
        store.get(f"bench/{prefix}/{n}.pdf")
    get_s = time.perf_counter() - started
    return {"put_MB_per_s": round(objects / put_s, 1), "get_MB_per_s": round(objects / get_s, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--objects", type=int, default=100)
    args = parser.parse_args()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "sohoa-bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "sohoa-bench-secret")
    work = Path(tempfile.mkdtemp(prefix="sohoa-bench-"))
    es_process, es_url, es_work = elasticsearch.start()
    s3_process, s3_url = seaweedfs.start(work / "s3")
    report = {"records": args.records, "queries": args.queries, "objects_1MB": args.objects}
    try:
        for name, index in (("sqlite", SqliteSearchIndex(work / "index.sqlite")),
                            ("elasticsearch", ElasticsearchSearchIndex(es_url, "sohoa-bench"))):
            rate = index_rate(index, args.records)
            report[name] = {"index_records_per_s": round(rate), **latencies(index, args.queries, args.records),
                            **deep_paging(index, args.records)}
            index.close()
        report["local_store"] = store_throughput(LocalObjectStore(work / "objects"), args.objects)
        report["s3_store"] = store_throughput(S3ObjectStore(s3_url, "sohoa-bench"), args.objects)
    finally:
        elasticsearch.stop(es_process, es_work)
        seaweedfs.stop(s3_process)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
