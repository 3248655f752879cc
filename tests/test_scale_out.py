"""Ingest over several machines: a real Prefect server, workers as separate processes (stand-ins for machines,
each with its own SOHOA_HOME), SeaweedFS and Elasticsearch shared. One batch is submitted, a worker is killed
with its whole process tree mid-dossier, and every dossier is archived exactly once all the same."""
import json
import os
import signal
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest

from sohoa.core.keys import is_manifest_key
from sohoa.synth.batch import make_batch

from servers.common import stop_group
from tests.conftest import ROOT, run_sohoa, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def shared(prefect_api, s3_endpoint, es_url, monkeypatch) -> dict:
    """What every machine of the scale-out is configured with."""
    env = {"PREFECT_API_URL": prefect_api, "SOHOA_S3_ENDPOINT": s3_endpoint, "SOHOA_S3_BUCKET":
           f"sohoa-{uuid.uuid4().hex[:12]}", "SOHOA_ES_URL": es_url, "SOHOA_ES_INDEX": f"sohoa-{uuid.uuid4().hex[:8]}",
           "SOHOA_PDFA_VALIDATION": "off", "SOHOA_WORK_POOL": f"sohoa-{uuid.uuid4().hex[:8]}",
           "SOHOA_WORKER_LOST_AFTER": "60", "PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_LOGGING_LEVEL": "WARNING"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def small_dossiers(folder: Path, name: str, count: int, year: int) -> Path:
    """A batch of small dossiers (one short document each, file codes of the year), quick to read."""
    make_batch(folder / name, folder / f"{name}.json", dossiers=count, seed=year, docs_per_dossier=(1, 1), year=year)
    return folder / name


class Worker:
    """`sohoa worker` in its own session, as on its own machine."""

    def __init__(self, name: str, home: Path, env: dict):
        home.mkdir(parents=True, exist_ok=True)
        self.home, self.log = home, home / "worker.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sohoa.cli", "worker", "--name", name, "--processes", "1"], cwd=ROOT,
            env={**os.environ, **env, "SOHOA_HOME": str(home), "PREFECT_HOME": str(home / "prefect")},
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT, start_new_session=True)

    def reading(self) -> bool:
        """True once a page of a dossier has been read here: the dossier is leased and half done."""
        return any((self.home / "work").glob("*/*/pages/*"))

    def processes(self) -> list[int]:
        """The worker and every process under it (a flow run's process has a session of its own)."""
        table = [line.split() for line in subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True,
                                                         text=True).stdout.splitlines()]
        tree = [self.process.pid]
        for _ in range(4):
            tree += [int(pid) for pid, ppid in table if int(ppid) in tree and int(pid) not in tree]
        return tree

    def lose_machine(self) -> None:
        """SIGKILL to the worker and every process under it, as when its machine goes down."""
        for pid in self.processes():
            os.kill(pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """SIGTERM, as an operator stops a worker; Prefect's worker sometimes takes the first one for a
        cancellation and goes on, so SIGKILL after a grace period, as a service manager would."""
        if self.process.poll() is None:
            stop_group(self.process.pid, grace_s=30)
            self.process.wait(timeout=60)


def batch_status(home: Path, batch: str) -> list[dict]:
    done = run_sohoa(home, "status", "--batch", batch, "--json")
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return json.loads(done.stdout)["dossiers"]


def flow_runs(batch: str) -> list:
    from sohoa.flows.work_pool import batch_runs

    return batch_runs(batch)


def test_a_batch_on_two_workers_survives_a_lost_worker_and_urgent_work_goes_first(shared, tmp_path):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: shared["PREFECT_API_URL"]}):
        scale_out_scenario(shared, tmp_path)


