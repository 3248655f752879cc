"""Recognition on ten real scanned government decisions (../shared/corpora/real-scans), through
`sohoa ingest`, against their hand-made ground truth. Floors catch a regression; the figures, and
which half was tuned on, are in `python -m bench.real_scans`'s report."""
import pytest

from bench.real_scans import DEFAULT_CORPUS, run

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (DEFAULT_CORPUS / "truth.json").is_file(),
                                 reason="../shared/corpora/real-scans is not here")]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return run(DEFAULT_CORPUS, tmp_path_factory.mktemp("real-scans"))


def test_every_scan_is_archived_as_one_document(results):
    assert results["ingest"]["returncode"] == 0
    assert len(results["documents_found"]) == results["files"] == 10
    assert all(count == 1 for count in results["documents_found"].values()), results["documents_found"]


def test_fields_stay_above_the_floors(results):
    found = results["all"]["sohoa"]
    floors = {"type_name": 0.9, "issued_date": 0.7, "organ_name": 0.9, "subject": 0.7, "signer_name": 0.7,
              "signer_position": 0.5}  # the titles under a seal printed in black
    for name, floor in floors.items():
        assert found["accuracy"][name] >= floor, (name, results["misses"]["sohoa"])
    # A key field is right or sent to review, never wrong unflagged (numbers written by hand are misread alike
    # by every reading: they are always flagged).
    assert found["code_right_or_flagged"] == 1.0, results["misses"]["sohoa"]
    assert found["silent_key_errors"] == 0, results["misses"]["sohoa"]


def test_page_text_is_better_than_raw_tesseract(results):
    found = results["all"]
    assert found["sohoa"]["page1_cer"] <= 0.09
    assert found["sohoa"]["page1_cer"] < found["tesseract"]["page1_cer"]


def test_report_names_the_held_out_half(results):
    assert results["held_out"]["sohoa"]["files"] == 5 and results["tuning"]["sohoa"]["files"] == 5
    assert all("[tuning]" in miss or "[held out]" in miss for miss in results["misses"]["sohoa"])
