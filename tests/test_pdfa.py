"""Two-layer PDF/A-2b built from a real OCR of a rendered page, checked by veraPDF and poppler."""
import datetime as dt
import os
import random
import re
import struct
import subprocess
import time

import numpy as np
import pikepdf
import pytest
from PIL import Image

from sohoa.archive.class_sharing import archive_path
from sohoa.archive.pdfa import build_pdfa
from sohoa.archive.validate import validate_pdfa, verapdf_installed
from sohoa.archive.verapdf_server import stop_servers
from sohoa.classifiers.doctypes import by_name
from sohoa.core.model import RecognizedPage
from sohoa.core.page_text import PageText
from sohoa.core.settings import Settings
from sohoa.ocr.tesseract import TesseractEngine
from sohoa.pipeline.analysis import analyse_dossier
from sohoa.pipeline.ingest import pdfa_files
from sohoa.pipeline.intake import load_page, read_dossier
from sohoa.pipeline.recognize import keep_archival_image, recognize_page
from sohoa.synth.content import make_document
from sohoa.synth.degrade import ScanDefects, apply_defects
from sohoa.synth.fonts import available_families
from sohoa.synth.render import DocumentRenderer

from tests.sample_pdfa import grey_pdfa

VERAPDF = Settings.from_env().verapdf_lib