def scale_out_scenario(shared: dict, tmp_path: Path) -> None:
    from prefect import get_client
    from prefect.states import Crashed

    submitter = tmp_path / "submitter"
    tag = uuid.uuid4().hex[:8]  # batch names of their own on a Prefect server that may have seen these before
    batch = small_dossiers(tmp_path, f"batch-{tag}", 6, year=2021)
    urgent = small_dossiers(tmp_path, f"urgent-{tag}", 1, year=2022)
    crasher = small_dossiers(tmp_path, f"crasher-{tag}", 1, year=2023)

    # A dossier whose run crashes its worker three times is quarantined, never tried a fourth time. Its
    # crashes are recorded as Prefect records a real one; the automation schedules it again after each.
    assert run_sohoa(submitter, "submit", str(crasher)).returncode == 0
    [run] = flow_runs(crasher.name)
    with get_client(sync_client=True) as client:
        for _ in range(3):
            client.set_flow_run_state(run.id, Crashed(message="test: worker lost"), force=True)
            wait_for(lambda: client.read_flow_run(run.id).state.name == "AwaitingRetry", 60, "a crashed run retried")

    submitted = run_sohoa(submitter, "submit", str(batch), "--json")
    assert submitted.returncode == 0, submitted.stderr[-2000:]
    assert len(json.loads(submitted.stdout)["submitted"]) == 6
    again = run_sohoa(submitter, "submit", str(batch), "--json")  # a second submit queues nothing twice
    assert {r["flow_run"] for r in json.loads(again.stdout)["submitted"]} == \
        {r["flow_run"] for r in json.loads(submitted.stdout)["submitted"]}
    assert not any(r["done"] == "scheduled again" for r in json.loads(again.stdout)["submitted"])

    # Workers come up once the batch is queued: none can have archived a dossier between the two submits.
    workers = [Worker(f"machine-{n}", tmp_path / f"machine-{n}", shared) for n in (1, 2)]
    try:
        # The first worker to have read a page of a dossier loses its machine mid-dossier.
        wait_for(lambda: next((w for w in workers if w.reading()), None), 300, "a dossier being read").lose_machine()
        assert run_sohoa(submitter, "submit", str(urgent), "--urgent").returncode == 0
        workers.append(Worker("machine-3", tmp_path / "machine-3", shared))  # a replacement comes up

        def settled():
            rows = batch_status(submitter, batch.name) + batch_status(submitter, urgent.name)
            return rows if all(r["outcome"] for r in rows) else None

        rows = wait_for(settled, 600, "every dossier settled")
    finally:
        for worker in workers:
            worker.stop()

    assert [r["outcome"] for r in rows] == ["archived"] * 7, rows
    with get_client(sync_client=True) as client:
        histories = [[s.type.value for s in client.read_flow_run_states(r.id)] for r in flow_runs(batch.name)]
    [lost] = [states for states in histories if "CRASHED" in states]  # the lost worker's, run again and done
    assert lost[-1] == "COMPLETED" and lost.count("RUNNING") == 2

    # Work submitted as urgent starts before the rest of the batch submitted earlier.
    starts = sorted(r.start_time for r in flow_runs(batch.name))
    [urgent_run] = flow_runs(urgent.name)
    assert sum(1 for s in starts if s > urgent_run.start_time) >= 2, (urgent_run.start_time, starts)

    [crashed] = batch_status(submitter, crasher.name)
    assert crashed["outcome"] == "quarantined" and "crashed its worker 3 times" in crashed["detail"]

    # Exactly once: one manifest per dossier, each record and each audit event once, and verify clean.
    from sohoa.core.settings import Settings
    from sohoa.pipeline.backends import open_backends

    with open_backends(Settings.from_env()) as backends:
        manifests = [k for k in backends.store.list("dossiers/") if is_manifest_key(k)]
        assert len(manifests) == 7
        events = [json.loads(backends.store.get(k))["event"] for k in backends.store.list("audit/log/")]
    assert not [e for e in events if e["type"] == "ingestion" and e["file_code"] == crashed["file_code"]]
    ids = Counter(e["identifier"] for e in events)
    assert not [i for i, n in ids.items() if n > 1]
    assert Counter(e["type"] for e in events)["ingestion end"] == 7
    records = [json.loads(line) for line in run_sohoa(submitter, "export", "--format", "jsonl").stdout.splitlines()]
    assert len({r["doc_id"] for r in records}) == len(records) and len({r["file_code"] for r in records}) == 7
    verified = run_sohoa(submitter, "verify")
    assert verified.returncode == 0, verified.stdout[-3000:] + verified.stderr[-2000:]
