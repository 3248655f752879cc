"""Where everything lives in object storage: the one place the key layout is spelled.

    dossiers/<file_code>/manifest.json              the commit mark of an archived dossier
    dossiers/<file_code>/records/<doc_id>.json      the exported records (the index's source)
    dossiers/<file_code>/aip/...                    the archival information package (paths below)
    dossiers/<file_code>/versions/v<n>/manifest.json    a later version (a correction): the commit of version n,
                                                    naming the version before it by key and SHA-256
    dossiers/<file_code>/versions/v<n>/records/...  the records that changed in it
    dossiers/<file_code>/versions/v<n>/aip/...      the files of its AIP that changed; the rest stay the earlier ones
    audit/log/<seq>.json                            the hash-chained audit log
    audit/checkpoints/<seq>.json                    its checkpoints, kept in a second store
    attempts/<file_code>/<scans>.json               an ingest under way: its start, fixed for every repeat
    leases/<file_code>.json                         the lease of the run working on a dossier (S3)
    incoming/<batch>/<file_code>/files/...          scans submitted for the workers, as they came (write-once)
    incoming/<batch>/<file_code>/submission.json    what was submitted: the files and their SHA-256 (written last)
    incoming/<batch>/<file_code>/outcome.json       what the worker made of them: archived or quarantined
"""
DOSSIERS = "dossiers/"
LOG_PREFIX = "audit/log/"
CHECKPOINT_PREFIX = "audit/checkpoints/"
ATTEMPTS = "attempts/"
LEASES = "leases/"
INCOMING = "incoming/"
VERSIONS = "versions/"

# Inside an AIP (E-ARK CSIP): the documents' PDF/A files, and a digitally signed original as it came.
DOCUMENTS_REP = "representations/rep1/"
ORIGINAL_REP = "representations/rep2/"


def dossier_prefix(file_code: str) -> str:
    return f"{DOSSIERS}{file_code}/"


def manifest_key(file_code: str) -> str:
    return f"{DOSSIERS}{file_code}/manifest.json"


def record_key(file_code: str, doc_id: str, version: int = 1) -> str:
    return f"{version_root(file_code, version)}records/{doc_id}.json"


def aip_prefix(file_code: str, version: int = 1) -> str:
    return f"{version_root(file_code, version)}aip/"


def version_root(file_code: str, version: int) -> str:
    """Where the objects of a version live: the dossier's own folder for the first, its own folder for later ones."""
    return dossier_prefix(file_code) + (f"{VERSIONS}v{version}/" if version > 1 else "")


def versions_prefix(file_code: str) -> str:
    return dossier_prefix(file_code) + VERSIONS


def version_manifest_key(file_code: str, version: int) -> str:
    return version_root(file_code, version) + "manifest.json"


def version_number(key: str) -> int | None:
    """The version a key of a later version belongs to (2, 3, …); None for the first version's keys."""
    code = file_code_of(key)
    rest = key[len(versions_prefix(code)):] if code and key.startswith(versions_prefix(code)) else ""
    folder = rest.partition("/")[0]
    return int(folder[1:]) if folder[:1] == "v" and folder[1:].isdigit() else None


def is_version_manifest_key(key: str) -> bool:
    number = version_number(key)
    return number is not None and key == version_manifest_key(file_code_of(key), number)


def package_path(key: str) -> str:
    """A package file's path inside its AIP, whichever version stored it."""
    return key.partition("/aip/")[2]


def pdf_path(doc_id: str) -> str:
    """A document's PDF/A inside the package."""
    return f"{DOCUMENTS_REP}data/{doc_id}.pdf"


def original_path(name: str) -> str:
    """A signed original inside the package."""
    return f"{ORIGINAL_REP}data/{name}"


def pdf_key(file_code: str, doc_id: str, version: int = 1) -> str:
    return aip_prefix(file_code, version) + pdf_path(doc_id)


def original_key(file_code: str, name: str) -> str:
    return aip_prefix(file_code) + original_path(name)


def file_code_of(key: str) -> str | None:
    """The dossier a key belongs to; None for a key outside every dossier (the audit log)."""
    if not key.startswith(DOSSIERS):
        return None
    file_code, slash, _ = key[len(DOSSIERS):].partition("/")
    return file_code if slash and file_code else None


def is_manifest_key(key: str) -> bool:
    code = file_code_of(key)
    return code is not None and key == manifest_key(code)


def log_entry_key(seq: int) -> str:
    return f"{LOG_PREFIX}{seq:012d}.json"


def checkpoint_key(seq: int) -> str:
    return f"{CHECKPOINT_PREFIX}{seq:012d}.json"


def log_entry_seq(key: str) -> int:
    return int(key[len(LOG_PREFIX):].split(".")[0])


def checkpoint_seq(key: str) -> int:
    return int(key[len(CHECKPOINT_PREFIX):].split(".")[0])


def attempt_key(file_code: str, fingerprint: str) -> str:
    return f"{ATTEMPTS}{file_code}/{fingerprint[:16]}.json"


def lease_key(file_code: str) -> str:
    return f"{LEASES}{file_code}.json"


def incoming_batch_prefix(batch: str) -> str:
    return f"{INCOMING}{batch}/"


def incoming_prefix(batch: str, file_code: str) -> str:
    return f"{incoming_batch_prefix(batch)}{file_code}/"


def incoming_file_key(batch: str, file_code: str, name: str) -> str:
    return f"{incoming_prefix(batch, file_code)}files/{name}"


def submission_key(batch: str, file_code: str) -> str:
    return incoming_prefix(batch, file_code) + "submission.json"


def outcome_key(batch: str, file_code: str) -> str:
    return incoming_prefix(batch, file_code) + "outcome.json"
