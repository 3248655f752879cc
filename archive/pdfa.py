"""Two-layer PDF/A-2b: each page is the archival scan with the OCR words laid over it in
invisible text (rendering mode 3), so the PDF looks like the paper and can be searched and copied.

The text uses a glyph-less CID font (Tesseract's pdf.ttf): every character code is its UTF-16
value, maps to one empty glyph, and a ToUnicode map gives the text back to readers.
"""
import datetime as dt
import functools
import io
import os
import struct
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream
from PIL import Image, ImageCms

from sohoa.core.model import RecognizedPage

TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata")
ICC_PROFILE_DATE = (2024, 1, 1, 0, 0, 0)  # year, month, day, hour, minute, second
GLYPH_WIDTH = 500  # per 1000 em: the advance of the single glyph of pdf.ttf
TIFF_COMPRESSION, TIFF_PHOTOMETRIC, TIFF_STRIP_OFFSETS, TIFF_STRIP_BYTES, TIFF_T4_OPTIONS = 259, 262, 273, 279, 292
TIFF_GROUP4, TIFF_BLACK_IS_ZERO = 4, 1  # fax data coded by T.6; the photometric of data PDF says is /BlackIs1

TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


@functools.cache
def glyphless_font_program() -> bytes:
    candidates = [os.environ.get("TESSDATA_PREFIX", "")] + list(TESSDATA_DIRS)
    for folder in candidates:
        path = Path(folder) / "pdf.ttf"
        if folder and path.exists():
            return path.read_bytes()
    raise FileNotFoundError("Tesseract's pdf.ttf not found (install tesseract-ocr)")


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile with a fixed creation date: LittleCMS stamps the current time into the
    header, which would make a PDF rebuilt later (a resumed ingest) differ from the stored one."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = struct.pack(">6H", *ICC_PROFILE_DATE)
    return bytes(profile)


def _font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    descriptor = Dictionary(
        Type=Name.FontDescriptor, FontName=Name.GlyphLessFont, Flags=5,
        FontBBox=Array([0, 0, 500, 1000]), ItalicAngle=0, Ascent=1000, Descent=0, CapHeight=1000,
        StemV=80, FontFile2=pdf.make_stream(glyphless_font_program()))
    # Every CID to glyph 1: some readers refuse a font whose only glyph is .notdef.
    cid_to_gid = pdf.make_stream(b"\x00\x01" * 65536)
    cid_font = Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name.GlyphLessFont,
        CIDSystemInfo=Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                 Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor), DW=GLYPH_WIDTH, CIDToGIDMap=cid_to_gid)
    return pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=Name.GlyphLessFont, Encoding=Name("/Identity-H"),
        DescendantFonts=Array([pdf.make_indirect(cid_font)]), ToUnicode=pdf.make_stream(TO_UNICODE)))


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _image_xobject(pdf: pikepdf.Pdf, path: Path) -> pikepdf.Object:
    """The archival image as the page's image, its data as it is: a JPEG, or bilevel fax data from a TIFF."""
    with Image.open(path) as image:
        width, height = image.size
        if image.format == "TIFF":
            stream = _fax_stream(pdf, path.read_bytes(), image)
        else:
            stream = Stream(pdf, path.read_bytes())
            stream.BitsPerComponent, stream.Filter = 8, Name.DCTDecode
            stream.ColorSpace = Name.DeviceGray if image.mode == "L" else Name.DeviceRGB
    stream.Type, stream.Subtype = Name.XObject, Name.Image
    stream.Width, stream.Height = width, height
    return pdf.make_indirect(stream)


def _fax_stream(pdf: pikepdf.Pdf, data: bytes, image: Image.Image) -> Stream:
    """The fax data of a TIFF of one strip (as a scanner's PDF page is kept), with the parameters its tags give."""
    tags = image.tag_v2
    (offset,), (length,) = tags[TIFF_STRIP_OFFSETS], tags[TIFF_STRIP_BYTES]
    two_dimensional = tags.get(TIFF_T4_OPTIONS, 0) & 1
    coding = -1 if tags[TIFF_COMPRESSION] == TIFF_GROUP4 else int(two_dimensional)  # /K: G4, or G3 1-D or 2-D
    stream = Stream(pdf, data[offset:offset + length])
    stream.BitsPerComponent, stream.ColorSpace, stream.Filter = 1, Name.DeviceGray, Name.CCITTFaxDecode
    stream.DecodeParms = Dictionary(K=coding, Columns=image.width, Rows=image.height,
                                    BlackIs1=tags[TIFF_PHOTOMETRIC] == TIFF_BLACK_IS_ZERO)
    return stream


