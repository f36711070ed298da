"""The Attendance page's read of the check-ins, only of what changed since its last read.

The page redraws on the window's ticker through a storm of check-ins; re-reading every check-in
of the run (1,000 rows joined with their stations, each made a ``CheckIn`` with its time parsed)
was two thirds of each redraw's Python on the UI thread, while the join server's threads waited
for the interpreter (issue 19 item 6). Check-ins are ordered by ``seq``, taken under the write
lock, so a commit never lands below one already seen: a read asks only for rows after the last
seq it saw (a repeated tap moves its row there too). A count says whether any was taken away
(a person removed); that, new people or names, or moved stations read everything again. An undo
of the facilitator's check-in resets the log (``reset``): the next tap may take the seq and id
the deleted row had, and the count would not change.
"""
from __future__ import annotations

from stations.join.model import CheckIn
from stations.repository.join import _when


class CheckInLog:
    """One academy run's check-ins on one connection, oldest first, kept between reads."""

    def __init__(self, db):
        self.db = db
        self._key: tuple | None = None         # (academy, run, people, stations) of the rows
        self._rows: dict[int, tuple[int, CheckIn]] = {}  # check-in id -> (seq, check-in)
        self._seq = 0

    def reset(self) -> None:
        """Read everything at the next call."""
        self._key = None

    def checkins(self, academy_id: int, run: int, people: dict[int, tuple[str, bool]],
                 stations: dict[int, int]) -> list[CheckIn]:
        """The run's check-ins, oldest first (as ``JoinRepository.checkins``); ``people``:
        ``JoinRepository.people``; ``stations``: station id -> position."""
        key = (academy_id, run, people, stations)
        if self._key != key:
            self._key, self._rows, self._seq = key, {}, 0
        self._read(academy_id, run, people)
        count = self.db.execute("SELECT count(*) FROM join_checkins WHERE academy_id = ? AND run = ?",
                                [academy_id, run]).fetchone()[0]
        if count != len(self._rows):  # one was taken away: read them all again
            self._rows, self._seq = {}, 0
            self._read(academy_id, run, people)
        return [c for _, c in sorted(self._rows.values(), key=lambda row: row[0])]

    def _read(self, academy_id: int, run: int, people: dict[int, tuple[str, bool]]) -> None:
        rows = self.db.execute("""
            SELECT c.id, c.academy_id, c.participant_id, c.station_id, s.position, c.round, c.at,
                   c.run, c.seq
            FROM join_checkins c JOIN stations s ON s.id = c.station_id
            WHERE c.academy_id = ? AND c.run = ? AND c.seq > ? ORDER BY c.seq""",
                               [academy_id, run, self._seq]).fetchall()
        for r in rows:
            if r[2] in people:  # a check-in goes with its person (ON DELETE CASCADE)
                self._rows[r[0]] = (r[8], CheckIn(r[0], r[1], r[2], people[r[2]][0], r[3], r[4],
                                                  r[5], _when(r[6]), people[r[2]][1], r[7]))
            self._seq = max(self._seq, r[8])
