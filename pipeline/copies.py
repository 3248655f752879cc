"""A copy of a record as handed out or shown: the stored PDF, checked against its checksum, stamped for the
one it is made for, and logged as an access event."""
from sohoa.archive.catalogue import checked_object
from sohoa.archive.stamp import CopyStamp, stamped
from sohoa.core.access import OPEN, Viewer, access_mode, secrecy_level
from sohoa.core.settings import Settings
from sohoa.pipeline.access_events import log_access
from sohoa.pipeline.agency_signing import signed_now, unsigned
from sohoa.pipeline.backends import Backends

COPY_SCOPES = ("copy", "certified-copy")


def copy_needs_grant(record: dict) -> bool:
    """Copies of an open record are free to whoever may read it; of any other, only under an approved copy
    request (Circular 05 ch. 6; for a secret record, the authorisation Decree 26/2020 asks for)."""
    return access_mode(record) != OPEN or secrecy_level(record.get("secrecy")) > 0


def make_copy(backends: Backends, viewer: Viewer, record: dict, stamp: CopyStamp, what: str,
              certified_by: Settings | None = None) -> bytes:
    """The record's PDF stamped; what (a copy made, pages viewed) is logged as an access event. A copy handed
    out is certified by the agency's signature over the stamped copy when certified_by has signing on; the
    stored PDF/A's own signature is left out (a stamp drawn over it would break it)."""
    pdf = record["pdf"]
    copy = stamped(unsigned(checked_object(backends.store, pdf["key"], pdf["sha256"])), stamp)
    if certified_by is not None and certified_by.signing is not None:
        copy, = signed_now([copy], certified_by)
    log_access(backends, record["file_code"], f"{record['doc_id']}: {what}", [(pdf["key"], pdf["sha256"])],
               viewer.login)
    return copy
