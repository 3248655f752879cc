"""The exported record of a document (architecture contract; Decree 30 Phụ lục VI names)."""
from archive.store import StoredObject
from classifiers.layout import reading_text
from pipeline.model import Document

CONFIDENCE_LEVEL_DIGITISED = "02"  # TT05: 01 born-digital, 02 digitised, 03 mixed


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
        "language": "vi",
        "confidence_level": CONFIDENCE_LEVEL_DIGITISED,
        "page_amount": len(doc.pages),
        "pages": [{"number": p.number, "source": p.source_name, "text": reading_text(p.text),
                   "confidence": round(p.text.confidence, 1), "page_class": cls, "dpi": p.dpi}
                  for p, cls in zip(doc.pages, doc.page_classes)],
        "confidence": {name: round(v.confidence, 3) for name, v in doc.fields.items() if v.value is not None},
        "needs_review": doc.needs_review,
        "review_reasons": doc.review_reasons,
        "pdf": {"key": pdf.key, "sha256": pdf.sha256, "size": pdf.size},
    }
