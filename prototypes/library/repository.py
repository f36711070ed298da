"""All SQL of the district library: its own small schema, filled from academy bundles.

The library is for publishing, not for running an academy: flat tables a reader of Datasette
understands (academies, prototypes, iterations, initiatives), a full-text index on prototypes,
and people only when asked (``people`` table, names on prototypes).
"""
from __future__ import annotations

import json

import sqlite_utils

from workshop.store.transactions import write

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS academies (
        id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
        place TEXT NOT NULL, start_date TEXT, end_date TEXT, exported_at TEXT NOT NULL,
        participants INTEGER NOT NULL, schools INTEGER NOT NULL, prototypes INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS prototypes (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        academy TEXT NOT NULL, title TEXT NOT NULL, team TEXT NOT NULL, status TEXT NOT NULL,
        model TEXT NOT NULL, model_other TEXT NOT NULL, core_four TEXT NOT NULL,
        why TEXT NOT NULL, students TEXT NOT NULL,
        teachers_more TEXT NOT NULL, teachers_less TEXT NOT NULL,
        success_measures TEXT NOT NULL, resources TEXT NOT NULL, owner TEXT NOT NULL,
        iterations INTEGER NOT NULL, updated_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS prototypes_academy ON prototypes(academy_id)",
    """CREATE TABLE IF NOT EXISTS iterations (
        id INTEGER PRIMARY KEY,
        prototype_id INTEGER NOT NULL REFERENCES prototypes(id) ON DELETE CASCADE,
        number INTEGER NOT NULL, started_on TEXT, finished_on TEXT, change TEXT NOT NULL,
        question TEXT NOT NULL, prediction TEXT NOT NULL, measure TEXT NOT NULL,
        results TEXT NOT NULL, decision TEXT NOT NULL, next_change TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS initiatives (
        id INTEGER PRIMARY KEY,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        academy TEXT NOT NULL, school TEXT NOT NULL, hub TEXT NOT NULL, name TEXT NOT NULL,
        status TEXT NOT NULL, hub_rating INTEGER, aligned INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS people (
        id INTEGER PRIMARY KEY,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        name TEXT NOT NULL, email TEXT NOT NULL, school TEXT NOT NULL, role TEXT NOT NULL)""",
]
# The canned queries Datasette offers (titles and descriptions shown on its pages).
QUERIES = {
    "adopted_models": {
        "title": "Adopted models",
        "description": "Which classroom models teams adopted, most often first.",
        "sql": "SELECT CASE WHEN model = 'other' AND model_other != '' THEN model_other "
               "ELSE model END AS model, count(*) AS prototypes, "
               "count(DISTINCT academy_id) AS academies "
               "FROM prototypes WHERE status = 'adopted' GROUP BY 1 ORDER BY 2 DESC",
    },
    "by_core_four": {
        "title": "Prototypes by Core Four",
        "description": "How many prototypes target each of the Core Four, by status.",
        "sql": "SELECT trim(value) AS core_four, status, count(*) AS prototypes FROM prototypes, "
               "json_each('[\"' || replace(core_four, ', ', '\",\"') || '\"]') "
               "WHERE core_four != '' GROUP BY 1, 2 ORDER BY 1, 3 DESC",
    },
    "unaligned_initiatives": {
        "title": "Initiatives most often unaligned",
        "description": "Initiatives with no link to their map's vision, by how many schools "
                       "have them so: candidates to align or to stop.",
        "sql": "SELECT lower(name) AS initiative, count(*) AS schools, "
               "group_concat(DISTINCT academy) AS academies FROM initiatives "
               "WHERE aligned = 0 GROUP BY lower(name) ORDER BY 2 DESC, 1",
    },
}
FTS_COLUMNS = ["title", "team", "why", "students", "success_measures", "resources", "academy"]


LIBRARY_TABLES = frozenset({"academies", "prototypes", "iterations", "initiatives", "people",
                            "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"})


def open_library(path) -> sqlite_utils.Database:
    """The library file, created with its schema if new (never WAL: it is copied and served
    read-only, one file). An existing file that holds anything but a library — the
    facilitator's own data file given as ``--out`` by mistake — is refused untouched (before,
    the library's tables were written into it and the build then failed on its academies)."""
    from workshop.errors import ValidationError
    from workshop.store import open_database
    db = open_database(path, wal=False)
    try:
        others = sorted(t for t in db.table_names()
                        if t not in LIBRARY_TABLES and not t.startswith("prototypes_fts"))
        if others:
            raise ValidationError(
                f"{path} is not a district library (it holds “{others[0]}”: an academy's data "
                "file or another database?); nothing was written to it. Name a new file, or an "
                "existing library, with --out.")
        with write(db):
            for sql in SCHEMA:
                db.execute(sql)
    except BaseException:
        db.close()
        raise
    return db


def academy_facts(bundle: sqlite_utils.Database, academy_id: int) -> dict:
    """The bundle's academy as the library shows it."""
    row = bundle.execute("SELECT title, place, start_date, end_date, created_at FROM academies "
                         "WHERE id = ?", [academy_id]).fetchone()
    people, schools = bundle.execute(
        "SELECT count(*), count(DISTINCT nullif(school, '')) FROM participants "
        "WHERE academy_id = ?", [academy_id]).fetchone()
    return {"title": row[0], "place": row[1], "start_date": row[2], "end_date": row[3],
            "key": f"{row[0]}\n{row[4]}", "participants": people, "schools": schools}


def exported_at(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT exported_at FROM academies WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def replace_academy(db: sqlite_utils.Database, bundle: sqlite_utils.Database, academy_id: int,
                    facts: dict, stamp: str, with_people: bool) -> int:
    """Put one bundle's academy in the library, replacing the one with its key; returns the
    number of prototypes."""
    with write(db):
        db.execute("DELETE FROM academies WHERE key = ?", [facts["key"]])
        protos = bundle.execute(
            "SELECT p.id, uid, title, team, status, model, model_other, core_four, why, students,"
            " teachers_more, teachers_less, success_measures, resources, owner, updated_at,"
            " (SELECT count(*) FROM prototype_iterations i WHERE i.prototype_id = p.id)"
            " FROM prototypes p WHERE academy_id = ? ORDER BY id", [academy_id]).fetchall()
        new_id = db.execute(
            "INSERT INTO academies (key, title, place, start_date, end_date, exported_at, "
            "participants, schools, prototypes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [facts["key"], facts["title"], facts["place"], facts["start_date"],
             facts["end_date"], stamp, facts["participants"], facts["schools"],
             len(protos)]).lastrowid
        for p in protos:
            core = ", ".join(json.loads(p[7] or "[]"))
            pid = db.execute(
                "INSERT INTO prototypes (uid, academy_id, academy, title, team, status, model,"
                " model_other, core_four, why, students, teachers_more, teachers_less,"
                " success_measures, resources, owner, iterations, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [p[1], new_id, facts["title"], p[2], p[3], p[4], p[5], p[6], core, *p[8:14],
                 p[14] if with_people else "", p[16], p[15]]).lastrowid
            for it in bundle.execute(
                    "SELECT number, started_on, finished_on, change, question, prediction, "
                    "measure, results, decision, next_change FROM prototype_iterations "
                    "WHERE prototype_id = ? ORDER BY number", [p[0]]).fetchall():
                db.execute("INSERT INTO iterations (prototype_id, number, started_on, "
                           "finished_on, change, question, prediction, measure, results, "
                           "decision, next_change) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [pid, *it])
        for node in bundle.execute(
                "SELECT m.school, n.id, n.name, n.status, h.name,"
                " (SELECT l.rating FROM map_links l WHERE l.map_id = m.id AND"
                "  ((l.node_a = n.id AND l.node_b = h.id) OR (l.node_b = n.id AND l.node_a = h.id)))"
                " FROM initiative_maps m JOIN map_nodes n ON n.map_id = m.id AND n.kind = 'initiative'"
                " LEFT JOIN map_nodes h ON h.map_id = m.id AND h.kind = 'hub'"
                " WHERE m.academy_id = ? ORDER BY m.id, n.id", [academy_id]).fetchall():
            db.execute("INSERT INTO initiatives (academy_id, academy, school, hub, name, status,"
                       " hub_rating, aligned) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       [new_id, facts["title"], node[0], node[4] or "", node[2], node[3],
                        node[5], int(node[5] is not None and node[5] > 0)])
        if with_people:
            for person in bundle.execute("SELECT name, email, school, role FROM participants "
                                         "WHERE academy_id = ? ORDER BY id", [academy_id]):
                db.execute("INSERT INTO people (academy_id, name, email, school, role) "
                           "VALUES (?, ?, ?, ?, ?)", [new_id, *person])
    return len(protos)


