"""Compare exported records with the generator's ground truth."""
from collections import Counter

from rapidfuzz.distance import Levenshtein

from sohoa.core.text import nfc

FIELDS = ("type_name", "type_code", "code_number", "code_notation", "issued_date", "organ_name", "subject",
          "signer_name", "signer_position", "secrecy", "urgency")
SILENT_FIELDS = ("type_name", "code_number", "code_notation", "issued_date")


SUBJECT_CER_MAX = 0.1  # a subject is right within this character error rate of the printed one


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return nfc(str(a)).casefold() == nfc(str(b)).casefold()


def right(name: str, found, true) -> bool:
    """A field found as printed; a subject, a sentence, within SUBJECT_CER_MAX of it."""
    if name != "subject" or not found or not true:
        return same(found, true)
    return Levenshtein.distance(nfc(found), nfc(true)) / len(true) <= SUBJECT_CER_MAX


DOSSIER_PAGES = ("cover", "toc")  # pages of the dossier, not of a document


def evaluate(truth: dict, records: list[dict]) -> dict:
    """Fields, boundaries and silent errors of the documents (attachments included); the dossier's cover
    and table of contents are scored apart, as pages found for what they are."""
    by_dossier: dict[str, list[dict]] = {}
    dossier_pages = {(r["file_code"], p["number"]) for r in records if r.get("record_kind") in DOSSIER_PAGES
                     for p in r["pages"]}
    true_dossier_pages = {(d["file_code"], p["number"]) for d in truth["dossiers"] for p in d["pages"]
                          if p["kind"] in DOSSIER_PAGES}
    for record in records:
        if record.get("record_kind") not in DOSSIER_PAGES:
            by_dossier.setdefault(record["file_code"], []).append(record)
    correct, total = Counter(), 0
    boundaries_found = boundaries_true = boundaries_right = 0
    silent_errors, dossiers_right, mismatches = 0, 0, []
    for dossier in truth["dossiers"]:
        found = {r["pages"][0]["number"]: r for r in by_dossier.get(dossier["file_code"], [])}
        true_starts = {d["pages"][0] for d in dossier["documents"]}
        boundaries_true += len(true_starts)
        boundaries_found += len(found)
        boundaries_right += len(true_starts & set(found))
        dossiers_right += len(found) == len(dossier["documents"]) and true_starts == set(found)
        for doc in dossier["documents"]:
            total += 1
            record = found.get(doc["pages"][0])
            if record is None:
                mismatches.append((dossier["file_code"], doc["doc_ordinal"], "document", "not found"))
                continue
            wrong_key = False
            for name in FIELDS:
                if right(name, record.get(name), doc.get(name)):
                    correct[name] += 1
                else:
                    mismatches.append((record["doc_id"], name, doc.get(name), record.get(name)))
                    wrong_key = wrong_key or name in SILENT_FIELDS
            silent_errors += wrong_key and not record["needs_review"]
            correct["pages"] += [p["number"] for p in record["pages"]] == doc["pages"]
    return {
        "documents": total,
        "dossiers_split_right": dossiers_right / len(truth["dossiers"]),
        "accuracy": {name: correct[name] / total for name in FIELDS + ("pages",)},
        "boundary_precision": boundaries_right / boundaries_found if boundaries_found else 0.0,
        "boundary_recall": boundaries_right / boundaries_true if boundaries_true else 0.0,
        "silent_error_rate": silent_errors / total,
        "needs_review_rate": sum(r["needs_review"] for r in records) / len(records) if records else 0.0,
        "mismatches": mismatches,
        "dossier_pages": {"true": len(true_dossier_pages), "found": len(dossier_pages),
                          "right": len(true_dossier_pages & dossier_pages)},
    }
