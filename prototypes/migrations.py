"""Schema of the prototypes feature. One ordered list per area (prototypes, maps), each
recorded under its own name in ``_migrations``."""
from __future__ import annotations

from workshop.bundle.schema import Policies, Stable, declare
from workshop.store.migrate import Migration

FEATURE = "prototypes"



def _prototypes_v1(db) -> None:
    # Plain SQL: sqlite-utils' create() cannot say ON DELETE CASCADE, and its enable_fts() runs
    # executescript(), which commits half-way through this migration's transaction. The FTS
    # table has the shape enable_fts(create_triggers=True) makes, so sqlite-utils' detect_fts()
    # and search_sql() work on it; we add a prefix index for search-as-you-type and fold accents.
    # The library's columns come first and the long texts last: a library row is then read
    # without touching overflow pages (5,000 rows: ~3x faster, see tests/bench).
    db.execute("""CREATE TABLE prototypes (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        title TEXT NOT NULL, team TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'draft', model TEXT NOT NULL DEFAULT 'station_rotation',
        model_other TEXT NOT NULL DEFAULT '', core_four TEXT NOT NULL DEFAULT '[]',
        owner TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        synced_at TEXT,
        why TEXT NOT NULL DEFAULT '', students TEXT NOT NULL DEFAULT '',
        teachers_more TEXT NOT NULL DEFAULT '', teachers_less TEXT NOT NULL DEFAULT '',
        success_measures TEXT NOT NULL DEFAULT '', resources TEXT NOT NULL DEFAULT '',
        history TEXT NOT NULL DEFAULT '[]', "check" TEXT NOT NULL DEFAULT '{}',
        search_text TEXT NOT NULL DEFAULT '')""")
    db.execute("CREATE INDEX prototypes_academy ON prototypes(academy_id)")
    db.execute("""CREATE TABLE prototype_iterations (
        id INTEGER PRIMARY KEY,
        prototype_id INTEGER NOT NULL REFERENCES prototypes(id) ON DELETE CASCADE,
        number INTEGER NOT NULL, started_on TEXT NOT NULL, finished_on TEXT,
        change TEXT NOT NULL DEFAULT '', question TEXT NOT NULL DEFAULT '',
        prediction TEXT NOT NULL DEFAULT '', measure TEXT NOT NULL DEFAULT '',
        who_where_when TEXT NOT NULL DEFAULT '', happened TEXT NOT NULL DEFAULT '',
        surprises TEXT NOT NULL DEFAULT '', results TEXT NOT NULL DEFAULT '',
        decision TEXT NOT NULL DEFAULT '', next_change TEXT NOT NULL DEFAULT '',
        snapshot TEXT NOT NULL, UNIQUE (prototype_id, number))""")
    db.execute("""CREATE VIRTUAL TABLE [prototypes_fts] USING FTS5 (
        [title], [team], [owner], [search_text],
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3',
        content=[prototypes])""")
    cols = "[title], [team], [owner], [search_text]"
    new_cols = "new.[title], new.[team], new.[owner], new.[search_text]"
    old_cols = "old.[title], old.[team], old.[owner], old.[search_text]"
    db.execute(f"""CREATE TRIGGER [prototypes_ai] AFTER INSERT ON [prototypes] BEGIN
        INSERT INTO [prototypes_fts] (rowid, {cols}) VALUES (new.rowid, {new_cols}); END""")
    db.execute(f"""CREATE TRIGGER [prototypes_ad] AFTER DELETE ON [prototypes] BEGIN
        INSERT INTO [prototypes_fts] ([prototypes_fts], rowid, {cols})
        VALUES ('delete', old.rowid, {old_cols}); END""")
    # Only a change to an indexed column re-indexes: timestamps alone do not touch the index.
    db.execute(f"""CREATE TRIGGER [prototypes_au] AFTER UPDATE OF {cols} ON [prototypes] BEGIN
        INSERT INTO [prototypes_fts] ([prototypes_fts], rowid, {cols})
        VALUES ('delete', old.rowid, {old_cols});
        INSERT INTO [prototypes_fts] (rowid, {cols}) VALUES (new.rowid, {new_cols}); END""")


def _prototypes_v2(db) -> None:
    # Covers every column of a library row, in library order: a search scans this narrow index
    # (and stops at the row limit) instead of reading a page per prototype.
    db.execute("""CREATE INDEX prototypes_library ON prototypes(
        title COLLATE NOCASE, id, academy_id, team, status, model, model_other, core_four,
        owner, updated_at)""")


def _prototypes_v3(db) -> None:
    # Chinese, Japanese and Thai are written without spaces, so the word index holds a whole
    # run (“学生需要自己的节奏”) as one token and finds it only from its start. A trigram index of
    # the same columns finds any substring of three characters or more (shorter ones are
    # scanned). Plain SQL and triggers, as for prototypes_fts; filled from the table.
    cols = "[title], [team], [owner], [search_text]"
    new_cols = "new.[title], new.[team], new.[owner], new.[search_text]"
    old_cols = "old.[title], old.[team], old.[owner], old.[search_text]"
    db.execute(f"""CREATE VIRTUAL TABLE [prototypes_trigram] USING FTS5 ({cols},
        tokenize='trigram', content=[prototypes])""")
    db.execute(f"""CREATE TRIGGER [prototypes_trigram_ai] AFTER INSERT ON [prototypes] BEGIN
        INSERT INTO [prototypes_trigram] (rowid, {cols}) VALUES (new.rowid, {new_cols}); END""")
    db.execute(f"""CREATE TRIGGER [prototypes_trigram_ad] AFTER DELETE ON [prototypes] BEGIN
        INSERT INTO [prototypes_trigram] ([prototypes_trigram], rowid, {cols})
        VALUES ('delete', old.rowid, {old_cols}); END""")
    db.execute(f"""CREATE TRIGGER [prototypes_trigram_au] AFTER UPDATE OF {cols} ON [prototypes]
        BEGIN
        INSERT INTO [prototypes_trigram] ([prototypes_trigram], rowid, {cols})
        VALUES ('delete', old.rowid, {old_cols});
        INSERT INTO [prototypes_trigram] (rowid, {cols}) VALUES (new.rowid, {new_cols}); END""")
    db.execute("INSERT INTO [prototypes_trigram] ([prototypes_trigram]) VALUES ('rebuild')")


