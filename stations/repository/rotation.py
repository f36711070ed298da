"""SQL of the rotation: runs, their event logs and per-academy settings.

Events are appended inside ``write(db)`` together, so a catch-up and the action that caused
it are written as one: after a crash the log holds all of them or none.
"""
from __future__ import annotations

import json

import sqlite_utils

from stations.rotation.countdown import Event
from workshop.store.transactions import write


class RotationRepository:
    """The rotation's tables: runs with their frozen schedules, event logs, settings."""
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def latest(self, academy_id: int) -> tuple[int, dict] | None:
        """(rotation id, frozen schedule) of the academy's current rotation, if any."""
        row = self.db.execute("SELECT id, schedule FROM rotations WHERE academy_id = ? "
                              "ORDER BY id DESC LIMIT 1", [academy_id]).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def runs(self, academy_id: int) -> list[tuple[int, float]]:
        """(rotation id, started at) of every run of the academy, run 1 first: the history."""
        return [tuple(r) for r in self.db.execute(
            "SELECT id, created_at FROM rotations WHERE academy_id = ? ORDER BY id",
            [academy_id]).fetchall()]

    def run(self, academy_id: int, number: int) -> tuple[int, dict] | None:
        """(rotation id, frozen schedule) of the academy's run ``number`` (1-based), if any."""
        row = self.db.execute("SELECT id, schedule FROM rotations WHERE academy_id = ? "
                              "ORDER BY id LIMIT 1 OFFSET ?", [academy_id, number - 1]).fetchone()
        return (row[0], json.loads(row[1])) if row and number >= 1 else None

    def version(self, academy_id: int) -> tuple[int | None, int]:
        """(latest rotation id, its number of events): cheap, to notice another process's writes."""
        row = self.db.execute(
            "SELECT id, (SELECT count(*) FROM rotation_events WHERE rotation_id = rotations.id) "
            "FROM rotations WHERE academy_id = ? ORDER BY id DESC LIMIT 1", [academy_id]).fetchone()
        return (row[0], row[1]) if row else (None, 0)

    def create(self, academy_id: int, created_at: float, schedule: dict,
               events: list[Event]) -> int:
        """Record a new rotation with its first events, in one transaction."""
        with write(self.db):
            rotation_id = self.db["rotations"].insert(
                {"academy_id": academy_id, "created_at": created_at,
                 "schedule": json.dumps(schedule, sort_keys=True)}).last_pk
            self._insert(rotation_id, events)
        return rotation_id

    def append(self, rotation_id: int, events: list[Event]) -> None:
        """Append events to a rotation's log, in one transaction."""
        if events:
            with write(self.db):
                self._insert(rotation_id, events)

    def _insert(self, rotation_id: int, events: list[Event]) -> None:
        self.db["rotation_events"].insert_all(
            [{"rotation_id": rotation_id, "kind": e.kind, "at": e.at,
              "data": json.dumps(e.data, sort_keys=True)} for e in events])

    def events(self, rotation_id: int) -> list[Event]:
        """A rotation's log, in the order it was written."""
        rows = self.db.execute("SELECT kind, at, data FROM rotation_events WHERE rotation_id = ? "
                               "ORDER BY id", [rotation_id]).fetchall()
        return [Event(kind, at, json.loads(data)) for kind, at, data in rows]

    def settings(self, academy_id: int) -> dict:
        """The academy's saved rotation settings ({} when none)."""
        row = self.db.execute("SELECT settings FROM rotation_settings WHERE academy_id = ?",
                              [academy_id]).fetchone()
        return json.loads(row[0]) if row else {}

    def save_settings(self, academy_id: int, settings: dict) -> None:
        """Save the academy's rotation settings."""
        with write(self.db):
            self.db["rotation_settings"].upsert(
                {"academy_id": academy_id, "settings": json.dumps(settings, sort_keys=True)},
                pk="academy_id")


class MemoryRotationRepository:
    """The same interface on plain lists: for dry-run simulations that must not touch the
    academy's real rotation (``workshop rotation simulate`` without ``--save``)."""

    def __init__(self, settings: dict | None = None):
        self._rotations: list[tuple[int, int, dict, list[Event]]] = []
        self._settings = dict(settings or {})

    def latest(self, academy_id: int):
        """As :meth:`RotationRepository.latest`."""
        for rid, aid, schedule, _ in reversed(self._rotations):
            if aid == academy_id:
                return rid, schedule
        return None

    def runs(self, academy_id: int) -> list[tuple[int, float]]:
        """As :meth:`RotationRepository.runs`."""
        return [(rid, events[0].at if events else 0.0)
                for rid, aid, _, events in self._rotations if aid == academy_id]

    def run(self, academy_id: int, number: int):
        """As :meth:`RotationRepository.run`."""
        mine = [(rid, schedule) for rid, aid, schedule, _ in self._rotations if aid == academy_id]
        return mine[number - 1] if 1 <= number <= len(mine) else None

    def version(self, academy_id):
        """As :meth:`RotationRepository.version`."""
        latest = self.latest(academy_id)
        return (latest[0], len(self._rotations[latest[0] - 1][3])) if latest else (None, 0)

    def create(self, academy_id, created_at, schedule, events) -> int:
        """As :meth:`RotationRepository.create`."""
        rid = len(self._rotations) + 1
        self._rotations.append((rid, academy_id, json.loads(json.dumps(schedule)), list(events)))
        return rid

    def append(self, rotation_id, events) -> None:
        """As :meth:`RotationRepository.append`."""
        self._rotations[rotation_id - 1][3].extend(events)

    def events(self, rotation_id) -> list[Event]:
        """As :meth:`RotationRepository.events`."""
        return list(self._rotations[rotation_id - 1][3])

    def settings(self, academy_id) -> dict:
        """As :meth:`RotationRepository.settings`."""
        return dict(self._settings.get(academy_id, {}))

    def save_settings(self, academy_id, settings) -> None:
        """As :meth:`RotationRepository.save_settings`."""
        self._settings[academy_id] = dict(settings)
