"""The image a scanner's PDF page holds, taken from its stream.

A scanner writes each page as one image drawn over the whole page and nothing else: a grey or colour JPEG,
or, for a bilevel scan, CCITT fax data. A JPEG that fills the page at the resolution read is decoded instead
of rendering the page (a tenth of the cost: 0.03 s against 0.3-0.4 s at 300 dpi; libjpeg decodes it as the
scanner encoded it, where the renderer's own decoder differs by a few grey levels). A fax page is still read
as the renderer draws it (which smooths its edges into grey, as a viewer shows it, and tells damaged data),
but in grey levels alone: a page with nothing but a bilevel image has no colour, and drawing it in grey costs
two thirds of drawing it in RGB, gives the same levels, and spares the colour work after it. The archival copy
of either keeps the scanner's bytes (the fax data lossless, at a tenth of a JPEG's size) instead of a second,
lossy encoding. Any other page (more drawing, text, an annotation, a turn or a flip, a crop, a mask, optional
content, a CMYK image, a JPEG that does not fill the page at the resolution read, a stream that is not what its
dictionary declares) is rendered in colour as before.
"""
import io
import struct
from dataclasses import dataclass
from pathlib import Path

import pikepdf

MODES = {pikepdf.Name.DeviceGray: "L", pikepdf.Name.DeviceRGB: "RGB"}  # the colour spaces taken, as Pillow names them
# Place the image over the page and draw it, with the graphics state saved and restored round it or not.
PAGE_DRAWINGS = ([("q", 0), ("cm", 6), ("Do", 1), ("Q", 0)], [("cm", 6), ("Do", 1)])
BOX_TOLERANCE_PT = 0.5
STREAM_KEY = "scanned_image"  # in the info of a page read from a scanner's image: that ScannedImage
SIZE_TOLERANCE_PX = 1
FAX_COLUMNS = 1728  # the width of fax data that does not say it
NOT_PLAIN = ("/SMask", "/Mask", "/Decode", "/ImageMask", "/OC")  # a mask, a remapping, optional content


@dataclass(frozen=True)
class ScannedImage:
    coding: str  # "jpeg" (read as it is) or "fax" (kept as it is; the page is rendered in grey)
    size: tuple[int, int]  # its pixels, as the PDF declares them
    mode: str  # as the PDF's colour space and depth declare it, in Pillow's names: "L" or "RGB", "1" for a fax
    file: bytes  # the scanner's data as a file: the JPEG the stream is, or the fax data behind a TIFF header


def scanned_image(path: Path, frame: int, dpi: int) -> ScannedImage | None:
    """The image that page frame of the PDF is, when the page is one JPEG that fills it at dpi, or one fax
    image over the whole page; else None."""
    try:
        with pikepdf.open(path) as pdf:
            return lone_image(pdf.pages[frame], dpi)
    except (pikepdf.PdfError, pikepdf.UnsupportedImageTypeError, ValueError, KeyError, IndexError, AttributeError,
            TypeError, struct.error):
        return None  # not a simple page after all: the renderer decides what it is


def lone_image(page: pikepdf.Page, dpi: int) -> ScannedImage | None:
    if not plain_page(page):
        return None
    drawing = pikepdf.parse_content_stream(page)
    if [(str(op), len(operands)) for operands, op in drawing] not in PAGE_DRAWINGS:
        return None
    placing = next(i for i, (_, op) in enumerate(drawing) if str(op) == "cm")
    matrix, name = [float(v) for v in drawing[placing][0]], drawing[placing + 1][0][0]
    images = page.resources.get("/XObject", {})
    if list(images.keys()) != [str(name)] or not fills_page(matrix, page):
        return None
    image = images[name]
    if not plain_image(image):
        return None
    size = (int(image.Width), int(image.Height))
    if plain_jpeg(image) and sized_for(image, page, dpi):
        return ScannedImage("jpeg", size, MODES[image.ColorSpace], image.read_raw_bytes())
    if plain_fax(image):
        tiff = io.BytesIO()
        pikepdf.PdfImage(image).extract_to(stream=tiff)  # the data as it is, behind a header saying its coding
        return ScannedImage("fax", size, "1", tiff.getvalue())
    return None


def plain_page(page: pikepdf.Page) -> bool:
    """Upright, uncropped, without annotations (a signature's or a stamp's appearance is drawn on top), and
    with device colours that mean what they say (a default colour space would stand in for them)."""
    obj = page.obj
    crop = obj.get("/CropBox")
    colour_spaces = page.resources.get("/ColorSpace", {})
    return (int(obj.get("/Rotate", 0)) % 360 == 0 and not obj.get("/Annots") and "/UserUnit" not in obj
            and (crop is None or boxes_equal(crop, page.mediabox))
            and not any(key in colour_spaces for key in ("/DefaultGray", "/DefaultRGB")))


def page_box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    """The media box as (left, bottom, right, top), however its corners are given."""
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def boxes_equal(a, b) -> bool:
    return all(abs(float(x) - float(y)) <= BOX_TOLERANCE_PT for x, y in zip(a, b))


def fills_page(matrix: list[float], page: pikepdf.Page) -> bool:
    """The image, a unit square, scaled to the page's box and placed on it, without turn or flip."""
    width, b, c, height, x, y = matrix
    return b == 0 and c == 0 and boxes_equal((x, y, x + width, y + height), page_box(page))


def plain_image(image: pikepdf.Object) -> bool:
    """An image, nothing more: no mask, no decode array, not optional content (a viewer may hide it)."""
    return image.get("/Subtype") == pikepdf.Name.Image and not any(key in image for key in NOT_PLAIN)


def filters_of(image: pikepdf.Object) -> list:
    filters = image.get("/Filter")
    return list(filters) if isinstance(filters, pikepdf.Array) else [filters]


def plain_jpeg(image: pikepdf.Object) -> bool:
    """An 8-bit grey or RGB JPEG, no other filter in the chain."""
    return (filters_of(image) == [pikepdf.Name.DCTDecode] and image.get("/ColorSpace") in MODES
            and int(image.get("/BitsPerComponent", 0)) == 8 and "/DecodeParms" not in image)


def plain_fax(image: pikepdf.Object) -> bool:
    """A bilevel grey image in CCITT fax coding, no other filter in the chain, coded rows as wide and as many
    as the image's (the archival copy is described by the image's size)."""
    parameters = image.get("/DecodeParms")
    if isinstance(parameters, pikepdf.Array):
        parameters = parameters[0] if len(parameters) == 1 else None
    if not isinstance(parameters, pikepdf.Dictionary):
        return False
    return (filters_of(image) == [pikepdf.Name.CCITTFaxDecode] and image.get("/ColorSpace") == pikepdf.Name.DeviceGray
            and int(image.get("/BitsPerComponent", 0)) == 1
            and int(parameters.get("/Columns", FAX_COLUMNS)) == int(image.Width)
            and int(parameters.get("/Rows", 0)) in (0, int(image.Height)))


def sized_for(image: pikepdf.Object, page: pikepdf.Page, dpi: int) -> bool:
    """As many pixels as the page read at dpi has, within a pixel: no resampling is needed."""
    x0, y0, x1, y1 = page_box(page)
    return (abs(int(image.Width) - (x1 - x0) * dpi / 72) <= SIZE_TOLERANCE_PX
            and abs(int(image.Height) - (y1 - y0) * dpi / 72) <= SIZE_TOLERANCE_PX)
