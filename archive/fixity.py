"""Fixity: recompute every stored object's SHA-256 and compare it with the dossier manifests."""
import json
from dataclasses import dataclass

from archive.store import ObjectStore, sha256_hex


@dataclass
class Problem:
    file_code: str
    key: str
    kind: str  # "checksum mismatch", "missing", "uncommitted"
    expected: str | None = None
    actual: str | None = None

    def line(self) -> str:
        detail = f" expected {self.expected} actual {self.actual}" if self.expected else ""
        return f"{self.kind}: dossier {self.file_code}: {self.key}{detail}"


def committed_objects(manifest: dict) -> list[tuple[str, str]]:
    """(key, SHA-256) of every object a dossier manifest commits: each document's PDF and metadata, a
    digitally signed original kept as it came, and every file of the dossier's AIP."""
    objects = [pair for entry in manifest["documents"] for pair in
               ((entry["pdf_key"], entry["pdf_sha256"]), (entry["metadata_key"], entry["metadata_sha256"]))]
    original = manifest.get("signed_original")
    objects += [(original["key"], original["sha256"])] if original else []
    objects += [(f["key"], f["sha256"]) for f in manifest.get("package", {}).get("files", [])]
    return list(dict.fromkeys(objects))


def verify_store(store: ObjectStore) -> tuple[int, list[Problem]]:
    """(objects checked, problems). Objects no manifest commits are reported as uncommitted."""
    problems, referenced, checked = [], set(), 0
    manifests = [k for k in store.list("dossiers/") if k.endswith("/manifest.json")]
    for manifest_key in manifests:
        manifest = json.loads(store.get(manifest_key))
        referenced.add(manifest_key)
        file_code = manifest["file_code"]
        for key, expected in committed_objects(manifest):
            referenced.add(key)
            checked += 1
            if store.head(key) is None:
                problems.append(Problem(file_code, key, "missing", expected))
                continue
            actual = sha256_hex(store.get(key))
            if actual != expected:
                problems.append(Problem(file_code, key, "checksum mismatch", expected, actual))
    for key in store.list("dossiers/"):
        if key not in referenced:
            problems.append(Problem(key.split("/")[1], key, "uncommitted"))
    return checked, problems
