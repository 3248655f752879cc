"""Born-digital and digitally signed PDFs: a genuine text layer is used, a foreign or partial one is not,
and a signed file is archived byte for byte beside its PDF/A."""
import datetime as dt
import io
import json

import numpy as np
import pikepdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from fpdf import FPDF
from fpdf.enums import TextMode
from pdf2image import convert_from_path
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from sohoa.archive.fixity import verify_store
from sohoa.archive.store import LocalObjectStore
from sohoa.ocr.text_layer import trusted_text_layer
from sohoa.pipeline.signatures import pdf_signatures
from sohoa.synth.fonts import available_families

from tests.conftest import export_records, run_sohoa, store_and_audit_log

HEADER = [  # (x mm, y mm, text)
    (22, 20, "ỦY BAN NHÂN DÂN"), (112, 20, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    (24, 26, "TỈNH NINH BÌNH"), (124, 26, "Độc lập - Tự do - Hạnh phúc"),
    (22, 36, "Số: 215/QĐ-UBND"), (112, 36, "Ninh Bình, ngày 17 tháng 3 năm 2026"),
    (88, 52, "QUYẾT ĐỊNH"), (58, 59, "Về việc phê duyệt Kế hoạch số hóa tài liệu lưu trữ"),
    (30, 75, "Căn cứ Luật Lưu trữ ngày 21 tháng 6 năm 2024;"),
    (30, 83, "Điều 1. Phê duyệt Kế hoạch số hóa tài liệu lưu trữ năm 2026."),
    (30, 91, "Điều 2. Quyết định này có hiệu lực kể từ ngày ký."),
    (125, 110, "TM. ỦY BAN NHÂN DÂN"), (138, 116, "CHỦ TỊCH"), (132, 140, "Trần Văn Nam"),
]
SIGNER = "Trần Văn Nam"


APPENDIX = [(170, 20, "PHỤ LỤC"), (120, 28, "(Kèm theo Quyết định số 215/QĐ-UBND ngày 17 tháng 3 năm 2026)"),
            (30, 50, "Danh mục hồ sơ, tài liệu số hóa năm 2026 của các cơ quan, đơn vị trong tỉnh")]


def born_digital(path, lines=HEADER, appendix=False) -> None:
    """A PDF as an office suite writes it; with appendix, a second page in A3 landscape (mixed sizes)."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font("serif", "", available_families()[0].files["regular"])
    pdf.set_font("serif", size=12)
    for page_lines, options in [(lines, {})] + ([(APPENDIX, {"format": "A3", "orientation": "L"})] if appendix else []):
        pdf.add_page(**options)
        for x, y, text in page_lines:
            pdf.text(x, y, text)
    pdf.output(str(path))


def scan_with_signature_box_text(source, path) -> None:
    """The page as a scan (one image over the page) whose only text is a signature box's, invisible."""
    image = convert_from_path(source, dpi=150)[0]
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font("serif", "", available_families()[0].files["regular"])
    pdf.set_font("serif", size=9)
    pdf.add_page()
    pdf.image(image, x=0, y=0, w=210, h=297)
    pdf.text_mode = TextMode.INVISIBLE
    pdf.text(130, 150, "Ký bởi: Ủy ban nhân dân tỉnh Ninh Bình")
    pdf.output(str(path))


def sign(source, target, name=SIGNER) -> None:
    """Sign with a self-made certificate, as a registry's signing tool would (PAdES, detached CMS)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now)
                   .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256()))
    key_file, cert_file = target.with_suffix(".key"), target.with_suffix(".crt")
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    signer = signers.SimpleSigner.load(str(key_file), str(cert_file))
    key_file.unlink()
    cert_file.unlink()
    with open(source, "rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        out = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Signature1", reason="Ban hành"),
                               signer=signer)
        target.write_bytes(out.getvalue() if isinstance(out, io.BytesIO) else out.read())


def grey(path, dpi=200) -> np.ndarray:
    return np.asarray(convert_from_path(path, dpi=dpi)[0].convert("L"))


def test_a_born_digital_page_gives_its_own_words(tmp_path):
    source = tmp_path / "qd.pdf"
    born_digital(source)
    layer = trusted_text_layer(source, 0, 200, grey(source))
    assert layer is not None
    lines = [line.text for line in layer.lines]
    assert "Số: 215/QĐ-UBND" in lines and "Ninh Bình, ngày 17 tháng 3 năm 2026" in lines
    number = next(w for w in layer.words if w.text == "215/QĐ-UBND")
    baseline = 36 / 25.4 * 200  # boxes in pixels of the page rasterised at 200 dpi
    assert number.box[0] < layer.width / 2 and number.box[1] < baseline < number.box[3] + 5


def test_a_scan_or_a_partial_layer_is_not_trusted(tmp_path):
    source, scan = tmp_path / "qd.pdf", tmp_path / "scan.pdf"
    born_digital(source)
    scan_with_signature_box_text(source, scan)
    assert trusted_text_layer(scan, 0, 200, grey(scan)) is None  # a scan: read by OCR, whatever its layer says
    partial = tmp_path / "partial.pdf"
    born_digital(partial, HEADER[:2])  # the layer holds two lines while the page shows all of them
    assert trusted_text_layer(partial, 0, 200, grey(source)) is None


def test_signatures_are_described_from_the_signature_dictionary_and_certificate(tmp_path):
    source, signed = tmp_path / "qd.pdf", tmp_path / "signed.pdf"
    born_digital(source)
    assert pdf_signatures(source) == []
    sign(source, signed)
    [signature] = pdf_signatures(signed)
    assert signature["field"] == "Signature1" and signature["reason"] == "Ban hành"
    assert SIGNER in signature["certificates"]
    assert signature["signed_at"] and dt.datetime.fromisoformat(signature["signed_at"]).year >= 2026


@pytest.mark.slow
def test_a_signed_born_digital_dossier_is_archived_with_its_original(tmp_path):
    batch, home = tmp_path / "batch", tmp_path / "home"
    batch.mkdir()
    source, signed = tmp_path / "qd.pdf", batch / "H49.64.33.2026.007.pdf"
    born_digital(source, appendix=True)
    sign(source, signed)
    done = run_sohoa(home, "ingest", str(batch), "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    [record] = export_records(home)
    assert record["confidence_level"] == "01" and record["pages"][0]["text_source"] == "pdf text layer"
    assert (record["code_number"], record["code_notation"], record["issued_date"]) == ("215", "QĐ-UBND", "2026-03-17")
    assert record["organ_name"] == "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH" and record["signer_name"] == SIGNER
    store = LocalObjectStore(home / "objects")
    with pikepdf.open(io.BytesIO(store.get(record["pdf"]["key"]))) as pdf:  # the appendix kept its size
        sizes = [tuple(round(float(v)) for v in page.mediabox[2:]) for page in pdf.pages]
    assert [p["page_class"] for p in record["pages"]] == ["first", "appendix"] and sizes == [(595, 842), (1191, 842)]
    original = record["signed_original"]
    assert store.get(original["key"]) == signed.read_bytes()  # byte for byte: the signature still holds
    assert SIGNER in original["signatures"][0]["certificates"]
    assert original["key"] == f"dossiers/{record['file_code']}/aip/representations/rep2/data/{signed.name}"
    report = verify_store(store, store_and_audit_log(home)[1])
    assert report.all_problems() == [] and report.objects > 3
    manifest = json.loads(store.get(f"dossiers/{record['file_code']}/manifest.json"))
    assert manifest["signed_original"]["sha256"] == original["sha256"]
