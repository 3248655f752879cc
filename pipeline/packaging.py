"""A dossier's archival information package and the PREMIS events of its ingest.

Everything here is a function of the scans, the ingest's first start and its operator, so a resumed
ingest builds byte-identical packages and the same event identifiers (logged once).
"""
import datetime as dt

from sohoa.archive.mets import Header, PackageFile
from sohoa.archive.package import Original, build_package
from sohoa.archive.premis import (DIGEST, FAILURE, INGESTION, NOT_PERFORMED, PACKAGE_CREATION, SIGNATURE_GENERATION,
                                  SUCCESS, VALIDATION, Event, event_id)
from sohoa.archive.validate import PdfaVerdict
from sohoa.core.keys import aip_prefix
from sohoa.core.model import DossierSource
from sohoa.core.settings import Settings
from sohoa.pipeline.agents import software


def dossier_description(file_code: str, records: list[dict], settings: Settings) -> dict:
    """TT05 dossier fields from its cover where it has one read, else from its documents (the access mode
    they were archived with) and the configured defaults."""
    dates = sorted(r["issued_date"] for r in records if r.get("issued_date"))
    organs = [r["organ_name"] for r in records if r.get("organ_name")]
    secret = any(r.get("secrecy") for r in records)
    cover = next((r["dossier_cover"] for r in records if r.get("dossier_cover")), {})
    return {"file_code": file_code, "title": cover.get("title") or f"Hồ sơ {file_code}",
            "retention": cover.get("retention") or settings.default_retention,
            "access_mode": next((r["access_mode"] for r in records if r.get("access_mode")), None)
            or ("03" if secret else settings.default_access_mode), "language": "vi",
            "start_date": cover.get("start_date") or (dates[0] if dates else None),
            "end_date": cover.get("end_date") or (dates[-1] if dates else None),
            "documents": len(records), "pages": sum(r["page_amount"] for r in records),
            "organ_name": max(set(organs), key=organs.count) if organs else None}


RETENTION_YEARS = {"02": 70, "03": 50, "04": 30, "05": 20, "06": 10}  # Circular 05; 01 permanent, 07 not yet fixed


def retention_end(retention: str | None, start: dt.datetime) -> dt.datetime | None:
    """When the dossier's retention period ends, from its code alone (no setting shortens it); None when
    it never does: permanent (01), or a period not fixed yet (07, or no code)."""
    years = RETENTION_YEARS.get(retention or "")
    return None if years is None else start.astimezone(dt.timezone.utc) + dt.timedelta(days=round(365.25 * years))


def lock_until(retention: str | None, start: dt.datetime, permanent_lock_years: int) -> dt.datetime:
    """Until when the dossier's objects are locked against deletion (S3 Object Lock, compliance mode): its
    retention period, or for a dossier kept for ever the longest lock the settings allow."""
    return retention_end(retention, start) or \
        start.astimezone(dt.timezone.utc) + dt.timedelta(days=round(365.25 * permanent_lock_years))


def verdict_outcome(verdict: PdfaVerdict) -> str:
    return NOT_PERFORMED if verdict.valid is None else SUCCESS if verdict.valid else FAILURE


def ingest_events(source: DossierSource, records: list[dict], verdicts: list[PdfaVerdict], original: dict | None,
                  time: str, actor: str) -> list[Event]:
    """Ingestion, message digest calculation, one PDF/A validation per document, package creation."""
    agent, fc, scans = software(), source.file_code, source.fingerprint
    pdfs = [(r["pdf"]["key"], r["pdf"]["sha256"]) for r in records]
    data = tuple(pdfs + ([(original["key"], original["sha256"])] if original else []))
    events = [Event(event_id(fc, scans, INGESTION), INGESTION, time, agent, SUCCESS,
                    f"{len(source.pages)} pages from {source.kind} {source.path.name} (scans SHA-256 {scans}) "
                    f"archived as {len(records)} documents", fc, data, actor),
              Event(event_id(fc, scans, DIGEST), DIGEST, time, agent, SUCCESS, f"SHA-256 of {len(data)} files", fc,
                    data, actor)]
    for record, pdf in zip(records, pdfs):
        if record.get("signature"):
            signed = record["signature"]
            events.append(Event(event_id(fc, scans, SIGNATURE_GENERATION, record["doc_id"]), SIGNATURE_GENERATION,
                                signed["signed_at"], agent, SUCCESS,
                                f"{record['doc_id']}.pdf signed by {signed['agency']} ({signed['level']}; certificate "
                                f"{signed['signer']}, serial {signed['certificate_serial']})", fc, (pdf,), actor))
    for record, verdict, pdf in zip(records, verdicts, pdfs):
        events.append(Event(event_id(fc, scans, VALIDATION, record["doc_id"]), VALIDATION, time,
                            verdict.validator or agent, verdict_outcome(verdict),
                            f"{record['doc_id']}.pdf: {verdict.detail}", fc, (pdf,), actor))
    events.append(Event(event_id(fc, scans, PACKAGE_CREATION), PACKAGE_CREATION, time, agent, SUCCESS,
                        f"AIP {aip_prefix(fc)} (E-ARK CSIP 2, TT05)", fc, data, actor))
    return events


def dossier_package(source: DossierSource, description: dict, records: list[dict], pdfs: list[bytes],
                    events: list[Event], created: str) -> list[PackageFile]:
    header = Header(source.file_code, description["title"], "AIP", created, software().split(" ")[-1])
    original = Original(source.path.name, source.path.read_bytes()) if source.signatures else None
    return build_package(header, description, list(zip(records, pdfs)), original, events, aip_prefix(source.file_code))

