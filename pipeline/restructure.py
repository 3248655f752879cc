"""A dossier's structure corrected: which pages make each document, in which order. Splitting a document,
merging two, moving or reordering pages are all one change, the dossier's documents and their pages as they
should be, committed as a new version of the dossier like any correction.

Each page keeps its number in the dossier (its place in the scans) and travels with its scan and text layer;
a document whose pages change gets a new PDF/A put together from them and validated. A document split off
gets the next unused `doc_id` and goes to review with its fields empty (nothing is guessed); a document left
without pages is no longer in the new version (earlier versions keep it). `doc_id`s never change or return.
"""
import copy
import datetime as dt
import json
from dataclasses import dataclass

from sohoa.archive.catalogue import checked_object, manifest_records, version_chain
from sohoa.archive.pdfa_revision import assemble_pdfa
from sohoa.archive.premis import METADATA_MODIFICATION, SUCCESS, Event, random_event_id
from sohoa.archive.store import sha256_hex
from sohoa.archive.validate import check_pdfa
from sohoa.archive.xml import vietnam_time
from sohoa.core.access import secrecy_level
from sohoa.core.errors import CorrectionRefused, UsageError
from sohoa.core.keys import pdf_key, record_key
from sohoa.core.settings import Settings
from sohoa.pipeline.agency_signing import signature_record, signed_pdfs, unsigned
from sohoa.pipeline.agents import software
from sohoa.pipeline.backends import Backends
from sohoa.pipeline.corrections import CORRECTABLE, pdf_title
from sohoa.pipeline.new_version import commit_version, dossier_locked, next_version


@dataclass(frozen=True)
class Restructure:
    file_code: str
    documents: list[tuple[str | None, list[int]]]  # (doc_id, or None for a new document; its dossier page numbers)
    reason: str
    actor: str


def page_span(numbers: list[int]) -> str:
    return f"{numbers[0]}-{numbers[-1]}" if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 1 \
        else ",".join(map(str, numbers))


def checked_structure(change: Restructure, records: list[dict]) -> None:
    """Every page of the dossier in exactly one document, every document with a page, known doc_ids once."""
    pages = sorted(p["number"] for r in records for p in r["pages"])
    given = sorted(n for _, numbers in change.documents for n in numbers)
    if given != pages:
        missing, extra = sorted(set(pages) - set(given)), sorted(set(given) - set(pages))
        twice = sorted({n for n in given if given.count(n) > 1})
        raise UsageError("every page of the dossier must be in exactly one document: " + "; ".join(
            part for part in (f"missing pages {missing}" if missing else "", f"no pages {extra} in the dossier"
                              if extra else "", f"pages {twice} given twice" if twice else "") if part))
    if any(not numbers for _, numbers in change.documents):
        raise UsageError("a document needs at least one page (leave out a document to merge it away)")
    known = {r["doc_id"] for r in records}
    named = [doc_id for doc_id, _ in change.documents if doc_id is not None]
    unknown = sorted(set(named) - known)
    if unknown or len(named) != len(set(named)):
        raise UsageError(f"documents must be the dossier's, each once: {', '.join(unknown) or 'one given twice'}")


def split_off(source: dict, doc_id: str, actor: str) -> dict:
    """A new document's record: the dossier's particulars from the one it came from, its fields to be read."""
    record = copy.deepcopy(source)
    for name in (*CORRECTABLE, "type_code", "place"):
        if name not in KEPT_ON_SPLIT:
            record[name] = None
    for name in ("dossier_cover", "reviewed", "pdfa", "readings"):
        record.pop(name, None)
    record.update(doc_id=doc_id, record_kind="document", confidence={}, needs_review=True,
                  review_reasons=[f"split off {source['doc_id']} by {actor}: its fields are to be read"])
    return record


KEPT_ON_SPLIT = ("secrecy", "urgency")  # marks of the pages themselves: a page split off stays as secret


def most_secret(records: list[dict]) -> str | None:
    """The secrecy mark of the most secret of the records: pages from a secret record keep it wherever they go."""
    marked = [r.get("secrecy") for r in records if r.get("secrecy")]
    return max(marked, key=secrecy_level) if marked else None


def highest_ordinal(chain) -> int:
    """The highest document number any version of the dossier has used: a new document never takes an old one's."""
    return max((int(d.doc_id.rpartition(".")[2]) for v in chain for d in v.manifest.documents
                if d.doc_id.rpartition(".")[2].isdigit()), default=0)


def restructure_dossier(backends: Backends, settings: Settings, change: Restructure,
                        now: dt.datetime | None = None) -> list[dict]:
    """Commit the dossier's new structure as a new version; its records as they now are, in order."""
    if not change.reason.strip():
        raise UsageError("a correction needs a reason")
    with dossier_locked(backends, change.file_code):
        return commit_structure(backends, settings, change, (now or dt.datetime.now()).astimezone())


