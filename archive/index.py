"""Search index port and its embedded backend: SQLite FTS5 over accent-folded text.

Vietnamese is matched with or without marks by indexing and querying folded text ("hồ sơ" and
"ho so" both become "ho so"; "đ" becomes "d"). A query that is a number and symbol such as
"213/TTr-SKHĐT" puts the document bearing it first.
"""
import hashlib
import json
import os
import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Protocol

from sohoa.archive.search import (FACET_SIZE, EventQuery, SearchRequest, SearchResults, decode_cursor, encode_cursor,
                                  finish_hit, searchable_text, secrecy_key)
from sohoa.core.access import OPEN, Viewer, access_mode, secrecy_level
from sohoa.core.errors import BadCursor, unavailable_on
from sohoa.core.text import fold

SCHEMA_VERSION = 3


class SearchIndex(Protocol):
    needs_rebuild: bool  # True when an outdated index was emptied and must be rebuilt from storage

    def upsert(self, records: list[dict]) -> None: ...
    def search(self, request: SearchRequest) -> SearchResults: ...
    def count(self, file_code: str | None = None) -> int: ...
    def same_code(self, record: dict) -> list[str]: ...
    def drop(self) -> None: ...
    def status(self) -> dict: ...
    def close(self) -> None: ...
    def delete_dossier(self, file_code: str) -> None: ...
    def describe(self) -> str: ...
    def upsert_events(self, events: list[dict]) -> None: ...
    def search_events(self, query: EventQuery) -> list[dict]: ...
    def drop_events(self) -> None: ...
    def indexed_digests(self) -> dict[str, str]: ...
    def expected_digest(self, record: dict) -> str: ...
    def indexed_record(self, doc_id: str) -> dict | None: ...


# Sort keys per sort order, most significant first; the last key is unique, so keyset paging is exact.
SORT_KEYS = {
    "relevance": [("exact", "DESC"), ("rank", "ASC"), ("doc_id", "ASC")],
    "newest": [("coalesce(issued_date, '')", "DESC"), ("doc_id", "ASC")],
    "oldest": [("coalesce(issued_date, '9999')", "ASC"), ("doc_id", "ASC")],
    "dossier": [("file_code", "ASC"), ("coalesce(doc_ordinal, 0)", "ASC"), ("doc_id", "ASC")],
}
FACET_COLUMNS = {"type": "type_name", "year": "substr(issued_date, 1, 4)", "organ": "organ_name"}


