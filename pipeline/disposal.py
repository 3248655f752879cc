"""Disposal (tiêu hủy tài liệu hết giá trị): a dossier is destroyed only in two steps by two people.

`request` names the disposal decision it rests on and the reason; `approve`, by another account,
destroys the dossier. Both refuse a dossier kept for ever (retention 01, or 07 before a period is
fixed), one whose retention period has not ended, and one whose manifest is not the one the audit
log recorded at its commit (an edited retention date proves nothing). Every step and every refusal
is a PREMIS event: appraisal for the request, deaccession for the approval, deletion for the
objects. The audit log keeps the dossier's whole history, its checksums included: only the objects go.
"""
import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, replace

from sohoa.archive.catalogue import version_chain
from sohoa.archive.premis import APPRAISAL, DEACCESSION, DELETION, FAILURE, SUCCESS, Event, random_event_id
from sohoa.archive.store import sha256_hex
from sohoa.archive.xml import vietnam_time
from sohoa.core.errors import DisposalRefused
from sohoa.core.keys import dossier_prefix
from sohoa.core.manifest import Manifest
from sohoa.pipeline.agents import software
from sohoa.pipeline.backends import Backends
from sohoa.pipeline.packaging import retention_end

REQUESTED = "disposal requested"
MIN_AUTHORITY_CHARS = 5


@dataclass(frozen=True)
class DisposalRequest:
    identifier: str
    file_code: str
    actor: str
    time: str
    detail: str
    approved_by: str | None = None  # set once approved: a disposal cut short is finished by approving again


def request_disposal(backends: Backends, file_code: str, authority: str, reason: str, actor: str,
                     now: dt.datetime | None = None) -> Event:
    """Step one: a request resting on a disposal decision, for a dossier whose retention has ended."""
    now = now or dt.datetime.now().astimezone()
    with refusals_logged(backends, APPRAISAL, file_code, actor, now):
        if len(authority.strip()) < MIN_AUTHORITY_CHARS:
            raise DisposalRefused("--authority must name the disposal decision, e.g. 'Quyết định số 12/QĐ-UBND "
                                  "ngày 05/03/2026'")
        if not reason.strip():
            raise DisposalRefused("--reason must say why the dossier has no further value")
        checked_manifest(backends, file_code, now)
        if pending_request(backends, file_code):
            raise DisposalRefused(f"dossier {file_code} already has a disposal request waiting for approval")
    event = Event(random_event_id(), APPRAISAL, vietnam_time(now), software(), SUCCESS,
                  f"{REQUESTED} on the authority of {authority.strip()}; reason: {reason.strip()}", file_code, (),
                  actor)
    backends.record([event])
    return event


def approve_disposal(backends: Backends, file_code: str, actor: str, now: dt.datetime | None = None
                     ) -> tuple[Event | None, Event]:
    """Step two, by an account other than the requester's: every object of the dossier is deleted, its
    manifest last (a disposal cut short leaves it committed, and approving again finishes it), then its
    records leave the index. Returns the approval (None when finishing one) and the deletion events."""
    now = now or dt.datetime.now().astimezone()
    with refusals_logged(backends, DEACCESSION, file_code, actor, now):
        request = pending_request(backends, file_code)
        if request is None:
            raise DisposalRefused(f"dossier {file_code} has no disposal request to approve (sohoa dispose request)")
        if account(request.actor) == account(actor):
            raise DisposalRefused(f"the request was made by {request.actor}; another account must approve it")
        holder = backends.locks.acquire(file_code)
        if holder is not None:
            raise DisposalRefused(f"dossier {file_code} is being changed by {holder}; approve again once it is done")
    try:
        return dispose(backends, request, file_code, actor, now)
    finally:
        backends.locks.release(file_code)


