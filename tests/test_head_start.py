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


def ocr_workers() -> list[psutil.Process]:
    """This process's pool workers (started by multiprocessing's spawn)."""
    return [child for child in psutil.Process(os.getpid()).children()
            if any("spawn_main" in part for part in child.cmdline())]


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
    with HeadStart(batch, settings) as head_start:
        workers = wait_for(lambda: len(ocr_workers()) == settings.workers and ocr_workers(), 120,
                           "the OCR workers to start with no page given to them", every_s=0.2)
        sources, rejections, ignored = head_start.intake()
        assert [source.path.name for source in sources] == [first] and rejections == [] and ignored == []
        assert all(worker.is_running() and worker.nice() > 0 for worker in workers)  # yield to the API's boot
    assert ocr_workers() == []  # stopped with the head start


def test_the_flow_takes_the_head_starts_intake_and_workers_over(generated, truth, home, prefect_api):
    from sohoa.flows.ingest import ingest_batch

    first, second = (dossier["source"] for dossier in truth["dossiers"][:2])
    batch = copy_batch(generated, home / "batch", [first])
    settings = Settings.from_env()
    with HeadStart(batch, settings) as head_start:
        head_start.intake()
        copy_batch(generated, batch, [second])  # came after the intake: the next run's
        workers = wait_for(lambda: len(ocr_workers()) == settings.workers and ocr_workers(), 120,
                           "the OCR workers to start", every_s=0.2)
        idle = idle_cpu_seconds(workers)
        with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
            summary = ingest_batch(str(batch), settings, head_start=head_start)
        assert [result["file_code"] for result in summary["results"]] == [file_code_for(batch / first)]
        assert summary["archived"] == 1
        assert cpu_seconds(workers) - idle > 1.0  # the started workers read the pages: no second pool
