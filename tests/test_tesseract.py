"""The Tesseract engine on real pages: blank ones, tiny ones, and its settings never leak between calls."""
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from sohoa.ocr.tesseract import TesseractEngine
from sohoa.synth.fonts import available_families


def line_image(text: str) -> np.ndarray:
    image = Image.new("L", (900, 90), 255)
    ImageDraw.Draw(image).text((20, 15), text, font=ImageFont.truetype(available_families()[0].files["regular"], 44),
                               fill=0)
    return np.asarray(image)


def test_a_blank_or_tiny_page_reads_as_nothing():
    engine = TesseractEngine("vie")
    assert engine.recognize(np.full((2339, 1654), 255, np.uint8), 200).words == []
    assert engine.recognize(np.zeros((8, 8), np.uint8), 200).words == []


def test_words_lines_and_boxes_and_a_digits_only_read_that_does_not_leak():
    engine = TesseractEngine("vie")
    digits = engine.recognize(line_image("Số: 215/QĐ-UBND"), 200, layout="line", digits_only=True)
    assert set(digits.text.replace(" ", "")) <= set("0123456789") and "215" in digits.text
    text = engine.recognize(line_image("Số: 215/QĐ-UBND"), 200, layout="line")
    assert text.text == "Số: 215/QĐ-UBND" and len(text.lines) == 1
    first = text.words[0]
    assert first.box[0] < 60 and 10 < first.box[1] < first.box[3] < 80 and first.confidence > 80
    assert engine.version().startswith("tesseract 5")


def test_a_blank_back_with_paper_grain_is_not_read_into_thousands_of_words(tmp_path):
    """A blank back of the generator at 300 dpi: its cleaned copy is inkless, and Tesseract's own thresholding
    of it read the paper's grain as some 60 000 words in four minutes; it is now not read at all."""
    from pathlib import Path

    from sohoa.core.model import RecognizedPage
    from sohoa.core.page_text import PageText
    from sohoa.ocr.engine import open_engine
    from sohoa.pipeline.intake import load_page, read_dossier
    from sohoa.pipeline.recognize import IDENTITY, read_scan
    from sohoa.synth.batch import make_batch

    truth = make_batch(tmp_path / "batch", tmp_path / "truth.json", dossiers=2, seed=2027)
    dossier = truth["dossiers"][1]
    [blank] = [p["number"] for p in dossier["pages"] if p["kind"] == "blank"]
    source = read_dossier(tmp_path / "batch" / dossier["source"], 100_000_000)
    image, dpi, _ = load_page(source.pages[blank - 1])
    rgb = np.asarray(image.convert("RGB"))
    page = RecognizedPage(number=blank, source_name="", dpi=dpi, dpi_estimated=False, width=rgb.shape[1],
                          height=rgb.shape[0], archival_image=Path(), text=PageText(0, 0), to_source=IDENTITY,
                          skew_deg=0.0, ink_ratio=0.0)
    read_scan(page, rgb, dpi, open_engine("tesseract", "vie"), open_engine("tesseract", "eng"))
    assert page.text.words == [] and page.text.width > 2000 and page.ink_ratio < 0.001


def test_the_title_and_caption_of_a_photo_page_are_read():
    """A grey photo of stripes between a title and a caption: on the cleaned page Tesseract took it all for one
    picture and read no word, so the attachment passed for a blank page and was glued to the document before it."""
    from pathlib import Path

    from PIL import Image, ImageDraw, ImageFont

    from sohoa.core.model import RecognizedPage
    from sohoa.core.page_text import PageText
    from sohoa.ocr.engine import open_engine
    from sohoa.pipeline.recognize import IDENTITY, read_scan
    from sohoa.synth.fonts import available_families

    pixels = np.full((2339, 1654), 255, np.uint8)
    rows, columns = np.mgrid[0:1180, 0:1290]
    pixels[260:1440, 220:1510] = np.where((rows + columns) // 17 % 2, 0x66, 0x99)
    image = Image.fromarray(pixels)
    draw, font = ImageDraw.Draw(image), available_families()[0].files
    draw.text((520, 150), "ẢNH CHỤP HIỆN TRẠNG CÔNG TRÌNH", font=ImageFont.truetype(font["bold"], 40), fill=0)
    draw.text((600, 1500), "Ảnh chụp ngày 12/3 tại thực địa", font=ImageFont.truetype(font["regular"], 36), fill=0)
    page = RecognizedPage(number=1, source_name="", dpi=200, dpi_estimated=False, width=1654, height=2339,
                          archival_image=Path(), text=PageText(0, 0), to_source=IDENTITY, skew_deg=0.0, ink_ratio=0.0)
    read_scan(page, np.asarray(image), 200, open_engine("tesseract", "vie"), open_engine("tesseract", "eng"))
    assert [line.text for line in page.text.lines] == ["ẢNH CHỤP HIỆN TRẠNG CÔNG TRÌNH",
                                                       "Ảnh chụp ngày 12/3 tại thực địa"]  # nothing of the photo


def test_a_page_scanned_finer_than_200_dpi_is_read_at_200_with_boxes_on_its_own_pixels():
    """A 300 dpi page costs Tesseract half as many pixels again as at 200 dpi for no better reading: it is reduced
    for the page's reading, and the words' boxes are brought back to where the words are on the page."""
    from sohoa.ocr.reading_resolution import read_page

    class Recording(TesseractEngine):
        def recognize(self, image, dpi, layout="page", digits_only=False):
            self.seen.append((image.shape, dpi))
            return super().recognize(image, dpi, layout, digits_only)

    page = Image.new("L", (2480, 3508), 255)
    font = ImageFont.truetype(available_families()[0].files["regular"], 50)
    ImageDraw.Draw(page).text((400, 600), "Điều 1. Phê duyệt nhiệm vụ quy hoạch", font=font, fill=0)
    pixels = np.asarray(page)
    engine = Recording("vie")
    engine.seen = []
    text = read_page(engine, pixels, 300)
    assert engine.seen == [((2339, 1653), 200)]
    assert text.text == "Điều 1. Phê duyệt nhiệm vụ quy hoạch" and (text.width, text.height) == (2480, 3508)
    rows, columns = np.nonzero(pixels < 128)
    ink = (columns.min(), rows.min(), columns.max(), rows.max())
    assert all(abs(got - want) <= 6 for got, want in zip(text.lines[0].box, ink))

    engine.seen = []
    read_page(engine, pixels[:2339, :1654], 200)
    read_page(engine, pixels[:2386, :1687], 204)  # a page size's rounding, not a finer scan
    assert engine.seen == [((2339, 1654), 200), ((2386, 1687), 204)]
