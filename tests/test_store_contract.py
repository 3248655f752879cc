"""The ObjectStore contract, run against the embedded folder and a real S3 server alike."""
import os
import uuid

import pytest

from sohoa.archive.s3store import S3ObjectStore
from sohoa.archive.store import LocalObjectStore, ObjectMissing, WriteOnceError, sha256_hex


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalObjectStore(tmp_path / "objects")
    return S3ObjectStore(request.getfixturevalue("s3_endpoint"), f"sohoa-{uuid.uuid4().hex[:12]}")


def test_put_get_head_list(store):
    obj = store.put("dossiers/A/A.1.pdf", b"%PDF-1.7 data", "application/pdf")
    assert (obj.sha256, obj.size) == (sha256_hex(b"%PDF-1.7 data"), 13)
    assert store.get("dossiers/A/A.1.pdf") == b"%PDF-1.7 data"
    assert store.head("dossiers/A/A.1.pdf") == obj
    assert store.head("dossiers/A/none.pdf") is None
    store.put("dossiers/B/manifest.json", b"{}", "application/json")
    assert sorted(store.list("dossiers/")) == ["dossiers/A/A.1.pdf", "dossiers/B/manifest.json"]
    assert list(store.list("dossiers/B/")) == ["dossiers/B/manifest.json"]


def test_missing_object(store):
    with pytest.raises(ObjectMissing):
        store.get("dossiers/none")


def test_write_once_refuses_different_content_and_keeps_the_original(store):
    store.put("k/x.json", b"first", "application/json")
    with pytest.raises(WriteOnceError):
        store.put("k/x.json", b"second", "application/json")
    assert store.get("k/x.json") == b"first"


def test_same_content_again_is_idempotent(store):
    first = store.put("k/x.json", b"same", "application/json")
    assert store.put("k/x.json", b"same", "application/json") == first


def test_large_objects_keep_their_whole_file_checksum(store):
    data = os.urandom(20 * 1024 * 1024)  # above the multipart threshold
    obj = store.put("k/big.pdf", data, "application/pdf")
    assert store.head("k/big.pdf").sha256 == obj.sha256 == sha256_hex(data)
    assert store.get("k/big.pdf") == data
    changed = data[:-1] + bytes([data[-1] ^ 0xFF])  # differs whatever the random last byte was
    with pytest.raises(WriteOnceError):
        store.put("k/big.pdf", changed, "application/pdf")
