"""Storage or search down: a clear error naming the backend and what is pending, nothing lost, and
a later run completes the work without duplicates."""
import json
import signal
import subprocess
import sys
import time
import uuid

import boto3
import pytest
from botocore.exceptions import ClientError

from servers import elasticsearch, seaweedfs
from servers.common import free_port
from tests.conftest import ROOT, copy_batch, export_records, run_sohoa, search_page, sohoa_env

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("variable, backend", [("SOHOA_S3_ENDPOINT", "object storage S3"),
                                                ("SOHOA_ES_URL", "search index Elasticsearch")])
def test_an_unreachable_backend_stops_the_run_before_any_work(generated, truth, home, tmp_path, monkeypatch,
                                                               variable, backend):
    monkeypatch.setenv(variable, f"http://127.0.0.1:{free_port()}")  # nothing listens there
    batch = copy_batch(generated, tmp_path / "batch", [truth["dossiers"][0]["source"]])
    run = run_sohoa(home, "ingest", str(batch))
    assert run.returncode == 3
    assert backend in run.stderr and "unavailable" in run.stderr
    assert (batch / truth["dossiers"][0]["source"]).exists()  # the scans stay where they were


def ingest_killing_a_server_midway(home, batch, kill, storing_started) -> dict:
    """Run an ingest and call kill() as soon as the first dossier is being stored; its summary."""
    ingest = subprocess.Popen([sys.executable, "-m", "sohoa.cli", "ingest", str(batch), "--json"], cwd=ROOT,
                              env=sohoa_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and ingest.poll() is None:
            if storing_started():
                break
            time.sleep(0.05)
        kill()
        out, err = ingest.communicate(timeout=900)
    finally:
        ingest.kill()
    assert ingest.returncode == 1, err[-3000:]
    return json.loads(out.splitlines()[-1])


def assert_failed_naming(summary: dict, *words: str) -> None:
    assert summary["failed"] >= 1 and summary["quarantined"] == 0
    details = [r["detail"] for r in summary["results"] if r["status"] == "failed"]
    assert all(all(word in detail for word in (*words, "pending")) for detail in details), details


def assert_completed_once(home, batch, truth, dossiers: int) -> list[dict]:
    again = run_sohoa(home, "ingest", str(batch), "--json")
    assert again.returncode == 0, again.stderr[-3000:]
    records = export_records(home)
    expected = sum(len(d["documents"]) for d in truth["dossiers"][:dossiers])
    assert len(records) == len({r["doc_id"] for r in records}) == expected
    assert run_sohoa(home, "verify").returncode == 0
    return records


def test_s3_stopped_mid_batch_then_a_second_run_completes(generated, truth, home, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "sohoa-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "sohoa-test-secret")
    process, endpoint = seaweedfs.start(tmp_path / "s3")
    monkeypatch.setenv("SOHOA_S3_ENDPOINT", endpoint)
    bucket = f"sohoa-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("SOHOA_S3_BUCKET", bucket)
    sources = [d["source"] for d in truth["dossiers"][:2]]  # the second fails whenever the kill lands
    batch = copy_batch(generated, tmp_path / "batch", sources)

    def kill():
        process.send_signal(signal.SIGKILL)
        process.wait()

    def storing_started() -> bool:  # the first dossier's attempt is recorded in the bucket
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        try:
            return client.list_objects_v2(Bucket=bucket, Prefix="attempts/").get("KeyCount", 0) > 0
        except ClientError:  # no bucket yet
            return False

    assert_failed_naming(ingest_killing_a_server_midway(home, batch, kill, storing_started), "object storage",
                         endpoint)
    assert all((batch / source).exists() for source in sources)  # nothing moved or lost

    process, again_endpoint = seaweedfs.start(tmp_path / "s3")  # same data, same ports
    assert again_endpoint == endpoint
    try:
        assert_completed_once(home, batch, truth, 2)
    finally:
        seaweedfs.stop(process)


def test_elasticsearch_stopped_mid_batch_then_a_second_run_completes(generated, truth, home, tmp_path,
                                                                     monkeypatch):
    process, url, work = elasticsearch.start()
    monkeypatch.setenv("SOHOA_ES_URL", url)
    sources = [d["source"] for d in truth["dossiers"][:2]]  # the second fails whenever the kill lands
    batch = copy_batch(generated, tmp_path / "batch", sources)
    try:
        summary = ingest_killing_a_server_midway(home, batch, lambda: elasticsearch.kill(process),
                                                 lambda: (home / "objects" / "attempts").exists())
        assert_failed_naming(summary, "search index Elasticsearch", url)
        assert all((batch / source).exists() for source in sources)

        process, again_url, _ = elasticsearch.start(work=work)  # same data, same port
        assert again_url == url
        records = assert_completed_once(home, batch, truth, 2)
        found = search_page(home, "", "--limit", "100")
        assert found["total"] == len(records)
        assert sorted(h["doc_id"] for h in found["hits"]) == sorted(r["doc_id"] for r in records)
    finally:
        elasticsearch.stop(process, work)
