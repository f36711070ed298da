"""All SQL of the stations feature."""
from __future__ import annotations

import sqlite_utils

from stations.setup.model import Station
from workshop.store.transactions import write


def _station(row: dict) -> Station:
    return Station(position=row["position"], name=row["name"], kind=row["kind"],
                   minutes=row["minutes"], prompt=row["prompt"], materials=row["materials"],
                   debrief_prompt=row["debrief_prompt"], id=row["id"], academy_id=row["academy_id"])


class StationRepository:
    """The stations of each academy: read in order, written as a whole set."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def stations(self, academy_id: int) -> list[Station]:
        """The academy's stations by position."""
        return [_station(r) for r in self.db["stations"].rows_where(
            "academy_id = ?", [academy_id], order_by="position")]

    def replace_all(self, academy_id: int, stations: list[Station]) -> list[Station]:
        """Write the whole station set at once (positions renumbered 1..n), keeping ids."""
        with write(self.db):
            keep = [s.id for s in stations if s.id is not None]
            self.db.execute(
                f"DELETE FROM stations WHERE academy_id = ? AND id NOT IN ({','.join('?' * len(keep))})",
                [academy_id, *keep])
            # SQLite checks UNIQUE(academy_id, position) per row and cannot defer it: park the
            # kept rows on negative positions first so renumbering never collides.
            self.db.execute("UPDATE stations SET position = -position WHERE academy_id = ?",
                            [academy_id])
            for position, s in enumerate(stations, start=1):
                s.position, s.academy_id = position, academy_id
                row = {"academy_id": academy_id, "position": position, "name": s.name,
                       "kind": s.kind, "minutes": s.minutes, "prompt": s.prompt,
                       "materials": s.materials, "debrief_prompt": s.debrief_prompt}
                if s.id is None:
                    s.id = self.db["stations"].insert(row).last_pk
                else:
                    self.db["stations"].update(s.id, row)
        return stations
