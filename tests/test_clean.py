"""OpenCV cleanup on rendered Decree 30 pages with known defects."""
import random

import cv2
import numpy as np
import pytest

from sohoa.classifiers.doctypes import by_name
from sohoa.ocr.clean import clean_page, estimate_skew, ink_masks, work_copy
from sohoa.synth.content import make_document
from sohoa.synth.degrade import ScanDefects, apply_defects
from sohoa.synth.fonts import available_families
from sohoa.synth.render import RED, DocumentRenderer


@pytest.fixture(scope="module")
def clean_first_page():
    rng = random.Random(5)
    spec = make_document(rng, 2024, by_name("Quyết định"))
    return DocumentRenderer(spec, 150, available_families()[0], rng).render()[-1]


@pytest.mark.parametrize("angle", [-2.5, -1.0, 0.7, 2.2])
def test_skew_is_measured_and_undone(clean_first_page, angle):
    scan = apply_defects(clean_first_page, 150, ScanDefects(skew_deg=angle), random.Random(1))
    cleaned = clean_page(np.asarray(scan))
    # The cleanup turns the page back by the angle the scanner turned it.
    assert cleaned.skew_deg == pytest.approx(-angle, abs=0.3)


def test_skew_is_measured_on_a_page_whose_text_runs_off_its_edges(clean_first_page):
    """Ink at the frame's edges leaves the frame when the page is turned: it must be left out, not counted
    in rows that are not there."""
    scan = apply_defects(clean_first_page, 150, ScanDefects(skew_deg=2.2), random.Random(1))
    grey = np.asarray(scan.convert("L"))
    h, w = grey.shape
    inner = np.ascontiguousarray(grey[h // 8:h // 2, w // 4:w - w // 4])
    assert (inner[:, :3] < 128).any() and (inner[:, -3:] < 128).any()
    assert estimate_skew(work_copy(inner)) == pytest.approx(-2.2, abs=0.3)


def test_dark_scanner_border_is_cropped_and_whitened(clean_first_page):
    scan = apply_defects(clean_first_page, 150, ScanDefects(border_mm=10), random.Random(2))
    cleaned = clean_page(np.asarray(scan))
    x0, y0, x1, y1 = cleaned.crop
    assert (x1 - x0, y1 - y0) < scan.size or (x0, y0) != (0, 0)
    edges = np.concatenate([cleaned.image[:5].ravel(), cleaned.image[-5:].ravel(),
                            cleaned.image[:, :5].ravel(), cleaned.image[:, -5:].ravel()])
    assert np.mean(edges < 80) < 0.02


def test_red_seal_ink_is_removed_from_the_ocr_copy_but_black_text_stays():
    page = np.full((300, 600, 3), 255, np.uint8)
    cv2.circle(page, (150, 150), 100, RED, 6)
    cv2.putText(page, "TEXT", (330, 170), cv2.FONT_HERSHEY_SIMPLEX, 2, (20, 20, 20), 5)
    coloured, _ = ink_masks(page)
    assert coloured[50, 150]  # on the ring
    cleaned = clean_page(page)
    ring = cleaned.image[40:60, 140:160]
    text = cleaned.image[120:175, 330:530]
    assert ring.min() > 200
    assert (text < 100).sum() > 500


def test_to_source_maps_ocr_pixels_back_onto_the_scan(clean_first_page):
    scan = apply_defects(clean_first_page, 150, ScanDefects(skew_deg=2.0, border_mm=6), random.Random(3))
    cleaned = clean_page(np.asarray(scan))
    h, w = cleaned.image.shape
    centre = cleaned.to_source @ np.array([w / 2, h / 2, 1.0])
    x0, y0, x1, y1 = cleaned.crop
    assert centre == pytest.approx([(x0 + x1) / 2, (y0 + y1) / 2], abs=2)


def test_blank_page_has_almost_no_ink():
    scan = apply_defects(__import__("PIL.Image", fromlist=["Image"]).new("RGB", (1240, 1754), "white"), 150,
                         ScanDefects(noise=5, paper_tone=(240, 236, 226), light_falloff=0.1), random.Random(4))
    assert clean_page(np.asarray(scan)).ink_ratio < 0.005


def test_a_grey_scan_is_cleaned_as_its_colour_copy_would_be(clean_first_page):
    scan = apply_defects(clean_first_page, 150, ScanDefects(skew_deg=1.2, border_mm=6), random.Random(6))
    grey = np.asarray(scan.convert("L"))
    from_grey, from_colour = clean_page(grey), clean_page(np.dstack([grey] * 3))
    assert from_grey.skew_deg == from_colour.skew_deg and from_grey.crop == from_colour.crop
    assert np.array_equal(from_grey.image, from_colour.image)
    assert np.array_equal(from_grey.header_with_pen, from_colour.header_with_pen)
