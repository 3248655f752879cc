"""Digital signatures in a PDF: found and described, so that the signed file is kept as it came.

A signature covers the file's exact bytes; the PDF/A made from its pages cannot carry it. The signed
original is therefore archived untouched beside the PDF/A, and each record says who signed and when,
as the signature dictionary and its certificates state. Whether a signature is valid (chain of trust,
revocation) is not judged here.
"""
import datetime as dt
import re
from pathlib import Path

import pikepdf
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Z+\-])?(\d{2})?'?(\d{2})?")


def pdf_date(value: str) -> str | None:
    """ISO 8601 from a PDF date string ("D:20260315093000+07'00'")."""
    match = PDF_DATE.match(value or "")
    if not match:
        return None
    year, month, day, hour, minute, second, sign, tz_h, tz_m = match.groups()
    moment = dt.datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                         int(second or 0))
    if sign in ("+", "-"):
        offset = dt.timedelta(hours=int(tz_h or 0), minutes=int(tz_m or 0))
        moment = moment.replace(tzinfo=dt.timezone(offset if sign == "+" else -offset))
    elif sign == "Z":
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.isoformat()


def certificate_names(contents: bytes) -> list[str]:
    """Common names of the certificates in a signature's CMS container ([] when unreadable)."""
    try:
        certificates = pkcs7.load_der_pkcs7_certificates(contents.rstrip(b"\x00"))
    except ValueError:
        return []
    names = []
    for certificate in certificates:
        common = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        names.append(common[0].value if common else certificate.subject.rfc4514_string())
    return names


def _signature_fields(fields) -> list:
    found = []
    for field in fields or []:
        if field.get("/FT") == pikepdf.Name.Sig and "/V" in field:
            found.append(field)
        found += _signature_fields(field.get("/Kids"))
    return found


def pdf_signatures(path: Path) -> list[dict]:
    """One description per signed signature field of the PDF; [] for an unsigned file."""
    with pikepdf.open(path) as pdf:
        form = pdf.Root.get("/AcroForm")
        signatures = []
        for field in _signature_fields(form.get("/Fields") if form is not None else None):
            value = field.V
            text = {key: str(value.get(f"/{key}", "")) or None for key in ("Name", "Reason", "Location")}
            signatures.append({
                "field": str(field.get("/T", "")) or None,
                "signer": text["Name"], "reason": text["Reason"], "location": text["Location"],
                "signed_at": pdf_date(str(value.get("/M", ""))),
                "format": str(value.get("/SubFilter", "")).lstrip("/") or None,
                "certificates": certificate_names(bytes(value.get("/Contents", b""))),
            })
        return signatures
