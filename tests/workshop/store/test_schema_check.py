"""Opening a file at this version's schema checks its tables against the columns written in
workshop/schema_columns.json, not against the migrations replayed in memory (4 ms of every
window's start, issue 20); any other file, or a columns file for other versions, replays them.
Either way a damaged table is refused in the same words."""
from __future__ import annotations

import json

import pytest

from workshop.app import SCHEMA_COLUMNS, build_context, feature_migrations
from workshop.config import AppConfig
from workshop.store import health
from workshop.store.errors import DatabaseError


@pytest.fixture
def current_file(tmp_path, clock):
    path = tmp_path / "academy.sqlite"
    build_context(AppConfig(db_path=path), clock=clock).close()
    return path


@pytest.fixture
def replays(monkeypatch):
    """The migrations replayed for a schema check, by the versions they were replayed for."""
    made: list[dict] = []
    replay = health._columns_made_by

    def recorded(features, applied):
        made.append(dict(applied))
        return replay(features, applied)
    monkeypatch.setattr(health, "_expected", {})   # nothing remembered from other tests
    monkeypatch.setattr(health, "_columns_made_by", recorded)
    return made


def test_a_current_file_is_checked_against_the_written_columns(current_file, clock, replays):
    build_context(AppConfig(db_path=current_file), clock=clock).close()
    assert replays == []


def test_a_columns_file_for_other_versions_is_not_used(current_file, replays, tmp_path):
    stale = json.loads(SCHEMA_COLUMNS.read_text(encoding="utf-8"))
    stale["versions"]["workshop"] -= 1
    other = tmp_path / "columns.json"
    other.write_text(json.dumps(stale), encoding="utf-8")
    features = feature_migrations()
    applied = {area: max(m.version for m in ms) for area, ms in features.items() if ms}
    assert health.written_columns(other, features, applied) is None
    assert health.written_columns(tmp_path / "none.json", features, applied) is None
    assert health.written_columns(SCHEMA_COLUMNS, features, applied) is not None
    older = dict(applied, workshop=applied["workshop"] - 1)   # a file to upgrade: replayed
    assert health.written_columns(SCHEMA_COLUMNS, features, older) is None


@pytest.mark.parametrize("written", [True, False])
def test_a_renamed_column_is_refused_in_the_same_words_either_way(current_file, clock, written,
                                                                  monkeypatch):
    import sqlite3
    conn = sqlite3.connect(current_file)
    conn.execute("ALTER TABLE stations RENAME COLUMN prompt TO promt")
    conn.commit()
    conn.close()
    monkeypatch.setattr(health, "_expected", {})
    if not written:
        monkeypatch.setattr(health, "written_columns", lambda *args: None)
    with pytest.raises(DatabaseError, match="its table “stations” has no column “prompt”"):
        build_context(AppConfig(db_path=current_file), clock=clock)
