"""A dossier's recognised pages into documents: segmentation, then each document's metadata with its
confidences, and the reasons a record must be reviewed."""
from sohoa.classifiers.metadata import extract, review_reasons
from sohoa.classifiers.segment import segment_dossier
from sohoa.core.model import Document, FieldValue, RecognizedPage

NO_HEADER = "no Decree 30 header found: pages not recognised as a document"
FIELD_NAMES = ("type_name", "type_code", "code_number", "code_notation", "issued_date", "organ_name",
               "subject", "signer_position", "signer_name", "secrecy", "urgency")


def analyse_dossier(file_code: str, pages: list[RecognizedPage], review_threshold: float
                    ) -> list[tuple[Document, dict]]:
    """Each document with the fields the exported record carries beside the key ones (place, parent organ)."""
    documents = []
    for ordinal, group in enumerate(segment_dossier(pages), 1):
        if group.has_header:
            fields, extra = extract(group)
            reasons = review_reasons(fields, review_threshold)
        else:
            fields = {name: FieldValue(None, 0.0) for name in FIELD_NAMES}
            extra, reasons = {}, [NO_HEADER]
        documents.append((Document(file_code, ordinal, group.pages, group.classes, fields, bool(reasons), reasons),
                          extra))
    return documents


def pdf_title(doc: Document) -> str:
    """"Quyết định 15/QĐ-UBND: Về việc …" where known, else the document id."""
    code = f"{doc.value('code_number')}/{doc.value('code_notation')}" if doc.value("code_number") else ""
    head = " ".join(v for v in (doc.value("type_name"), code) if v)
    subject = doc.value("subject")
    return f"{head}: {subject}" if head and subject else head or doc.doc_id
