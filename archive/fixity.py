"""Fixity: recompute every stored object's SHA-256 and hold it against the dossier manifests, the
packages' METS files and the audit log.

Three independent records of each checksum must agree with the bytes: the manifest that committed
the dossier, the METS of its AIP, and (for the manifest itself) the audit log's commit event. An
edit has to forge all three, and the log's chain and checkpoints, to pass unnoticed.
"""
from dataclasses import asdict, dataclass, field
from typing import Callable

from sohoa.archive.audit import AuditLog
from sohoa.archive.catalogue import archived_file_codes, version_chain
from sohoa.archive.mets import referenced_files
from sohoa.archive.store import ObjectStore, sha256_hex
from sohoa.core.errors import ObjectMissing, UsageError
from sohoa.core.keys import DOSSIERS, file_code_of, is_manifest_key, is_version_manifest_key, manifest_key, package_path
from sohoa.core.manifest import PackageEntry


@dataclass
class Problem:
    file_code: str
    key: str
    kind: str  # "checksum mismatch", "missing", "missing dossier", "not in audit log", "uncommitted",
    # "not in METS", "METS mismatch", audit log kinds, index kinds
    expected: str | None = None
    actual: str | None = None
    detail: str = ""
    copy: str = "primary"  # or "replica": which copy of the archive the problem is in

    def line(self) -> str:
        sums = f" expected {self.expected} actual {self.actual}" if self.expected or self.actual else ""
        where = f"dossier {self.file_code}: " if self.file_code else ""
        copy = " in the replica" if self.copy == "replica" else ""
        return f"{self.kind}{copy}: {where}{self.key}{sums}{' (' + self.detail + ')' if self.detail else ''}"


@dataclass
class DossierFixity:
    file_code: str
    objects: int = 0
    problems: list[Problem] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)  # the manifest and every object it commits

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class FixityReport:
    dossiers: list[DossierFixity] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # outside any one dossier: stray objects, the log
    log_entries: int | None = None  # None: the audit log was not checked
    commits: dict[str, str] | None = None  # manifest key -> SHA-256, as the audit log records the commits
    index_records: int | None = None  # None: the search index was not reconciled
    signatures: int | None = None  # signatures checked; None: not checked (no trust roots configured)
    cleaned: list[str] = field(default_factory=list)  # temporary files of interrupted writes, removed
    warnings: list[str] = field(default_factory=list)  # short of problems, for the reader: events not indexed

    @property
    def objects(self) -> int:
        return sum(d.objects for d in self.dossiers)

    def all_problems(self) -> list[Problem]:
        return [p for d in self.dossiers for p in d.problems] + self.problems

    def to_json(self) -> dict:
        return {"objects": self.objects, "dossiers": len(self.dossiers), "log_entries": self.log_entries,
                "signatures": self.signatures,
                "ok": not self.all_problems(), "problems": [asdict(p) for p in self.all_problems()],
                "by_dossier": [{"file_code": d.file_code, "objects": d.objects, "ok": d.ok} for d in self.dossiers]}


def check_dossier(store: ObjectStore, file_code: str, commits: dict[str, str] | None = None,
                  committed_versions: tuple[str, ...] = ()) -> DossierFixity:
    """Every version of the dossier: its manifest against the audit log's commit and the chain, every object
    it commits against its checksum, then its AIP's METS against the objects. commits: the manifest checksums
    the audit log recorded at each commit, when the log was read; committed_versions: the keys of the
    dossier's later-version manifests among them."""
    result = DossierFixity(file_code)
    chain, outside = version_chain(store, file_code)
    actual: dict[str, str | None] = {}
    checked: set[tuple[str, str]] = set()
    for version in chain + outside:
        if version.manifest is None:
            result.problems.append(Problem(file_code, version.key, "checksum mismatch" if commits and version.key in
                                           commits else "manifest unreadable", (commits or {}).get(version.key),
                                           version.sha256, "a version's manifest that cannot be read"))
            continue
        if commits and version.key in commits and commits[version.key] != version.sha256:
            result.problems.append(Problem(file_code, version.key, "checksum mismatch", commits[version.key],
                                           version.sha256, "manifest differs from the audit log's commit"))
        elif commits is not None and version.manifest.version > 1 and version.key not in commits:
            result.problems.append(Problem(file_code, version.key, "not in audit log",
                                           detail="a stored version whose commit the audit log does not record"))
        for key, expected in version.manifest.committed_objects():
            if (key, expected) in checked:  # shared with an earlier version, and checked against the same digest
                continue
            checked.add((key, expected))
            if key not in actual:
                result.objects += 1
                actual[key] = stored_sha256(store, key)
            if actual[key] is None:
                result.problems.append(Problem(file_code, key, "missing", expected))
            elif actual[key] != expected:
                result.problems.append(Problem(file_code, key, "checksum mismatch", expected, actual[key]))
        if version.manifest.package:
            result.problems += check_mets(file_code, version.manifest.package, actual, store)
    result.problems += [Problem(file_code, v.key, "version outside the chain", detail=f"version {v.manifest.version} "
                                "does not follow the version before it by key and SHA-256") for v in outside
                        if v.manifest is not None]
    stored_versions = {v.key for v in chain + outside}
    result.problems += [Problem(file_code, key, "missing version", commits[key], None, "the audit log records "
                                "the commit of this version; its manifest is not stored")
                        for key in committed_versions if key not in stored_versions]
    result.keys = stored_versions | set(actual)
    return result


