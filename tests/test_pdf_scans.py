"""A scanner's PDF page is read from its own JPEG, a bilevel one rendered in grey with its fax data kept; every
other page is rendered in colour, as it looks."""
import io

import numpy as np
import pikepdf
import pytest
from pdf2image import convert_from_path
from pdf2image.exceptions import PDFSyntaxError
from PIL import Image, ImageDraw, PngImagePlugin

from sohoa.core.model import PageRef
from sohoa.pipeline.intake import decoded_scan, load_page, read_dossier
from sohoa.pipeline.pdf_scans import scanned_image
from sohoa.pipeline.recognize import keep_archival_image

LIMIT = 100_000_000
SIZE = (1654, 2339)  # A4 at 200 dpi


def scan(mode: str = "L") -> Image.Image:
    """A page with a mark in its top left corner, so that a turn or a flip shows."""
    image = Image.new(mode, SIZE, "white")
    ImageDraw.Draw(image).rectangle((100, 100, 500, 300), fill="black")
    return image


def scanner_pdf(path, mode="L"):
    scan(mode).save(path, "PDF", resolution=200, quality=80)  # one JPEG over the page: what scanners write
    return path


def first_page(path) -> PageRef:
    return read_dossier(path, LIMIT).pages[0]


def stream_jpeg(path) -> bytes:
    with pikepdf.open(path) as pdf:
        return next(iter(pdf.pages[0].images.values())).read_raw_bytes()


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_a_scanner_page_is_its_jpeg_decoded_and_kept_bit_for_bit(tmp_path, mode):
    path = scanner_pdf(tmp_path / "scan.pdf", mode)
    ref = first_page(path)
    image, dpi, _ = load_page(ref)
    expected = Image.open(io.BytesIO(stream_jpeg(path)))
    assert (image.mode, image.size, dpi) == (mode, SIZE, 200)
    assert np.array_equal(np.asarray(image), np.asarray(expected))
    assert keep_archival_image(ref, image, tmp_path).read_bytes() == stream_jpeg(path)
    assert scanned_image(ref.path, ref.frame, ref.dpi).file == stream_jpeg(path)


def test_a_scanner_jpeg_with_an_orientation_tag_is_read_as_drawn_and_archived_without_it(tmp_path):
    # a PDF viewer ignores a JPEG's orientation tag; an image viewer showing the archival copy would not
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "scan.pdf"
    scan().save(path, "PDF", resolution=200, quality=80, exif=exif)
    ref = first_page(path)
    image, _, _ = load_page(ref)
    assert image.size == SIZE  # not turned
    with Image.open(keep_archival_image(ref, image, tmp_path)) as archival:
        assert archival.size == SIZE and archival.getexif().get(0x0112, 1) == 1


def edit_page(path, change) -> None:
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        change(pdf, pdf.pages[0])
        pdf.save(path)


def turned(pdf, page):
    page.Rotate = 90


def annotated(pdf, page):  # a visible signature or a stamp: drawn over the scan
    page.Annots = pdf.make_indirect([pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Square, Rect=[0, 0, 100, 100]))])


def written_on(pdf, page):
    page.contents_add(pikepdf.Stream(pdf, b"0 0 0 rg 10 10 100 100 re f"), prepend=False)


def cropped(pdf, page):
    page.CropBox = [0, 0, 400, 600]


def the_image(pdf, page):
    return next(iter(page.images.values()))


def masked(pdf, page):
    the_image(pdf, page).SMask = pdf.make_stream(b"\xff" * 16, Width=4, Height=4, BitsPerComponent=8,
                                                  ColorSpace=pikepdf.Name.DeviceGray)


def inverted(pdf, page):
    the_image(pdf, page).Decode = [1, 0]


def optional(pdf, page):  # optional content: a viewer may hide it
    the_image(pdf, page).OC = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name="scan"))


def flipped(pdf, page):  # the box given top first, the image drawn upside down into it: a viewer shows it flipped
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    page.MediaBox = [x0, y1, x1, y0]
    page.Contents = pdf.make_stream(f"q {x1:.2f} 0 0 {-y1:.2f} 0 {y1:.2f} cm /image Do Q".encode())


def second_image(pdf, page):
    page.Resources.XObject.Other = the_image(pdf, page)


