"""Storage or search down: a clear error naming the backend and what is pending, nothing lost, and
a later run completes the work without duplicates."""
import json
import signal
import subprocess
import sys
import time
import uuid

import pytest

from servers import seaweedfs
from servers.common import free_port
from tests.conftest import ROOT, copy_batch, export_records, run_sohoa, sohoa_env

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("variable, backend", [("SOHOA_S3_ENDPOINT", "object storage S3"),
                                                ("SOHOA_ES_URL", "search index Elasticsearch")])
def test_an_unreachable_backend_stops_the_run_before_any_work(generated, truth, home, tmp_path, monkeypatch,
                                                               variable, backend):
    monkeypatch.setenv(variable, f"http://127.0.0.1:{free_port()}")  # nothing listens there
    batch = copy_batch(generated, tmp_path / "batch", [truth["dossiers"][0]["source"]])
    run = run_sohoa(home, "ingest", str(batch))
    assert run.returncode == 2
    assert backend in run.stderr and "unavailable" in run.stderr
    assert (batch / truth["dossiers"][0]["source"]).exists()  # the scans stay where they were


def test_s3_stopped_mid_batch_then_a_second_run_completes(generated, truth, home, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "sohoa-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "sohoa-test-secret")
    process, endpoint = seaweedfs.start(tmp_path / "s3")
    monkeypatch.setenv("SOHOA_S3_ENDPOINT", endpoint)
    monkeypatch.setenv("SOHOA_S3_BUCKET", f"sohoa-{uuid.uuid4().hex[:12]}")
    sources = [d["source"] for d in truth["dossiers"][:3]]
    batch = copy_batch(generated, tmp_path / "batch", sources)
    ingest = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", str(batch), "--json"], cwd=ROOT,
                              env=sohoa_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and ingest.poll() is None:
            if list((home / "work").glob("*/*/started")):  # the first dossier is being stored
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)  # the S3 server dies mid-run
        process.wait()
        out, err = ingest.communicate(timeout=900)
    finally:
        ingest.kill()
    assert ingest.returncode == 1, err[-3000:]
    summary = json.loads(out.splitlines()[-1])
    assert summary["failed"] >= 1 and summary["quarantined"] == 0
    failed = [r for r in summary["results"] if r["status"] == "failed"]
    assert all("object storage" in r["detail"] and endpoint in r["detail"] and "pending" in r["detail"]
               for r in failed), [r["detail"] for r in failed]
    assert all((batch / source).exists() for source in sources)  # nothing moved or lost

    process, again_endpoint = seaweedfs.start(tmp_path / "s3")  # same data, same ports
    assert again_endpoint == endpoint
    try:
        again = run_sohoa(home, "ingest", str(batch), "--json")
        assert again.returncode == 0, again.stderr[-3000:]
        records = export_records(home)
        expected = sum(len(d["documents"]) for d in truth["dossiers"][:3])
        assert len(records) == len({r["doc_id"] for r in records}) == expected
        assert run_sohoa(home, "verify").returncode == 0
    finally:
        seaweedfs.stop(process)