def stored_sha256(store: ObjectStore, key: str) -> str | None:
    """The SHA-256 of the object as stored now, or None when it is missing (one read, no separate head)."""
    try:
        return sha256_hex(store.get(key))
    except ObjectMissing:
        return None


def check_mets(file_code: str, package: PackageEntry, actual: dict[str, str | None], store: ObjectStore
               ) -> list[Problem]:
    """The root METS and the representation METS it points to, against the stored files; and every file
    of the package referenced by one of them. A later version's package holds files of earlier versions."""
    files = {package_path(f.key): f.key for f in package.files}
    problems, referenced, pending = [], {"METS.xml"}, [("", "METS.xml")]
    while pending:
        base, path = pending.pop()
        key = files.get(base + path, package.prefix + base + path)
        if actual.get(key) is None:
            continue  # already reported missing
        try:
            references, pointers = referenced_files(store.get(key), base)
        except Exception as exc:  # noqa: BLE001 - a damaged METS is a finding, not a crash
            problems.append(Problem(file_code, key, "METS unreadable", detail=f"{type(exc).__name__}: {exc}"))
            continue
        for ref in references:
            referenced.add(ref.path)
            ref_key = files.get(ref.path)
            if ref_key is None:
                problems.append(Problem(file_code, package.prefix + ref.path, "METS mismatch", ref.sha256, None,
                                        f"{key} references a file the manifest does not commit"))
            elif actual.get(ref_key) is not None and actual[ref_key] != ref.sha256:
                problems.append(Problem(file_code, ref_key, "METS mismatch", ref.sha256, actual[ref_key],
                                        f"checksum in {key}"))
        pending += [(p.rpartition("/")[0] + "/", p.rpartition("/")[2]) for p in pointers]
    for path, key in files.items():
        if path not in referenced:
            problems.append(Problem(file_code, key, "not in METS", detail="in the package, referenced by no METS"))
    return problems


def add_replica(report: FixityReport, replica: FixityReport) -> None:
    """Fold the second copy's findings into the report, each problem marked as the replica's."""
    dossiers = {d.file_code: d for d in report.dossiers}
    for problem in replica.all_problems():
        problem.copy = "replica"
        (dossiers[problem.file_code].problems if problem.file_code in dossiers else report.problems).append(problem)
    for dossier in replica.dossiers:
        if dossier.file_code in dossiers:
            dossiers[dossier.file_code].objects += dossier.objects
        else:
            report.dossiers.append(dossier)


def verify_store(store: ObjectStore, audit: AuditLog | None = None, file_codes: set[str] | None = None,
                 commits: dict[str, str] | None = None, selected: Callable[[str], bool] | None = None
                 ) -> FixityReport:
    """Check the dossiers (all, those named, or those selected), objects no manifest commits, and the audit
    log. commits: the dossiers the audit log says are committed, when it is read elsewhere (for a replica)."""
    report = FixityReport()
    if audit is not None:
        chain = audit.verify()
        report.log_entries, commits = chain.entries, chain.commits
        report.problems += [Problem("", p.key, f"audit log {p.kind}", detail=p.detail) for p in chain.problems]
    report.commits = commits
    stored = archived_file_codes(store)
    expected = {file_code_of(key): key for key in commits or {} if is_manifest_key(key)}
    versions: dict[str, tuple[str, ...]] = {}
    for key in commits or {}:
        if is_version_manifest_key(key):
            versions[file_code_of(key)] = versions.get(file_code_of(key), ()) + (key,)
    if file_codes is not None:
        selected = file_codes.__contains__
        unknown = sorted(file_codes - set(stored) - set(expected))
        if unknown:
            raise UsageError(f"no dossier {', '.join(unknown)} in {store.describe()} or its audit log")
    committed = set()
    for file_code in sorted(set(stored) | set(expected)):
        if selected is not None and not selected(file_code):
            continue
        if file_code not in stored:
            report.dossiers.append(missing_dossier(file_code, commits[expected[file_code]]))
            continue
        dossier = check_dossier(store, file_code, commits, versions.get(file_code, ()))
        if commits is not None and file_code not in expected:
            dossier.problems.append(Problem(file_code, manifest_key(file_code), "not in audit log",
                                            detail="a stored manifest whose commit the audit log does not record"))
        report.dossiers.append(dossier)
        committed |= dossier.keys
    if selected is None:
        report.problems += [Problem(file_code_of(key) or "", key, "uncommitted",
                                    detail="stored, committed by no manifest")
                            for key in store.list(DOSSIERS) if key not in committed]
        report.cleaned = store.clean_temporary()
    return report


def missing_dossier(file_code: str, manifest_sha256: str) -> DossierFixity:
    return DossierFixity(file_code, problems=[Problem(
        file_code, manifest_key(file_code), "missing dossier", manifest_sha256, None,
        "the audit log records its commit and no disposal; its manifest is not stored")])
