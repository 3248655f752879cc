"""Intake: find the dossiers of a batch, check every page can be read, and load pages.

Bad files are reported, never raised past the dossier: a Rejection names the file and the cause.
"""
import hashlib
import io
import re
import unicodedata
import warnings
from pathlib import Path

import pikepdf
from pdf2image import convert_from_path
from PIL import Image, ImageOps, UnidentifiedImageError

from sohoa.core.errors import PageError
from sohoa.core.model import DossierSource, PageRef, Rejection
from sohoa.pipeline.pdf_scans import STREAM_KEY, ScannedImage, scanned_image
from sohoa.pipeline.signatures import pdf_signatures

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".tif", ".tiff"}
TIFF_EXTENSIONS = {".tif", ".tiff"}
PLAUSIBLE_DPI = (70, 1200)
A4_LONG_SIDE_IN = 11.69
PDF_RASTER_TIMEOUT_S = 300
EXIF_ORIENTATION = 0x0112


def natural_key(name: str) -> list:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def set_pixel_limit(max_pixels: int) -> None:
    Image.MAX_IMAGE_PIXELS = max_pixels


def sane_dpi(declared, size: tuple[int, int]) -> tuple[int, bool]:
    """The declared resolution if plausible, else one estimated from an A4 page. (dpi, estimated)"""
    try:
        x, y = (float(v) for v in declared)
    except (TypeError, ValueError):
        x = y = 0.0
    if PLAUSIBLE_DPI[0] <= x <= PLAUSIBLE_DPI[1] and PLAUSIBLE_DPI[0] <= y <= PLAUSIBLE_DPI[1]:
        return round(max(x, y)), False  # load_page makes non-square pixels (fax) square at this dpi
    estimate = round(max(size) / A4_LONG_SIDE_IN)
    return min(max(estimate, PLAUSIBLE_DPI[0]), PLAUSIBLE_DPI[1]), True


def open_image(path: Path) -> Image.Image:
    """Open an image with the decompression-bomb guard as a hard limit."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PageError(f"image too large to be a scanned page (possible decompression bomb): {exc}") from exc
        except UnidentifiedImageError as exc:
            raise PageError(f"not a readable image although named {path.suffix}") from exc
        except OSError as exc:
            raise PageError(f"cannot open image: {exc}") from exc


def check_frame(image: Image.Image, path: Path) -> None:
    """Decode a frame fully (JPEGs at reduced scale, which still reads every byte)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            if image.format == "JPEG":
                image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PageError(f"image too large to be a scanned page (possible decompression bomb): {exc}") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise PageError(f"truncated or corrupt image data: {exc}") from exc


def image_pages(path: Path, file_code: str, first_number: int) -> list[PageRef]:
    """Pages of one image file (several for a multi-page TIFF), each checked."""
    if path.stat().st_size == 0:
        raise PageError("empty file (0 bytes)")
    with open_image(path) as image:
        frames = getattr(image, "n_frames", 1)
        refs = []
        for frame in range(frames):
            try:
                image.seek(frame)
            except EOFError as exc:
                raise PageError(f"TIFF frame {frame + 1} missing: {exc}") from exc
            dpi, _ = sane_dpi(image.info.get("dpi"), image.size)  # before check_frame shrinks it
            check_frame(image, path)
            kind = "tiff" if frames > 1 else "image"
            refs.append(PageRef(file_code, first_number + frame, path, kind, frame, dpi))
    return refs


def page_scan_dpi(page: pikepdf.Page, max_pixels: int) -> int:
    """Resolution of the scan on a PDF page, from its images' pixel sizes (nothing is decoded);
    300 for a page without images."""
    box = [float(v) for v in page.mediabox]
    width_in = abs(box[2] - box[0]) / 72 or 1.0
    best = 0
    for image in page.images.values():
        pixels = int(image.get("/Width", 0)) * int(image.get("/Height", 0))
        if pixels > max_pixels:
            raise PageError(f"embedded image of {pixels / 1e6:.0f} Mpx is too large to be a scan "
                            "(possible decompression bomb)")
        best = max(best, round(int(image.get("/Width", 0)) / width_in))
    return min(max(best, 150), 600) if best else 300


