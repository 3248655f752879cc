"""A reviewer's correction of a record, committed as a new version of its dossier, never over the old one.

The new version holds what changed: the record, the document's PDF/A with the corrected values in its text
layer (validated before anything is stored), and the AIP's metadata (EAD, PREMIS with the whole history and
a `metadata modification` event, METS with the same OBJID and a new LASTMODDATE). Everything else stays
where an earlier version stored it. Its manifest, naming the manifest before it, commits it; the audit log
records the commit. The caller indexes the returned record: the archive does not wait for the index.
"""
import datetime as dt
import json
from dataclasses import dataclass, field

from sohoa.archive.catalogue import checked_object, manifest_records, version_chain
from sohoa.archive.pdfa_revision import TextChange, literal, replace_once, revise_pdfa
from sohoa.archive.premis import METADATA_MODIFICATION, SUCCESS, Event, random_event_id
from sohoa.archive.store import sha256_hex
from sohoa.archive.validate import check_pdfa
from sohoa.archive.xml import vietnam_time
from sohoa.classifiers.doctypes import OTHER_CODE, by_name
from sohoa.core.access import UNKNOWN_SECRECY, secrecy_level
from sohoa.core.errors import CorrectionRefused, UsageError
from sohoa.core.keys import pdf_key, record_key
from sohoa.core.manifest import Manifest
from sohoa.core.settings import Settings
from sohoa.pipeline.agency_signing import signature_record, signed_pdfs, unsigned
from sohoa.pipeline.agents import software
from sohoa.pipeline.backends import Backends
from sohoa.pipeline.new_version import commit_version, described_dossier, dossier_locked, next_version

CORRECTABLE = ("type_name", "code_number", "code_notation", "issued_date", "organ_name", "parent_organ", "subject",
               "signer_position", "signer_name", "signing_authority", "place", "secrecy", "urgency", "title",
               "record_kind")
RECORD_KINDS = ("document", "attachment", "cover", "toc")
PAGE_CLASSES = ("first", "continuation", "appendix", "other", "blank", "cover", "toc")  # as classifiers.segment
IN_TEXT_LAYER = ("type_name", "organ_name", "parent_organ", "subject", "signer_position", "signer_name",
                 "signing_authority", "secrecy", "urgency", "title")  # printed as they are stored
SIGNATURE_BLOCK = ("signer_position", "signer_name", "signing_authority")  # printed last: found from the end
HUMAN = 1.0  # the confidence of a value a reviewer gave


@dataclass(frozen=True)
class Correction:
    doc_id: str
    fields: dict  # field name -> new value (None clears it)
    reason: str
    actor: str
    needs_review: bool | None = False  # False: settled, it leaves the review queue; True: sent to review; None: as is
    page_classes: dict = field(default_factory=dict)  # dossier page number -> its class (PAGE_CLASSES)


def file_code_of_doc(doc_id: str) -> str:
    return doc_id.rpartition(".")[0]


def checked_fields(fields: dict) -> dict:
    """The fields as a record stores them: text trimmed, "" as None; unknown fields and bad values refused."""
    unknown = sorted(set(fields) - set(CORRECTABLE))
    if unknown:
        raise UsageError(f"{', '.join(unknown)} cannot be corrected; the fields that can: "
                                f"{', '.join(CORRECTABLE)}")
    clean = {}
    for name, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise UsageError(f"{name} must be text or null")
        clean[name] = (" ".join(value.split()) or None) if value is not None else None
    date = clean.get("issued_date")
    if date:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise UsageError(f"issued_date {date!r} is not a date YYYY-MM-DD") from None
    if "record_kind" in clean and clean["record_kind"] not in RECORD_KINDS:
        raise UsageError(f"record_kind {clean['record_kind']!r} is none of {', '.join(RECORD_KINDS)}")
    if clean.get("secrecy") and secrecy_level(clean["secrecy"]) == UNKNOWN_SECRECY:
        raise UsageError(f"secrecy {clean['secrecy']!r} is none of Mật, Tối mật, Tuyệt mật")
    return clean


def printed_date(iso: str) -> str:
    """A date as Decree 30 prints it: a leading zero for days below 10 and months below 3."""
    day = dt.date.fromisoformat(iso)
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}" if day.month < 3 else \
        f"ngày {day.day:02d} tháng {day.month} năm {day.year}"


def date_pattern(iso: str | None) -> str:
    if not iso:
        return r"(?!)"
    day = dt.date.fromisoformat(iso)
    return rf"ngày\s+0?{day.day}\s+tháng\s+0?{day.month}\s+năm\s+{day.year}"


def number_and_symbol(record: dict) -> str | None:
    return "/".join(v for v in (record.get("code_number"), record.get("code_notation")) if v) or None