def index(db: sqlite_utils.Database) -> None:
    """The full-text index on prototypes, rebuilt (Datasette's search box and ?_search= use it)."""
    if "prototypes_fts" not in db.table_names():
        db["prototypes"].enable_fts(FTS_COLUMNS, tokenize="unicode61 remove_diacritics 2")
    db["prototypes"].rebuild_fts()
    db.execute("VACUUM")


def search(db: sqlite_utils.Database, words: str, limit: int = 50) -> list[dict]:
    """Prototypes matching typed words (each a prefix), best first."""
    terms = " ".join('"' + w.replace('"', '""') + '"*' for w in words.split())
    if not terms:
        rows = db.execute("SELECT id, academy, title, team, status, model, core_four FROM "
                          "prototypes ORDER BY title LIMIT ?", [limit])
    else:
        rows = db.execute(
            "SELECT p.id, p.academy, p.title, p.team, p.status, p.model, p.core_four "
            "FROM prototypes_fts f JOIN prototypes p ON p.rowid = f.rowid "
            "WHERE prototypes_fts MATCH ? ORDER BY rank LIMIT ?", [terms, limit])
    keys = ("id", "academy", "title", "team", "status", "model", "core_four")
    return [dict(zip(keys, r)) for r in rows.fetchall()]


CONTENT = ("title", "model", "model_other", "core_four", "why", "students", "teachers_more",
           "teachers_less", "success_measures", "resources")


def prototype_content(db: sqlite_utils.Database, library_id: int) -> dict | None:
    """What a copy of the library's prototype starts from (its content, no people)."""
    row = db.execute(f"SELECT academy, team, {', '.join(CONTENT)} FROM prototypes "
                     "WHERE id = ?", [library_id]).fetchone()
    if row is None:
        return None
    content = dict(zip(("academy", "team", *CONTENT), row))
    content["core_four"] = tuple(c for c in content["core_four"].split(", ") if c)
    return content


def open_read_only(path) -> sqlite_utils.Database:
    """A library opened so that nothing can write to it (``mode=ro``)."""
    from pathlib import Path

    from workshop.store.health import connect_read_only
    db = sqlite_utils.Database(connect_read_only(Path(path), 5.0))
    if "prototypes_fts" not in db.table_names() or "academies" not in db.table_names():
        db.close()
        from workshop.errors import ValidationError
        raise ValidationError(f"{Path(path).name} is not a district library (build one with "
                              "`workshop library build`).")
    return db
