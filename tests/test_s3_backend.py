"""With SOHOA_S3_ENDPOINT set, the same commands archive into a real S3 server."""
import json
import uuid

import pytest

from archive.s3store import S3ObjectStore
from tests.conftest import copy_batch, export_records, run_sohoa

pytestmark = pytest.mark.slow


def test_ingest_export_and_verify_on_s3(generated, truth, home, tmp_path, monkeypatch, s3_endpoint):
    bucket = f"sohoa-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("SOHOA_S3_ENDPOINT", s3_endpoint)
    monkeypatch.setenv("SOHOA_S3_BUCKET", bucket)
    dossier = truth["dossiers"][1]
    batch = copy_batch(generated, tmp_path / "batch", [dossier["source"]])
    run = run_sohoa(home, "ingest", str(batch), "--json")
    assert run.returncode == 0, run.stderr[-3000:]
    records = export_records(home)
    assert len(records) == len(dossier["documents"])
    assert not (home / "objects").exists()  # nothing went to the local folder
    store = S3ObjectStore(s3_endpoint, bucket)
    for record in records:
        assert store.head(record["pdf"]["key"]).sha256 == record["pdf"]["sha256"]
    verify = run_sohoa(home, "verify")
    assert verify.returncode == 0 and "all intact" in verify.stderr
    again = run_sohoa(home, "ingest", str(batch), "--json")
    assert json.loads(again.stdout.splitlines()[-1])["already_archived"] == 1
    assert sorted(store.list("dossiers/")) == sorted(
        [r["pdf"]["key"] for r in records] + [r["pdf"]["key"][:-4] + ".json" for r in records]
        + [f"dossiers/{dossier['file_code']}/manifest.json"])
