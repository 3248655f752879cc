"""A received stamp on a grey scan: its mid-grey ink is lifted off the date line it lands on, the print
stays, and light ink that no frame runs round is left alone."""
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from sohoa.core.text import fold
from sohoa.ocr.grey_stamps import PRINT_LEVEL, grey_stamp_frames, without_stamps
from sohoa.ocr.tesseract import TesseractEngine
from sohoa.synth.fonts import available_families

DPI = 200
DATE = "Ninh Bình, ngày 16 tháng 12 năm 2024"
STAMP_GREY = 150  # a red stamp's ink as a grey scanner or a photocopier prints it


def font(style: str, points: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(available_families()[0].files[style], round(points / 72 * DPI))


def page_with(stamp: Image.Image | None = None, at: tuple[int, int] = (0, 0)) -> np.ndarray:
    """A grey header strip with the date line in black print, and a stamp laid over it."""
    page = Image.new("L", (1600, 500), 255)
    ImageDraw.Draw(page).text((300, 150), DATE, font=font("italic", 14), fill=0)
    if stamp is not None:
        page.paste(Image.new("L", stamp.size, STAMP_GREY), at, mask=stamp)
    return np.asarray(page)


def received_stamp(angle: float) -> Image.Image:
    """The stamp's ink as a mask: a frame of about 50 by 23 mm round "ĐẾN", "Số:" and "Ngày:", askew."""
    ink = Image.new("L", (400, 180), 0)
    draw = ImageDraw.Draw(ink)
    draw.rectangle((4, 4, 395, 175), outline=255, width=4)
    draw.text((30, 18), "VĂN PHÒNG ỦY BAN NHÂN DÂN", font=font("bold", 10), fill=255)
    draw.text((25, 80), "ĐẾN", font=font("bold", 22), fill=255)
    draw.text((170, 70), "Số: ......", font=font("bold", 9), fill=255)
    draw.text((170, 120), "Ngày: .../.../2024", font=font("bold", 9), fill=255)
    return ink.rotate(angle, expand=True, fillcolor=0)


@pytest.fixture(scope="module")
def engine():
    return TesseractEngine("vie")


@pytest.mark.parametrize("angle", [0.0, 3.0])
def test_a_grey_received_stamp_over_the_date_line_is_lifted_and_the_date_is_read(engine, angle):
    scanned = page_with(received_stamp(angle), at=(780, 110))
    frames = grey_stamp_frames(scanned, DPI)
    assert len(frames) == 1
    lifted = without_stamps(scanned, frames)
    # Read as extraction reads a date, on its letters: inside the frame print keeps only its dark core, and a
    # mark may go with its soft edge ("nắm").
    assert fold(engine.recognize(lifted, DPI).text) == fold(DATE)
    assert fold(engine.recognize(scanned, DPI).text) != fold(DATE)  # what the stamp does to the reading otherwise
    assert np.count_nonzero((lifted >= PRINT_LEVEL) & (lifted < 220)) < 0.1 * np.count_nonzero(
        (scanned >= PRINT_LEVEL) & (scanned < 220))
    assert np.array_equal(lifted < PRINT_LEVEL, scanned < PRINT_LEVEL)  # the print is untouched


def test_light_ink_no_frame_runs_round_is_left_alone():
    light = Image.new("L", (400, 180), 0)
    draw = ImageDraw.Draw(light)
    for row in range(4):  # a faded paragraph, as big as a stamp
        draw.text((5, 5 + 42 * row), "Ủy ban nhân dân tỉnh đã thống nhất", font=font("regular", 12), fill=255)
    seal = Image.new("L", (300, 300), 0)
    ImageDraw.Draw(seal).ellipse((5, 5, 295, 295), outline=255, width=6)  # a round seal
    for ink, at in ((light, (780, 110)), (seal, (900, 100))):
        scanned = page_with(ink, at)
        assert grey_stamp_frames(scanned, DPI) == []


def test_the_page_reading_of_a_grey_scan_has_the_stamp_lifted(engine):
    from pathlib import Path

    from sohoa.classifiers.layout import letters_only
    from sohoa.core.model import RecognizedPage
    from sohoa.core.page_text import PageText
    from sohoa.pipeline.recognize import IDENTITY, read_scan

    scan = np.full((2339, 1654), 255, np.uint8)  # an A4 page at 200 dpi, the header strip at its top
    scan[100:600, :1600] = page_with(received_stamp(2.0), at=(780, 110))
    page = RecognizedPage(number=1, source_name="", dpi=DPI, dpi_estimated=False, width=1654, height=2339,
                          archival_image=Path(), text=PageText(0, 0), to_source=IDENTITY, skew_deg=0.0, ink_ratio=0.0)
    secret = Image.new("L", (260, 110), 0)  # a secrecy stamp, as big as a received one is
    ImageDraw.Draw(secret).rectangle((3, 3, 256, 106), outline=255, width=4)
    ImageDraw.Draw(secret).text((45, 12), "MẬT", font=font("bold", 24), fill=255)
    scan[1000:1110, 200:460][np.asarray(secret) > 0] = STAMP_GREY
    read_scan(page, scan, DPI, engine, TesseractEngine("eng"))
    assert fold(DATE) in fold(page.text.text)
    # Lifted off the page, the stamp still marks it, read as extraction reads a stamp's word.
    assert "mat" in [letters_only(fold(stamp["text"])) for stamp in page.stamps]