WHEN = dt.datetime(2026, 11, 29, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """A two-page Quyết định, skewed and bordered, recognised for real."""
    tmp = tmp_path_factory.mktemp("pdfa")
    rng = random.Random(21)
    spec = make_document(rng, 2024, by_name("Quyết định"), long_body=True)
    images = DocumentRenderer(spec, 200, available_families()[1], rng).render()
    folder = tmp / "HS-PDF"
    folder.mkdir()
    for n, image in enumerate(images, 1):
        scan = apply_defects(image, 200, ScanDefects(skew_deg=1.5, border_mm=5, jpeg_quality=80), rng)
        scan.save(folder / f"{n}.jpg", quality=85, dpi=(200, 200))
    source = read_dossier(folder, 100_000_000)
    work = tmp / "work"
    work.mkdir()
    engines = (TesseractEngine(), TesseractEngine("eng"))
    return spec, [recognize_page(ref, work, *engines) for ref in source.pages]


@pytest.fixture(scope="module")
def pdf_path(pages, tmp_path_factory):
    path = tmp_path_factory.mktemp("out") / "HS-PDF.1.pdf"
    path.write_bytes(build_pdfa(pages[1], "HS-PDF.1", WHEN))
    return path


def test_verapdf_judges_it_pdfa_2b(pdf_path):
    assert verapdf_installed(VERAPDF), "veraPDF missing: ./bootstrap.sh test installs it"
    assert validate_pdfa([pdf_path], VERAPDF) == {pdf_path.name: True}


def test_verapdf_starts_from_its_shared_class_archive_and_a_damaged_one_changes_no_verdict(pdf_path, tmp_path,
                                                                                          monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    abandoned = archive_path(VERAPDF).with_suffix(".jsa.0f1e")  # written as a killed validator's JVM ended
    abandoned.write_bytes(b"\0" * 4096)
    os.utime(abandoned, (time.time() - 3600, time.time() - 3600))
    stop_servers()
    assert validate_pdfa([pdf_path], VERAPDF) == {pdf_path.name: True}
    stop_servers()
    [archive] = (tmp_path / "sohoa").iterdir()  # written by the first server at its end, under its final name only
    assert archive == archive_path(VERAPDF) and archive.stat().st_size > 1_000_000
    archive.chmod(0o644)
    archive.write_bytes(b"\0" * 4096)  # the JVM checks the archive and starts without a damaged one
    assert validate_pdfa([pdf_path], VERAPDF) == {pdf_path.name: True}
    stop_servers()
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(pdf_path))  # a home where no cache folder can be made
    assert archive_path(VERAPDF) is None and validate_pdfa([pdf_path], VERAPDF) == {pdf_path.name: True}
    stop_servers()


def test_text_layer_gives_the_words_back(pages, pdf_path):
    spec, _ = pages
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True).stdout
    for expected in (spec.signer_name, f"{spec.code_number}/{spec.code_notation}", "QUYẾT ĐỊNH",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert expected in text


def test_invisible_words_lie_over_their_ink(pages, pdf_path, tmp_path):
    """Each word's box in the PDF covers dark pixels of the page image it describes."""
    _, recognized = pages
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf_path), "-"],
                          capture_output=True, text=True).stdout
    subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-png", str(pdf_path), str(tmp_path / "p")],
                   check=True)
    page = np.asarray(Image.open(next(tmp_path.glob("p*.png"))).convert("L"))

    boxes = [tuple(float(v) for v in m) for m in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">[^<]{4,}<', bbox)]
    assert len(boxes) > 100
    inked = sum(1 for x0, y0, x1, y1 in boxes
                if (page[int(y0):int(y1) + 1, int(x0):int(x1) + 1] < 128).any())
    assert inked / len(boxes) > 0.97


def test_same_inputs_give_the_same_bytes(pages):
    _, recognized = pages
    assert build_pdfa(recognized, "HS-PDF.1", WHEN) == build_pdfa(recognized, "HS-PDF.1", WHEN)


def test_pages_within_the_page_limit_are_built_whatever_pillows_own_limit(pages, monkeypatch):
    """The archival images passed intake under SOHOA_MAX_PAGE_PIXELS (100 Mpx by default); Pillow's own limit in
    the command's process (89 Mpx, refusing at twice that) must not refuse them when the PDF/A is built."""
    _, recognized = pages
    documents = [doc for doc, _ in analyse_dossier("HS-PDF", recognized, 0.8)]
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", recognized[0].width * recognized[0].height // 3)
    with pytest.raises(Image.DecompressionBombError):
        build_pdfa(recognized, "HS-PDF.1", WHEN)
    assert [pdf[:5] for pdf in pdfa_files(documents, WHEN, Settings.max_page_pixels)] == [b"%PDF-"]


def test_no_wall_clock_time_inside(pdf_path):
    # A resumed ingest rebuilds a PDF later and must get the bytes already stored: the colour
    # profile's header date (stamped with the current time by LittleCMS) must be fixed.
    with pikepdf.open(pdf_path) as pdf:
        profile = pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()
    stamped = dt.datetime(*struct.unpack(">6H", profile[24:36]))
    assert abs(dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - stamped) > dt.timedelta(days=1)


def test_archival_jpeg_is_embedded_unchanged(pages, pdf_path):
    import pikepdf
    _, recognized = pages
    with pikepdf.open(pdf_path) as pdf:
        image = pdf.pages[0].Resources.XObject.Im0
        assert image.Filter == "/DCTDecode"
        assert image.read_raw_bytes() == recognized[0].archival_image.read_bytes()


def test_a_broken_pdf_is_reported_not_compliant(tmp_path):
    bad = tmp_path / "plain.pdf"
    Image.new("RGB", (200, 200), "white").save(bad, "PDF")
    assert validate_pdfa([bad], VERAPDF) == {"plain.pdf": False}


def test_grey_scans_are_pdfa_2b_too(tmp_path):
    pdf = tmp_path / "grey.pdf"
    pdf.write_bytes(grey_pdfa(tmp_path, "grey"))
    assert validate_pdfa([pdf], VERAPDF) == {"grey.pdf": True}
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Hồ sơ" in text


def test_a_pdf_that_fails_pdfa_is_flagged_for_review_and_its_validation_logged_as_a_failure(tmp_path, monkeypatch):
    from sohoa.archive.validate import check_pdfa
    from sohoa.core.errors import ValidatorMissing
    from sohoa.core.model import DossierSource
    from sohoa.pipeline.ingest import pdfa_review
    from sohoa.pipeline.packaging import ingest_events

    plain = tmp_path / "plain.pdf"
    Image.new("RGB", (200, 200), "white").save(plain, "PDF")
    verdict, = check_pdfa([plain.read_bytes()], "on", VERAPDF)
    assert verdict.valid is False and verdict.validator.startswith("veraPDF 1.")
    assert re.search(r"failed ISO 19005-2 rules \d+\.\d", verdict.detail), verdict.detail
    record = {"doc_id": "HS.1", "needs_review": False, "review_reasons": [],
              "pdf": {"key": "dossiers/HS/aip/representations/rep1/data/HS.1.pdf", "sha256": "0" * 64}}
    pdfa_review(record, verdict)
    assert record["needs_review"] and record["review_reasons"][0].startswith("PDF/A-2b validation failed (veraPDF")
    assert record["pdfa"]["valid"] is False
    source = DossierSource("HS", plain, "pdf", [], "f" * 64)
    validation = [e for e in ingest_events(source, [record], [verdict], None, "2026-01-01T00:00:00+07:00", "me@host")
                  if e.type == "validation"]
    assert [(e.outcome, e.agent) for e in validation] == [("failure", verdict.validator)]

    skipped, = check_pdfa([plain.read_bytes()], "off", VERAPDF)
    assert skipped.valid is None and "not validated" in skipped.detail
    with pytest.raises(ValidatorMissing):
        check_pdfa([plain.read_bytes()], "on", tmp_path / "nowhere")
    assert check_pdfa([plain.read_bytes()], "auto", tmp_path / "nowhere")[0].valid is None


def scanner_layout(path):
    """As a bilevel scanner writes it: the image at the page's resolution, the graphics state saved round it."""


def signed_scan_layout(path):
    """As signed government scans are: an image a little finer than the page, placed without saving the state."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        width, height = float(page.mediabox[2]) * 0.99, float(page.mediabox[3]) * 0.995
        page.MediaBox = [0, 0, width, height]
        page.Contents = pdf.make_stream(f"{width:.2f} 0 0 {height:.2f} 0 0 cm /image Do".encode())
        pdf.save(path)


@pytest.mark.parametrize("layout", [scanner_layout, signed_scan_layout])
def test_a_bilevel_scan_keeps_its_fax_data_bit_for_bit_and_looks_as_its_source(tmp_path, layout):
    # lossless and as small as scanned, where a JPEG of it would be ten times its size
    scan = Image.new("1", (1654, 2339), 1)
    scan.paste(0, (100, 100, 500, 300))
    scan.save(tmp_path / "scan.pdf", "PDF", resolution=200)
    layout(tmp_path / "scan.pdf")
    ref = read_dossier(tmp_path / "scan.pdf", 100_000_000).pages[0]
    image, dpi, _ = load_page(ref)
    archival = keep_archival_image(ref, image, tmp_path)
    page = RecognizedPage(1, ref.source_name, dpi, False, *image.size, archival, PageText(*image.size),
                          [[1, 0, 0], [0, 1, 0]], 0.0, 0.0)
    pdf_path = tmp_path / "HS.1.pdf"
    pdf_path.write_bytes(build_pdfa([page], "HS.1", WHEN))
    with pikepdf.open(tmp_path / "scan.pdf") as source, pikepdf.open(pdf_path) as pdf:
        embedded = pdf.pages[0].Resources.XObject.Im0
        assert embedded.Filter == "/CCITTFaxDecode"
        assert embedded.read_raw_bytes() == next(iter(source.pages[0].images.values())).read_raw_bytes()
        boxes = zip(pdf.pages[0].mediabox, source.pages[0].mediabox)
        assert all(abs(float(a) - float(b)) <= 72 / dpi for a, b in boxes)  # the same page, to a pixel
    assert validate_pdfa([pdf_path], VERAPDF) == {pdf_path.name: True}
    shown = {}
    for name in ("scan", "HS.1"):
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(tmp_path / f"{name}.pdf"),
                        str(tmp_path / f"{name}-shown")], check=True)
        shown[name] = np.asarray(Image.open(tmp_path / f"{name}-shown-1.pgm")) < 128
    assert shown["HS.1"].shape == shown["scan"].shape and np.mean(shown["HS.1"] != shown["scan"]) < 0.001


def test_a_bilevel_tiff_page_is_kept_losslessly_as_fax_data(tmp_path):
    scan = Image.new("1", (1654, 2339), 1)
    scan.paste(0, (100, 100, 500, 300))
    scan.save(tmp_path / "scan.tif", compression="group4", dpi=(200, 200))
    ref = read_dossier(tmp_path / "scan.tif", 100_000_000).pages[0]
    image, dpi, _ = load_page(ref)
    archival = keep_archival_image(ref, image, tmp_path)
    with Image.open(archival) as kept:
        assert (archival.suffix, kept.info["compression"]) == (".tif", "group4")
        assert np.array_equal(np.asarray(kept.convert("L")), np.asarray(scan.convert("L")))
    page = RecognizedPage(1, ref.source_name, dpi, False, *image.size, archival, PageText(*image.size),
                          [[1, 0, 0], [0, 1, 0]], 0.0, 0.0)
    pdf_path = tmp_path / "HS.1.pdf"
    pdf_path.write_bytes(build_pdfa([page], "HS.1", WHEN))
    assert validate_pdfa([pdf_path], VERAPDF) == {pdf_path.name: True}
    subprocess.run(["pdftoppm", "-r", "200", "-gray", str(pdf_path), str(tmp_path / "shown")], check=True)
    shown = np.asarray(Image.open(tmp_path / "shown-1.pgm")) < 128
    assert np.mean(shown != (np.asarray(scan.convert("L")) < 128)) < 0.001  # black on white, as scanned
