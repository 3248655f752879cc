"""The typed manifest and the key layout: one spelling of where things are, read and written alike."""
import json

import pytest

from sohoa.core.keys import (aip_prefix, file_code_of, is_manifest_key, log_entry_key, log_entry_seq, manifest_key,
                             pdf_key, record_key)
from sohoa.core.manifest import Manifest


def test_keys_name_the_dossier_they_belong_to():
    code = "H49.64.33.2024.001"
    for key in (manifest_key(code), record_key(code, f"{code}.1"), pdf_key(code, f"{code}.1"), aip_prefix(code)):
        assert key.startswith(f"dossiers/{code}/") and file_code_of(key) == code
    assert pdf_key(code, f"{code}.1") == f"dossiers/{code}/aip/representations/rep1/data/{code}.1.pdf"
    assert is_manifest_key(manifest_key(code))
    assert not is_manifest_key(f"dossiers/{code}/aip/manifest.json") and file_code_of(log_entry_key(7)) is None
    assert log_entry_seq(log_entry_key(7)) == 7


@pytest.mark.slow
def test_a_stored_manifest_reads_and_writes_back_to_the_same_bytes(ingested):
    home, run = ingested
    assert run.returncode == 0, run.stderr[-2000:]
    stored = sorted((home / "objects" / "dossiers").glob("*/manifest.json"))
    assert stored
    for path in stored:
        data = path.read_bytes()
        manifest = Manifest.from_bytes(data)
        assert manifest.to_bytes() == data  # the audit log holds this checksum: a repeat must write it again
        assert manifest_key(manifest.file_code) == path.relative_to(home / "objects").as_posix()
        keys = [key for key, _ in manifest.committed_objects()]
        assert len(keys) == len(set(keys)) and all((home / "objects" / key).is_file() for key in keys)


def test_a_manifest_older_than_packages_still_reads():
    old = {"file_code": "HS", "fingerprint": "f" * 64, "documents": [
        {"doc_id": "HS.1", "pdf_key": "dossiers/HS/HS.1.pdf", "pdf_sha256": "a" * 64,
         "metadata_key": "dossiers/HS/records/HS.1.json", "metadata_sha256": "b" * 64}]}
    manifest = Manifest.from_json(old)
    assert manifest.package is None and manifest.retain_until_time is None
    assert manifest.committed_objects() == [("dossiers/HS/HS.1.pdf", "a" * 64),
                                            ("dossiers/HS/records/HS.1.json", "b" * 64)]
    assert json.loads(manifest.to_bytes())["documents"] == old["documents"]
