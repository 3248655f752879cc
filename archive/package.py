"""E-ARK CSIP 2 information packages of a dossier (TT05 profile): the AIP stored at ingest, the SIP
exported for a historical archive.

    METS.xml
    metadata/descriptive/EAD.xml                     the dossier
    metadata/preservation/PREMIS.xml                 files and events
    documentation/documents.csv                      the table of contents (mục lục văn bản)
    schemas/                                         the XML schemas the METS files use
    representations/rep1/METS.xml
    representations/rep1/metadata/descriptive/EAD_doc_<n>.xml
    representations/rep1/data/<doc_id>.pdf           PDF/A-2b, two layers
    representations/rep2/...                         a digitally signed original, as it came (if any)
"""
import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from sohoa.archive.ead import document_ead, dossier_ead
from sohoa.archive.mets import Header, PackageFile, representation_mets, root_mets
from sohoa.archive.premis import Event, FileObject, PremisDocument
from sohoa.core.keys import DOCUMENTS_REP, ORIGINAL_REP, original_path, pdf_path

SCHEMAS = Path(__file__).resolve().parent / "schemas"
PDFA = ("PDF/A-2b", "fmt/477")


@dataclass(frozen=True)
class Original:
    name: str
    data: bytes


def table_of_contents(records: list[dict]) -> bytes:
    """Mục lục văn bản: one row per document, in the columns archivists keep on paper."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["STT", "Mã định danh", "Số, ký hiệu", "Ngày, tháng, năm",
                     "Tên loại và trích yếu nội dung", "Tác giả", "Trang số", "Ghi chú"])
    for record in records:
        pages = [p["number"] for p in record["pages"]]
        code = "/".join(v for v in (record.get("code_number"), record.get("code_notation")) if v)
        title = " ".join(v for v in (record.get("type_name"), record.get("subject")) if v)
        writer.writerow([record["doc_ordinal"], record["doc_id"], code, record.get("issued_date") or "", title,
                         record.get("organ_name") or "", f"{pages[0]}-{pages[-1]}" if len(pages) > 1 else pages[0],
                         "cần xem lại" if record.get("needs_review") else ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM lets spreadsheets read it as UTF-8


def schema_files() -> list[PackageFile]:
    return [PackageFile(f"schemas/{p.name}", p.read_bytes(), "application/xml") for p in sorted(SCHEMAS.glob("*.xsd"))]


def build_package(header: Header, dossier: dict, documents: list[tuple[dict, bytes]], original: Original | None,
                  events: list[Event], key_prefix: str, earlier_premis: bytes | None = None) -> list[PackageFile]:
    """Every file of the package, METS.xml last. documents: (record, PDF/A bytes) in dossier order;
    key_prefix: where the package lives in object storage, so that events can name its files; earlier_premis:
    a later version's, the PREMIS of the version before, whose events it carries on."""
    created = header.created
    pdfs = [PackageFile(pdf_path(record["doc_id"]), pdf, "application/pdf") for record, pdf in documents]
    descriptions = [PackageFile(f"{DOCUMENTS_REP}metadata/descriptive/EAD_doc_{record['doc_ordinal']}.xml",
                                document_ead(record, f"../../data/{record['doc_id']}.pdf", created), "application/xml")
                    for record, _ in documents]
    representations = [("rep1", PackageFile(f"{DOCUMENTS_REP}METS.xml", representation_mets(
        replace(header, object_id=f"{header.object_id}/rep1"), DOCUMENTS_REP, descriptions, pdfs), "application/xml"))]
    objects = [FileObject(f.path, f.sha256, f.size, *(PDFA if record.get("pdfa", {}).get("valid") is not False
                                                      else ("PDF, not PDF/A-2b compliant", None)))
               for f, (record, _) in zip(pdfs, documents)]
    originals = []
    if original:
        originals = [PackageFile(original_path(original.name), original.data, "application/pdf")]
        representations.append(("rep2", PackageFile(f"{ORIGINAL_REP}METS.xml", representation_mets(
            replace(header, object_id=f"{header.object_id}/rep2"), ORIGINAL_REP, [], originals), "application/xml")))
        objects.append(FileObject(originals[0].path, originals[0].sha256, originals[0].size, "PDF (digitally signed)",
                                  original_name=original.name))
    ead = PackageFile("metadata/descriptive/EAD.xml", dossier_ead(dossier, created), "application/xml")
    premis = PackageFile("metadata/preservation/PREMIS.xml", PremisDocument(objects, events, earlier_premis).to_xml(
        lambda key: key[len(key_prefix):] if key.startswith(key_prefix) else None), "application/xml")
    documentation = [PackageFile("documentation/documents.csv", table_of_contents([r for r, _ in documents]),
                                 "text/csv")]
    schemas = schema_files()
    mets = PackageFile("METS.xml", root_mets(header, ead, premis, documentation, schemas, representations),
                       "application/xml")
    return [*pdfs, *originals, *descriptions, *(f for _, f in representations), ead, premis, *documentation,
            *schemas, mets]
