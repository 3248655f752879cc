"""A dossier's recognised pages into documents: segmentation, then each document's metadata with its
confidences, and the reasons a record must be reviewed."""
from sohoa.classifiers.dossier_pages import code_key, listed_dates, read_cover, read_toc, toc_differences
from sohoa.classifiers.layout import Segment
from sohoa.classifiers.metadata import extract, review_reasons
from sohoa.classifiers.segment import PageGroup, segment_dossier
from sohoa.core.model import Document, FieldValue, RecognizedPage
from sohoa.core.text import nfc

NO_HEADER = "no Decree 30 header found: an attachment, titled from its first lines"
FIELD_NAMES = ("type_name", "type_code", "code_number", "code_notation", "issued_date", "organ_name",
               "subject", "signer_position", "signer_name", "secrecy", "urgency")
TOC_TITLE = "Mục lục văn bản"
LISTED_ONLY_CONFIDENCE = 0.5  # a date only the table of contents gives: a person confirms it on the document


def analyse_dossier(file_code: str, pages: list[RecognizedPage], review_threshold: float
                    ) -> list[tuple[Document, dict]]:
    """Each record with the fields the exported record carries beside the key ones (place, parent organ,
    what kind of record it is). A table of contents is checked against the documents found, and gives the
    date of a document whose own date was not read."""
    groups = segment_dossier(pages)
    dates = {code: date for group in groups if group.kind == "toc" for feats in group.features
             for code, date in listed_dates(feats.segments).items()}
    analysed = []
    for group in groups:
        if group.has_header:
            fields, extra = extract(group)
            from_toc = dated_from_toc(fields, dates)
            reasons = review_reasons(fields, review_threshold) + from_toc
        else:
            fields = {name: FieldValue(None, 0.0) for name in FIELD_NAMES}
            extra, reasons = headerless_record(group)
        analysed.append((group, fields, {**extra, "record_kind": group.kind}, reasons))
    found = [f"{fields['code_number'].value}/{fields['code_notation'].value}" for group, fields, _, _ in analysed
             if group.has_header and fields["code_number"].value and fields["code_notation"].value]
    for group, _, extra, reasons in analysed:
        if group.kind == "toc":
            reasons += toc_differences(extra["toc"], found)
    return [(Document(file_code, ordinal, group.pages, group.classes, fields, bool(reasons), reasons), extra)
            for ordinal, (group, fields, extra, reasons) in enumerate(analysed, 1)]


def dated_from_toc(fields: dict[str, FieldValue], dates: dict[str, str]) -> list[str]:
    """A document's date not read on it (a received stamp across the date line) taken from its row of the
    table of contents, in doubt; a date read that the row contradicts, a review reason."""
    number, notation, date = fields["code_number"].value, fields["code_notation"].value, fields["issued_date"]
    listed = dates.get(code_key(f"{number}/{notation}")) if number and notation else None
    if listed is None or date.value == listed:
        return []
    if date.value is None:
        fields["issued_date"] = FieldValue(listed, LISTED_ONLY_CONFIDENCE, (("table of contents", listed),))
        return ["issued_date from the table of contents"]
    return [f"the table of contents dates {number}/{notation} {listed}, the document {date.value}"]


def headerless_record(group: PageGroup) -> tuple[dict, list[str]]:
    """What a group of pages without a Decree 30 header says: a cover describes the dossier, a table
    of contents lists its documents, an attachment is titled from its first lines (and reviewed)."""
    segs = [seg for feats in group.features for seg in feats.segments]
    if group.kind == "cover":
        cover = read_cover(segs)
        return {"title": cover["title"], "dossier_cover": cover}, [] if cover["title"] else ["cover without a title"]
    if group.kind == "toc":
        return {"title": TOC_TITLE, "toc": read_toc(segs)}, []
    return {"title": first_line(segs)}, [NO_HEADER]


def first_line(segs: list[Segment]) -> str | None:
    """The first line with words on it: an attachment's heading."""
    return next((nfc(seg.text) for seg in segs if sum(ch.isalpha() for ch in seg.text) >= 3), None)


def pdf_title(doc: Document) -> str:
    """"Quyết định 15/QĐ-UBND: Về việc …" where known, else the document id."""
    code = f"{doc.value('code_number')}/{doc.value('code_notation')}" if doc.value("code_number") else ""
    head = " ".join(v for v in (doc.value("type_name"), code) if v)
    subject = doc.value("subject")
    return f"{head}: {subject}" if head and subject else head or doc.doc_id