def pdf_pages(path: Path, file_code: str, max_pixels: int) -> list[PageRef]:
    size = path.stat().st_size
    if size == 0:
        raise PageError("empty file (0 bytes)")
    with open(path, "rb") as fh:
        if b"%PDF-" not in fh.read(1024):  # the header may follow junk within the first 1024 bytes
            raise PageError("not a PDF although named .pdf")
        fh.seek(max(0, size - 2048))
        if b"%%EOF" not in fh.read():
            raise PageError("truncated PDF (no end-of-file marker)")
    try:
        with pikepdf.open(path) as pdf:
            pages = [([float(v) for v in page.mediabox], page_scan_dpi(page, max_pixels)) for page in pdf.pages]
    except pikepdf.PasswordError as exc:
        raise PageError("encrypted PDF: it needs a password to be read") from exc
    except pikepdf.PdfError as exc:
        raise PageError(f"damaged PDF: {exc}") from exc
    if not pages:
        raise PageError("PDF has no pages")
    refs = []
    for index, (box, dpi) in enumerate(pages):
        pixels = abs(box[2] - box[0]) / 72 * dpi * abs(box[3] - box[1]) / 72 * dpi
        if pixels > max_pixels:
            raise PageError(f"page {index + 1} would rasterise to {pixels / 1e6:.0f} Mpx (limit {max_pixels / 1e6:.0f})")
        refs.append(PageRef(file_code, index + 1, path, "pdf", index, dpi))
    return refs


def fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def file_code_for(path: Path) -> str:
    """The dossier's file code: its folder or file name, in Unicode NFC (a name typed on another system
    may spell "ệ" as e and two combining marks)."""
    return unicodedata.normalize("NFC", path.stem if path.is_file() else path.name)


def name_problem(path: Path, batch_root: Path) -> str | None:
    """Why a dossier's name or place cannot be taken as it is, or None."""
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in path.name):
        return "its name holds control or invisible characters; rename it with letters, digits, dots and dashes"
    if path.is_symlink() and not path.resolve().is_relative_to(batch_root):
        return f"a link to {path.resolve()}, outside the batch folder; copy the scans into the batch instead"
    return None


