import os
import stat

import pytest

from archive.store import LocalObjectStore, WriteOnceError, sha256_hex


def test_put_get_head_list(tmp_path):
    store = LocalObjectStore(tmp_path / "objects")
    obj = store.put("dossiers/A/A.1.pdf", b"%PDF-1.7 data", "application/pdf")
    assert obj.sha256 == sha256_hex(b"%PDF-1.7 data") and obj.size == 13
    assert store.get("dossiers/A/A.1.pdf") == b"%PDF-1.7 data"
    assert store.head("dossiers/A/A.1.pdf") == obj
    assert store.head("dossiers/A/none.pdf") is None
    store.put("dossiers/B/manifest.json", b"{}", "application/json")
    assert list(store.list("dossiers/")) == ["dossiers/A/A.1.pdf", "dossiers/B/manifest.json"]


def test_write_once_refuses_different_content_and_keeps_the_original(tmp_path):
    store = LocalObjectStore(tmp_path / "objects")
    store.put("k/x.json", b"first", "application/json")
    with pytest.raises(WriteOnceError):
        store.put("k/x.json", b"second", "application/json")
    assert store.get("k/x.json") == b"first"


def test_same_content_again_is_idempotent(tmp_path):
    store = LocalObjectStore(tmp_path / "objects")
    first = store.put("k/x.json", b"same", "application/json")
    assert store.put("k/x.json", b"same", "application/json") == first


def test_stored_files_are_read_only_and_no_temporary_files_remain(tmp_path):
    store = LocalObjectStore(tmp_path / "objects")
    store.put("k/x.bin", b"data", "application/octet-stream")
    mode = os.stat(tmp_path / "objects" / "k" / "x.bin").st_mode
    assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert list((tmp_path / "objects" / ".tmp").iterdir()) == []


@pytest.mark.parametrize("key", ["../escape", "/abs", ".meta/x", "a/../../b"])
def test_keys_cannot_escape_the_store(tmp_path, key):
    with pytest.raises(ValueError):
        LocalObjectStore(tmp_path / "objects").put(key, b"x", "text/plain")


def test_missing_sidecar_after_a_crash_is_recomputed(tmp_path):
    store = LocalObjectStore(tmp_path / "objects")
    store.put("k/x.bin", b"payload", "application/octet-stream")
    (tmp_path / "objects" / ".meta" / "k" / "x.bin.json").unlink()
    assert store.head("k/x.bin").sha256 == sha256_hex(b"payload")
