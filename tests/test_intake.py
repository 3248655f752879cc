"""Intake over good and bad files that the tests make themselves."""
import io
import signal
import struct
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

import pikepdf
import psutil
import pytest
from PIL import Image

from sohoa.core.model import DossierSource, Rejection
from sohoa.pipeline.intake import dossier_paths, load_page, natural_key, read_dossier, sane_dpi, set_pixel_limit
from sohoa.pipeline.probe import DossierProbe, probe_dossier

LIMIT = 100_000_000


def page_image(size=(827, 1169), colour="white") -> Image.Image:
    return Image.new("RGB", size, colour)


def jpeg_bytes(image: Image.Image, **opts) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", **opts)
    return buf.getvalue()


def test_folder_pages_follow_natural_file_name_order(tmp_path):
    folder = tmp_path / "HS-1"
    folder.mkdir()
    for n in (10, 2, 1):
        page_image().save(folder / f"p{n}.png", dpi=(100, 100))
    (folder / "notes.txt").write_text("scanner log")
    source = read_dossier(folder, LIMIT)
    assert isinstance(source, DossierSource)
    assert [p.path.name for p in source.pages] == ["p1.png", "p2.png", "p10.png"]
    assert [p.number for p in source.pages] == [1, 2, 3]
    assert source.warnings == ["ignored non-image file notes.txt"]


def test_batch_lists_folders_pdfs_tiffs_and_single_page_images(tmp_path):
    (tmp_path / "A").mkdir()
    (tmp_path / "B.pdf").write_bytes(b"")
    (tmp_path / "C.tif").write_bytes(b"")
    (tmp_path / "D.jpg").write_bytes(b"")
    (tmp_path / "readme.txt").write_text("x")
    (tmp_path / "READY").write_text("")
    dossiers, ignored = dossier_paths(tmp_path)
    assert [d.name for d in dossiers] == ["A", "B.pdf", "C.tif", "D.jpg"]
    assert ignored == ["readme.txt"]


def test_a_single_page_image_is_a_one_page_dossier(tmp_path):
    page_image().save(tmp_path / "HS-9.png", dpi=(200, 200))
    source = read_dossier(tmp_path / "HS-9.png", LIMIT)
    assert isinstance(source, DossierSource)
    assert (source.file_code, source.kind, len(source.pages), source.pages[0].dpi) == ("HS-9", "image", 1, 200)


def test_multipage_tiff_gives_one_page_per_frame(tmp_path):
    path = tmp_path / "HS-2.tif"
    frames = [page_image(colour=c) for c in ("white", "grey", "white")]
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(300, 300), compression="tiff_deflate")
    source = read_dossier(path, LIMIT)
    assert [(p.number, p.frame, p.dpi) for p in source.pages] == [(1, 0, 300), (2, 1, 300), (3, 2, 300)]
    image, dpi, _ = load_page(source.pages[1])
    assert image.getpixel((5, 5)) == (128, 128, 128)
    assert getattr(image, "n_frames", 1) == 1  # that page alone, not the open file of every page


def test_exif_orientation_is_honoured(tmp_path):
    folder = tmp_path / "HS-3"
    folder.mkdir()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    (folder / "1.jpg").write_bytes(jpeg_bytes(page_image((1169, 827)), exif=exif, dpi=(100, 100)))
    source = read_dossier(folder, LIMIT)
    image, _, _ = load_page(source.pages[0])
    assert image.size == (827, 1169)


@pytest.mark.parametrize("declared, size, expected", [
    ((300, 300), (2480, 3508), (300, False)),
    ((1, 1), (2480, 3508), (300, True)),
    ((0, 0), (1654, 2339), (200, True)),
    (None, (1654, 2339), (200, True)),
    ((204, 196), (1728, 2200), (204, False)),  # fax: load_page squares the pixels
    ((72000, 72000), (1654, 2339), (200, True)),
])
def test_implausible_dpi_is_estimated_from_a4(declared, size, expected):
    assert sane_dpi(declared, size) == expected


