"""The batch's pool of OCR workers outlives the death of a worker (the kernel's OOM killer, an operator's kill):
the dossier that meets the broken pool is read again in a new one, as the run retries it."""
import signal

import psutil
import pytest

from sohoa.core.errors import WorkerCrashed
from sohoa.core.settings import Settings
from sohoa.pipeline.batch import intake, recognize_dossier
from sohoa.pipeline.progress import NoProgress
from sohoa.pipeline.recognize import PagePool

from tests.conftest import copy_batch, wait_for
from tests.test_head_start import idle_cpu_seconds, pool_workers, started_workers

pytestmark = pytest.mark.slow


@pytest.fixture
def idle_pool(generated, truth, home):
    """(a dossier, a pool whose workers have started and loaded their models, those workers, the settings)."""
    batch = copy_batch(generated, home / "batch", [truth["dossiers"][0]["source"]])
    settings = Settings.from_env()
    (source,), _, _ = intake(batch, settings)
    others = {worker.pid for worker in pool_workers()}
    with PagePool(settings) as pool:
        pool.start_workers()
        workers = started_workers(settings.workers, others)
        idle_cpu_seconds(workers)
        yield source, pool, workers, settings


def test_a_worker_that_died_between_dossiers_makes_the_next_one_a_retry_not_an_internal_error(idle_pool):
    source, pool, workers, settings = idle_pool
    workers[0].send_signal(signal.SIGKILL)  # reaped by the pool: reaped here, the pool would wait on it
    wait_for(lambda: not psutil.pid_exists(workers[0].pid), 30, "the pool to see its worker die", every_s=0.2)
    with pytest.raises(WorkerCrashed):  # not the pool's own BrokenProcessPool: an internal error
        recognize_dossier(source, pool, settings, NoProgress())
    pages, failure = recognize_dossier(source, pool, settings, NoProgress())  # the run's retry
    assert failure is None and [page.number for page in pages] == [ref.number for ref in source.pages]


def test_ctrl_c_leaves_the_workers_to_the_command_that_stops_the_pool(idle_pool):
    # Ctrl-C signals the whole process group: a worker that took it would die with a traceback on the console.
    source, pool, workers, settings = idle_pool
    for worker in workers:
        worker.send_signal(signal.SIGINT)
    pages, failure = recognize_dossier(source, pool, settings, NoProgress())
    assert failure is None and len(pages) == len(source.pages)
    assert all(worker.is_running() for worker in workers)
