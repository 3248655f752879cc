"""Server time of the portal's pages at scale: what an officer waits for, through Django, on Elasticsearch.

    python -m bench.portal [--records 100000] [--requests 200]

Starts Elasticsearch and PostgreSQL (as the tests do), indexes the synthetic records of bench.backends
(three documents per dossier, ten units, some secret, some of conditional access), creates an officer
cleared for Mật in one unit holding five dossier grants, starts `sohoa serve`, and times each page over
one kept-alive loopback connection: a search results page (first page, total, facets, highlights), the
same search through the JSON API, a dossier's table of contents, and a record's page (which also writes
its reading to the audit trail). Prints p50/p95 in ms as JSON; the issue's target is 300 ms.
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from sohoa.archive.esindex import ElasticsearchSearchIndex

from bench.backends import OFFICER, QUERY_WORDS, UNITS, percentiles, synthetic_records
from servers import elasticsearch, postgresql

PASSWORD = "bench-password-long-enough"
ES_INDEX = "sohoa-bench-portal"


def portal_env(home: Path, es_url: str, database_url: str) -> dict:
    return {**os.environ, "SOHOA_HOME": str(home), "SOHOA_ES_URL": es_url, "SOHOA_ES_INDEX": ES_INDEX,
            "SOHOA_DATABASE_URL": database_url, "SOHOA_CHECKPOINT_KEY": str(home.parent / "checkpoint.pem")}


def index_records(index, count: int) -> float:
    """Records per second; each names a PDF, as stored records do (the record page shows its key)."""
    started, batch = time.perf_counter(), []
    for record in synthetic_records(count):
        batch.append({**record, "pdf": {"key": f"dossiers/{record['doc_id']}.pdf", "sha256": "0" * 64, "size": 1}})
        if len(batch) == 1000:
            index.upsert(batch)
            batch = []
    index.upsert(batch)
    return count / (time.perf_counter() - started)


def sohoa(env: dict, *args: str, stdin: str = "") -> str:
    done = subprocess.run([sys.executable, "-m", "sohoa.cli", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=600)
    if done.returncode:
        raise RuntimeError(f"sohoa {' '.join(args)}: {done.stderr}")
    return done.stdout


def officer_token(env: dict) -> str:
    """The bench's officer (bench.backends.OFFICER) as an account with its grants; a token for it."""
    sohoa(env, "user", "add", OFFICER.login, "--role", "officer", "--clearance", "mat", "--unit", OFFICER.unit,
          stdin=PASSWORD + "\n")
    grants = "".join(f"Grant.objects.create(user=officer, target={target!r}, reason='bench', "
                     "expires=timezone.now() + dt.timedelta(days=30))\n" for target in sorted(OFFICER.grants))
    subprocess.run([sys.executable, "-c", "from sohoa.portal.setup import start_django; start_django()\n"
                    "import datetime as dt\nfrom django.utils import timezone\n"
                    "from sohoa.portal.models import Grant, User\n"
                    f"officer = User.objects.get(username={OFFICER.login!r})\n" + grants],
                   check=True, env=env, timeout=600)
    return sohoa(env, "user", "token", OFFICER.login).strip()


def serve(env: dict) -> tuple[subprocess.Popen, str, int]:
    server = subprocess.Popen([sys.executable, "-m", "sohoa.cli", "serve", "--port", "0"], stderr=subprocess.PIPE,
                              text=True, env=env)
    line = server.stderr.readline()
    found = re.search(r"http://([^:/]+):(\d+)/", line)
    if not found:
        server.kill()
        raise RuntimeError(f"the portal did not start: {line}{server.stderr.read()}")
    return server, found.group(1), int(found.group(2))


def page_times(host: str, port: int, token: str, paths: list[str]) -> list[float]:
    connection = http.client.HTTPConnection(host, port, timeout=60)
    times = []
    for path in paths:
        started = time.perf_counter()
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        answer = connection.getresponse()
        answer.read()
        times.append((time.perf_counter() - started) * 1000)
        if answer.status != 200:
            raise RuntimeError(f"GET {path}: {answer.status}")
    connection.close()
    return times


def visible_doc_ids(host: str, port: int, token: str, count: int) -> list[str]:
    connection = http.client.HTTPConnection(host, port, timeout=60)
    connection.request("GET", f"/api/search?q=ke+hoach&limit={count}", headers={"Authorization": f"Bearer {token}"})
    hits = json.loads(connection.getresponse().read())["hits"]
    connection.close()
    return [hit["doc_id"] for hit in hits]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sohoa-bench-portal-"))
    es_process, es_url, es_work = elasticsearch.start()
    pg_process, pg_url, pg_work = postgresql.start()
    server = None
    try:
        index = ElasticsearchSearchIndex(es_url, ES_INDEX)
        rate = index_records(index, args.records)
        index.close()
        env = portal_env(work / "home", es_url, postgresql.new_database(pg_url, "bench_portal"))
        token = officer_token(env)
        server, host, port = serve(env)
        rng = random.Random(4)
        searches = [urllib.parse.urlencode({"q": rng.choice(QUERY_WORDS)}) for _ in range(args.requests)]
        own_unit = UNITS.index(OFFICER.unit)  # dossier n belongs to UNITS[n % 10]: the officer's own, to be seen
        dossiers = [f"B.{rng.randrange(args.records // 30) * 10 + own_unit:06d}" for _ in range(args.requests)]
        page_times(host, port, token, ["/?q=ho+so"] * 10)  # warm: the server's threads, the index's caches
        records = visible_doc_ids(host, port, token, 100)
        report = {"records": args.records, "requests": args.requests, "officer_units": len(UNITS),
                  "index_records_per_s": round(rate),
                  **percentiles("search_page_", page_times(host, port, token, [f"/?{q}" for q in searches])),
                  **percentiles("api_search_", page_times(host, port, token, [f"/api/search?{q}" for q in searches])),
                  **percentiles("dossier_page_", page_times(host, port, token, [f"/dossiers/{d}" for d in dossiers])),
                  **percentiles("record_page_", page_times(host, port, token,
                                                           [f"/records/{rng.choice(records)}" for _ in searches]))}
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        elasticsearch.stop(es_process, es_work)
        postgresql.stop(pg_process, pg_work)
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