class SqliteSearchIndex:
    role = "search index"

    @unavailable_on(sqlite3.Error, OSError)
    def __init__(self, path: Path):
        self.path = path
        if path.exists() and not os.access(path.parent, os.W_OK):  # a read-only copy: searched as it is
            self.db = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)
            self.needs_rebuild = False
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.needs_rebuild = self._migrate()

    def _migrate(self) -> bool:
        exists = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'records'").fetchone()
        outdated = bool(exists) and self.db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION
        with self.db:
            if outdated:
                self.db.execute("DROP TABLE records")
                self.db.execute("DROP TABLE IF EXISTS records_fts")
            self.db.executescript(f"""
                CREATE TABLE IF NOT EXISTS records (
                    doc_id TEXT PRIMARY KEY, file_code TEXT NOT NULL, doc_ordinal INTEGER,
                    type_name TEXT, type_folded TEXT, type_code TEXT, issued_date TEXT,
                    organ_name TEXT, organ_folded TEXT, secrecy_folded TEXT, code_folded TEXT,
                    secrecy_level INTEGER NOT NULL, access_mode TEXT NOT NULL, unit TEXT, record TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS records_file_code ON records(file_code, doc_ordinal);
                CREATE INDEX IF NOT EXISTS records_code ON records(code_folded);
                CREATE INDEX IF NOT EXISTS records_date ON records(issued_date);
                -- one full-text row per record under the record's rowid: replacing a record is a keyed delete
                CREATE VIRTUAL TABLE IF NOT EXISTS records_fts USING fts5(code, meta, body, tokenize = 'unicode61');
                CREATE TABLE IF NOT EXISTS events (
                    identifier TEXT PRIMARY KEY, type TEXT NOT NULL, time TEXT NOT NULL, file_code TEXT,
                    outcome TEXT, event TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS events_time ON events(time);
                CREATE INDEX IF NOT EXISTS events_file_code ON events(file_code, time);
                PRAGMA user_version = {SCHEMA_VERSION};
            """)
        return outdated

    def describe(self) -> str:
        return f"embedded SQLite FTS5 {self.path}"

    def close(self) -> None:
        self.db.close()

    @unavailable_on(sqlite3.Error)
    def status(self) -> dict:
        return {"backend": "embedded SQLite FTS5", "location": str(self.path), "version": sqlite3.sqlite_version,
                "health": "ok", "records": self.count()}

    @unavailable_on(sqlite3.Error)
    def drop(self) -> None:
        """Remove every record (the index is rebuilt from object storage)."""
        with self.db:
            self.db.execute("DELETE FROM records_fts")
            self.db.execute("DELETE FROM records")

    @unavailable_on(sqlite3.Error)
    def upsert(self, records: list[dict]) -> None:
        with self.db:
            for record in records:
                columns, text = _row(record)
                old = self.db.execute("SELECT rowid FROM records WHERE doc_id = ?", (record["doc_id"],)).fetchone()
                if old:
                    self.db.execute("DELETE FROM records_fts WHERE rowid = ?", old)
                marks = ", ".join("?" * len(columns))
                rowid = self.db.execute(f"INSERT OR REPLACE INTO records VALUES ({marks})", columns).lastrowid
                self.db.execute("INSERT INTO records_fts (rowid, code, meta, body) VALUES (?, ?, ?, ?)",
                                (rowid, *text))

    @unavailable_on(sqlite3.Error)
    def indexed_digests(self) -> dict[str, str]:
        """doc_id -> digest of everything search reads for it (columns and full text), to hold against
        expected_digest of the stored record."""
        rows = self.db.execute("SELECT r.*, f.code, f.meta, f.body FROM records r "
                               "LEFT JOIN records_fts f ON f.rowid = r.rowid")
        return {row[0]: _digest(list(row)) for row in rows}

    @staticmethod
    def expected_digest(record: dict) -> str:
        columns, text = _row(record)
        return _digest([*columns, *text])

    @unavailable_on(sqlite3.Error)
    def indexed_record(self, doc_id: str) -> dict | None:
        row = self.db.execute("SELECT record FROM records WHERE doc_id = ?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row else None

    @unavailable_on(sqlite3.Error)
    def upsert_events(self, events: list[dict]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?, ?, ?)",
                                [(e["identifier"], e["type"], e["time"], e.get("file_code"), e["outcome"],
                                  json.dumps(e, ensure_ascii=False)) for e in events])

    @unavailable_on(sqlite3.Error)
    def search_events(self, query: EventQuery) -> list[dict]:
        clauses, args = [], []
        for column, value in (("file_code", query.file_code), ("type", query.type), ("outcome", query.outcome)):
            if value:
                clauses.append(f"{column} = ?")
                args.append(value)
        if query.date_from:
            clauses.append("time >= ?")
            args.append(query.date_from)
        if query.date_to:
            clauses.append("substr(time, 1, 10) <= ?")
            args.append(query.date_to)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self.db.execute(f"SELECT event FROM events{where} ORDER BY time DESC, identifier LIMIT ?",
                               (*args, query.limit))
        return [json.loads(r[0]) for r in rows]

    @unavailable_on(sqlite3.Error)
    def drop_events(self) -> None:
        with self.db:
            self.db.execute("DELETE FROM events")

    @unavailable_on(sqlite3.Error)
    def same_code(self, record: dict) -> list[str]:
        """Documents of other dossiers with the same number, symbol and issuing body (Phụ lục VI)."""
        if not (record.get("code_number") and record.get("code_notation") and record.get("organ_name")):
            return []
        code = fold(f"{record['code_number']}/{record['code_notation']}")
        rows = self.db.execute(
            "SELECT doc_id FROM records WHERE code_folded = ? AND organ_folded = ? AND file_code != ? ORDER BY doc_id",
            (code, fold(record["organ_name"]), record["file_code"]))
        return [r[0] for r in rows]

    @unavailable_on(sqlite3.Error)
    def delete_dossier(self, file_code: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM records_fts WHERE rowid IN (SELECT rowid FROM records WHERE file_code = ?)",
                            (file_code,))
            self.db.execute("DELETE FROM records WHERE file_code = ?", (file_code,))

    @unavailable_on(sqlite3.Error)
    def count(self, file_code: str | None = None) -> int:
        if file_code is None:
            return self.db.execute("SELECT count(*) FROM records").fetchone()[0]
        return self.db.execute("SELECT count(*) FROM records WHERE file_code = ?", (file_code,)).fetchone()[0]

    @unavailable_on(sqlite3.Error)
    def search(self, request: SearchRequest) -> SearchResults:
        cursor = decode_cursor(request)
        keys = SORT_KEYS[request.effective_sort]
        matching, args = self._matching(request, ranked=True)
        after_sql, after_args = ("", [])
        if cursor:
            after_sql, after_args = _after(keys, cursor["after"])
        order = ", ".join(f"{expr} {direction}" for expr, direction in keys)
        key_columns = ", ".join(expr for expr, _ in keys)
        rows = self.db.execute(
            f"SELECT record, rank, exact, {key_columns} FROM ({matching}) {after_sql} ORDER BY {order} LIMIT ?",
            (*args, *after_args, request.size + 1)).fetchall()
        more = len(rows) > request.size
        rows = rows[:request.size]
        hits = [finish_hit(json.loads(row[0]), 100.0 * row[2] - row[1], request) for row in rows]
        total, facets = self._total_and_facets(request)
        return SearchResults(hits=hits, total=total, facets=facets,
                             cursor=encode_cursor(request, list(rows[-1][3:])) if more else None)

    def _matching(self, request: SearchRequest, ranked: bool) -> tuple[str, list]:
        """SQL selecting every record that matches the request's text and filters."""
        where, args = _filter_sql(request)
        if not request.tokens:
            return f"SELECT r.*, 0.0 AS rank, 0 AS exact FROM records r WHERE 1=1 {where}", args
        fts_query = " ".join('"' + t.replace('"', "") + '"' for t in request.tokens)
        rank = "bm25(records_fts, 10.0, 4.0, 1.0)" if ranked else "0.0"
        return (f"SELECT r.*, {rank} AS rank, r.code_folded = ? AS exact FROM records_fts "
                f"JOIN records r ON r.rowid = records_fts.rowid WHERE records_fts MATCH ? {where}",
                [request.exact_code, fts_query, *args])

    def _total_and_facets(self, request: SearchRequest) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        matching, args = self._matching(request, ranked=False)
        if not request.facets:
            return self.db.execute(f"SELECT count(*) FROM ({matching})", args).fetchone()[0], {}
        # One pass counted in Python: a GROUP BY per facet would match the full text once per facet.
        columns = ", ".join(FACET_COLUMNS.values())
        counters = {name: Counter() for name in FACET_COLUMNS}
        total = 0
        for row in self.db.execute(f"SELECT {columns} FROM ({matching})", args):
            total += 1
            for name, value in zip(FACET_COLUMNS, row):
                if value is not None:
                    counters[name][value] += 1
        return total, {name: sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]
                       for name, counter in counters.items()}


