"""Search index port and its embedded backend: SQLite FTS5 over accent-folded text.

Vietnamese is matched with or without marks by indexing and querying folded text ("hồ sơ" and
"ho so" both become "ho so"; "đ" becomes "d"). A query that is a number and symbol such as
"213/TTr-SKHĐT" puts the document bearing it first.
"""
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pipeline.text import fold

CODE_QUERY = re.compile(r"^\s*(\d{1,5})\s*/\s*(\S+)\s*$")
TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass
class SearchFilters:
    type_name: str | None = None
    organ: str | None = None
    date_from: str | None = None
    date_to: str | None = None


class SearchIndex(Protocol):
    def upsert(self, records: list[dict]) -> None: ...
    def search(self, query: str, filters: SearchFilters, limit: int = 20) -> list[dict]: ...
    def count(self, file_code: str | None = None) -> int: ...
    def same_code(self, record: dict) -> list[str]: ...
    def drop(self) -> None: ...
    def status(self) -> dict: ...
    def close(self) -> None: ...
    def delete_dossier(self, file_code: str) -> None: ...
    def describe(self) -> str: ...


def searchable_text(record: dict) -> tuple[str, str, str]:
    """(code, metadata, body) folded for the three weighted index columns."""
    code = f"{record.get('code_number') or ''}/{record.get('code_notation') or ''}"
    meta = " ".join(str(record.get(k) or "") for k in (
        "type_name", "subject", "organ_name", "signer_name", "signer_position", "file_code", "doc_id",
        "issued_date", "secrecy", "urgency"))
    body = " ".join(page.get("text", "") for page in record.get("pages", []))
    return fold(code), fold(meta), fold(body)


class SqliteSearchIndex:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS records (
                doc_id TEXT PRIMARY KEY, file_code TEXT NOT NULL, type_folded TEXT, type_code TEXT,
                issued_date TEXT, organ_folded TEXT, code_folded TEXT, record TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS records_file_code ON records(file_code);
            CREATE INDEX IF NOT EXISTS records_code ON records(code_folded);
            -- one full-text row per record under the record's rowid: replacing a record is a keyed delete
            CREATE VIRTUAL TABLE IF NOT EXISTS records_fts USING fts5(code, meta, body, tokenize = 'unicode61');
        """)

    def describe(self) -> str:
        return f"embedded SQLite FTS5 {self.path}"

    def close(self) -> None:
        self.db.close()

    def status(self) -> dict:
        return {"backend": "embedded SQLite FTS5", "location": str(self.path), "version": sqlite3.sqlite_version,
                "health": "ok", "records": self.count()}

    def drop(self) -> None:
        """Remove every record (the index is rebuilt from object storage)."""
        with self.db:
            self.db.execute("DELETE FROM records_fts")
            self.db.execute("DELETE FROM records")

    def upsert(self, records: list[dict]) -> None:
        with self.db:
            for record in records:
                code, meta, body = searchable_text(record)
                old = self.db.execute("SELECT rowid FROM records WHERE doc_id = ?", (record["doc_id"],)).fetchone()
                if old:
                    self.db.execute("DELETE FROM records_fts WHERE rowid = ?", old)
                rowid = self.db.execute(
                    "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (record["doc_id"], record["file_code"], fold(record.get("type_name") or ""),
                     record.get("type_code"), record.get("issued_date"), fold(record.get("organ_name") or ""),
                     code, json.dumps(record, ensure_ascii=False))).lastrowid
                self.db.execute("INSERT INTO records_fts (rowid, code, meta, body) VALUES (?, ?, ?, ?)",
                                (rowid, code, meta, body))

    def same_code(self, record: dict) -> list[str]:
        """Documents of other dossiers with the same number, symbol and issuing body (Phụ lục VI)."""
        if not (record.get("code_number") and record.get("code_notation") and record.get("organ_name")):
            return []
        code = fold(f"{record['code_number']}/{record['code_notation']}")
        rows = self.db.execute(
            "SELECT doc_id FROM records WHERE code_folded = ? AND organ_folded = ? AND file_code != ? ORDER BY doc_id",
            (code, fold(record["organ_name"]), record["file_code"]))
        return [r[0] for r in rows]

    def delete_dossier(self, file_code: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM records_fts WHERE rowid IN (SELECT rowid FROM records WHERE file_code = ?)",
                            (file_code,))
            self.db.execute("DELETE FROM records WHERE file_code = ?", (file_code,))

    def count(self, file_code: str | None = None) -> int:
        if file_code is None:
            return self.db.execute("SELECT count(*) FROM records").fetchone()[0]
        return self.db.execute("SELECT count(*) FROM records WHERE file_code = ?", (file_code,)).fetchone()[0]

    def search(self, query: str, filters: SearchFilters, limit: int = 20) -> list[dict]:
        where, args = _filter_sql(filters)
        tokens = TOKEN.findall(fold(query))
        exact_code = ""
        match = CODE_QUERY.match(query)
        if match:
            exact_code = fold(f"{match.group(1)}/{match.group(2)}")
        if tokens:
            fts_query = " ".join('"' + t.replace('"', "") + '"' for t in tokens)
            sql = (f"SELECT r.record, bm25(records_fts, 10.0, 4.0, 1.0) AS rank, r.code_folded = ? AS exact "
                   f"FROM records_fts JOIN records r ON r.rowid = records_fts.rowid "
                   f"WHERE records_fts MATCH ? {where} ORDER BY exact DESC, rank LIMIT ?")
            rows = self.db.execute(sql, (exact_code, fts_query, *args, limit)).fetchall()
        else:
            sql = f"SELECT r.record, 0.0, 0 FROM records r WHERE 1=1 {where} ORDER BY r.issued_date DESC LIMIT ?"
            rows = self.db.execute(sql, (*args, limit)).fetchall()
        hits = []
        for record_json, rank, exact in rows:
            hit = json.loads(record_json)
            hit["score"] = round((100.0 if exact else 0.0) - rank, 4)
            hits.append(hit)
        return hits


def _filter_sql(filters: SearchFilters) -> tuple[str, list]:
    clauses, args = [], []
    if filters.type_name:
        value = filters.type_name.strip()
        clauses.append("(r.type_folded = ? OR r.type_code = ?)")
        args += [fold(value), value]
    if filters.organ:
        clauses.append("r.organ_folded LIKE ?")
        args.append(f"%{fold(filters.organ)}%")
    if filters.date_from:
        clauses.append("r.issued_date >= ?")
        args.append(filters.date_from)
    if filters.date_to:
        clauses.append("r.issued_date <= ?")
        args.append(filters.date_to)
    return "".join(" AND " + c for c in clauses), args
