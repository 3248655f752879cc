"""Scale-out benchmark: one batch submitted to a work pool and archived by 1, 2 and 4 worker processes,
as stand-ins for machines, each pinned to its share of this machine's cores.

    python -m bench.scale_out OUT_DIR [--dossiers 8] [--workers 1,2,4]

Starts its own Prefect server, SeaweedFS and Elasticsearch. For each worker count: a fresh bucket and index,
the batch submitted (`sohoa submit`), the workers started (`sohoa worker`), the clock stopped when every dossier
is settled. Reports pages per minute, the efficiency against perfect scaling of the one-worker rate, and
where each dossier's run spent its time (from Prefect's task runs). Writes OUT_DIR/scale_out.json and .md.
"""
import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

from servers.common import stop_group

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 3600
STEPS = ("intake", "skip-archived", "recognize-dossier", "archive-dossier")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--dossiers", type=int, default=8)
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()
    results = run(args.out, args.dossiers, [int(n) for n in args.workers.split(",")])
    print(json.dumps(results, indent=1))


def run(out: Path, dossiers: int, counts: list[int]) -> dict:
    from sohoa.synth.batch import make_batch

    from servers import elasticsearch, prefect, seaweedfs

    out.mkdir(parents=True, exist_ok=True)
    truth = make_batch(out / "corpus" / "batch", out / "corpus" / "truth.json", dossiers=dossiers, seed=2027)
    pages = sum(d["page_count"] for d in truth["dossiers"])
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "sohoa-bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "sohoa-bench-secret")
    s3_process, s3 = seaweedfs.start(out / "seaweedfs")
    es_process, es, es_work = elasticsearch.start()
    prefect_process, api = prefect.start(out / "prefect-server")
    rows = []
    try:
        for count in counts:
            env = {**os.environ, "PREFECT_API_URL": api, "SOHOA_S3_ENDPOINT": s3, "SOHOA_ES_URL": es,
                   "SOHOA_S3_BUCKET": f"bench-{uuid.uuid4().hex[:10]}", "SOHOA_ES_INDEX": f"bench-{count}",
                   "SOHOA_WORK_POOL": f"bench-{count}", "SOHOA_CHECKPOINT_KEY": str(out / "checkpoint-ed25519.pem"),
                   "PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_LOGGING_LEVEL": "WARNING"}
            rows.append(measure(out / f"workers-{count}", out / "corpus" / "batch", pages, count, env))
            print(json.dumps(rows[-1]), flush=True)
    finally:
        prefect.stop(prefect_process)
        elasticsearch.stop(es_process, es_work)
        seaweedfs.stop(s3_process)
    base = rows[0]["pages_per_minute"] / rows[0]["workers"]
    for row in rows:
        row["efficiency"] = round(row["pages_per_minute"] / (base * row["workers"]), 2)
    results = {"cores": os.cpu_count(), "dossiers": dossiers, "pages": pages, "rows": rows}
    (out / "scale_out.json").write_text(json.dumps(results, indent=1))
    (out / "scale_out.md").write_text(markdown(results))
    return results


def measure(work: Path, corpus: Path, pages: int, count: int, env: dict) -> dict:
    shutil.rmtree(work, ignore_errors=True)
    batch = Path(shutil.copytree(corpus, work / f"bench-{count}"))
    cores = os.cpu_count() or 1
    started, since = time.perf_counter(), dt.datetime.now(dt.timezone.utc)
    submitted = sohoa(work / "submitter", env, "submit", str(batch))
    assert submitted.returncode == 0, submitted.stderr[-2000:]
    workers = []
    for n in range(count):
        share = sorted({(n * cores // count + i) % cores for i in range(max(1, cores // count))})
        home = work / f"machine-{n}"
        home.mkdir(parents=True)
        workers.append(subprocess.Popen(
            ["taskset", "-c", ",".join(map(str, share)), sys.executable, "-m", "sohoa.cli", "worker",
             "--processes", str(len(share)), "--name", f"bench-{count}-{n}"], cwd=ROOT,
            env={**env, "SOHOA_HOME": str(home), "PREFECT_HOME": str(home / "prefect")},
            stdout=open(home / "worker.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True))
    try:
        while True:
            status = sohoa(work / "submitter", env, "status", "--batch", batch.name, "--json")
            rows = json.loads(status.stdout)["dossiers"] if status.returncode in (0, 1) else []
            if rows and all(r["outcome"] or r["state"] in ("Failed", "Cancelled") for r in rows):
                break
            if time.perf_counter() - started > TIMEOUT_S:
                raise SystemExit(f"{count} worker(s): not settled within {TIMEOUT_S} s: {status.stdout[-2000:]}")
            time.sleep(2)
        seconds = time.perf_counter() - started
    finally:
        for worker in workers:
            stop_group(worker.pid, grace_s=20)
    return {"workers": count, "seconds": round(seconds, 1), "pages_per_minute": round(pages / seconds * 60, 1),
            "outcomes": sorted({r["outcome"] for r in rows}), "steps_s": step_seconds(env["PREFECT_API_URL"], since)}


def step_seconds(api: str, since: dt.datetime) -> dict:
    """Seconds spent in each step since a moment, summed over every dossier's run (Prefect's task runs)."""
    from prefect import get_client
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterStartTime
    from prefect.settings import PREFECT_API_URL, temporary_settings

    totals = dict.fromkeys(STEPS, 0.0)
    recent = TaskRunFilter(start_time=TaskRunFilterStartTime(after_=since))
    task_runs, page = [], 200  # the API's largest page
    with temporary_settings(updates={PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        while len(found := client.read_task_runs(task_run_filter=recent, limit=page, offset=len(task_runs))):
            task_runs += found
    for task_run in task_runs:
        step = task_run.name.rsplit("-", 1)[0]
        if step in totals and task_run.total_run_time:
            totals[step] += task_run.total_run_time.total_seconds()
    return {step: round(seconds, 1) for step, seconds in totals.items()}


def sohoa(home: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run([sys.executable, "-m", "sohoa.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**env, "SOHOA_HOME": str(home), "PREFECT_HOME": str(home / "prefect")})


def markdown(results: dict) -> str:
    lines = [f"Scale-out on {results['cores']} cores: {results['dossiers']} dossiers, {results['pages']} pages", "",
             "| workers | seconds | pages/min | efficiency | " + " | ".join(f"{s} s" for s in STEPS) + " |",
             "|---|---|---|---|" + "---|" * len(STEPS)]
    for row in results["rows"]:
        lines.append(f"| {row['workers']} | {row['seconds']} | {row['pages_per_minute']} | {row['efficiency']} | "
                     + " | ".join(str(row["steps_s"][s]) for s in STEPS) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