def _row(record: dict) -> tuple[tuple, tuple[str, str, str]]:
    """The records row and the full-text row of a record."""
    code, meta, body = searchable_text(record)
    columns = (record["doc_id"], record["file_code"], record.get("doc_ordinal"), record.get("type_name"),
               fold(record.get("type_name") or ""), record.get("type_code"), record.get("issued_date"),
               record.get("organ_name"), fold(record.get("organ_name") or ""), secrecy_key(record.get("secrecy")),
               code, secrecy_level(record.get("secrecy")), access_mode(record), record.get("unit"),
               json.dumps(record, ensure_ascii=False))
    return columns, (code, meta, body)


def _digest(values: list) -> str:
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()


def _after(keys: list[tuple[str, str]], values: list) -> tuple[str, list]:
    """WHERE clause selecting rows that sort after values (a row-value comparison with mixed directions)."""
    if len(values) != len(keys):
        raise BadCursor("the cursor does not fit this sort order")
    clauses, args = [], []
    for n, (expr, direction) in enumerate(keys):
        equal = [f"{e} = ?" for e, _ in keys[:n]]
        clauses.append("(" + " AND ".join(equal + [f"{expr} {'>' if direction == 'ASC' else '<'} ?"]) + ")")
        args += [*values[:n], values[n]]
    return "WHERE " + " OR ".join(clauses), args


def _filter_sql(request: SearchRequest) -> tuple[str, list]:
    filters = request.filters
    clauses, args = [], []
    if filters.type_name:
        value = filters.type_name.strip()
        clauses.append("(r.type_folded = ? OR r.type_code = ?)")
        args += [fold(value), value]
    if filters.organ:
        clauses.append("r.organ_folded LIKE ? ESCAPE '\\'")
        args.append("%" + re.sub(r"([%_\\])", r"\\\1", fold(filters.organ)) + "%")  # the name's % and _ as such
    if filters.date_from:
        clauses.append("r.issued_date >= ?")
        args.append(filters.date_from)
    if filters.date_to:
        clauses.append("r.issued_date <= ?")
        args.append(filters.date_to)
    if filters.secrecy:
        clauses.append("r.secrecy_folded = ?")
        args.append(secrecy_key(filters.secrecy))
    for column in ("doc_id", "file_code"):
        if getattr(filters, column):
            clauses.append(f"r.{column} = ?")
            args.append(getattr(filters, column))
    if filters.needs_review is not None:
        clauses.append("json_extract(r.record, '$.needs_review') = ?")
        args.append(1 if filters.needs_review else 0)
    if filters.batch:
        clauses.append("json_extract(r.record, '$.batch') = ?")
        args.append(filters.batch)
    if request.viewer:
        clause, more = _visible_to(request.viewer)
        clauses.append(clause)
        args += more
    return "".join(" AND " + c for c in clauses), args


def _visible_to(viewer: Viewer) -> tuple[str, list]:
    """The access rule of sohoa.core.access as a condition of the query itself."""
    grants = sorted(viewer.grants)
    marks = ", ".join("?" * len(grants))
    granted = f" OR r.doc_id IN ({marks}) OR r.file_code IN ({marks})" if grants else ""
    return (f"(r.secrecy_level <= ? AND (r.access_mode = ? OR r.unit = ?{granted}))",
            [viewer.clearance, OPEN, viewer.unit, *grants, *grants])
