"""Family C of the generator: documents typed in an office suite and printed by a real LibreOffice, marked by
hand on the page image, scanned three ways, with ground truth read back from the printed PDF's own text."""
import json

import numpy as np
import pytest
from PIL import Image

from sohoa.pipeline.intake import read_dossier
from sohoa.synth.office.batch import print_all


@pytest.fixture(scope="module")
def batch(family_c):
    return family_c, json.loads((family_c / "truth.json").read_text(encoding="utf-8"))


def test_each_scanner_writes_its_format_and_intake_reads_it(batch):
    out, truth = batch
    assert [(d["scan"], d["format"], d["dpi"]) for d in truth["dossiers"]] == [
        ("grey", "pdf", 300), ("bilevel", "tiff-multipage", 300), ("colour", "png-folder", 200),
        ("grey", "pdf", 300)]
    with Image.open(out / "batch" / truth["dossiers"][1]["source"]) as tiff:
        assert tiff.n_frames == truth["dossiers"][1]["page_count"] and tiff.mode == "1"
        assert tiff.info["compression"] == "group4"
    for dossier in truth["dossiers"]:
        source = read_dossier(out / "batch" / dossier["source"], 10**9)
        assert len(source.pages) == dossier["page_count"] == len(dossier["pages"])


def test_the_truth_is_what_was_printed_and_nothing_put_by_hand(batch):
    _, truth = batch
    for dossier in truth["dossiers"]:
        pages = {p["number"]: p for p in dossier["pages"]}
        for doc in dossier["documents"]:
            first = pages[doc["pages"][0]]["text"]
            assert doc["organ_name"].split()[-1] in first and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
            assert f"{doc['code_number']}/{doc['code_notation']}" in first.replace(" /", "/")
            text = "\n".join(pages[n]["text"] for n in doc["pages"])
            assert doc["signer_name"] in text and doc["signer_position"] in text
            assert "ĐẾN" not in text.split() and "Chuyển:" not in text  # the received stamp is not print
            assert doc["signed_and_sealed"]  # the signature block is never split by a page break


def test_the_seal_and_signature_are_inked_between_the_position_and_the_name(batch):
    out, truth = batch
    dossier = next(d for d in truth["dossiers"] if d["scan"] == "colour")
    printed = {p["number"] for p in dossier["pages"] if p["kind"] != "blank"}
    last = [n for n in dossier["documents"][0]["pages"] if n in printed][-1]
    pixels = np.asarray(Image.open(out / "batch" / dossier["source"] / f"{last:03d}.png").convert("RGB"), np.int16)
    red = (pixels[..., 0] - pixels[..., 2] > 60) & (pixels[..., 0] - pixels[..., 1] > 60)
    blue = (pixels[..., 2] - pixels[..., 0] > 60)
    assert red.sum() > 2000 and blue.sum() > 500  # the seal's red ink, the signature's blue
    rows = np.flatnonzero(red.any(axis=1))
    assert rows.min() > pixels.shape[0] * 0.15  # on the signature block, not on the header


def test_a_document_libreoffice_cannot_print_is_named(tmp_path):
    (tmp_path / "good.txt").write_text("Quyết định", encoding="utf-8")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a document")
    with pytest.raises(RuntimeError, match="broken.docx"):
        print_all([tmp_path / "good.txt", tmp_path / "broken.docx"], tmp_path)
