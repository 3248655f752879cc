"""The search index held against object storage, both ways: every stored record indexed as it is
stored, and nothing indexed that the archive does not hold. Search serves the index, so an index
edited behind the archive's back would serve a forgery."""
from sohoa.archive.catalogue import stored_records
from sohoa.archive.fixity import Problem
from sohoa.archive.index import SearchIndex
from sohoa.archive.store import ObjectStore


def reconcile_index(store: ObjectStore, index: SearchIndex) -> tuple[int, list[Problem]]:
    """(records indexed, problems): records missing from the index, indexed records the archive does not
    hold, and indexed records that differ from the stored ones, with the fields that differ."""
    indexed = index.indexed_digests()
    problems, stored = [], set()
    for record in stored_records(store, damaged=lambda line: None):  # damaged records are verify's own findings
        doc_id, file_code = record["doc_id"], record["file_code"]
        stored.add(doc_id)
        if doc_id not in indexed:
            problems.append(Problem(file_code, doc_id, "index missing", detail="stored record not in the index"))
        elif indexed[doc_id] != index.expected_digest(record):
            problems.append(Problem(file_code, doc_id, "index differs", detail=differences(
                record, index.indexed_record(doc_id))))
    problems += [Problem("", doc_id, "index extra", detail="indexed, but the archive holds no such record")
                 for doc_id in sorted(set(indexed) - stored)]
    return len(indexed), problems


def differences(stored: dict, indexed: dict | None) -> str:
    if indexed is None:
        return "the indexed entry has no record"
    fields = sorted(k for k in stored.keys() | indexed.keys() if stored.get(k) != indexed.get(k))
    if fields:
        return "fields differ from the stored record: " + ", ".join(fields)
    return "the searchable text differs from the stored record"
