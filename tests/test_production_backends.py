"""With SOHOA_S3_ENDPOINT and SOHOA_ES_URL set, the same commands run on a real S3 server and a
real Elasticsearch, and object storage alone can rebuild the index."""
import datetime as dt
import json
import shutil
import uuid
from collections import Counter

import pytest
from botocore.exceptions import ClientError

from sohoa.archive.esindex import ElasticsearchSearchIndex
from sohoa.archive.s3store import S3ObjectStore
from sohoa.archive.store import sha256_hex
from sohoa.core.manifest import Manifest
from sohoa.core.text import fold

from servers.common import free_port
from tests.conftest import copy_batch, export_records, run_sohoa, search_page

pytestmark = pytest.mark.slow


def search_ids(home, *args):
    return [hit["doc_id"] for hit in search_page(home, *args, "--limit", "50")["hits"]]


def test_ingest_search_verify_and_reindex_on_s3_and_elasticsearch(generated, truth, home, tmp_path, monkeypatch,
                                                                  s3_endpoint, es_url):
    bucket, index_name = f"sohoa-{uuid.uuid4().hex[:12]}", f"sohoa-e2e-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("SOHOA_S3_ENDPOINT", s3_endpoint)
    monkeypatch.setenv("SOHOA_S3_BUCKET", bucket)
    monkeypatch.setenv("SOHOA_ES_URL", es_url)
    monkeypatch.setenv("SOHOA_ES_INDEX", index_name)
    dossier = truth["dossiers"][1]
    batch = copy_batch(generated, tmp_path / "batch", [dossier["source"]])
    run = run_sohoa(home, "ingest", str(batch), "--json")
    assert run.returncode == 0, run.stderr[-3000:]

    records = export_records(home)
    assert len(records) == len(dossier["documents"])
    assert not (home / "objects").exists() and not (home / "index.sqlite").exists()  # nothing went local
    store = S3ObjectStore(s3_endpoint, bucket)
    for record in records:
        assert store.head(record["pdf"]["key"]).sha256 == record["pdf"]["sha256"]
    assert ElasticsearchSearchIndex(es_url, index_name).count() == len(records)

    target = next(r for r in records if r["subject"])
    queries = [(fold(target["subject"]),), (f"{target['code_number']}/{target['code_notation']}",), ("",)]
    before = [search_ids(home, *q) for q in queries]
    assert before[0][0] == target["doc_id"] and before[1][0] == target["doc_id"]
    assert sorted(before[2]) == sorted(r["doc_id"] for r in records)

    ElasticsearchSearchIndex(es_url, index_name).drop()
    assert search_ids(home, "") == []
    rebuilt = run_sohoa(home, "reindex")
    assert rebuilt.returncode == 0 and f"indexed {len(records)} records" in rebuilt.stderr
    assert [search_ids(home, *q) for q in queries] == before

    verify = run_sohoa(home, "verify")
    assert verify.returncode == 0 and "all intact" in verify.stderr
    es = ElasticsearchSearchIndex(es_url, index_name).client  # the index edited behind the archive's back
    es.update(index=index_name, id=target["doc_id"], doc={"subject": "giả mạo", "record": {"subject": "giả mạo"}})
    es.index(index=index_name, id="INVENTED-1", document={"doc_id": "INVENTED-1", "record": {"doc_id": "INVENTED-1"}},
             refresh=True)
    verify = run_sohoa(home, "verify")
    assert verify.returncode == 1
    assert f"index differs: dossier {target['file_code']}: {target['doc_id']}" in verify.stderr
    assert "fields differ from the stored record: subject" in verify.stderr
    assert "index extra: INVENTED-1" in verify.stderr
    repaired = run_sohoa(home, "verify", "--repair")
    assert repaired.returncode == 0 and "all intact" in repaired.stderr, repaired.stderr
    assert [search_ids(home, *q) for q in queries] == before
    again = run_sohoa(home, "ingest", str(batch), "--json")
    assert json.loads(again.stdout.splitlines()[-1])["already_archived"] == 1
    assert len(export_records(home)) == len(records)

    status = run_sohoa(home, "status", "--json")
    assert status.returncode == 0, status.stdout + status.stderr
    parts = json.loads(status.stdout)
    assert parts["objects"]["backend"] == "S3" and "SeaweedFS" in parts["objects"]["version"]
    assert parts["index"]["version"] == "8.19.21" and parts["index"]["records"] == len(records)
    manifest = json.loads(store.get(f"dossiers/{records[0]['file_code']}/manifest.json"))
    log_entries = sum(1 for _ in store.list("audit/log/"))
    checkpoints = sum(1 for _ in store.list("audit/checkpoints/"))  # kept in the bucket too, under its lock
    assert checkpoints >= 1 and (home / "checkpoints" / "audit" / "checkpoints").is_dir()
    assert parts["objects"]["objects"] == \
        len(Manifest.from_json(manifest).committed_objects()) + 1 + log_entries + checkpoints
    monkeypatch.setenv("SOHOA_ES_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    down = run_sohoa(home, "status", "--json")
    assert down.returncode == 3 and not json.loads(down.stdout)["index"]["up"]


def test_s3_objects_are_locked_for_their_retention_and_a_deleted_one_is_repaired_from_the_replica(
        generated, truth, home, tmp_path, monkeypatch, s3_endpoint, es_url):
    bucket = f"sohoa-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("SOHOA_S3_ENDPOINT", s3_endpoint)
    monkeypatch.setenv("SOHOA_S3_BUCKET", bucket)
    monkeypatch.setenv("SOHOA_REPLICA_S3_ENDPOINT", s3_endpoint)
    monkeypatch.setenv("SOHOA_REPLICA_S3_BUCKET", f"{bucket}-replica")
    monkeypatch.setenv("SOHOA_ES_URL", es_url)
    monkeypatch.setenv("SOHOA_ES_INDEX", f"sohoa-lock-{uuid.uuid4().hex[:8]}")
    monkeypatch.setenv("SOHOA_DEFAULT_RETENTION", "06")  # 10 years
    dossier = truth["dossiers"][2]
    run = run_sohoa(home, "ingest", str(copy_batch(generated, tmp_path / "batch", [dossier["source"]])))
    assert run.returncode == 0, run.stderr[-3000:]
    record = export_records(home)[0]
    store = S3ObjectStore(s3_endpoint, bucket)
    key = record["pdf"]["key"]
    head = store.client.head_object(Bucket=bucket, Key=key)
    assert head["ObjectLockMode"] == "COMPLIANCE"
    years = (head["ObjectLockRetainUntilDate"] - dt.datetime.now(dt.timezone.utc)).days / 365.25
    assert 9.9 < years < 10.1
    with pytest.raises(ClientError) as refused:
        store.client.delete_object(Bucket=bucket, Key=key, VersionId=head["VersionId"])
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    assert store.get(key) == S3ObjectStore(s3_endpoint, f"{bucket}-replica").get(key)
    checkpoint = next(store.list("audit/checkpoints/"))  # the audit log's anchor cannot be removed either
    assert store.client.head_object(Bucket=bucket, Key=checkpoint)["ObjectLockMode"] == "COMPLIANCE"
    shutil.rmtree(home / "checkpoints")  # the local copy lost: the bucket's copy still anchors the log
    intact = run_sohoa(home, "verify")
    assert intact.returncode == 0 and "all intact" in intact.stderr, intact.stderr[-3000:]
    exported = run_sohoa(home, "aip", "export", record["file_code"], str(tmp_path / "aip"))
    assert exported.returncode == 0, exported.stderr
    pdf = tmp_path / "aip" / record["file_code"] / "representations" / "rep1" / "data" / f"{record['doc_id']}.pdf"
    assert sha256_hex(pdf.read_bytes()) == record["pdf"]["sha256"]

    store.client.delete_object(Bucket=bucket, Key=key)  # a plain delete hides the object behind a marker
    damaged = run_sohoa(home, "verify")
    assert damaged.returncode == 1 and f"missing: dossier {record['file_code']}: {key}" in damaged.stderr
    repaired = run_sohoa(home, "verify", "--repair")
    assert repaired.returncode == 0 and "all intact" in repaired.stderr, repaired.stderr[-3000:]
    assert sha256_hex(store.get(key)) == record["pdf"]["sha256"]
    assert store.client.head_object(Bucket=bucket, Key=key)["ObjectLockMode"] == "COMPLIANCE"

    events = run_sohoa(home, "audit", "events", "--dossier", record["file_code"], "--json", "--limit", "100")
    types = Counter(json.loads(line)["type"] for line in events.stdout.splitlines())
    assert types["ingestion"] == 1 and types["replication"] == 1 and types["recovery"] == 1 and types["access"] == 1
    # verify twice, then verify --repair: its check, and its check again after the repair
    assert types["validation"] == len(dossier["documents"]) and types["fixity check"] == 4
