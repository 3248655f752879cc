"""The renewal of the agency's timestamps (run weekly by the schedule, or by `sohoa renew-timestamps`).

A signed PDF/A is due when the certificate its newest document timestamp was made with (without one: the
agency's own certificate) expires within SOHOA_RENEW_BEFORE_DAYS, or when that timestamp's digest is in
SOHOA_WEAK_DIGESTS. Its signatures are checked first, then it gets a new document timestamp from
SOHOA_TSA_URL, is validated by veraPDF and is committed as a new version of its dossier with a PREMIS
`digital signature generation` event; the version before stays as it was. A file that cannot be renewed is
named and the others go on; an authority that does not answer stops the run, leaving the rest for the next,
and the report says what was renewed before it stopped.
"""
import datetime as dt
import json
from dataclasses import dataclass, field

from sohoa.archive.catalogue import archived_file_codes, checked_object, manifest_records, version_chain
from sohoa.archive.premis import SIGNATURE_GENERATION, SUCCESS, Event, random_event_id
from sohoa.archive.store import sha256_hex
from sohoa.archive.validate import check_pdfa
from sohoa.archive.xml import vietnam_time
from sohoa.core.errors import BackendUnavailable, CorrectionRefused, DamagedArchive, UsageError
from sohoa.core.keys import pdf_key, record_key
from sohoa.core.settings import Settings
from sohoa.pipeline.agency_signing import signature_record
from sohoa.pipeline.agents import software
from sohoa.pipeline.backends import Backends
from sohoa.pipeline.new_version import commit_version, dossier_locked, next_version

LONGER_LIVED = "the authority (SOHOA_TSA_URL) needs a certificate valid longer, or a stronger digest"


@dataclass
class RenewalReport:
    checked: int = 0  # signed PDF/As looked at
    renewed: list[dict] = field(default_factory=list)  # doc_id, version, reason
    problems: list[str] = field(default_factory=list)
    stopped: str | None = None  # why the run stopped before the end (a service that did not answer)

    def to_json(self) -> dict:
        return {"checked": self.checked, "renewed": self.renewed, "problems": self.problems, "stopped": self.stopped}


@dataclass(frozen=True)
class Renewal:
    """What a run renews with."""
    roots: list
    tsa_url: str
    digest: str
    now: dt.datetime
    actor: str


def renew_timestamps(backends: Backends, settings: Settings, actor: str, now: dt.datetime | None = None
                     ) -> RenewalReport:
    """Renew every signed PDF/A that is due, dossier by dossier."""
    if not settings.tsa_url or not settings.trust_roots:
        raise UsageError("renewing timestamps needs a time-stamping authority (SOHOA_TSA_URL) and the CA "
                         "certificates to check what it renews against (SOHOA_TRUST_ROOTS)")
    from sohoa.archive.timestamp_renewal import renewal_digest  # pyHanko: only when renewing
    from sohoa.archive.trust_roots import load_trust_roots

    renewal = Renewal(load_trust_roots(settings.trust_roots), settings.tsa_url,
                      renewal_digest(settings.weak_digests), (now or dt.datetime.now()).astimezone(), actor)
    report = RenewalReport()
    for file_code in archived_file_codes(backends.store):
        try:
            chain, _ = version_chain(backends.store, file_code)
            if not chain:
                continue
            records = list(manifest_records(backends.store, chain[-1].manifest))
            report.checked += sum(1 for r in records if r.get("signature"))
            if due_documents(backends.store, settings, records, renewal.now, report.problems):
                renew_dossier(backends, settings, file_code, renewal, report)
        except (DamagedArchive, CorrectionRefused) as exc:  # verify's to name, or a dossier being changed
            report.problems.append(f"{file_code}: not renewed this time: {exc}")
        except BackendUnavailable as exc:  # what was renewed before stays committed, and reported
            report.stopped = f"stopped at dossier {file_code}, the next run takes up the rest: {exc}"
            break
    return report


def due_documents(store, settings: Settings, records: list[dict], now: dt.datetime, problems: list[str]
                  ) -> dict[str, str]:
    """doc_id -> why its PDF/A needs a new timestamp, among the records."""
    from sohoa.archive.timestamp_renewal import Protection, protection, renewal_reason

    due = {}
    for record in records:
        signature = record.get("signature")
        if not signature:
            continue
        if signature.get("protection"):
            found = Protection.from_json(signature["protection"])
        else:  # a record from before what a signature rests on was recorded: read from its PDF/A
            pdf = checked_object(store, record["pdf"]["key"], record["pdf"]["sha256"])
            try:
                found = protection(pdf)
            except Exception as exc:  # noqa: BLE001 - a PDF the parser cannot read, in many ways
                problems.append(f"{record['doc_id']}: not renewed: its PDF/A cannot be read ({type(exc).__name__})")
                continue
        reason = found and renewal_reason(found, now, settings.renew_before_days, settings.weak_digests)
        if reason:
            due[record["doc_id"]] = reason
    return due


