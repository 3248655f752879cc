"""A generated batch through `sohoa ingest`, checked against its ground truth."""
import json
import re
import subprocess
from collections import Counter

import pytest

from sohoa.archive.validate import validate_pdfa
from sohoa.core.manifest import Manifest
from sohoa.core.settings import Settings
from sohoa.core.text import fold
from sohoa.synth.evaluate import evaluate

from tests.conftest import copy_batch, export_records, run_sohoa, search_page

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def records(ingested):
    home, run = ingested
    assert run.returncode == 0, run.stderr[-3000:]
    return export_records(home)


def summary_of(run: subprocess.CompletedProcess) -> dict:
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_summary_counts_every_dossier_and_page(ingested, truth):
    summary = summary_of(ingested[1])
    assert summary["archived"] == summary["dossiers"] == len(truth["dossiers"])
    assert summary["pages"] == sum(d["page_count"] for d in truth["dossiers"])
    assert summary["quarantined"] == summary["failed"] == 0
    assert summary["pages_per_minute"] > 0


def test_records_match_ground_truth(records, truth):
    report = evaluate(truth, records)
    print(json.dumps({k: v for k, v in report.items() if k != "mismatches"}, indent=1))
    assert report["dossiers_split_right"] == 1.0, report["mismatches"]
    assert report["boundary_precision"] == report["boundary_recall"] == 1.0
    accuracy = report["accuracy"]
    for name in ("type_name", "type_code", "code_number", "code_notation", "issued_date", "pages"):
        assert accuracy[name] >= 0.9, (name, report["mismatches"])
    for name in ("organ_name", "subject", "signer_name", "secrecy", "urgency"):
        assert accuracy[name] >= 0.8, (name, report["mismatches"])
    assert report["silent_error_rate"] <= 0.05, report["mismatches"]


def test_records_follow_the_export_contract(records):
    for record in records:
        assert record["doc_id"] == f"{record['file_code']}.{record['doc_ordinal']}"
        assert record["pdf"]["key"].endswith(record["doc_id"] + ".pdf")
        assert record["page_amount"] == len(record["pages"])
        assert {"number", "source", "text", "confidence", "page_class"} <= set(record["pages"][0])
        assert record["pages"][0]["page_class"] == "first"
        assert isinstance(record["needs_review"], bool)
        for name, value in record["confidence"].items():
            assert 0.0 <= value <= 1.0, name


def test_every_pdf_is_pdfa_2b_with_searchable_text(ingested, records):
    home, _ = ingested
    paths = [home / "objects" / r["pdf"]["key"] for r in records]
    verdicts = validate_pdfa(paths, Settings.from_env().verapdf_lib)
    assert verdicts == {p.name: True for p in paths}
    for record, path in zip(records, paths):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        if record["code_number"]:
            assert record["code_number"] in text
        words = [w for w in (record["subject"] or "").split() if len(w) > 3][:4]
        assert all(fold(w) in fold(text) for w in words), (record["doc_id"], words)


def test_search_without_accents_finds_the_document(ingested, records):
    home, _ = ingested
    target = next(r for r in records if r["subject"] and not r["needs_review"])
    query = fold(target["subject"])
    hits = search_page(home, query)["hits"]
    assert hits[0]["doc_id"] == target["doc_id"]
    code = f"{target['code_number']}/{target['code_notation']}"
    hits = search_page(home, code)["hits"]
    assert hits[0]["doc_id"] == target["doc_id"]


def test_search_filters(ingested, records):
    home, _ = ingested
    dated = [r for r in records if r["issued_date"]]
    target = dated[0]
    hits = search_page(home, "", "--type", fold(target["type_name"]), "--from", target["issued_date"], "--to",
                       target["issued_date"], "--limit", "100")["hits"]
    expected = {r["doc_id"] for r in dated if r["type_name"] == target["type_name"]
                and r["issued_date"] == target["issued_date"]}
    assert {h["doc_id"] for h in hits} == expected
    organ_hits = search_page(home, "", "--organ", fold(target["organ_name"]), "--limit", "100")["hits"]
    assert target["doc_id"] in {h["doc_id"] for h in organ_hits}
    assert all(fold(target["organ_name"]) in fold(h["organ_name"] or "") for h in organ_hits)


def test_search_pages_by_cursor_with_facets_and_highlights(ingested, records):
    home, _ = ingested
    first = search_page(home, "", "--sort", "dossier", "--limit", "2")
    assert first["total"] == len(records)
    types = Counter(r["type_name"] for r in records if r["type_name"])
    assert {f["value"]: f["count"] for f in first["facets"]["type"]} == dict(types.most_common(10))
    seen, page = [], first
    while True:
        seen += [h["doc_id"] for h in page["hits"]]
        if not page["cursor"]:
            break
        page = search_page(home, "", "--sort", "dossier", "--limit", "2", "--after", page["cursor"])
    assert seen == [r["doc_id"] for r in records]  # export order is dossier order too

    target = next(r for r in records if r["subject"] and not r["needs_review"])
    word = max(re.findall(r"\w+", target["subject"]), key=len)
    hit = next(h for h in search_page(home, fold(word))["hits"] if h["doc_id"] == target["doc_id"])
    subject = next(h for h in hit["highlights"] if h["field"] == "subject")
    marked = [subject["text"][a:b] for a, b in subject["marks"]]
    assert word in marked and {fold(m) for m in marked} == {fold(word)}  # shown as written, with its marks

    wrong = run_sohoa(home, "search", "something else", "--after", first["cursor"])
    assert wrong.returncode == 2 and "different search" in wrong.stderr


def test_rerun_of_the_same_batch_duplicates_nothing(ingested, records, generated, tmp_path):
    home, _ = ingested
    objects_before = sorted(p.relative_to(home) for p in (home / "objects").rglob("*") if p.is_file())
    # A run killed between a dossier's commit and its clean-up leaves its page cache behind.
    leftover = home / "work" / records[0]["file_code"] / "0123456789abcdef" / "pages"
    leftover.mkdir(parents=True)
    again = run_sohoa(home, "ingest", str(copy_batch(generated, tmp_path / "batch")), "--json")
    assert again.returncode == 0, again.stderr[-2000:]
    summary = summary_of(again)
    assert summary["already_archived"] == summary["dossiers"] and summary["archived"] == 0
    assert not (home / "work" / records[0]["file_code"]).exists()
    assert sorted(p.relative_to(home) for p in (home / "objects").rglob("*") if p.is_file()) == objects_before
    assert [r["doc_id"] for r in export_records(home)] == [r["doc_id"] for r in records]


def test_verify_finds_the_archive_intact(ingested, records):
    home, _ = ingested
    done = run_sohoa(home, "verify")
    assert done.returncode == 0, done.stderr
    committed = sum(len(Manifest.from_bytes((home / "objects" / key).read_bytes()).committed_objects())
                    for key in {f"dossiers/{r['file_code']}/manifest.json" for r in records})
    assert f"checked {committed} objects" in done.stderr and "all intact" in done.stderr
