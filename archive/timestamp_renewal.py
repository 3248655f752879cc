"""The agency's signature kept verifiable past its certificates' life (PAdES B-LTA): before what the newest
document timestamp rests on expires, or once its digest counts as weak, a new document timestamp is added
over the whole file. The validation data of the timestamp it renews (its authority's chain and revocation
data) goes into the file's DSS first, so that the new timestamp vouches for it. Each renewal is an
incremental update: every byte before it, the agency's signature included, stays as it was.
"""
import datetime as dt
import io
from dataclasses import dataclass

from asn1crypto import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers, timestamps
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathError, ValidationError

from sohoa.archive.signing import FIELD, TSA_TIMEOUT_S
from sohoa.core.errors import SigningUnavailable

STRONG = ("sha256", "sha384", "sha512")  # what a renewal is made with: the first not counted as weak
UNANSWERED = (AdESIndeterminate.TRY_LATER,)  # a responder that did not answer: the run stops, nothing is judged


class RenewalRefused(Exception):
    """This file cannot be renewed as it is (its newest timestamp is not valid now): a case for a person."""


@dataclass(frozen=True)
class Protection:
    """What the agency's signature on a PDF/A rests on today: its newest document timestamp, else itself."""
    by: str  # "document timestamp" or "signature"
    certificate: str  # the subject of the certificate it was made with
    expires: dt.datetime  # when that certificate expires
    digests: tuple[str, ...]  # the digest of the document and the one signed, as the CMS names them

    def to_json(self) -> dict:
        return {"by": self.by, "certificate": self.certificate, "expires": self.expires.isoformat(),
                "digests": list(self.digests)}

    @classmethod
    def from_json(cls, data: dict) -> "Protection":
        return cls(data["by"], data["certificate"], dt.datetime.fromisoformat(data["expires"]),
                   tuple(data["digests"]))


def protection(pdf: bytes) -> Protection | None:
    """None for a PDF/A the agency did not sign."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    stamps = reader.embedded_timestamp_signatures
    if stamps:
        newest, by = stamps[-1], "document timestamp"
    else:
        ours = [s for s in reader.embedded_regular_signatures if s.field_name == FIELD]
        if not ours:
            return None
        newest, by = ours[-1], "signature"
    certificate = newest.signer_cert
    subject = certificate.subject.native
    return Protection(by, subject.get("common_name") or certificate.subject.human_friendly,
                      certificate["tbs_certificate"]["validity"]["not_after"].native,
                      tuple(dict.fromkeys((newest.external_md_algorithm, newest.md_algorithm))))


def renewal_reason(found: Protection, now: dt.datetime, before_days: int, weak: tuple[str, ...]) -> str | None:
    """Why the file needs a new document timestamp now, in words (None while it does not)."""
    weak_ones = [d for d in found.digests if d in weak]
    if weak_ones:
        return f"its {found.by} is made with {', '.join(weak_ones)}, counted as weak (SOHOA_WEAK_DIGESTS)"
    if found.expires - now <= dt.timedelta(days=before_days):
        return (f"the certificate of its {found.by} ({found.certificate}) expires on "
                f"{found.expires.date().isoformat()}")
    return None


def revocation_unknown(status, stamp, roots: list[x509.Certificate]) -> bool:
    """Whether a timestamp failed only for want of its authority's revocation status (a responder or CRL
    server that did not answer): pyHanko reports that as a general chain failure, like a broken chain."""
    if status.trusted or not (status.intact and status.valid):
        return False
    lenient = ValidationContext(trust_roots=roots, allow_fetching=True, revocation_mode="soft-fail")
    return validate_pdf_timestamp(stamp, validation_context=lenient).trusted


def protects_longer(new: Protection, old: Protection, weak: tuple[str, ...]) -> bool:
    """Whether a renewal leaves the file better protected than it was: resting on a certificate that ends
    later, or on no weak digest where it rested on one."""
    return new.expires > old.expires or (not set(new.digests) & set(weak) and bool(set(old.digests) & set(weak)))


def renewal_digest(weak: tuple[str, ...]) -> str:
    strong = [d for d in STRONG if d not in weak]
    if not strong:
        raise SigningUnavailable(f"SOHOA_WEAK_DIGESTS counts every digest a timestamp can be made with as weak "
                                 f"({', '.join(STRONG)})")
    return strong[0]


def add_document_timestamp(pdf: bytes, roots: list[x509.Certificate], tsa_url: str, digest: str) -> bytes:
    """The PDF/A with the validation data of its newest timestamp and a new document timestamp appended.
    RenewalRefused when that timestamp is not valid now; SigningUnavailable when the authority or a revocation
    responder does not answer, or refuses."""
    context = ValidationContext(trust_roots=roots, allow_fetching=True, revocation_mode="hard-fail")
    reader = PdfFileReader(io.BytesIO(pdf))
    output = io.BytesIO(pdf)
    writer = IncrementalPdfFileWriter(output)
    stamper = signers.PdfTimeStamper(timestamps.HTTPTimeStamper(tsa_url, timeout=TSA_TIMEOUT_S))
    try:
        if reader.embedded_timestamp_signatures:
            newest = reader.embedded_timestamp_signatures[-1]
            status = validate_pdf_timestamp(newest, validation_context=context)
            if status.trust_problem_indic in UNANSWERED or revocation_unknown(status, newest, roots):
                raise SigningUnavailable("no document timestamp could be made: the revocation status of the newest "
                                         "one's authority could not be had (its OCSP responder or CRL did not "
                                         "answer, or only with data out of date)")
            if not (status.intact and status.valid and status.trusted):
                raise RenewalRefused(f"its newest document timestamp is not valid now "
                                     f"({status.summary()}): a new one would vouch for nothing")
            DocumentSecurityStore.supply_dss_in_writer(writer, newest.pkcs7_content, paths=(status.validation_path,),
                                                       validation_context=context)
        stamper.timestamp_pdf(writer, digest, context, in_place=True)
    except SigningError as exc:
        cause = f": {exc.__cause__}" if exc.__cause__ else ""
        raise SigningUnavailable(f"no document timestamp could be made: {exc}{cause}") from exc
    except OSError as exc:  # the authority or a responder unreachable
        raise SigningUnavailable(f"no document timestamp could be made: a service did not answer: {exc}") from exc
    except (PathError, ValidationError) as exc:  # the authority's certificate not trusted, or its status unknown
        raise SigningUnavailable(f"no document timestamp could be made: the authority's certificate cannot be "
                                 f"trusted now: {type(exc).__name__} {exc}") from exc
    return output.getvalue()