def read_dossier(path: Path, max_pixels: int) -> DossierSource | Rejection:
    file_code = file_code_for(path)
    current = path
    try:
        if path.is_dir():
            files = sorted((p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")),
                           key=lambda p: natural_key(p.name))
            outside = next((p for p in files if not p.resolve().is_relative_to(path.parent.resolve())), None)
            if outside:
                current = outside
                raise PageError(f"a link to {outside.resolve()}, outside the batch folder; copy the scan in instead")
            images = [p for p in files if p.suffix.lower() in IMAGE_EXTENSIONS]
            ignored = [p.name for p in files if p.suffix.lower() not in IMAGE_EXTENSIONS]
            if not images:
                raise PageError("folder holds no page images (JPEG, PNG or TIFF)")
            pages: list[PageRef] = []
            for current in images:
                pages += image_pages(current, file_code, len(pages) + 1)
            warnings_ = [f"ignored non-image file {name}" for name in ignored]
            return DossierSource(file_code, path, "folder", pages, fingerprint(images), warnings_)
        if path.suffix.lower() == ".pdf":
            return DossierSource(file_code, path, "pdf", pdf_pages(path, file_code, max_pixels), fingerprint([path]),
                                 signatures=pdf_signatures(path))
        kind = "tiff" if path.suffix.lower() in TIFF_EXTENSIONS else "image"
        return DossierSource(file_code, path, kind, image_pages(path, file_code, 1), fingerprint([path]))
    except PageError as exc:
        return Rejection(file_code, path, current.name, str(exc))
    except OSError as exc:
        return Rejection(file_code, path, current.name, f"cannot read file: {exc}")
    except Exception as exc:  # noqa: BLE001 - decoders raise anything on hostile data
        return Rejection(file_code, path, current.name, f"cannot decode: {type(exc).__name__}: {exc}")


def dossier_paths(batch_dir: Path) -> tuple[list[Path], list[str]]:
    """Dossiers in a batch (sub-folders, PDFs, TIFFs, and single page images: a one-page dossier) in natural
    order, and the names ignored."""
    dossiers, ignored = [], []
    for entry in sorted(batch_dir.iterdir(), key=lambda p: natural_key(p.name)):
        if entry.name.startswith(".") or entry.name in ("READY", "RESULT.json"):
            continue
        if entry.is_dir() or entry.suffix.lower() in {".pdf", *IMAGE_EXTENSIONS}:
            dossiers.append(entry)
        else:
            ignored.append(entry.name)
    return dossiers, ignored


def upright(image: Image.Image) -> bool:
    """No turn recorded in the image's EXIF orientation."""
    return image.getexif().get(EXIF_ORIENTATION, 1) == 1


def pdf_page(ref: PageRef) -> Image.Image:
    """A PDF page, in RGB or L: a scanner's JPEG decoded, else rendered as a viewer shows it (in grey levels
    alone for a page that is one bilevel image). A page from a scanner's own image carries it in its info
    (STREAM_KEY), for the archival copy."""
    scan = scanned_image(ref.path, ref.frame, ref.dpi)
    if scan is not None and scan.coding == "jpeg" and (page := decoded_scan(scan)) is not None:
        return page
    fax = scan is not None and scan.coding == "fax"
    images = convert_from_path(ref.path, dpi=ref.dpi, first_page=ref.frame + 1, last_page=ref.frame + 1,
                               grayscale=fax, strict=True, timeout=PDF_RASTER_TIMEOUT_S)
    if not images:
        raise PageError(f"page {ref.frame + 1} of the PDF could not be rasterised")
    mode = "L" if fax else "RGB"
    page = images[0] if images[0].mode == mode else images[0].convert(mode)
    page.load()
    if fax:
        page.info[STREAM_KEY] = scan
    return page


def decoded_scan(scan: ScannedImage) -> Image.Image | None:
    """A scanner's JPEG page decoded, as a PDF viewer draws it (the JPEG's orientation tag ignored); None for
    a JPEG that does not decode whole or is not what the PDF declares (its size, its colour), which the
    renderer then draws as a viewer would."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            page = Image.open(io.BytesIO(scan.file), formats=["JPEG"])  # never another decoder on a PDF's word
            page.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    if (page.size, page.mode) != (scan.size, scan.mode):
        return None
    page.info[STREAM_KEY] = scan
    return page


def load_page(ref: PageRef) -> tuple[Image.Image, int, bool]:
    """Decode one page upright, in RGB or L. Returns (image, dpi, dpi_estimated)."""
    if ref.kind == "pdf":
        return pdf_page(ref), ref.dpi, False
    image = open_image(ref.path)
    if ref.frame:
        image.seek(ref.frame)
    dpi, estimated = sane_dpi(image.info.get("dpi"), image.size)
    if not estimated:
        x, y = (float(v) for v in image.info["dpi"])
        if abs(x - y) > 0.01 * dpi:
            image = image.resize((round(image.width * dpi / x), round(image.height * dpi / y)), Image.LANCZOS)
    if not upright(image):
        image = ImageOps.exif_transpose(image)
    mode = "L" if image.mode in ("1", "L", "I;16", "I") else "RGB"
    if image.mode != mode:
        return image.convert(mode), dpi, estimated
    if getattr(image, "n_frames", 1) > 1:  # a frame of a multi-page TIFF: itself, not the open file of all
        with image:
            return image.copy(), dpi, estimated
    image.load()  # decoded here, where a bad file is told apart from a fault of ours
    return image, dpi, estimated