def dispose(backends: Backends, request: DisposalRequest, file_code: str, actor: str, now: dt.datetime
            ) -> tuple[Event | None, Event]:
    with refusals_logged(backends, DEACCESSION, file_code, actor, now):
        manifest, ends = checked_manifest(backends, file_code, now)
    time = vietnam_time(now)
    approval = None
    if request.approved_by is None:
        approval = Event(random_event_id(), DEACCESSION, time, software(), SUCCESS,
                         f"disposal approved; request {request.identifier} by {request.actor} at {request.time}: "
                         f"{request.detail}", file_code, (), actor)
        backends.record([approval])
    objects = dossier_objects(backends, file_code)
    for object_key, _ in objects:  # the first version's manifest comes last
        backends.store.delete(object_key)
    deletion = Event(random_event_id(), DELETION, time, software(), SUCCESS,
                     f"dossier disposed of, retention {manifest.retention} ended {ends.date()}; {request.detail}; "
                     f"approved by {request.approved_by or actor}", file_code, tuple(objects), actor)
    backends.index.delete_dossier(file_code)
    backends.record([deletion])
    return approval, deletion


def dossier_objects(backends: Backends, file_code: str) -> list[tuple[str, str]]:
    """(key, SHA-256) of every object of every version of the dossier: the objects, then the later versions'
    manifests, newest first, then the first version's manifest."""
    chain, outside = version_chain(backends.store, file_code)
    versions = chain + outside
    objects = list(dict.fromkeys(pair for v in versions if v.manifest for pair in v.manifest.committed_objects()))
    manifests = [(v.key, v.sha256) for v in reversed(versions[1:])] + [(versions[0].key, versions[0].sha256)]
    known = {key for key, _ in objects + manifests}
    leftovers = [(key, sha256_hex(backends.store.get(key))) for key in backends.store.list(dossier_prefix(file_code))
                 if key not in known]  # of a correction cut short: committed by no manifest, yet the dossier's
    return leftovers + objects + manifests


def checked_manifest(backends: Backends, file_code: str, now: dt.datetime) -> tuple[Manifest, dt.datetime]:
    """The dossier's manifest and the end of its retention, if it is the manifest committed and its
    retention, from its code, has ended."""
    versions, outside = version_chain(backends.store, file_code)
    if not versions:
        raise DisposalRefused(f"dossier {file_code} is not archived")
    log = backends.audit.verify()
    if log.problems:
        raise DisposalRefused(f"the audit log has {len(log.problems)} problem(s) (sohoa verify names them): "
                              "no disposal rests on a damaged trail")
    for version in versions + outside:  # every version as logged: none forged to move the retention
        if log.commits.get(version.key) != version.sha256:
            raise DisposalRefused(f"the manifest {version.key} of {file_code} is not the one the audit log recorded "
                                  "at its commit")
    manifest = versions[0].manifest  # its retention and ingest time are the dossier's, whatever came after
    ends = retention_end(manifest.retention, dt.datetime.fromisoformat(manifest.ingested_at))
    if ends is None:
        raise DisposalRefused(f"dossier {file_code} is kept for ever (retention {manifest.retention or 'not set'})")
    if ends > now:
        raise DisposalRefused(f"dossier {file_code} is under retention {manifest.retention} until {ends.date()}")
    return manifest, ends


def pending_request(backends: Backends, file_code: str) -> DisposalRequest | None:
    """The dossier's disposal request not yet approved, read from the audit log (the index could be edited)."""
    pending = None
    for entry in backends.audit.entries():
        event = entry["event"]
        if event.get("file_code") != file_code or event.get("outcome") != SUCCESS:
            continue
        if event["type"] == APPRAISAL and event["detail"].startswith(REQUESTED):
            pending = DisposalRequest(event["identifier"], file_code, event.get("actor") or "?", event["time"],
                                      event["detail"])
        elif event["type"] == DEACCESSION and pending:
            pending = replace(pending, approved_by=event.get("actor") or "?")
        elif event["type"] == DELETION:
            pending = None
    return pending


def account(actor: str) -> str:
    """The account of an actor "user@host": the same person on two machines is still one identity."""
    return actor.rpartition("@")[0] or actor


@contextmanager
def refusals_logged(backends: Backends, event_type: str, file_code: str, actor: str, now: dt.datetime):
    """Log a refused disposal step as a failed event of its type, then let the refusal go on."""
    try:
        yield
    except DisposalRefused as exc:
        backends.record([Event(random_event_id(), event_type, vietnam_time(now), software(), FAILURE,
                               f"disposal refused: {exc}", file_code, (), actor)])
        raise
