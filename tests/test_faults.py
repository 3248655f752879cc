"""Fault injection: ingests killed at seeded random moments (and their work cache lost), and ingests of
one batch running at once. Whatever happens, a later run leaves every dossier archived once, nothing
logged twice, and verify clean."""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from tests.conftest import ROOT, copy_batch, export_records, run_sohoa, sohoa_env, store_and_audit_log

pytestmark = pytest.mark.slow

KILL_ROUNDS = 2


def start_ingest(home, batch, embedded_prefect: bool = False) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sohoa.cli", "ingest", str(batch), "--json"], cwd=ROOT,
                            env=sohoa_env(home, embedded_prefect), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def assert_archived_once(home, truth, dossiers: list[dict]) -> None:
    records = export_records(home)
    expected = sum(len(d["documents"]) for d in dossiers)
    assert len(records) == len({r["doc_id"] for r in records}) == expected
    verify = run_sohoa(home, "verify")
    assert verify.returncode == 0, verify.stderr[-3000:]  # duplicate event ids would be named here
    _, log = store_and_audit_log(home)
    ends = Counter(e["event"]["file_code"] for e in log.entries() if e["event"]["type"] == "ingestion end")
    assert ends == {d["file_code"]: 1 for d in dossiers}


def test_ingests_killed_at_random_moments_then_run_again_archive_everything_once(generated, truth, tmp_path):
    dossiers = truth["dossiers"][:2]
    rng = random.Random(20261203)
    for round_ in range(KILL_ROUNDS):
        home = tmp_path / f"home-{round_}"
        batch = copy_batch(generated, tmp_path / f"batch-{round_}", [d["source"] for d in dossiers])
        ingest = start_ingest(home, batch)
        time.sleep(rng.uniform(2.0, 30.0))
        if ingest.poll() is None:
            os.killpg(ingest.pid, signal.SIGKILL)
        ingest.wait()
        if rng.random() < 0.5:  # the machine's work cache lost too: the store alone must be enough
            shutil.rmtree(home / "work", ignore_errors=True)
        again = run_sohoa(home, "ingest", str(batch), "--json")
        assert again.returncode == 0, f"round {round_}: {again.stderr[-3000:]}"
        assert_archived_once(home, truth, dossiers)


def test_two_ingests_of_one_batch_at_once_archive_each_dossier_once(generated, truth, home, tmp_path):
    dossiers = truth["dossiers"][:2]
    batch = copy_batch(generated, tmp_path / "batch", [d["source"] for d in dossiers])
    twin = copy_batch(generated, tmp_path / "twin", [d["source"] for d in dossiers])  # a second copy of it
    # On one machine without a Prefect server: three embedded servers on one Prefect database at once.
    runs = [start_ingest(home, folder, embedded_prefect=True) for folder in (batch, batch, twin)]
    summaries = []
    for run in runs:
        out, err = run.communicate(timeout=900)
        assert run.returncode in (0, 1), err[-3000:]
        summaries.append(json.loads(out.splitlines()[-1]))
    statuses = Counter(r["status"] for s in summaries for r in s["results"])
    assert set(statuses) <= {"archived", "already archived", "busy"} and statuses["archived"] == len(dossiers)
    assert all(source.exists() for source in (batch / d["source"] for d in dossiers))  # nothing quarantined
    again = run_sohoa(home, "ingest", str(batch), "--json")
    assert again.returncode == 0 and json.loads(again.stdout.splitlines()[-1])["already_archived"] == len(dossiers)
    assert_archived_once(home, truth, dossiers)


def test_identical_scans_in_two_dossiers_keep_two_histories(generated, truth, home, tmp_path):
    dossier = next(d for d in truth["dossiers"] if (generated / "batch" / d["source"]).is_dir())
    batch = copy_batch(generated, tmp_path / "batch", [dossier["source"]])
    shutil.copytree(batch / dossier["source"], batch / f"{dossier['source']}-BAN-SAO")
    done = run_sohoa(home, "ingest", str(batch), "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    _, log = store_and_audit_log(home)
    ingestions = Counter(e["event"]["file_code"] for e in log.entries() if e["event"]["type"] == "ingestion")
    assert ingestions == {dossier["file_code"]: 1, f"{dossier['file_code']}-BAN-SAO": 1}


@pytest.fixture
def small_disk(tmp_path):
    """A 64 MB file system of its own, to fill up."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point)], check=True)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_verify_on_a_full_disk_prints_its_findings_and_leaves_nothing_behind(ingested, small_disk):
    source, _ = ingested
    home = small_disk / "home"
    shutil.copytree(source, home, ignore=shutil.ignore_patterns("prefect", "work", "logs"))
    filler = small_disk / "filler"
    with open(filler, "wb") as out:  # fill the disk to its last byte
        try:
            while True:
                out.write(b"\0" * (1 << 20))
                out.flush()
        except OSError:
            pass
    full = run_sohoa(home, "verify")
    assert full.returncode == 3, full.stderr[-3000:]
    assert "all intact" in full.stderr and "reports not written" in full.stderr
    assert "could not be logged" in full.stderr and "Traceback" not in full.stderr
    assert list((home / "objects" / ".tmp").iterdir()) == []  # no half-written object left
    filler.unlink()
    again = run_sohoa(home, "verify")
    assert again.returncode == 0 and "all intact" in again.stderr, again.stderr[-3000:]


@pytest.fixture
def read_only_home(ingested, tmp_path):
    """A copy of an ingested archive, mounted read-only (so that not even root can write to it)."""
    source, _ = ingested
    writable_copy, mount_point = tmp_path / "data", tmp_path / "home"
    shutil.copytree(source, writable_copy, ignore=shutil.ignore_patterns("prefect", "work"))
    mount_point.mkdir()
    subprocess.run(["mount", "--bind", str(writable_copy), str(mount_point)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mount_point)], check=True)
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_read_only_home_gives_messages_not_tracebacks(read_only_home, tmp_path):
    home = read_only_home
    record = export_records(home)[0]  # reading works
    assert record["doc_id"]
    for args in (["search", "ke hoach"], ["verify"], ["audit", "events"], ["audit", "report"], ["status"],
                 ["aip", "export", record["file_code"], str(tmp_path / "aip")], ["reindex"]):
        done = run_sohoa(home, *args)
        assert done.returncode in (0, 1, 3), (args, done.stderr[-2000:])
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr, (args, done.stderr[-2000:])
