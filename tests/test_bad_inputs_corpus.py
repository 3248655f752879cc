"""Hostile and malformed files collected from other projects' test suites (../shared): intake gives
every one a verdict, a dossier or a rejection with a reason, without crashing or hanging."""
import shutil

import pytest

from sohoa.core.model import DossierSource, Rejection
from sohoa.pipeline.probe import probe_dossier

from tests.conftest import SHARED

CORPUS = SHARED / "corpora" / "bad-inputs"
SCAN_SUFFIXES = {".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".png", ".gif"}
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix.lower() in SCAN_SUFFIXES) \
    if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpora/bad-inputs is not here")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_hostile_file_gets_a_verdict(path, tmp_path):
    if path.suffix.lower() in {".pdf", ".tif", ".tiff"}:
        dossier = path  # a dossier file by itself
    else:
        dossier = tmp_path / "dossier"
        dossier.mkdir()
        shutil.copy(path, dossier / path.name)  # a copy: a link out of the batch is refused for that alone
    result = probe_dossier(dossier, 100_000_000)
    assert isinstance(result, (DossierSource, Rejection))
    if isinstance(result, Rejection):
        assert result.reason and result.file


@pytest.mark.parametrize("name, cause", [
    ("pillow__decompression_bomb.gif", "decompression bomb"),
    ("qpdf__encrypted-40-bit-R3__userpw-623.pdf", "encrypted"),
    ("qpdf__pages-loop.pdf", "damaged"),
    ("handbuilt__T01_006_header-invalid-syntax-no-pdf.pdf", "not a pdf"),
    ("pillow__crash-0c7e0e8e11ce787078f00b5b0ca409a167f070e0.tif", "corrupt"),
])
def test_known_hostile_files_are_rejected_for_the_right_reason(name, cause, tmp_path):
    path = next(p for p in FILES if p.name == name)
    if path.suffix == ".gif":  # GIF is no scan format: present it as a page named .png
        (tmp_path / "d").mkdir()
        shutil.copy(path, tmp_path / "d" / "0001.png")
        path = tmp_path / "d"
    result = probe_dossier(path, 100_000_000)
    assert isinstance(result, Rejection) and cause in result.reason.lower()
