"""Check-ins carry the run of the rotation they belong to (issue 13 item 4): the join area's
migration 3 keeps every older check-in, as the latest run's, and a repeat is per run."""
from __future__ import annotations

from datetime import datetime, timezone

from stations.join.model import counts_for
from stations.repository.join import JoinRepository
from workshop.app import feature_migrations
from workshop.store import open_database
from workshop.store.migrate import migrate
from workshop.store.transactions import write

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def before_runs(path):
    """A database as the release before runs left it: join at migration 2."""
    features = feature_migrations()
    features["stations.join"] = features["stations.join"][:2]
    db = open_database(path)
    migrate(db, features)
    return db


def test_older_check_ins_become_the_latest_runs_and_stay_readable(tmp_path):
    db = before_runs(tmp_path / "old.sqlite")
    with write(db):
        db.execute("INSERT INTO academies (id, title, created_at) VALUES (1, 'A', ?)",
                   [NOW.isoformat()])
        db.execute("INSERT INTO participants (id, academy_id, name, created_at)"
                   " VALUES (7, 1, 'Ana', ?)", [NOW.isoformat()])
        db.execute("INSERT INTO stations (id, academy_id, position, name, kind, minutes)"
                   " VALUES (3, 1, 1, 'S', 'teacher', 10)")
        for at in (1.0, 2.0):   # a first run, then "Start again"
            db.execute("INSERT INTO rotations (academy_id, created_at) VALUES (1, ?)", [at])
        db.execute("INSERT INTO join_checkins (academy_id, participant_id, station_id, round, at,"
                   " seq) VALUES (1, 7, 3, 1, ?, 1)", [NOW.isoformat()])
    migrate(db, feature_migrations())
    repo = JoinRepository(db)
    assert [(c.participant_name, c.run, c.round) for c in repo.checkins(1)] == [("Ana", 2, 1)]
    assert repo.checkins(1, run=1) == []
    # The same person, station and round in another run is a check-in of its own.
    assert repo.add_checkin(1, 7, 3, 1, NOW, run=3)[1] is False
    assert repo.add_checkin(1, 7, 3, 1, NOW, run=3)[1] is True
    assert [c.run for c in repo.checkins(1)] == [2, 3]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_an_arrival_counts_for_round_one_only():
    assert counts_for(0, 1) and counts_for(0, 0) and counts_for(2, 0)
    assert not counts_for(0, 2) and not counts_for(1, 2) and counts_for(2, 2)
