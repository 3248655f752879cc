"""A batch's run begins before Prefect's API answers: its dossiers are checked and its OCR workers start,
and the flow takes both over when it runs."""
import os
import time

import psutil
import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from sohoa.core.settings import Settings
from sohoa.pipeline.batch import HeadStart
from sohoa.pipeline.intake import file_code_for

from tests.conftest import copy_batch, wait_for

pytestmark = pytest.mark.slow


def pool_workers() -> list[psutil.Process]:
    """This process's pool workers (started by multiprocessing's spawn)."""
    found = []
    for child in psutil.Process(os.getpid()).children():
        try:
            if any("spawn_main" in part for part in child.cmdline()):
                found.append(child)
        except psutil.Error:  # ended meanwhile
            continue
    return found


def started_workers(count: int, others: set[int]) -> list[psutil.Process]:
    """The count workers started since others were listed, once all have started."""
    def started():
        new = [worker for worker in pool_workers() if worker.pid not in others]
        return new if len(new) == count else None
    return wait_for(started, 120, "the OCR workers to start", every_s=0.2)


def cpu_seconds(processes: list[psutil.Process]) -> float:
    return sum(sum(process.cpu_times()[:2]) for process in processes)


def idle_cpu_seconds(processes: list[psutil.Process]) -> float:
    """Their CPU seconds once they have stopped using any (the workers have loaded their models)."""
    def settled():
        before = cpu_seconds(processes)
        time.sleep(1)
        return before if cpu_seconds(processes) - before < 0.05 else None
    return wait_for(settled, 120, "the OCR workers to be idle", every_s=0)


def test_the_head_start_checks_the_dossiers_and_starts_the_ocr_workers_before_any_page(generated, truth, home):
    first = truth["dossiers"][0]["source"]
    batch = copy_batch(generated, home / "batch", [first])
    settings = Settings.from_env()
    others = {worker.pid for worker in pool_workers()}
    with HeadStart(batch, settings) as head_start:
        workers = started_workers(settings.workers, others)  # no page has been given to them
        sources, rejections, ignored = head_start.intake()
        assert [source.path.name for source in sources] == [first] and rejections == [] and ignored == []
        idle_cpu_seconds(workers)  # their models loaded: each has set its priority
        assert all(worker.is_running() and worker.nice() > 0 for worker in workers)  # yield to the API's boot
    assert not any(worker.is_running() for worker in workers)  # stopped with the head start


def test_the_flow_takes_the_head_starts_intake_and_workers_over(generated, truth, home, prefect_api):
    from sohoa.flows.ingest import ingest_batch

    first, second = (dossier["source"] for dossier in truth["dossiers"][:2])
    batch = copy_batch(generated, home / "batch", [first])
    settings = Settings.from_env()
    others = {worker.pid for worker in pool_workers()}
    with HeadStart(batch, settings) as head_start:
        head_start.intake()
        copy_batch(generated, batch, [second])  # came after the intake: the next run's
        workers = started_workers(settings.workers, others)
        idle = idle_cpu_seconds(workers)
        with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
            summary = ingest_batch(str(batch), settings, head_start=head_start)
        assert [result["file_code"] for result in summary["results"]] == [file_code_for(batch / first)]
        assert summary["archived"] == 1
        assert cpu_seconds(workers) - idle > 1.0  # the started workers read the pages: no second pool