def commit_structure(backends: Backends, settings: Settings, change: Restructure, now: dt.datetime) -> list[dict]:
    store, file_code = backends.store, change.file_code
    chain, _ = version_chain(store, file_code)
    if not chain:
        raise CorrectionRefused(f"no dossier {file_code}")
    current = chain[-1]
    records = list(manifest_records(store, current.manifest))
    checked_structure(change, records)
    by_id = {r["doc_id"]: r for r in records}
    page_of = {p["number"]: (r, i) for r in records for i, p in enumerate(r["pages"])}
    version, time = next_version(backends, file_code, current), vietnam_time(now)
    pdfs: dict[str, bytes] = {}
    bare: dict[str, bytes] = {}  # the same without the agency's signature

    def pdf_of(record: dict) -> bytes:
        if record["doc_id"] not in pdfs:
            pdfs[record["doc_id"]] = checked_object(store, record["pdf"]["key"], record["pdf"]["sha256"])
        return pdfs[record["doc_id"]]

    def unsigned_pdf_of(record: dict) -> bytes:
        if record["doc_id"] not in bare:
            bare[record["doc_id"]] = unsigned(pdf_of(record))
        return bare[record["doc_id"]]

    ordinal, new_records, built, lines = highest_ordinal(chain), [], {}, []
    for position, (doc_id, numbers) in enumerate(change.documents, 1):
        old = by_id.get(doc_id)
        if old is None:
            ordinal += 1
            record = split_off(page_of[numbers[0]][0], f"{file_code}.{ordinal}", change.actor)
        else:
            record = copy.deepcopy(old)
        record["doc_ordinal"] = position
        record["pages"] = [page_of[n][0]["pages"][page_of[n][1]] for n in numbers]
        record["page_amount"] = len(numbers)
        record["secrecy"] = most_secret([record] + [page_of[n][0] for n in numbers])
        if old is not None and old["pages"][0]["number"] not in numbers:  # its header page went elsewhere
            record["needs_review"] = True
            record["review_reasons"] = [*record.get("review_reasons", []),
                                        f"its first page went to another document ({change.actor}): check its fields"]
        if old is None or [p["number"] for p in old["pages"]] != numbers:
            # pages from the PDF/As as they were before the agency signed them: no signature moves with a page
            built[record["doc_id"]] = assemble_pdfa([(unsigned_pdf_of(page_of[n][0]), page_of[n][1])
                                                     for n in numbers], pdf_title(record), now)
            lines.append(f"{record['doc_id']} pages {page_span(numbers)}" + (" (new)" if old is None else ""))
        new_records.append(record)
    built = dict(zip(built, signed_pdfs(list(built.values()), [pdf_key(file_code, d, version) for d in built],
                                        store, settings)))
    verdicts = dict(zip(built, check_pdfa(list(built.values()), settings.pdfa_validation, settings.verapdf_lib)))
    changed = {}
    for record in new_records:
        doc_id, old = record["doc_id"], by_id.get(record["doc_id"])
        if doc_id in built:
            verdict, pdf = verdicts[doc_id], built[doc_id]
            if verdict.valid is False:
                raise CorrectionRefused(f"the new PDF/A of {doc_id} failed validation ({verdict.validator}: "
                                        f"{verdict.detail}); nothing was stored")
            record["pdf"] = {"key": pdf_key(file_code, doc_id, version), "sha256": sha256_hex(pdf), "size": len(pdf)}
            record["pdfa"] = {"flavour": "2b", "valid": verdict.valid, "validator": verdict.validator,
                              "detail": verdict.detail}
            record["signature"] = signature_record(pdf) if settings.signing else None
        if record != old:
            record["version"] = version
            record["reviewed"] = {"by": change.actor, "at": time, "version": version, "reason": change.reason}
            changed[doc_id] = (built.get(doc_id) or pdf_of(old),
                               json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    removed = sorted(set(by_id) - {r["doc_id"] for r in new_records})
    if not lines and not removed and [r["doc_id"] for r in records] == [r["doc_id"] for r in new_records]:
        return records  # the structure it already has
    lines += [f"{doc_id} left without pages, not in this version" for doc_id in removed]
    objects = tuple(pair for doc_id, (pdf, data) in changed.items() for pair in (
        (next(r for r in new_records if r["doc_id"] == doc_id)["pdf"]["key"], sha256_hex(pdf)),
        (record_key(file_code, doc_id, version), sha256_hex(data))))
    event = Event(random_event_id(), METADATA_MODIFICATION, time, software(), SUCCESS,
                  f"dossier {file_code} structure corrected: {'; '.join(lines) or 'documents reordered'}"
                  f"{'; its new PDF/As signed again by the agency' if built and settings.signing else ''}; "
                  f"reason: {change.reason}", file_code, objects, change.actor)
    commit_version(backends, settings, current, new_records, changed, event, version, now)
    return new_records
