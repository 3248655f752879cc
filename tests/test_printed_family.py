"""Family B of the generator: HTML printed by a real Chromium, scanned three ways, with ground truth
read back from the printed PDF's own text."""
import json

import pytest
from PIL import Image

from sohoa.synth.printed.batch import truth_text


@pytest.fixture(scope="module")
def batch(family_b):
    return family_b, json.loads((family_b / "truth.json").read_text(encoding="utf-8"))


def test_each_scanner_writes_its_format(batch):
    out, truth = batch
    assert [(d["scan"], d["format"]) for d in truth["dossiers"]] == [
        ("bilevel", "pdf"), ("bilevel", "pdf"), ("photocopy", "tiff-multipage"), ("colour", "jpeg-folder")]
    with Image.open(out / "batch" / truth["dossiers"][2]["source"]) as tiff:
        assert tiff.n_frames == truth["dossiers"][2]["page_count"] and tiff.mode == "L"
    assert json.loads((out / "truth.json").read_text(encoding="utf-8")) == truth


def test_whole_dossiers_open_with_a_cover_and_a_table_of_contents(batch):
    _, truth = batch
    whole = [d for d in truth["dossiers"] if any(p["kind"] == "cover" for p in d["pages"])]
    assert 0 < len(whole) < len(truth["dossiers"])  # the corpus has whole dossiers and loose documents
    for dossier in whole:
        kinds = [p["kind"] for p in dossier["pages"]]
        assert kinds[:3] == ["cover", "toc", "first"]
        assert "HỒ SƠ" in dossier["pages"][0]["text"].splitlines()
        listed = dossier["pages"][1]["text"]
        for doc in dossier["documents"]:
            if doc["kind"] == "document":
                assert f"{doc['code_number']}/{doc['code_notation']}" in listed


def test_the_truth_is_what_was_printed(batch):
    _, truth = batch
    for dossier in truth["dossiers"]:
        pages = {p["number"]: p for p in dossier["pages"]}
        for doc in dossier["documents"]:
            first = pages[doc["pages"][0]]["text"]
            if doc["kind"] == "attachment":
                assert doc["title"] in first
                continue
            assert doc["organ_name"].split()[-1] in first and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
            assert f"Số: {doc['code_number']}/{doc['code_notation']}" in first  # pen-written digits put back
            assert doc["signer_name"] in "\n".join(pages[n]["text"] for n in doc["pages"])


def test_digits_written_by_pen_are_put_back_into_the_printed_line():
    lines = [("Số:", (100, 80, 120, 92)), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", (300, 60, 520, 72)),
             ("Hà Nội, ngày", (330, 81, 400, 93)), ("/QĐ-UBND", (140, 80, 190, 92)),
             ("tháng 9 năm 2024", (420, 81, 500, 93))]
    assert truth_text(lines, {"number": "15", "day": "07"}).splitlines() == [
        "Số: 15/QĐ-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Hà Nội, ngày 07 tháng 9 năm 2024"]
    assert truth_text(lines, {}).splitlines()[0] == "Số:"
