"""The digitising agency's signature on a PDF/A (Decree 30: a digitised copy is valid once the agency that
made it signs it): PAdES, added as an incremental update so that the PDF/A before it stays byte for byte.

The signer's chain and its revocation data (OCSP, CRL) are embedded, so the signature can be checked
without the network long after. With a time-stamping authority (SOHOA_TSA_URL) the signature is
timestamped and a document timestamp added: PAdES baseline B-LTA, which later timestamps extend past the
certificates' life. Without one, the signing time is the signer's own claim (B-B with validation data).
The visible signature sits on the last page with what Decree 30 Phụ lục I asks of an agency's signature:
its name and the time of signing in Vietnam time (ISO 8601). RSA keys only: an elliptic-curve signature
would make pyHanko declare PDF 2.0, which a PDF/A-2 file cannot be.
"""
import atexit
import datetime as dt
import functools
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pikepdf
from asn1crypto import x509
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from sohoa.archive.signing_keys import AgencyKey, agency_name
from sohoa.archive.stamp import stamp_font
from sohoa.core.errors import SigningUnavailable

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FIELD = "ChuKySoCoQuan"  # the agency's signature field
BOX_PT = (230, 44)  # the visible signature: width and height
MARGIN_PT = 12
TSA_TIMEOUT_S = 30


@dataclass(frozen=True)
class Signature:
    """The agency's signature on a PDF/A, as the file states it."""
    signer: str  # the certificate's common name
    agency: str  # the organisation it was issued to
    signed_at: str  # ISO 8601, Vietnam time
    level: str
    certificate_serial: str  # hexadecimal

    def to_json(self) -> dict:
        return dict(self.__dict__)


VIETNAMESE = ("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
              "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴĐ")


@functools.cache
def _stamp_style() -> TextStampStyle:
    # The font is embedded (PDF/A); pyHanko's default Courier is not, and cannot write Vietnamese.
    return TextStampStyle(stamp_text="Cơ quan: %(agency)s\nThời gian ký: %(when)s",
                          text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(_stamp_font())), font_size=7),
                          border_width=1)


@functools.cache
def _stamp_font() -> Path:
    """The stamp's font cut down once to Latin and Vietnamese letters, without its layout tables: pyHanko
    subsets the font again for every signature, and a full font's tables take most of a signature's time."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = []
    font = subset.load_font(str(stamp_font()), options)
    cutter = subset.Subsetter(options)
    cutter.populate(text="".join(map(chr, range(32, 127))) + VIETNAMESE + "–—…“”‘’°")
    cutter.subset(font)
    handle, name = tempfile.mkstemp(prefix="sohoa-stamp-", suffix=".ttf")
    with os.fdopen(handle, "wb") as out:
        font.save(out)
    atexit.register(os.unlink, name)
    return Path(name)


def signature_box(pdf: bytes) -> tuple[int, int, int, int]:
    """The visible signature's box, in the bottom margin of the last page, right-aligned."""
    with pikepdf.open(io.BytesIO(pdf)) as document:  # the page's own box or the one it inherits
        x0, y0, x1, _ = (float(v) for v in document.pages[-1].mediabox)
    width, height = BOX_PT
    return int(x1 - MARGIN_PT - width), int(y0 + MARGIN_PT), int(x1 - MARGIN_PT), int(y0 + MARGIN_PT + height)


class AgencySigner:
    """Signs the PDF/As of a dossier with one key; the revocation data fetched for the first serves the rest."""

    def __init__(self, key: AgencyKey, roots: list[x509.Certificate], tsa_url: str | None):
        self.key, self.tsa_url = key, tsa_url
        self.context = ValidationContext(trust_roots=roots, allow_fetching=True, revocation_mode="hard-fail")
        self.stamper = timestamps.HTTPTimeStamper(tsa_url, timeout=TSA_TIMEOUT_S) if tsa_url else None

    def sign(self, pdf: bytes) -> bytes:
        """The PDF/A signed by the agency; SigningUnavailable when its certificate is not valid now (expired,
        revoked, not from the trust roots) or a service it needs did not answer."""
        when = dt.datetime.now(VIETNAM)  # shown on the page; the signature states pyHanko's own reading of the clock
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            reason="Số hóa tài liệu lưu trữ: bản sao điện tử từ bản giấy", embed_validation_info=True,
            use_pades_lta=bool(self.tsa_url), validation_context=self.context)
        pdf_signer = signers.PdfSigner(meta, self.key.signer, timestamper=self.stamper, stamp_style=_stamp_style(),
                                       new_field_spec=fields.SigFieldSpec(FIELD, on_page=-1, box=signature_box(pdf)))
        try:
            signed = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=io.BytesIO(),
                                         appearance_text_params={"agency": self.key.agency,
                                                                 "when": when.isoformat(timespec="seconds")})
        except SigningError as exc:
            cause = f": {exc.__cause__}" if exc.__cause__ else ""
            raise SigningUnavailable(f"the agency's signature could not be made: {exc}{cause}") from exc
        except OSError as exc:  # the TSA or a revocation responder unreachable
            raise SigningUnavailable(f"the agency's signature could not be made: a service did not answer: {exc}"
                                     ) from exc
        except Exception as exc:  # noqa: BLE001 - a token unplugged or its session lost mid-signature
            if type(exc).__module__.startswith("pkcs11"):
                raise SigningUnavailable(f"the agency's signature could not be made: the token failed: "
                                         f"{type(exc).__name__} {exc}") from exc
            raise
        return signed.getvalue()


def agency_signature(pdf: bytes) -> Signature | None:
    """The agency's signature on a PDF/A this module signed (None when it carries none)."""
    reader = PdfFileReader(io.BytesIO(pdf))
    ours = [s for s in reader.embedded_regular_signatures if s.field_name == FIELD]
    if not ours:
        return None
    certificate = ours[-1].signer_cert
    agency = agency_name(certificate)
    signed_at = ours[-1].self_reported_timestamp
    timestamped = any(a["type"].native == "signature_time_stamp_token"
                      for a in ours[-1].signer_info["unsigned_attrs"] or [])
    renewable = bool(reader.embedded_timestamp_signatures)
    level = "PAdES B-LTA" if timestamped and renewable else \
        "PAdES B-B, validation data embedded" + (", document timestamp" if renewable else "")
    return Signature(certificate.subject.native.get("common_name") or agency, agency,
                     signed_at.astimezone(VIETNAM).isoformat(timespec="seconds") if signed_at else "", level,
                     format(certificate.serial_number, "x"))


def unsigned_pdfa(pdf: bytes) -> bytes:
    """The PDF/A as it was before the agency signed it: the signature is an update appended to it, which a
    revision of the document (a correction, pages moved) drops before it is signed again."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    ours = [s for s in reader.embedded_regular_signatures if s.field_name == FIELD]
    if not ours:
        return pdf
    eof = pdf.rfind(b"%%EOF", 0, int(ours[0].byte_range[1]))
    if eof < 0:  # not an update appended to a whole PDF: nothing to take off
        return pdf
    end = eof + len(b"%%EOF")
    while pdf[end:end + 1] in (b"\r", b"\n"):
        end += 1
    return pdf[:end]
