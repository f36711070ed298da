"""All SQL of academy bundles: reading the schema, an academy's rows, and writing them back.

Generic over tables: every statement is built from a ``schema.Table`` read from the database
itself, with names quoted, so this module knows no feature's tables.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

import sqlite_utils

from workshop.bundle.schema import ROOT, ForeignKey, Ownership, Table
from workshop.store.transactions import write

META = "_bundle"


def q(name: str) -> str:
    """An identifier quoted for SQL (names come from the schema, never from a row)."""
    return '"' + name.replace('"', '""') + '"'


def read_tables(db: sqlite_utils.Database) -> dict[str, Table]:
    """Every table of the file, as the bundle needs it."""
    out = {}
    for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
        sql = sql or ""
        virtual = sql.upper().startswith("CREATE VIRTUAL TABLE")
        info = db.execute(f"PRAGMA table_info({q(name)})").fetchall()
        columns = tuple(r[1] for r in info)
        pk = tuple(r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
        fks = []
        if not virtual:
            for row in db.execute(f"PRAGMA foreign_key_list({q(name)})").fetchall():
                parent, column, parent_column = row[2], row[3], row[4]
                if parent_column is None:   # REFERENCES parent: its primary key
                    parent_info = db.execute(f"PRAGMA table_info({q(parent)})").fetchall()
                    parent_column = next((r[1] for r in parent_info if r[5] == 1), "rowid")
                fks.append(ForeignKey(column, parent, parent_column))
        unique = []
        if not virtual:
            for idx in db.execute(f"PRAGMA index_list({q(name)})").fetchall():
                if idx[2] and idx[3] in ("u", "c") and not idx[4]:
                    cols = tuple(r[2] for r in db.execute(f"PRAGMA index_info({q(idx[1])})"))
                    if cols != pk and None not in cols:
                        unique.append(cols)
        lowered = sql.lower().replace(" ", "")
        out[name] = Table(name=name, columns=columns, types=tuple(r[2] for r in info),
                          notnull=tuple(bool(r[3]) for r in info), pk=pk,
                          foreign_keys=tuple(fks), virtual=virtual,
                          external_content=virtual and "content=" in lowered
                          and "content=''" not in lowered,
                          unique=tuple(unique))
    return out


def schema_objects(db: sqlite_utils.Database) -> dict[tuple[str, str], str]:
    """(type, name) -> what the object is: a table's columns, or the text of a trigger, view or
    index with quoting and spacing folded (a renamed table's stored SQL gains quotes)."""
    out = {}
    for kind, name, sql in db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall():
        if kind == "table":
            cols = db.execute(f"PRAGMA table_xinfo({q(name)})").fetchall()
            out[(kind, name)] = repr([(c[1], c[2].upper(), c[3], c[5]) for c in cols])
        else:
            out[(kind, name)] = " ".join((sql or "").replace('"', "").replace("[", "")
                                         .replace("]", "").split()).lower()
    return out


def _where(owner: Ownership, table: str) -> str:
    """SQL condition selecting one academy's rows of ``table`` (one ``?``: the academy id)."""
    if table == ROOT:
        return "id = ?"
    fk = owner.path[table]
    return (f"{q(fk.column)} IN (SELECT {q(fk.parent_column)} FROM {q(fk.parent)} "
            f"WHERE {_where(owner, fk.parent)})")


def academy_rows(db: sqlite_utils.Database, owner: Ownership, table: Table,
                 academy_id: int) -> list[tuple]:
    """One academy's rows of ``table``, columns in table order, in key order."""
    order = ", ".join(q(c) for c in table.pk) if table.pk else "rowid"
    cols = ", ".join(q(c) for c in table.columns)
    return db.execute(f"SELECT {cols} FROM {q(table.name)} WHERE {_where(owner, table.name)} "
                      f"ORDER BY {order}", [academy_id]).fetchall()


def academy_keys(db: sqlite_utils.Database, owner: Ownership, table: Table,
                 academy_id: int) -> set[tuple]:
    """The primary keys of one academy's rows of ``table``."""
    key = ", ".join(q(c) for c in (table.pk or ("rowid",)))
    return {tuple(r) for r in db.execute(
        f"SELECT {key} FROM {q(table.name)} WHERE {_where(owner, table.name)}", [academy_id])}


def count_rows(db: sqlite_utils.Database, owner: Ownership, table: str, academy_id: int) -> int:
    return db.execute(f"SELECT count(*) FROM {q(table)} WHERE {_where(owner, table)}",
                      [academy_id]).fetchone()[0]


def find(db: sqlite_utils.Database, table: Table, columns: Sequence[str],
         values: Sequence) -> tuple | None:
    """The first row whose ``columns`` equal ``values`` (NULL never matches, as in UNIQUE)."""
    cond = " AND ".join(f"{q(c)} = ?" for c in columns)
    cols = ", ".join(q(c) for c in table.columns)
    return db.execute(f"SELECT {cols} FROM {q(table.name)} WHERE {cond} LIMIT 1",
                      list(values)).fetchone()


def insert(db: sqlite_utils.Database, table: str, row: dict) -> int:
    """Insert one row (a savepoint inside the caller's ``write``); returns its rowid."""
    cols = ", ".join(q(c) for c in row)
    with write(db):
        cursor = db.execute(f"INSERT INTO {q(table)} ({cols}) VALUES "
                            f"({', '.join('?' * len(row))})", list(row.values()))
    return int(cursor.lastrowid or 0)


def insert_rows(db: sqlite_utils.Database, table: Table, rows: list[tuple]) -> None:
    """Insert whole rows, every column in table order (an export's copy)."""
    cols = ", ".join(q(c) for c in table.columns)
    with write(db):
        db.conn.executemany(f"INSERT INTO {q(table.name)} ({cols}) VALUES "
                            f"({', '.join('?' * len(table.columns))})", rows)


def update(db: sqlite_utils.Database, table: Table, key: dict, row: dict) -> None:
    """Overwrite the row with primary key ``key`` by ``row`` (inside the caller's ``write``)."""
    sets = ", ".join(f"{q(c)} = ?" for c in row)
    cond = " AND ".join(f"{q(c)} = ?" for c in key)
    with write(db):
        db.execute(f"UPDATE {q(table.name)} SET {sets} WHERE {cond}",
                   [*row.values(), *key.values()])


def delete_children(db: sqlite_utils.Database, table: str, column: str, value) -> int:
    """Remove the rows of ``table`` whose ``column`` is ``value`` (inside the caller's ``write``)."""
    with write(db):
        return db.execute(f"DELETE FROM {q(table)} WHERE {q(column)} = ?", [value]).rowcount


def mark_shared(db: sqlite_utils.Database, owner: Ownership, table: Table, academy_id: int,
                stamp: str, synced: str) -> None:
    """Remember each row's current version as the one last shared (``synced = stamp``), as a
    prototype's JSON export does: a later import tells an edit made here from one made there."""
    with write(db):
        db.execute(f"UPDATE {q(table.name)} SET {q(synced)} = {q(stamp)} "
                   f"WHERE {_where(owner, table.name)} AND {q(synced)} IS NOT {q(stamp)}",
                   [academy_id])


def scratch_file(db: sqlite_utils.Database) -> None:
    """A file being written under a temporary name: no journal on disk, no sync per commit
    (a crash leaves only a ``.partial`` that is removed; the finished file is synced once
    before it takes its name). An export is then about 9x faster (303 → 34 ms an academy in
    tests/bench/bench_library.py)."""
    db.execute("PRAGMA journal_mode = MEMORY")
    db.execute("PRAGMA synchronous = OFF")


def write_meta(db: sqlite_utils.Database, meta: dict[str, str]) -> None:
    """The bundle's own facts (format, version, academy…) as key/value rows."""
    with write(db):
        db.execute(f"CREATE TABLE {META} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        for key, value in meta.items():
            db.execute(f"INSERT INTO {META} (key, value) VALUES (?, ?)", [key, str(value)])


def read_meta(db: sqlite_utils.Database) -> dict[str, str] | None:
    """The bundle's facts, or None when the file has no ``_bundle`` table."""
    if META not in db.table_names():
        return None
    return {str(k): str(v) for k, v in db.execute(f"SELECT key, value FROM {META}").fetchall()}


def value_types(db: sqlite_utils.Database, table: Table, column: str) -> set[str]:
    """The SQLite storage classes found in one column (``typeof``)."""
    return {r[0] for r in db.execute(
        f"SELECT DISTINCT typeof({q(column)}) FROM {q(table.name)}")}


# Control characters the app never stores (tab, line feed and carriage return are kept by long
# text): a GLOB class, NUL apart (SQLite's GLOB stops at it; instr does not).
CONTROL_GLOB = "*[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*"


def has_control_characters(db: sqlite_utils.Database, table: Table, column: str) -> bool:
    """Whether any text of one column holds a control character (a terminal escape, a NUL)."""
    c = q(column)
    return db.execute(
        f"SELECT 1 FROM {q(table.name)} WHERE typeof({c}) = 'text' AND "
        f"(instr({c}, char(0)) > 0 OR {c} GLOB ?) LIMIT 1", [CONTROL_GLOB]).fetchone() is not None


def checks(db: sqlite_utils.Database) -> list[str]:
    """What SQLite itself finds wrong with the file: damaged pages, broken foreign keys."""
    # quick_check's first line may be a heading ("*** in database main ***"), and its messages
    # span lines: each is folded to one line, headings dropped.
    problems = [" ".join(line.split()) for r in db.execute("PRAGMA quick_check").fetchall()
                for line in str(r[0]).splitlines()
                if line.strip() and line.strip() != "ok" and not line.startswith("***")]
    problems += [f"{r[0]} row {r[1]} points at a missing {r[2]} row"
                 for r in db.execute("PRAGMA foreign_key_check").fetchall()]
    return problems


def academies_in(db: sqlite_utils.Database) -> list[tuple[int, str, str]]:
    """(id, title, created_at) of every academy in the file."""
    return [tuple(r) for r in db.execute(f"SELECT id, title, created_at FROM {ROOT} ORDER BY id")]


def trust_no_schema(conn: sqlite3.Connection) -> None:
    """A bundle from elsewhere: its views and triggers may not call functions on our behalf."""
    conn.execute("PRAGMA trusted_schema = OFF")


def purge(db: sqlite_utils.Database, academy_id: int, indexes: Iterable[str] = ()) -> None:
    """Delete the academy (its rows cascade) with secure_delete on (freed pages are zeroed),
    then rebuild the file: nothing of it stays readable in the free pages or the WAL.

    A full-text index only marks deleted rows as deleted: the old terms stay in its segments
    until they merge. Each of ``indexes`` (external-content FTS5 tables) is rebuilt from its
    content table, so the terms of the deleted rows leave the file too."""
    db.execute("PRAGMA secure_delete = ON")
    with write(db):
        db.execute(f"DELETE FROM {ROOT} WHERE id = ?", [academy_id])
        for index in indexes:
            db.execute(f"INSERT INTO {q(index)} ({q(index)}) VALUES ('rebuild')")
    db.execute("VACUUM")
    if db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
