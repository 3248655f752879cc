"""The nightly inbox logic, run as a real Prefect flow (no clock involved)."""
import json

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from sohoa.pipeline.inbox import ready_batches, settle_batch

from tests.conftest import copy_batch

pytestmark = pytest.mark.slow


def test_ready_batches_are_only_the_marked_ones(tmp_path):
    for name, ready in (("b10", True), ("b2", True), ("incomplete", False)):
        (tmp_path / name).mkdir()
        if ready:
            (tmp_path / name / "READY").write_text("")
    (tmp_path / "stray.pdf").write_bytes(b"")
    assert [p.name for p in ready_batches(tmp_path)] == ["b2", "b10"]
    assert ready_batches(tmp_path / "missing") == []


def test_batch_with_failed_dossiers_stays_in_the_inbox(tmp_path):
    batch = tmp_path / "inbox" / "b1"
    batch.mkdir(parents=True)
    summary = {"failed": 1, "dossiers": 2}
    assert settle_batch(batch, summary, tmp_path / "done", tmp_path / "quarantine") is None
    assert batch.exists() and json.loads((batch / "RESULT.json").read_text())["failed"] == 1


def test_nightly_flow_ingests_ready_batches_and_moves_them_to_done(generated, truth, home, prefect_api):
    from sohoa.flows.nightly import nightly_inbox

    inbox = home / "inbox"
    ready = copy_batch(generated, inbox / "2026-11-28", [truth["dossiers"][0]["source"]])
    (ready / "READY").write_text("")
    waiting = copy_batch(generated, inbox / "2026-11-29", [truth["dossiers"][1]["source"]])
    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        results = nightly_inbox(str(inbox))
    assert [r["batch"] for r in results] == ["2026-11-28"] and results[0]["ok"]
    done = home / "done" / "2026-11-28"
    assert done.is_dir() and not ready.exists()
    assert json.loads((done / "RESULT.json").read_text())["archived"] == 1
    assert waiting.exists() and not (home / "done" / "2026-11-29").exists()
