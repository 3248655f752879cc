"""What only the embedded folder store promises; the shared contract is in test_store_contract.py."""
import os
import stat
from pathlib import Path

import pytest

from sohoa.archive.store import LocalObjectStore, sha256_hex


def test_stored_files_are_read_only_and_no_temporary_files_remain(tmp_path):
    store = LocalObjectStore(tmp_path / "objects")
    store.put("k/x.bin", b"data", "application/octet-stream")
    mode = os.stat(tmp_path / "objects" / "k" / "x.bin").st_mode
    assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert stat.S_IMODE(mode) == 0o400  # nor readable by other local accounts
    assert stat.S_IMODE(os.stat(tmp_path / "objects").st_mode) == 0o700
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


def test_a_store_in_the_working_folder_lists_its_keys(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = LocalObjectStore(Path("."))
    for key in ("audit/log/000000000001.json", "audit/log/000000000002.json", "dossiers/HS/manifest.json"):
        store.put(key, b"{}", "application/json")
    assert list(store.list("audit/log/", start_after="audit/log/000000000001.json")) == ["audit/log/000000000002.json"]
    assert list(store.list("")) == ["audit/log/000000000001.json", "audit/log/000000000002.json",
                                    "dossiers/HS/manifest.json"]
