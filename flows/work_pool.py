"""The Prefect side of scale-out: the work pool and its queues, the ingest_dossier deployment, the automations
that recover crashed runs, and one flow run per submitted dossier. Everything here is idempotent: `sohoa
submit` and `sohoa worker` both call prepare_work_pool, whichever comes first creates what is missing."""
from datetime import timedelta

from prefect import get_client
from prefect.automations import Automation
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags
from prefect.client.schemas.objects import StateType
from prefect.deployments import run_deployment
from prefect.deployments.runner import EntrypointType
from prefect.events.actions import ChangeFlowRunState
from prefect.events.schemas.automations import EventTrigger, Posture
from prefect.events.schemas.events import ResourceSpecification
from prefect.exceptions import ObjectAlreadyExists
from prefect.states import Scheduled

from sohoa.flows.distributed import ingest_dossier
from sohoa.pipeline.submission import Submission

URGENT, NORMAL = "urgent", "default"  # the pool's queues; workers take the urgent queue's runs first
FINAL_EVENTS = {f"prefect.flow-run.{s}" for s in ("Completed", "Failed", "Cancelled", "Crashed")}
# Prefect's engine as sohoa.flows.__main__ runs it; "python" is the worker's own (`sohoa worker` puts its
# interpreter's folder first on the PATH of the runs).
RUN_COMMAND = {"command": "python -m sohoa.flows"}


def prepare_work_pool(pool: str, lost_after_s: int) -> None:
    """The process work pool with an urgent queue before the default one, the deployment, the automations (a
    run silent for lost_after_s is taken as lost with its worker)."""
    with get_client(sync_client=True) as client:
        try:  # its concurrency limit is the operator's: prefect work-pool set-concurrency-limit
            client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
        except ObjectAlreadyExists:
            pass
        if URGENT not in {q.name for q in client.read_work_queues(work_pool_name=pool)}:
            try:
                client.create_work_queue(name=URGENT, work_pool_name=pool, priority=1)
            except ObjectAlreadyExists:  # another machine made it meanwhile
                pass
        ingest_dossier.to_deployment(name=pool, work_pool_name=pool, work_queue_name=NORMAL,
                                     entrypoint_type=EntrypointType.MODULE_PATH, job_variables=RUN_COMMAND,
                                     description="One submitted dossier archived or quarantined").apply()
        existing = {a.name: a for a in client.read_automations()}
    for automation in recovery_automations(timedelta(seconds=lost_after_s)):
        current = existing.get(automation.name)
        if current is not None and current.trigger == automation.trigger and current.actions == automation.actions:
            continue
        if current is not None:  # made with other settings (SOHOA_WORKER_LOST_AFTER changed)
            current.delete()
        automation.create()


def recovery_automations(silent_for: timedelta) -> list[Automation]:
    """Prefect's own answer to a lost worker: a run that stops sending heartbeats is Crashed, and a crashed
    dossier run is scheduled again, for whichever worker polls next."""
    runs = ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]})
    dossier_runs = ResourceSpecification({"prefect.resource.role": "flow",
                                          "prefect.resource.name": ingest_dossier.name})
    silent = EventTrigger(after={"prefect.flow-run.heartbeat"}, expect={"prefect.flow-run.heartbeat", *FINAL_EVENTS},
                          match=runs, match_related=dossier_runs, for_each={"prefect.resource.id"},
                          posture=Posture.Proactive, threshold=1, within=silent_for)
    crashed = EventTrigger(expect={"prefect.flow-run.Crashed"}, match=runs, match_related=dossier_runs,
                           posture=Posture.Reactive, threshold=1)
    return [
        Automation(name="sohoa: a silent run has crashed", trigger=silent,
                   actions=[ChangeFlowRunState(state=StateType.CRASHED, message=f"no heartbeat for "
                                               f"{int(silent_for.total_seconds())} s: its worker is lost")]),
        Automation(name="sohoa: a crashed dossier is tried again", trigger=crashed,
                   actions=[ChangeFlowRunState(state=StateType.SCHEDULED, name="AwaitingRetry",
                                               message="its worker crashed: scheduled again for any worker")]),
    ]


def batch_tag(batch: str) -> str:
    return f"batch:{batch}"


def start_runs(submissions: list[Submission], pool: str, urgent: bool) -> list[tuple]:
    """One flow run per dossier, never two for one submission (the idempotency key); a run of an earlier
    submit that failed (a backend down, the dossier busy) is scheduled again. (run, what was done) each."""
    started = []
    with get_client(sync_client=True) as client:
        for s in submissions:
            run = run_deployment(f"{ingest_dossier.name}/{pool}", timeout=0,
                                 parameters={"batch": s.batch, "file_code": s.file_code},
                                 flow_run_name=f"{s.batch}/{s.file_code}", tags=[batch_tag(s.batch)],
                                 work_queue_name=URGENT if urgent else NORMAL,
                                 idempotency_key=f"{s.batch}/{s.file_code}/{s.fingerprint[:16]}")
            if run.state.type in (StateType.FAILED, StateType.CANCELLED):
                client.set_flow_run_state(run.id, Scheduled(message="submitted again"), force=True)
                started.append((run, "scheduled again"))
            else:
                started.append((run, "queued" if run.state.is_scheduled() else f"already {run.state.name}"))
    return started


def batch_runs(batch: str) -> list:
    """The flow runs of a batch, oldest first."""
    runs, page = [], 200
    only_batch = FlowRunFilter(tags=FlowRunFilterTags(all_=[batch_tag(batch)]))
    with get_client(sync_client=True) as client:
        while True:
            found = client.read_flow_runs(flow_run_filter=only_batch, limit=page, offset=len(runs))
            runs += found
            if len(found) < page:
                break
    return sorted(runs, key=lambda r: r.created)