MIGRATIONS: list[Migration] = [Migration(1, "prototypes, iterations, full-text index",
                                         _prototypes_v1),
                               Migration(2, "library index", _prototypes_v2),
                               Migration(3, "substring index for unspaced scripts",
                                         _prototypes_v3)]

# Areas with their own migration lists add entries here: {"prototypes.<area>": [...]}. Every
# database records these keys, so they are names for good, not module paths: moving a module
# must not rename its area, or every existing file reads as "written by a newer version".
AREAS: dict[str, list[Migration]] = {}


def _maps_v1(db) -> None:
    # Initiative maps: one per school team and one for the whole academy (school = '').
    # The hub is a node (kind 'hub') so that links can reference it like any spoke.
    # AUTOINCREMENT so that undo can put a deleted node or link back under its old id.
    db.execute("""CREATE TABLE initiative_maps (
        id INTEGER PRIMARY KEY,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        school TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL,
        UNIQUE (academy_id, school))""")
    db.execute("""CREATE TABLE map_nodes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        map_id INTEGER NOT NULL REFERENCES initiative_maps(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('hub', 'initiative')),
        name TEXT NOT NULL, owner TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('planned', 'active', 'winding_down')),
        load INTEGER NOT NULL DEFAULT 2 CHECK (load BETWEEN 1 AND 5),
        note TEXT NOT NULL DEFAULT '', x REAL, y REAL)""")
    db.execute("CREATE INDEX map_nodes_map ON map_nodes(map_id)")
    db.execute("CREATE UNIQUE INDEX map_nodes_one_hub ON map_nodes(map_id) WHERE kind = 'hub'")
    db.execute("""CREATE TABLE map_links (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        map_id INTEGER NOT NULL REFERENCES initiative_maps(id) ON DELETE CASCADE,
        node_a INTEGER NOT NULL REFERENCES map_nodes(id) ON DELETE CASCADE,
        node_b INTEGER NOT NULL REFERENCES map_nodes(id) ON DELETE CASCADE,
        rating INTEGER NOT NULL DEFAULT 2 CHECK (rating BETWEEN 0 AND 3),
        note TEXT NOT NULL DEFAULT '',
        CHECK (node_a < node_b), UNIQUE (node_a, node_b))""")
    db.execute("CREATE INDEX map_links_map ON map_links(map_id)")


AREAS["prototypes.maps"] = [Migration(1, "initiative maps", _maps_v1)]


def _rollout_v1(db) -> None:
    # One vision-and-plan per school team of an academy. The plan is one JSON document: it is
    # edited, undone, exported and imported whole, and nothing queries inside it. The vision
    # statement itself is the hub of the team's initiative map (one place, two views).
    # search_text holds every word of it for the library search.
    db.execute("""CREATE TABLE rollout_plans (
        id INTEGER PRIMARY KEY,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        school TEXT NOT NULL,
        plan TEXT NOT NULL DEFAULT '{}',
        search_text TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        UNIQUE (academy_id, school))""")


AREAS["prototypes.rollout"] = [Migration(1, "vision and rollout plans", _rollout_v1)]


def _measures_v1(db) -> None:
    # Measures of a prototype, their data points and each cycle's predictions (issue 18).
    # AUTOINCREMENT so that undo can put a deleted measure or point back under its old id.
    # Predictions name the cycle by number, as the editor does: a cycle deleted and restored
    # by undo gets a new row id but keeps its number.
    db.execute("""CREATE TABLE prototype_measures (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        prototype_id INTEGER NOT NULL REFERENCES prototypes(id) ON DELETE CASCADE,
        uid TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0,
        name TEXT NOT NULL, unit TEXT NOT NULL DEFAULT '',
        direction TEXT NOT NULL DEFAULT 'up' CHECK (direction IN ('up', 'down')),
        goal REAL, how TEXT NOT NULL DEFAULT '', how_often TEXT NOT NULL DEFAULT '',
        UNIQUE (prototype_id, uid))""")
    db.execute("""CREATE TABLE measure_points (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        measure_id INTEGER NOT NULL REFERENCES prototype_measures(id) ON DELETE CASCADE,
        "on" TEXT NOT NULL, value REAL NOT NULL, note TEXT NOT NULL DEFAULT '')""")
    db.execute("CREATE INDEX measure_points_measure ON measure_points(measure_id, \"on\")")
    db.execute("""CREATE TABLE measure_predictions (
        measure_id INTEGER NOT NULL REFERENCES prototype_measures(id) ON DELETE CASCADE,
        cycle INTEGER NOT NULL CHECK (cycle >= 1), value REAL NOT NULL,
        PRIMARY KEY (measure_id, cycle))""")


AREAS["prototypes.measures"] = [Migration(1, "measures, data points, predictions", _measures_v1)]

# Academy bundles merge prototypes by uid with the exchange's conflict rules (edited here since
# last shared, or newer here: the person decides); iterations follow their prototype.
BUNDLE = declare(FEATURE, Policies(stable={
    "prototypes": Stable(key="uid", stamp="updated_at", synced="synced_at")}))