def make_bad(tmp_path, kind: str):
    """A dossier folder or file that must be rejected, named for what is wrong with it."""
    good = jpeg_bytes(page_image(), dpi=(150, 150))
    folder = tmp_path / kind
    if kind == "encrypted-pdf":
        pdf = pikepdf.new()
        pdf.add_blank_page()
        path = tmp_path / "encrypted.pdf"
        pdf.save(path, encryption=pikepdf.Encryption(user="secret", owner="owner"))
        return path, "encrypted"
    if kind == "truncated-pdf":
        buf = io.BytesIO()
        page_image().save(buf, "PDF", resolution=150)
        path = tmp_path / "truncated.pdf"
        path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
        return path, "truncated"
    if kind == "empty-pdf":
        path = tmp_path / "empty.pdf"
        path.write_bytes(b"")
        return path, "empty"
    folder.mkdir()
    (folder / "1.jpg").write_bytes(good)
    bad = folder / "2.jpg"
    if kind == "truncated-jpeg":
        bad.write_bytes(good[: len(good) // 3])
        reason = "truncated"
    elif kind == "corrupt-jpeg":
        bad.write_bytes(good[:600] + bytes(range(256)) * 40)
        reason = "corrupt"
    elif kind == "empty-file":
        bad.write_bytes(b"")
        reason = "empty"
    elif kind == "not-an-image":
        bad = folder / "2.png"
        bad.write_text("<html>this is a web page saved with the wrong name</html>")
        reason = "not a readable image"
    elif kind == "pixel-bomb":
        bad = folder / "2.png"
        bad.write_bytes(png_header_bomb(40000, 40000))
        reason = "decompression bomb"
    else:
        raise ValueError(kind)
    return folder, reason, bad.name


def png_header_bomb(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge 1-bit image."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    rows = zlib.compress(b"\x00" * (1 + width // 8) * 16)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


@pytest.mark.parametrize("kind", ["truncated-jpeg", "corrupt-jpeg", "empty-file", "not-an-image", "pixel-bomb",
                                  "encrypted-pdf", "truncated-pdf", "empty-pdf"])
def test_bad_input_is_rejected_naming_file_and_reason(tmp_path, kind):
    set_pixel_limit(LIMIT)
    made = make_bad(tmp_path, kind)
    path, reason = made[0], made[1]
    bad_file = made[2] if len(made) > 2 else path.name
    result = probe_dossier(path, LIMIT)  # the sandboxed check the flow uses
    assert isinstance(result, Rejection), result
    assert result.file == bad_file
    assert reason in result.reason.lower()


def test_good_pdf_pages_get_their_native_resolution(tmp_path):
    path = tmp_path / "scan.pdf"
    pages = [page_image((1654, 2339)), page_image((1654, 2339))]
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=200)
    source = read_dossier(path, LIMIT)
    assert [(p.number, p.dpi) for p in source.pages] == [(1, 200), (2, 200)]
    image, dpi, _ = load_page(source.pages[1])
    assert dpi == 200 and abs(image.width - 1654) <= 2


def test_fax_resolution_pixels_are_made_square(tmp_path):
    folder = tmp_path / "fax"
    folder.mkdir()
    page_image((1728, 2200)).save(folder / "1.tif", dpi=(204, 196))
    image, dpi, estimated = load_page(read_dossier(folder, LIMIT).pages[0])
    assert (dpi, estimated) == (204, False)
    assert image.size == (1728, round(2200 * 204 / 196))


def test_natural_key():
    assert sorted(["a10", "a2", "A1"], key=natural_key) == ["A1", "a2", "a10"]


def slow_dossier(path, frames=120):
    """A multi-page TIFF whose check takes seconds: every frame is decoded in full."""
    page = Image.new("L", (2480, 3508), 255)
    page.save(path, save_all=True, append_images=[page] * (frames - 1), compression="tiff_adobe_deflate",
              dpi=(300, 300))
    return path


def probe_children() -> list[psutil.Process]:
    """The processes checking a dossier."""
    return [p for p in psutil.Process().children() if "sohoa.pipeline.probe" in p.cmdline()]


def test_a_check_that_crashes_or_hangs_costs_its_dossier_only(tmp_path):
    slow = slow_dossier(tmp_path / "slow.tif")
    hung = probe_dossier(slow, LIMIT, timeout_s=0.05)
    assert isinstance(hung, Rejection) and hung.reason == "reading the files took longer than 0.05 s"

    with ThreadPoolExecutor(1) as pool:
        crashing = pool.submit(probe_dossier, slow, LIMIT)
        while not probe_children():
            assert not crashing.done()
            time.sleep(0.01)
        probe_children()[0].send_signal(signal.SIGSEGV)  # as a decoder's fault on a hostile file would
        crashed = crashing.result()
    assert isinstance(crashed, Rejection) and crashed.reason == "the image decoder crashed (SIGSEGV)"

    page_image().save(tmp_path / "next.png", dpi=(100, 100))
    assert isinstance(probe_dossier(tmp_path / "next.png", LIMIT), DossierSource)  # the batch goes on
    assert not probe_children()


def test_one_child_checks_dossier_after_dossier_and_one_that_crashed_or_refused_is_replaced(tmp_path):
    goods = []
    for n in range(3):
        goods.append(tmp_path / f"good-{n}.png")
        page_image().save(goods[-1], dpi=(100, 100))
    slow = slow_dossier(tmp_path / "slow.tif")
    bad = make_bad(tmp_path, "truncated-jpeg")[0]
    with DossierProbe(LIMIT) as probe, ThreadPoolExecutor(1) as pool:
        assert isinstance(probe.check(goods[0]), DossierSource)
        first = probe_children()
        assert isinstance(probe.check(goods[1]), DossierSource)
        assert probe_children() == first  # started once, not for every dossier

        crashing = pool.submit(probe.check, slow)
        time.sleep(0.3)
        assert not crashing.done()
        first[0].send_signal(signal.SIGSEGV)
        assert crashing.result().reason == "the image decoder crashed (SIGSEGV)"
        assert isinstance(probe.check(goods[2]), DossierSource)  # in a new child
        second = probe_children()
        assert len(second) == 1 and second != first

        assert isinstance(probe.check(bad), Rejection)
        assert not probe_children()  # the child that met a hostile file is not kept for the next dossier
        assert isinstance(probe.check(goods[0]), DossierSource)
    assert not probe_children()
