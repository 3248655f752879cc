"""Every signature in a stored PDF checked offline: the agency's on its PDF/As and those of signed originals
received from outside. Against the configured trust roots (SOHOA_TRUST_ROOTS), as of the time of signing
(the timestamp's when there is one), with the revocation data embedded in the file: what a court or an
auditor decades later will have, with no responder left to ask."""
import datetime as dt
import functools
import io
import logging
from dataclasses import dataclass

from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext

# pyHanko logs each certificate path it fails to build with a traceback; the finding says it in words.
for name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(name).setLevel(logging.CRITICAL)

TRUST_PROBLEMS = {  # AdES indications -> words
    "REVOKED_NO_POE": "its certificate was revoked before it signed",
    "REVOKED_CA_NO_POE": "a CA certificate of its chain was revoked before it signed",
    "OUT_OF_BOUNDS_NO_POE": "its certificate had expired (or was not yet valid) when it signed",
    "OUT_OF_BOUNDS_NOT_REVOKED": "its certificate had expired (or was not yet valid) when it signed",
    "EXPIRED": "its certificate had expired when it signed",
    "NO_CERTIFICATE_CHAIN_FOUND": "its certificate does not chain to the trust roots (SOHOA_TRUST_ROOTS)",
    "TRY_LATER": "no revocation data shows its certificate was not revoked when it signed",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": "no revocation data shows its certificate was not revoked when it signed",
}


@dataclass(frozen=True)
class SignatureFinding:
    field: str
    signer: str  # for a document timestamp: its authority
    signed_at: str | None  # ISO 8601: the timestamp's time, else what the signer stated
    valid: bool
    detail: str  # why not, in words; "valid" when it is
    kind: str = "signature"  # or "document timestamp"


def check_signatures(pdf: bytes, roots: list[x509.Certificate], renewed_here: bool = True,
                     now: dt.datetime | None = None) -> list[SignatureFinding]:
    """One finding per signature of the PDF ([] for an unsigned one). A file damaged anywhere (bit rot, a
    malformed original from outside) gives a finding saying it cannot be checked, never an error.

    renewed_here: the archive renews the file's timestamps (the agency's PDF/As), so the newest must hold
    now; a signed original received from outside is kept as it came, its newest timestamp checked as of
    when it was made."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_regular_signatures
        embedded = DocumentSecurityStore.read_dss(reader) if "/DSS" in reader.root else None
        stamps = reader.embedded_timestamp_signatures
    except Exception as exc:  # noqa: BLE001 - a damaged file raises from deep in the parser, of many kinds
        return [SignatureFinding("", "", None, False, f"the signed PDF cannot be read: {type(exc).__name__} {exc}")]
    checks = [(s, "signature", functools.partial(finding, s, embedded, roots)) for s in signatures]
    checks += [(s, "document timestamp",
                functools.partial(timestamp_finding, s, renewed_by, embedded, roots, renewed_here, now))
               for s, renewed_by in zip(stamps, stamps[1:] + [None])]
    findings = []
    for found, kind, check in checks:
        try:
            findings.append(check())
        except Exception as exc:  # noqa: BLE001 - as above, for one signature's dictionary, CMS or certificates
            findings.append(SignatureFinding(str(found.field_name or ""), "", None, False,
                                             f"cannot be checked: {type(exc).__name__} {exc}", kind))
    return findings


def finding(signature, embedded, roots: list[x509.Certificate]) -> SignatureFinding:
    certificate = signature.signer_cert
    subject = certificate.subject.native
    signer = subject.get("common_name") or subject.get("organization_name") or certificate.subject.human_friendly
    moment = timestamp_time(signature.signer_info) or signature.self_reported_timestamp
    # The revocation data embedded at signing was fetched in the seconds around the time the signer states.
    options = {"trust_roots": roots, "revocation_mode": "hard-fail", "moment": moment,
               "time_tolerance": dt.timedelta(minutes=5)}
    # A signed original received without revocation data: its CA's responders are asked now, and what they say
    # of a certificate that was never revoked is taken to hold back to the time of signing.
    context = embedded.as_validation_context(options) if embedded else ValidationContext(
        **options, allow_fetching=True, retroactive_revinfo=True)
    status = validate_pdf_signature(signature, context)
    return SignatureFinding(str(signature.field_name or ""), signer, moment.isoformat() if moment else None,
                            status.bottom_line, "valid" if status.bottom_line else why_not(status))


def timestamp_finding(stamp, renewed_by, embedded, roots: list[x509.Certificate], renewed_here: bool,
                      now: dt.datetime | None) -> SignatureFinding:
    """A document timestamp checked offline, as PAdES-LTA chains them: one that a later timestamp renewed as of
    that renewal, with the revocation data the renewal put in the file; the newest as of now when the archive
    renews it, its authority's certificate then still valid, else as of its own time (its revocation data
    enters the file only with the timestamp that renews it, so none is required of it)."""
    made_at = token_time(stamp.signed_data)
    if renewed_by is not None:
        options = {"trust_roots": roots, "revocation_mode": "hard-fail", "moment": token_time(renewed_by.signed_data),
                   "time_tolerance": dt.timedelta(minutes=5)}
    else:
        moment = (now or dt.datetime.now(dt.timezone.utc)) if renewed_here else made_at
        options = {"trust_roots": roots, "revocation_mode": "soft-fail", "moment": moment}
    context = embedded.as_validation_context(options) if embedded else ValidationContext(**options)
    status = validate_pdf_timestamp(stamp, validation_context=context)
    subject = status.signing_cert.subject.native
    valid = status.intact and status.valid and status.trusted
    return SignatureFinding(str(stamp.field_name or ""), subject.get("common_name") or "", made_at.isoformat(), valid,
                            "valid" if valid else why_not(status), "document timestamp")


def token_time(signed_data) -> dt.datetime:
    """The time a time-stamping authority states in its token."""
    return signed_data["encap_content_info"]["content"].parsed["gen_time"].native


def timestamp_time(signer_info) -> dt.datetime | None:
    """When the time-stamping authority saw the signature (RFC 3161 token among its unsigned attributes)."""
    for attribute in signer_info["unsigned_attrs"] or []:
        if attribute["type"].native == "signature_time_stamp_token":
            return token_time(attribute["values"][0]["content"])
    return None


def why_not(status) -> str:
    if not status.intact:
        return "the signed bytes were changed after signing"
    if not status.valid:
        return "the signature does not match its certificate's key"
    if getattr(status, "revoked", False):
        return "its certificate was revoked before it signed"
    if not status.trusted:
        problem = status.trust_problem_indic.name if status.trust_problem_indic else "NO_CERTIFICATE_CHAIN_FOUND"
        return TRUST_PROBLEMS.get(problem, f"its certificate is not trusted as of signing ({problem})")
    if not getattr(status, "docmdp_ok", True):
        return "the file was changed after signing in a way the signature does not allow"
    return "its timestamp is not valid"
