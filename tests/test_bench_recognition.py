"""The recognition benchmark's small mode: a hard generated corpus through `sohoa ingest` and raw
Tesseract, with loose floors that catch a regression. The OCRmyPDF baseline (five minutes on this
corpus) and the full mode's figures belong in the benchmark runs and the closing notes, not here."""
import json

import pytest

from bench.recognition import run
from bench.side_by_side import side_by_side

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    return out, run(out, "small", with_ocrmypdf=False)


def test_text_is_far_better_than_raw_tesseract(bench):
    _, results = bench
    text = results["text"]
    assert text["sohoa"]["cer"] <= 0.03 and text["sohoa"]["word_f1"] >= 0.97
    assert text["sohoa"]["cer"] <= 0.5 * text["tesseract"]["cer"]


def test_documents_types_and_fields_stay_above_the_floors(bench):
    _, results = bench
    fields = results["fields"]["sohoa"]
    assert results["page_types"]["sohoa"]["accuracy"] >= 0.9
    # Nine documents: one miss costs 11 points, so the floors sit well below the targets.
    floors = {"type_name": 0.85, "issued_date": 0.85, "organ_name": 0.85, "secrecy": 0.85, "urgency": 0.85,
              "code": 0.7, "subject": 0.7, "signer_name": 0.7}
    for name, floor in floors.items():
        assert fields["accuracy"][name] >= floor, (name, fields["mismatches"])
    assert fields["boundary_precision"] >= 0.9 and fields["boundary_recall"] >= 0.9
    assert fields["silent_error_rate"] <= 0.2


def test_throughput_and_memory_are_measured(bench):
    _, results = bench
    speed = results["throughput"]
    # A collapse of page parallelism, not a speed target: in small mode the ingest also pays its start and a
    # veraPDF run per dossier, and measures about 0.25 on 2 cores; pages read one at a time halve that. Its
    # flows run on the session's Prefect server, whose memory is not the ingest's.
    assert speed["ratio_to_tesseract_limit"] >= 0.12
    cpu = speed["cpu_seconds"]  # where the cores went
    assert cpu["OCR workers"] > 0 and cpu["command (flow, archiving)"] > 0 and cpu["intake probes"] > 0
    assert 0 <= speed["idle_core_seconds"] < speed["cores"] * speed["sohoa_seconds"]  # no core works past the clock
    assert results["sohoa_ingest"]["returncode"] == 0 and 0 < results["sohoa_ingest"]["peak_rss_mb"] < 1536


def test_report_has_its_charts_and_raw_numbers(bench):
    out, results = bench
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["mode"] == "small"
    page = (out / "report.html").read_text(encoding="utf-8")
    for chart in ("page_types", "fields", "text", "throughput"):
        assert (out / "charts" / f"{chart}.png").stat().st_size > 5000
        assert f'src="charts/{chart}.png"' in page
    assert "Page types" in (out / "report.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def second_family(tmp_path_factory, family_b):
    """Family B, written apart from the generator the recognition was first tuned on."""
    out = tmp_path_factory.mktemp("bench-b")
    (out / "corpus").symlink_to(family_b, target_is_directory=True)  # the benchmark reuses a corpus it finds
    return out, run(out, "small", with_ocrmypdf=False, family="b")


def test_the_second_family_stays_above_its_floors(second_family):
    out, results = second_family
    fields, text = results["fields"]["sohoa"], results["text"]
    assert results["family"].startswith("B:") and "tuned on" in results["family"]
    assert text["sohoa"]["cer"] <= 0.08 and text["sohoa"]["cer"] <= 0.5 * text["tesseract"]["cer"]
    # Ten documents, a tenth each: floors a regression falls through; the full mode's figures are the record.
    for name, floor in {"type_name": 0.6, "code": 0.6, "organ_name": 0.7, "issued_date": 0.3}.items():
        assert fields["accuracy"][name] >= floor, (name, fields["mismatches"])
    assert fields["boundary_precision"] >= 0.9 and fields["boundary_recall"] >= 0.7
    assert fields["silent_error_rate"] == 0.0, fields["mismatches"]  # whatever is missed is flagged
    pages = fields["dossier_pages"]
    assert pages["true"] > 0 and pages["right"] == pages["true"] == pages["found"]
    assert "tuned on" in (out / "report.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def held_out(tmp_path_factory, family_c):
    """Family C, typed in an office suite and printed by LibreOffice: held out, never tuned on."""
    out = tmp_path_factory.mktemp("bench-c")
    (out / "corpus").symlink_to(family_c, target_is_directory=True)
    return out, run(out, "small", with_ocrmypdf=False, family="c")


def test_the_held_out_family_stays_above_its_floors(held_out):
    out, results = held_out
    fields, text = results["fields"]["sohoa"], results["text"]
    assert results["family"].startswith("C:") and "held out" in results["family"]
    assert text["sohoa"]["cer"] <= 0.5 * text["tesseract"]["cer"]
    assert fields["silent_error_rate"] == 0.0, fields["mismatches"]  # whatever is missed is flagged
    # Seven documents: floors a regression falls through, well below the small corpus's figures.
    for name, floor in {"type_name": 0.7, "code": 0.5, "issued_date": 0.8, "organ_name": 0.5,
                        "signer_name": 0.4}.items():
        assert fields["accuracy"][name] >= floor, (name, fields["mismatches"])
    assert "held out" in (out / "report.md").read_text(encoding="utf-8")


def test_the_families_are_reported_side_by_side_saying_which_is_held_out(bench, held_out):
    (own, results), (other, _) = bench, held_out
    report = side_by_side({"a": own, "c": other}, None)
    assert "family C: office documents" in report and "(held out" in report and "(tuned on)" in report
    organ = next(line for line in report.splitlines() if line.startswith("| organ |"))
    assert organ.count("%") == 5 and organ.endswith("≥ 93 % |")  # sohoa and raw for each family, the target
    assert f"{100 * results['fields']['sohoa']['accuracy']['organ_name']:.1f} %" in organ
