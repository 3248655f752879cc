"""The exported record of a document (architecture contract; Decree 30 Phụ lục VI names)."""
from sohoa.archive.store import StoredObject
from sohoa.classifiers.layout import reading_text
from sohoa.core.model import TEXT_LAYER, Document

BORN_DIGITAL, DIGITISED, MIXED = "01", "02", "03"  # TT05 confidence level


def confidence_level(doc: Document) -> str:
    """Born-digital when every page's text is the PDF's own, digitised when every page was read by OCR."""
    sources = {p.text_source for p in doc.pages}
    return MIXED if len(sources) > 1 else BORN_DIGITAL if sources == {TEXT_LAYER} else DIGITISED


def make_record(doc: Document, pdf: StoredObject, extra: dict) -> dict:
    return {
        "doc_id": doc.doc_id,
        "file_code": doc.file_code,
        "doc_ordinal": doc.ordinal,
        **{name: doc.value(name) for name in (
            "type_name", "type_code", "code_number", "code_notation", "issued_date", "organ_name",
            "subject", "signer_position", "signer_name", "secrecy", "urgency")},
        "place": extra.get("place"),
        "parent_organ": extra.get("parent_organ"),
        "signing_authority": extra.get("signing_authority"),
        "record_kind": extra.get("record_kind", "document"),  # or "attachment", "cover", "toc"
        "title": extra.get("title"),  # of a record without a Decree 30 header
        "language": "vi",
        "confidence_level": confidence_level(doc),
        "page_amount": len(doc.pages),
        "pages": [{"number": p.number, "source": p.source_name, "text": reading_text(p.text),
                   "confidence": round(p.text.confidence, 1), "page_class": cls, "dpi": p.dpi,
                   "text_source": p.text_source}
                  for p, cls in zip(doc.pages, doc.page_classes)],
        "confidence": {name: round(v.confidence, 3) for name, v in doc.fields.items() if v.value is not None},
        # every reading of a field read more than one way, when they differ: a reviewer picks from them
        "readings": {name: [{"reader": reader, "value": value} for reader, value in v.readings]
                     for name, v in doc.fields.items() if len({value for _, value in v.readings}) > 1},
        "needs_review": doc.needs_review,
        "review_reasons": doc.review_reasons,
        "pdf": {"key": pdf.key, "sha256": pdf.sha256, "size": pdf.size},
        **({"dossier_cover": extra["dossier_cover"]} if "dossier_cover" in extra else {}),
    }