def renew_dossier(backends: Backends, settings: Settings, file_code: str, renewal: Renewal,
                  report: RenewalReport) -> None:
    """The due PDF/As of one dossier timestamped anew and committed together as its next version."""
    store = backends.store
    with dossier_locked(backends, file_code):
        chain, _ = version_chain(store, file_code)  # read again under the lock: a correction may have come first
        if not chain:  # disposed of meanwhile
            return
        current = chain[-1]
        records = list(manifest_records(store, current.manifest))
        due = due_documents(store, settings, records, renewal.now, report.problems)
        version, now = next_version(backends, file_code, current), dt.datetime.now().astimezone()
        changed, renewed = {}, []  # doc_id -> (its new record, its PDF/A)
        for record in records:
            if record["doc_id"] not in due:
                continue
            done = renewed_record(store, settings, file_code, record, version, due[record["doc_id"]], renewal,
                                  report)
            if done is not None:
                changed[record["doc_id"]] = done
                renewed.append({"doc_id": record["doc_id"], "version": version, "reason": due[record["doc_id"]]})
        if not changed:
            return
        records = [changed[r["doc_id"]][0] if r["doc_id"] in changed else r for r in records]
        stored = {doc_id: (pdf, json.dumps(new, ensure_ascii=False, indent=1).encode("utf-8"))
                  for doc_id, (new, pdf) in changed.items()}
        objects = tuple(o for doc_id, (pdf, data) in stored.items()
                        for o in ((pdf_key(file_code, doc_id, version), sha256_hex(pdf)),
                                  (record_key(file_code, doc_id, version), sha256_hex(data))))
        detail = "; ".join(f"{r['doc_id']}: document timestamp added ({renewal.digest}) because {r['reason']}"
                           for r in renewed)
        event = Event(random_event_id(), SIGNATURE_GENERATION, vietnam_time(now), software(), SUCCESS, detail,
                      file_code, objects, renewal.actor)
        commit_version(backends, settings, current, records, stored, event, version, now)
    report.renewed += renewed
    try:  # the archive holds the new version already; `sohoa reindex` catches the index up if this fails
        backends.index.upsert([new for new, _ in changed.values()])
    except BackendUnavailable as exc:
        report.problems.append(f"{file_code}: renewed, but not indexed yet ({exc}): run sohoa reindex")


def renewed_record(store, settings: Settings, file_code: str, record: dict, version: int, reason: str,
                   renewal: Renewal, report: RenewalReport) -> tuple[dict, bytes] | None:
    """The record and its PDF/A with a new document timestamp, or None with the reason in the report when it
    cannot be renewed."""
    from sohoa.archive.signature_check import check_signatures
    from sohoa.archive.signing import agency_signature
    from sohoa.archive.timestamp_renewal import (RenewalRefused, add_document_timestamp, protection, protects_longer,
                                                 renewal_reason)

    doc_id = record["doc_id"]
    pdf = checked_object(store, record["pdf"]["key"], record["pdf"]["sha256"])
    if agency_signature(pdf) is None:
        report.problems.append(f"{doc_id}: not renewed: its record names the agency's signature, its PDF/A has none")
        return None
    failing = [f for f in check_signatures(pdf, renewal.roots) if not f.valid]
    if failing:
        report.problems.append(f"{doc_id}: not renewed: its {failing[0].kind} {failing[0].field} is not valid: "
                               f"{failing[0].detail}")
        return None
    try:
        renewed = add_document_timestamp(pdf, renewal.roots, renewal.tsa_url, renewal.digest)
    except RenewalRefused as exc:
        report.problems.append(f"{doc_id}: not renewed: {exc}")
        return None
    now_protected = protection(renewed)
    still = renewal_reason(now_protected, renewal.now, settings.renew_before_days, settings.weak_digests)
    if still:  # the authority's certificate ends within the notice: renewed now, due again at once
        if not protects_longer(now_protected, protection(pdf), settings.weak_digests):
            # committed, it would be renewed again every week, each time a new version under lock
            report.problems.append(f"{doc_id}: not renewed: the new timestamp would be due at once, as {still}, "
                                   f"and would protect the file no longer than what it has; {LONGER_LIVED}")
            return None
    verdict = check_pdfa([renewed], settings.pdfa_validation, settings.verapdf_lib)[0]
    if verdict.valid is False:
        report.problems.append(f"{doc_id}: not renewed: the timestamped PDF/A failed validation "
                               f"({verdict.validator}: {verdict.detail})")
        return None
    new = json.loads(json.dumps(record))
    new["pdf"] = {"key": pdf_key(file_code, doc_id, version), "sha256": sha256_hex(renewed), "size": len(renewed)}
    new["signature"] = signature_record(renewed)
    new["pdfa"] = {**record.get("pdfa", {}), "valid": verdict.valid, "validator": verdict.validator,
                   "detail": verdict.detail}
    new["version"] = version
    new["timestamp_renewed"] = {"at": vietnam_time(dt.datetime.now()), "version": version,
                                "reason": f"document timestamp added because {reason}"}
    if still:
        report.problems.append(f"{doc_id}: renewed, but the new timestamp is due already, as {still}; {LONGER_LIVED}")
    return new, renewed
