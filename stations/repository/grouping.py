"""SQL of saved groupings: one grouping per academy, replaced whole on save."""
from __future__ import annotations

import json
import sqlite_utils

from stations.grouping.draft import SavedGrouping
from stations.setup.model import Group
from workshop.clock import Clock, SystemClock
from workshop.timefmt import local_stamp, utc_stamp
from workshop.store.transactions import write


class GroupingRepository:
    """The saved grouping and the draft of each academy; ``clock`` stamps them."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock | None = None):
        self.db = db
        self.clock = clock or SystemClock()

    def _now(self) -> str:
        return utc_stamp(self.clock.now())

    def load(self, academy_id: int) -> SavedGrouping | None:
        """The academy's saved grouping, or None."""
        row = self.db.execute("SELECT strategy, options, metrics, saved_at FROM groupings "
                              "WHERE academy_id = ?", [academy_id]).fetchone()
        if row is None:
            return None
        rounds: dict[int, dict[int, Group]] = {}
        for rnd, pos, name in self.db.execute(
                "SELECT round, position, name FROM grouping_groups WHERE academy_id = ? "
                "ORDER BY round, position", [academy_id]):
            rounds.setdefault(rnd, {})[pos] = Group(pos, name, [])
        locked = set()
        for rnd, pos, pid, lock in self.db.execute(
                "SELECT round, position, participant_id, locked FROM grouping_members "
                "WHERE academy_id = ? ORDER BY round, position, seat", [academy_id]):
            rounds[rnd][pos].member_ids.append(pid)
            if lock and rnd == 1:
                locked.add(pid)
        return SavedGrouping(rounds=[list(rounds[r].values()) for r in sorted(rounds)],
                             locked=locked, strategy=row[0], options=json.loads(row[1]),
                             metrics=json.loads(row[2]), saved_at=row[3])

    def draft(self, academy_id: int) -> dict | None:
        """The draft's JSON (see ``Draft.to_json``), or None."""
        row = self.db.execute("SELECT state FROM grouping_drafts WHERE academy_id = ?",
                              [academy_id]).fetchone()
        return json.loads(row[0]) if row else None

    def save_draft(self, academy_id: int, state: dict) -> None:
        """Keep the draft's JSON, replacing the last one."""
        with write(self.db):
            self.db.execute(
                "INSERT INTO grouping_drafts (academy_id, state, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (academy_id) DO UPDATE SET state = excluded.state, "
                "updated_at = excluded.updated_at",
                [academy_id, json.dumps(state, sort_keys=True), self._now()])

    def replace(self, academy_id: int, saved: SavedGrouping) -> None:
        """Write the whole grouping in one transaction (the old one and any draft go)."""
        with write(self.db):
            self.db.execute("DELETE FROM grouping_drafts WHERE academy_id = ?", [academy_id])
            self.db.execute("DELETE FROM groupings WHERE academy_id = ?", [academy_id])
            self.db.execute(
                "INSERT INTO groupings (academy_id, strategy, options, metrics, saved_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [academy_id, saved.strategy, json.dumps(saved.options, sort_keys=True),
                 json.dumps(saved.metrics, sort_keys=True), self._now()])
            for rnd, groups in enumerate(saved.rounds, start=1):
                for group in groups:
                    self.db.execute("INSERT INTO grouping_groups (academy_id, round, position, name) "
                                    "VALUES (?, ?, ?, ?)", [academy_id, rnd, group.index, group.name])
                    self.db.conn.executemany(
                        "INSERT INTO grouping_members (academy_id, round, position, seat, "
                        "participant_id, locked) VALUES (?, ?, ?, ?, ?, ?)",
                        [(academy_id, rnd, group.index, seat, pid,
                          int(rnd == 1 and pid in saved.locked))
                         for seat, pid in enumerate(group.member_ids)])

    def delete(self, academy_id: int) -> None:
        """Forget the academy's grouping and draft."""
        with write(self.db):
            self.db.execute("DELETE FROM grouping_drafts WHERE academy_id = ?", [academy_id])
            self.db.execute("DELETE FROM groupings WHERE academy_id = ?", [academy_id])

    def arrived(self, academy_id: int) -> set[int]:
        """Who has checked in today, in the rotation's current run: the Attendance page's run,
        never yesterday's or an earlier run's check-ins."""
        # The run a check-in counts for, as the join desk stamps it (Room.checkin_run): one per
        # rotation started, arrivals before the first start count for run 1.
        run = self.db.execute("SELECT max(1, count(*)) FROM rotations WHERE academy_id = ?",
                              [academy_id]).fetchone()[0]
        # A new day before "Start again" is still the old run: the day keeps yesterday out.
        today = self.clock.now().astimezone().date()
        rows = self.db.execute("SELECT participant_id, at FROM join_checkins "
                               "WHERE academy_id = ? AND run = ?", [academy_id, run])
        return {pid for pid, at in rows
                if (when := local_stamp(at)) is not None and when.date() == today}