def text_changes(old: dict, new: dict, changed: set[str]) -> list[TextChange]:
    """What the text layer must say differently: each changed value that is printed, found by its old form."""
    changes = []
    if changed & {"code_number", "code_notation"} and number_and_symbol(new):
        before = number_and_symbol(old)
        changes.append(TextChange(literal(before) if before else r"(?!)", number_and_symbol(new)))
    if "issued_date" in changed and new.get("issued_date"):
        changes.append(TextChange(date_pattern(old.get("issued_date")), printed_date(new["issued_date"])))
    for name in IN_TEXT_LAYER:
        if name in changed and new.get(name):
            changes.append(TextChange(literal(old[name]) if old.get(name) else r"(?!)", new[name],
                                      last=name in SIGNATURE_BLOCK))
    return changes


def checked_page_classes(record: dict, page_classes: dict) -> dict[int, str]:
    """The page classes that change, by page number; pages not the record's and unknown classes refused."""
    numbers = {p["number"]: p.get("page_class") for p in record["pages"]}
    changes = {}
    for number, page_class in page_classes.items():
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise UsageError(f"page {number!r} is not a page number") from None
        if number not in numbers:
            raise UsageError(f"page {number} is not a page of {record['doc_id']} (its pages: "
                             f"{', '.join(map(str, numbers))})")
        if page_class not in PAGE_CLASSES:
            raise UsageError(f"page class {page_class!r} is none of {', '.join(PAGE_CLASSES)}")
        if numbers[number] != page_class:
            changes[number] = page_class
    return changes


def revised_record(record: dict, fields: dict, correction: Correction, version: int, time: str,
                   page_classes: dict[int, str] | None = None) -> dict:
    new = json.loads(json.dumps(record))
    new.update(fields)
    for page in new["pages"]:
        page["page_class"] = (page_classes or {}).get(page["number"], page.get("page_class"))
    if "type_name" in fields:
        known = by_name(fields["type_name"] or "")
        new["type_code"] = known.code if known else (OTHER_CODE if fields["type_name"] else None)
    for name, value in fields.items():
        if value is None:
            new["confidence"].pop(name, None)
        else:
            new["confidence"][name] = HUMAN
    for change in text_changes(record, new, set(fields)):
        for page in reversed(new["pages"]) if change.last else new["pages"]:
            text = replace_once(page["text"], change)
            if text is not None:
                page["text"] = text
                break
    if correction.needs_review is False:
        new["needs_review"], new["review_reasons"] = False, []
    elif correction.needs_review:
        new["needs_review"] = True
        new["review_reasons"] = [*new["review_reasons"], f"sent to review by {correction.actor}: {correction.reason}"]
    new["version"] = version
    new["reviewed"] = {"by": correction.actor, "at": time, "version": version, "reason": correction.reason}
    return new


def pdf_title(record: dict) -> str:
    head = " ".join(v for v in (record.get("type_name"), number_and_symbol(record)) if v)
    subject = record.get("subject") or record.get("title")
    return f"{head}: {subject}" if head and subject else head or subject or record["doc_id"]


def change_detail(doc_id: str, old: dict, fields: dict, correction: Correction,
                  page_classes: dict[int, str] | None = None) -> str:
    before = {p["number"]: p.get("page_class") for p in old["pages"]}
    changes = "; ".join([f"{name}: {json.dumps(old.get(name), ensure_ascii=False)} → "
                         f"{json.dumps(value, ensure_ascii=False)}" for name, value in fields.items()]
                        + [f"page {n} class: {json.dumps(before[n])} → {json.dumps(c)}"
                           for n, c in (page_classes or {}).items()])
    review = " (review settled)" if correction.needs_review is False and old.get("needs_review") else \
        " (sent to review)" if correction.needs_review and not old.get("needs_review") else ""
    return f"{doc_id} corrected{review}: {changes or 'accepted as read'}; reason: {correction.reason}"


def correct_record(backends: Backends, settings: Settings, correction: Correction,
                   now: dt.datetime | None = None) -> dict:
    """Commit the correction as a new version of the record's dossier; the record as it now is. A correction
    that changes nothing (the same values, nothing to settle) commits nothing and returns the record."""
    if not correction.reason.strip():
        raise UsageError("a correction needs a reason")
    file_code = file_code_of_doc(correction.doc_id)
    with dossier_locked(backends, file_code):
        return commit_correction(backends, settings, correction, file_code, (now or dt.datetime.now()).astimezone())