@pytest.mark.parametrize("change", [masked, inverted, optional, flipped, second_image])
def test_an_image_that_is_not_plainly_the_page_is_rendered(tmp_path, change):
    path = scanner_pdf(tmp_path / "scan.pdf")
    edit_page(path, change)
    ref = first_page(path)
    assert scanned_image(ref.path, ref.frame, ref.dpi) is None


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("stream", [
    lambda: png(scan()),  # another format under the JPEG filter: never handed to another decoder
    lambda: jpeg(scan().resize((SIZE[0] * 2, SIZE[1] * 2))),  # more pixels than the PDF declares
    lambda: jpeg(scan("RGB").convert("RGB").point(lambda v: v // 2)),  # colour where the PDF says grey
])
def test_a_stream_that_is_not_the_jpeg_its_dictionary_declares_is_left_to_the_renderer(tmp_path, stream):
    path = scanner_pdf(tmp_path / "scan.pdf")
    edit_page(path, lambda pdf, page: the_image(pdf, page).write(stream(), filter=pikepdf.Name.DCTDecode))
    ref = first_page(path)
    assert decoded_scan(scanned_image(ref.path, ref.frame, ref.dpi)) is None


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def test_the_rendered_page_shows_what_the_pdf_shows(tmp_path):
    path = scanner_pdf(tmp_path / "scan.pdf")
    edit_page(path, turned)
    image, _, _ = load_page(first_page(path))
    assert image.size == (SIZE[1], SIZE[0])  # turned as any PDF viewer shows it


def fax_pdf(path):
    scan("1").save(path, "PDF", resolution=200)  # one CCITT G4 image over the page: a bilevel scanner's PDF
    return path


def stream_of(path) -> bytes:
    with pikepdf.open(path) as pdf:
        return next(iter(pdf.pages[0].images.values())).read_raw_bytes()


def test_a_bilevel_page_is_rendered_in_grey_levels_alone_and_its_fax_data_kept(tmp_path):
    ref = first_page(fax_pdf(tmp_path / "scan.pdf"))
    image, dpi, _ = load_page(ref)
    in_colour = convert_from_path(ref.path, dpi=ref.dpi)[0]
    assert (image.mode, image.size, dpi) == ("L", SIZE, 200)
    assert np.array_equal(np.asarray(image), np.asarray(in_colour)[..., 0])  # the same levels, a third of the data
    archival = keep_archival_image(ref, image, tmp_path)
    with Image.open(archival) as kept:
        assert (archival.suffix, kept.info["compression"], kept.size) == (".tif", "group4", SIZE)
        assert np.array_equal(np.asarray(kept.convert("L")), np.asarray(scan("1").convert("L")))  # lossless
        assert stream_of(ref.path) in archival.read_bytes()  # the scanner's bytes


def other_columns(pdf, page):  # rows coded narrower than the image: the archival copy could not say so
    the_image(pdf, page).DecodeParms = [pikepdf.Dictionary(K=-1, Columns=SIZE[0] - 8, BlackIs1=True)]


def negative_width(pdf, page):  # too large for a TIFF header to say
    the_image(pdf, page).Width = -SIZE[0]


@pytest.mark.parametrize("make, change", [(scanner_pdf, change) for change in (turned, annotated, written_on, cropped)]
                         + [(fax_pdf, change) for change in (inverted, masked, annotated)], ids=lambda f: f.__name__)
def test_a_page_with_more_than_its_scan_is_rendered_in_colour(tmp_path, make, change):
    path = make(tmp_path / "scan.pdf")
    edit_page(path, change)
    ref = first_page(path)
    assert scanned_image(ref.path, ref.frame, ref.dpi) is None
    image, _, _ = load_page(ref)
    assert image.format != "JPEG" and image.mode == "RGB"  # the renderer's page
    assert keep_archival_image(ref, image, tmp_path).suffix == ".jpg"


@pytest.mark.parametrize("change", [other_columns, negative_width])
def test_fax_data_the_archival_copy_could_not_describe_is_left_to_the_renderer(tmp_path, change):
    path = fax_pdf(tmp_path / "scan.pdf")
    edit_page(path, change)
    ref = first_page(path)
    assert scanned_image(ref.path, ref.frame, ref.dpi) is None  # the renderer says what is wrong with it


@pytest.mark.parametrize("damage", [lambda data: data[: len(data) // 2],  # cut off
                                    lambda data: data[:20] + b"\xff" * 10 + data[30:]])  # broken
def test_fax_data_cut_off_or_broken_is_a_page_error_not_a_page_with_white_rows(tmp_path, damage):
    # Pillow's fax decoder would fill the lost rows with white without a word: the renderer tells
    path = fax_pdf(tmp_path / "scan.pdf")
    edit_page(path, lambda pdf, page: the_image(pdf, page).write(
        damage(the_image(pdf, page).read_raw_bytes()), filter=pikepdf.Name.CCITTFaxDecode,
        decode_parms=the_image(pdf, page).DecodeParms))
    with pytest.raises(PDFSyntaxError, match="CCITTFax"):
        load_page(first_page(path))


def test_a_scan_not_filling_the_page_is_rendered(tmp_path):
    path = scanner_pdf(tmp_path / "scan.pdf")
    with pikepdf.open(path) as pdf:
        width = float(pdf.pages[0].mediabox[2])
    edit_page(path, lambda pdf, page: setattr(page, "Contents", pdf.make_stream(
        page.Contents.read_bytes().replace(f"{width:.6f}".encode(), f"{width / 2:.6f}".encode(), 1))))
    ref = first_page(path)
    assert scanned_image(ref.path, ref.frame, ref.dpi) is None


def test_a_jpeg_that_does_not_decode_whole_goes_to_the_renderer(tmp_path):
    path = scanner_pdf(tmp_path / "scan.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        image = next(iter(pdf.pages[0].images.values()))
        data = image.read_raw_bytes()
        image.write(data[: len(data) // 2], filter=pikepdf.Name.DCTDecode)
        pdf.save(path)
    image, _, _ = load_page(first_page(path))
    assert image.format != "JPEG" and image.size[0] >= SIZE[0]


def test_an_image_file_named_jpg_that_is_not_a_jpeg_is_not_copied_as_the_archival_jpeg(tmp_path):
    scan("L").save(tmp_path / "1.jpg", "TIFF", compression="tiff_lzw", dpi=(200, 200))
    ref = read_dossier(tmp_path / "1.jpg", LIMIT).pages[0]
    image, _, _ = load_page(ref)
    with Image.open(keep_archival_image(ref, image, tmp_path)) as archival:
        assert archival.format in ("JPEG", "TIFF") and archival.info.get("compression") != "tiff_lzw"


def test_a_png_whose_text_bears_the_name_of_a_scanners_image_is_archived_as_any_page(tmp_path):
    info = PngImagePlugin.PngInfo()
    info.add_text("scanned_image", "not a scan")
    scan("RGB").save(tmp_path / "1.png", pnginfo=info, dpi=(200, 200))
    ref = read_dossier(tmp_path / "1.png", LIMIT).pages[0]
    image, _, _ = load_page(ref)
    assert keep_archival_image(ref, image, tmp_path).suffix == ".jpg"