def text_layer(page: RecognizedPage, page_height_pt: float) -> str:
    """Content-stream operators placing each OCR word over its image, in invisible text.

    Word boxes are in the OCR frame (deskewed, cropped). Each word's baseline start is mapped back
    onto the archival image and the word is laid flat there: rotated glyph runs make text
    extractors break words apart, and over one word a few degrees of skew move less than a point.
    """
    (a, b, tx), (c, d, ty) = page.to_source
    scale = 72.0 / page.dpi
    ops = ["BT", "3 Tr"]
    for line in page.text.lines:
        _, ly0, _, ly1 = line.box
        size = max(1.0, (ly1 - ly0) * 0.85 * scale)
        base_v = ly1 - (ly1 - ly0) * 0.18
        for i, word in enumerate(line.words):
            u = word.box[0]
            x = (a * u + b * base_v + tx) * scale
            y = page_height_pt - (c * u + d * base_v + ty) * scale
            text = word.text + (" " if i < len(line.words) - 1 else "")
            natural = len(word.text) * GLYPH_WIDTH / 1000 * size
            stretch = 100.0 * (word.box[2] - word.box[0]) * scale / natural if natural else 100.0
            ops.append(f"/F1 {size:.2f} Tf {stretch:.2f} Tz 1 0 0 1 {x:.2f} {y:.2f} Tm <{_utf16_hex(text)}> Tj")
    ops.append("ET")
    return "\n".join(ops)


def _xmp(pdf: pikepdf.Pdf, title: str, created: dt.datetime, producer: str) -> None:
    stamp = created.isoformat(timespec="seconds")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["dc:title"] = title
        meta["xmp:CreateDate"] = stamp
        meta["xmp:ModifyDate"] = stamp
        meta["xmp:MetadataDate"] = stamp
        meta["xmp:CreatorTool"] = producer
        meta["pdf:Producer"] = producer


def build_pdfa(pages: list[RecognizedPage], title: str, created: dt.datetime, producer: str = "sohoa") -> bytes:
    """A PDF/A-2b of the pages. The same inputs and time give the same bytes (resumable ingest)."""
    pdf = pikepdf.new()
    font = _font(pdf)
    for page in pages:
        image = _image_xobject(pdf, page.archival_image)
        # The page as it was read; the archival image is drawn over it, as its source PDF drew it.
        w_pt, h_pt = page.width * 72.0 / page.dpi, page.height * 72.0 / page.dpi
        content = f"q {w_pt:.4f} 0 0 {h_pt:.4f} 0 0 cm /Im0 Do Q\n" + text_layer(page, h_pt)
        pdf_page = pikepdf.Page(Dictionary(
            Type=Name.Page, MediaBox=Array([0, 0, w_pt, h_pt]),
            Resources=Dictionary(XObject=Dictionary(Im0=image), Font=Dictionary(F1=font)),
            Contents=pdf.make_stream(content.encode("ascii"))))
        pdf.pages.append(pdf_page)
    icc = pdf.make_stream(srgb_profile())
    icc.N = 3
    pdf.Root.OutputIntents = Array([Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=pikepdf.String("sRGB"),
        Info=pikepdf.String("sRGB IEC61966-2.1"), DestOutputProfile=icc)])
    pdf.Root.Lang = pikepdf.String("vi")
    pdf.docinfo["/Title"] = title
    pdf.docinfo["/CreationDate"] = pikepdf.String(pdf_date(created))
    _xmp(pdf, title, created, producer)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


def pdf_date(moment: dt.datetime) -> str:
    """A date as PDF's Info dictionary writes it: D:YYYYMMDDHHmmSS+HH'mm'."""
    return moment.strftime("D:%Y%m%d%H%M%S") + _tz(moment)


def _tz(moment: dt.datetime) -> str:
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