def commit_correction(backends: Backends, settings: Settings, correction: Correction, file_code: str,
                      now: dt.datetime) -> dict:
    store = backends.store
    chain, _ = version_chain(store, file_code)
    if not chain:
        raise CorrectionRefused(f"no record {correction.doc_id}")
    current = chain[-1]
    records = list(manifest_records(store, current.manifest))
    old = next((r for r in records if r["doc_id"] == correction.doc_id), None)
    if old is None:
        raise CorrectionRefused(f"no record {correction.doc_id}")
    fields = {k: v for k, v in checked_fields(correction.fields).items() if old.get(k) != v}
    if "secrecy" in fields and secrecy_level(fields["secrecy"]) < secrecy_level(old.get("secrecy")):
        raise CorrectionRefused(f"{correction.doc_id} is marked {old['secrecy']}: lowering a secrecy level is a "
                                "declassification by the competent authority, not a correction of a reading")
    page_classes = checked_page_classes(old, correction.page_classes)
    if not fields and not page_classes and correction.needs_review in (None, bool(old.get("needs_review"))):
        return old
    version, time = next_version(backends, file_code, current), vietnam_time(now)
    new = revised_record(old, fields, correction, version, time, page_classes)
    changes = text_changes(old, new, set(fields))
    pdf = checked_object(store, old["pdf"]["key"], old["pdf"]["sha256"])
    if changes or "subject" in fields or "title" in fields:
        key = pdf_key(file_code, new["doc_id"], version)
        pdf = signed_pdfs([revise_pdfa(unsigned(pdf), changes, pdf_title(new), now)], [key], store, settings)[0]
        verdict = check_pdfa([pdf], settings.pdfa_validation, settings.verapdf_lib)[0]
        if verdict.valid is False:
            raise CorrectionRefused(f"the corrected PDF/A of {correction.doc_id} failed validation "
                                    f"({verdict.validator}: {verdict.detail}); nothing was stored")
        new["pdf"] = {"key": key, "sha256": sha256_hex(pdf), "size": len(pdf)}
        new["signature"] = signature_record(pdf) if settings.signing else None
        new["pdfa"] = {**old.get("pdfa", {}), "valid": verdict.valid, "validator": verdict.validator,
                       "detail": verdict.detail}
    records = [new if r["doc_id"] == new["doc_id"] else r for r in records]
    record_bytes = json.dumps(new, ensure_ascii=False, indent=1).encode("utf-8")
    new_record_key = record_key(file_code, new["doc_id"], version)
    signed_again = "; its PDF/A signed again by the agency" if new["pdf"] != old["pdf"] and settings.signing else ""
    event = Event(random_event_id(), METADATA_MODIFICATION, time, software(), SUCCESS,
                  change_detail(new["doc_id"], old, fields, correction, page_classes) + signed_again, file_code,
                  ((new["pdf"]["key"], new["pdf"]["sha256"]), (new_record_key, sha256_hex(record_bytes))),
                  correction.actor)
    commit_version(backends, settings, current, records, {new["doc_id"]: (pdf, record_bytes)}, event, version, now)
    return new


DOSSIER_FIELDS = ("title", "paper_file_code", "start_date", "end_date", "organ_name", "description")


def fields_of(manifest: Manifest, records: list[dict], settings: Settings) -> dict:
    """The dossier's own fields of a version, from its manifest and records (both already read)."""
    described = described_dossier(manifest.file_code, records, settings, manifest.retention, manifest.dossier)
    return {name: described.get(name) for name in DOSSIER_FIELDS}


def correct_dossier(backends: Backends, settings: Settings, file_code: str, fields: dict, reason: str, actor: str,
                    now: dt.datetime | None = None) -> dict:
    """The dossier's own fields (its EAD) corrected, as a new version; the fields as they now are. Retention and
    access are not among them: they are appraisal decisions, not readings."""
    unknown = sorted(set(fields) - set(DOSSIER_FIELDS))
    if unknown:
        raise UsageError(f"{', '.join(unknown)} cannot be corrected; the dossier fields that can: "
                         f"{', '.join(DOSSIER_FIELDS)}")
    if any(value is not None and not isinstance(value, str) for value in fields.values()):
        raise UsageError("each dossier field is text or null")
    clean = {name: (" ".join(value.split()) or None) if value is not None else None for name, value in fields.items()}
    for name in ("start_date", "end_date"):
        if clean.get(name):
            try:
                dt.date.fromisoformat(clean[name])
            except ValueError:
                raise UsageError(f"{name} {clean[name]!r} is not a date YYYY-MM-DD") from None
    if "title" in clean and not clean["title"]:
        raise UsageError("a dossier needs a title")
    if not reason.strip():
        raise UsageError("a correction needs a reason")
    with dossier_locked(backends, file_code):
        now = (now or dt.datetime.now()).astimezone()
        chain, _ = version_chain(backends.store, file_code)
        if not chain:
            raise CorrectionRefused(f"no dossier {file_code}")
        current = chain[-1]
        records = list(manifest_records(backends.store, current.manifest))
        before = fields_of(current.manifest, records, settings)
        changed = {name: value for name, value in clean.items() if before.get(name) != value}
        if not changed:
            return before
        detail = "; ".join(f"{name}: {json.dumps(before.get(name), ensure_ascii=False)} → "
                           f"{json.dumps(value, ensure_ascii=False)}" for name, value in changed.items())
        event = Event(random_event_id(), METADATA_MODIFICATION, vietnam_time(now), software(), SUCCESS,
                      f"dossier {file_code} corrected: {detail}; reason: {reason}", file_code, (), actor)
        commit_version(backends, settings, current, records, {}, event, next_version(backends, file_code, current),
                       now, changed)
        return {**before, **changed}
