import json
import os

from sohoa.archive.fixity import verify_store
from sohoa.archive.store import LocalObjectStore


def archived_store(tmp_path):
    store = LocalObjectStore(tmp_path / "objects")
    pdf = store.put("dossiers/HS/HS.1.pdf", b"%PDF-1.7 scan", "application/pdf")
    meta = store.put("dossiers/HS/HS.1.json", b'{"doc_id": "HS.1"}', "application/json")
    manifest = {"file_code": "HS", "documents": [{"doc_id": "HS.1", "pdf_key": pdf.key, "pdf_sha256": pdf.sha256,
                                                   "metadata_key": meta.key, "metadata_sha256": meta.sha256}]}
    store.put("dossiers/HS/manifest.json", json.dumps(manifest).encode(), "application/json")
    return store, pdf


def test_intact_store_has_no_problem(tmp_path):
    store, _ = archived_store(tmp_path)
    report = verify_store(store)
    assert (report.objects, report.all_problems()) == (2, [])


def test_a_flipped_byte_is_named_with_both_checksums(tmp_path):
    store, pdf = archived_store(tmp_path)
    path = tmp_path / "objects" / pdf.key
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[3] ^= 0x01
    path.write_bytes(bytes(data))
    problems = verify_store(store).all_problems()
    assert [(p.kind, p.key, p.expected) for p in problems] == [("checksum mismatch", pdf.key, pdf.sha256)]
    assert problems[0].actual != pdf.sha256 and "dossier HS" in problems[0].line()


def test_missing_and_uncommitted_objects_are_named(tmp_path):
    store, pdf = archived_store(tmp_path)
    (tmp_path / "objects" / pdf.key).unlink()
    store.put("dossiers/HS2/HS2.1.pdf", b"%PDF orphan", "application/pdf")
    problems = verify_store(store).all_problems()
    assert sorted((p.kind, p.key) for p in problems) == [("missing", pdf.key),
                                                         ("uncommitted", "dossiers/HS2/HS2.1.pdf")]
