"""kill -9 in the middle of a batch, then the same command again: everything archived once."""
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from sohoa.archive.fixity import verify_store
from sohoa.archive.index import SqliteSearchIndex

from tests.conftest import ROOT, copy_batch, export_records, run_sohoa, sohoa_env, store_and_audit_log

pytestmark = pytest.mark.slow


def test_killed_ingest_resumes_without_loss_or_duplicates(generated, truth, home, tmp_path):
    batch = copy_batch(generated, tmp_path / "batch")
    proc = subprocess.Popen([sys.executable, "-m", "sohoa.cli", "ingest", str(batch)], cwd=ROOT,
                            env=sohoa_env(home, embedded_prefect=True), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    objects = home / "objects" / "dossiers"
    deadline = time.monotonic() + 600
    # Kill once a dossier has objects stored and no manifest yet: mid-batch, mid-archive.
    while time.monotonic() < deadline and proc.poll() is None:
        if objects.exists() and any((d / "aip").exists() and not (d / "manifest.json").exists()
                                    for d in objects.iterdir()):
            break
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    committed_at_kill = len(list(objects.glob("*/manifest.json")))
    assert committed_at_kill < len(truth["dossiers"])
    shutil.rmtree(home / "work")  # and the machine's work cache is lost: the store alone must be enough

    # Embedded, as on a machine without a Prefect server: it starts again on the database the killed run left.
    again = run_sohoa(home, "ingest", str(batch), "--json", embedded_prefect=True)
    assert again.returncode == 0, again.stderr[-3000:]
    records = export_records(home)
    expected_docs = sum(len(d["documents"]) for d in truth["dossiers"])
    assert len(records) == len({r["doc_id"] for r in records}) == expected_docs
    assert {r["file_code"] for r in records} == {d["file_code"] for d in truth["dossiers"]}
    store, log = store_and_audit_log(home)
    report = verify_store(store, log)
    assert report.all_problems() == [] and len(report.dossiers) == len(truth["dossiers"])
    ingestions = Counter(e["event"]["file_code"] for e in log.entries() if e["event"]["type"] == "ingestion")
    assert ingestions == {d["file_code"]: 1 for d in truth["dossiers"]}  # the resumed run logged nothing twice
    index = SqliteSearchIndex(home / "index.sqlite")
    assert index.count() == expected_docs
    index.close()
    assert not list((home / "work").glob("*/*")), "work folders of committed dossiers remain"
    assert not list((home / "objects" / "attempts").rglob("*.json")), "attempt records of committed dossiers remain"
