"""A copy of a record as handed out or shown: the stored PDF, checked against its checksum, stamped for the
one it is made for, and logged as an access event."""
from sohoa.archive.catalogue import checked_object
from sohoa.archive.stamp import CopyStamp, stamped
from sohoa.core.access import OPEN, Viewer, access_mode, secrecy_level
from sohoa.pipeline.access_events import log_access
from sohoa.pipeline.backends import Backends

COPY_SCOPES = ("copy", "certified-copy")


def copy_needs_grant(record: dict) -> bool:
    """Copies of an open record are free to whoever may read it; of any other, only under an approved copy
    request (Circular 05 ch. 6; for a secret record, the authorisation Decree 26/2020 asks for)."""
    return access_mode(record) != OPEN or secrecy_level(record.get("secrecy")) > 0


def make_copy(backends: Backends, viewer: Viewer, record: dict, stamp: CopyStamp, what: str) -> bytes:
    """The record's PDF stamped; what (a copy made, pages viewed) is logged as an access event."""
    pdf = record["pdf"]
    copy = stamped(checked_object(backends.store, pdf["key"], pdf["sha256"]), stamp)
    log_access(backends, record["file_code"], f"{record['doc_id']}: {what}", [(pdf["key"], pdf["sha256"])],
               viewer.login)
    return copy
