"""veraPDF kept running between files: a file it hangs on, or a server that died, costs one verdict at most."""

import pytest
from PIL import Image

from sohoa.archive import verapdf_server
from sohoa.archive.validate import run_verapdf, verapdf_installed
from sohoa.archive.verapdf_server import server_for, stop_servers
from sohoa.core.settings import Settings

from tests.sample_pdfa import grey_pdfa

VERAPDF = Settings.from_env().verapdf_lib


@pytest.fixture
def pdfa(tmp_path):
    assert verapdf_installed(VERAPDF), "veraPDF missing: ./bootstrap.sh test installs it"
    path = tmp_path / "HS.1.pdf"
    path.write_bytes(grey_pdfa(tmp_path))
    yield path
    stop_servers()


@pytest.fixture
def plain(tmp_path):
    """A PDF that is not PDF/A: a verdict of its own, so that an answer given to the wrong file shows."""
    path = tmp_path / "plain.pdf"
    Image.new("RGB", (200, 200), "white").save(path, "PDF")
    return path


def judged(paths: list) -> list:
    return [v.valid for v in run_verapdf(paths, VERAPDF)]


def test_one_server_answers_file_after_file_and_leaves_no_report_behind(pdfa, plain):
    stop_servers()
    assert judged([pdfa, plain, pdfa, plain]) == [True, False, True, False]
    server = server_for(VERAPDF, "2b")
    process, reports = server._process, server._reports
    assert judged([pdfa]) == [True] and server._process is process  # the same JVM, still warm
    assert list(reports.glob("*.xml")) == []  # each report read and removed (veraPDF's own log stays till the end)
    stop_servers()
    assert process.returncode is not None and not reports.exists()


def test_a_file_the_server_hangs_on_is_not_passed_and_the_next_file_gets_its_own_verdict(pdfa, plain, monkeypatch):
    assert judged([pdfa]) == [True]
    process = server_for(VERAPDF, "2b")._process
    monkeypatch.setattr(verapdf_server, "FILE_TIMEOUT_S", 0.001)
    hung, = run_verapdf([pdfa], VERAPDF)
    assert hung.valid is False and "veraPDF stopped on HS.1.pdf: no answer within" in hung.detail
    monkeypatch.undo()
    assert judged([plain, pdfa]) == [False, True]  # not the late answer on HS.1.pdf
    assert process.returncode is not None and server_for(VERAPDF, "2b")._process is not process


def test_a_server_that_died_between_files_is_started_again(pdfa):
    assert judged([pdfa]) == [True]
    process = server_for(VERAPDF, "2b")._process
    process.kill()
    process.wait()
    assert judged([pdfa]) == [True]


def test_a_name_the_server_would_read_as_two_lines_or_a_missing_file_gets_no_pass(pdfa, tmp_path):
    split = tmp_path / "HS.1\nHS.2.pdf"
    split.write_bytes(pdfa.read_bytes())
    missing = tmp_path / "gone.pdf"
    verdicts = run_verapdf([split, missing, pdfa], VERAPDF)
    assert [v.valid for v in verdicts] == [False, False, True]
    assert "line break" in verdicts[0].detail and "no report on gone.pdf" in verdicts[1].detail
