"""The JPEG a scanner's PDF page holds, taken from its stream instead of rendering the page.

A scanner writes each page as one image drawn over the whole page and nothing else. When the image is a
grey or colour JPEG, its stream is a JPEG file: decoding it costs a tenth of rendering the page (0.03 s
against 0.3-0.4 s at 300 dpi), libjpeg decodes it as the scanner encoded it (the renderer's own decoder
differs by a few grey levels), and the archival copy keeps the scanner's bytes instead of a second
encoding. Any other page (more drawing, text, an annotation, a turn or a flip, a crop, a mask, optional
content, a bilevel or CMYK image, an image that does not fill the page at the resolution read, a stream
that is not the JPEG its dictionary declares) is rendered as before.
"""
from dataclasses import dataclass
from pathlib import Path

import pikepdf

MODES = {pikepdf.Name.DeviceGray: "L", pikepdf.Name.DeviceRGB: "RGB"}  # the colour spaces taken, as Pillow names them
PAGE_DRAWING = [("q", 0), ("cm", 6), ("Do", 1), ("Q", 0)]  # save, place the image over the page, draw it, restore
BOX_TOLERANCE_PT = 0.5
STREAM_KEY = "scanned_jpeg"  # in the info of a page decoded from its JPEG: the stream's bytes, for the archival copy
SIZE_TOLERANCE_PX = 1


@dataclass(frozen=True)
class ScannedJpeg:
    data: bytes  # the JPEG file the page's image stream is
    size: tuple[int, int]  # its pixels, as the PDF declares them
    mode: str  # "L" or "RGB", as the PDF's colour space declares it


def scanned_jpeg(path: Path, frame: int, dpi: int) -> ScannedJpeg | None:
    """The JPEG that page frame of the PDF is, when the page is one JPEG that fills it at dpi; else None."""
    try:
        with pikepdf.open(path) as pdf:
            return lone_jpeg(pdf.pages[frame], dpi)
    except (pikepdf.PdfError, ValueError, KeyError, IndexError, AttributeError, TypeError):
        return None  # not a simple page after all: the renderer decides what it is


def lone_jpeg(page: pikepdf.Page, dpi: int) -> ScannedJpeg | None:
    if not plain_page(page):
        return None
    drawing = pikepdf.parse_content_stream(page)
    if [(str(op), len(operands)) for operands, op in drawing] != PAGE_DRAWING:
        return None
    matrix, name = [float(v) for v in drawing[1][0]], drawing[2][0][0]
    images = page.resources.get("/XObject", {})
    if list(images.keys()) != [str(name)] or not fills_page(matrix, page):
        return None
    image = images[name]
    if not plain_jpeg(image) or not sized_for(image, page, dpi):
        return None
    return ScannedJpeg(image.read_raw_bytes(), (int(image.Width), int(image.Height)), MODES[image.ColorSpace])


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


def plain_jpeg(image: pikepdf.Object) -> bool:
    """An 8-bit grey or RGB JPEG, nothing more: no mask, no decode array, no other filter in the chain, not
    optional content (a viewer may hide it)."""
    filters = image.get("/Filter")
    filters = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
    return (image.get("/Subtype") == pikepdf.Name.Image and filters == [pikepdf.Name.DCTDecode]
            and image.get("/ColorSpace") in MODES and int(image.get("/BitsPerComponent", 0)) == 8
            and not any(key in image for key in ("/SMask", "/Mask", "/Decode", "/ImageMask", "/DecodeParms", "/OC")))


def sized_for(image: pikepdf.Object, page: pikepdf.Page, dpi: int) -> bool:
    """As many pixels as the page read at dpi has, within a pixel: no resampling is needed."""
    x0, y0, x1, y1 = page_box(page)
    return (abs(int(image.Width) - (x1 - x0) * dpi / 72) <= SIZE_TOLERANCE_PX
            and abs(int(image.Height) - (y1 - y0) * dpi / 72) <= SIZE_TOLERANCE_PX)
