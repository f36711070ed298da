"""All SQL of phone join: station tokens, the participant-key secret, check-ins, reflections.

Used on two connections: the window's, and the join server's own (so a busy GUI never holds up
an acknowledgement). Every write is one transaction; a phone is told "done" only after it commits.
The shell's tables (academies, participants) are read through the shell's repository, and the
stations through the stations repository: this module's SQL touches only the ``join_*`` tables
and the stations they point at.
"""
from __future__ import annotations

import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

import sqlite_utils

from stations.join.model import (RESENT_CHANGED, TOKEN_BYTES, CheckIn, Reflection, Refused,
                                 WaitingWalkIn)
from workshop.academy.model import Participant
from workshop.text import fold
from stations.repository.stations import StationRepository
from stations.setup.model import Station
from workshop.academy.repository import AcademyRepository
from workshop.store.transactions import write


@dataclass(frozen=True)
class Merged:
    """What merging a walk-in into a roster person changed (ids), for undo."""
    academy_id: int
    person: Participant         # the walk-in as they were
    into_id: int
    moved: list[int]            # check-ins that now belong to ``into_id``
    dropped: list[tuple]        # check-ins ``into_id`` already had: (id, station, round, at, seq)
    reflections: list[int]
    requests: list[int]


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


class JoinRepository:
    """Phone join's storage on one connection: tokens, keys, people, check-ins, reflections."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._seq: int | None = None  # the last check-in order taken in this transaction
        self.last_seq = 0             # the order of the last check-in this connection wrote
        # (data_version, seq) at this connection's last transaction that took one: while no
        # other connection has committed since, the next order follows it without a scan.
        self._taken: tuple[int, int] | None = None
        self._version: int | None = None
        self.academies = AcademyRepository(db)
        self.station_rows = StationRepository(db)

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, the write lock taken up front (``workshop.store.transactions``).
        Within it the check-ins' order (``seq``) is read once: with the lock held no other
        connection adds one, and ``max(seq)`` scans the table (112 µs at 1,000 check-ins, on
        every check-in of a batch) — nor between two of them while ``data_version`` says no
        other connection committed (phones arriving one by one: a batch each)."""
        outermost = self._seq is None
        with write(self.db):
            if outermost:
                self._seq, self._version = 0, None   # not read yet in this transaction
            try:
                yield
            finally:
                if outermost:
                    if self._seq and self._version is not None:
                        self._taken = (self._version, self._seq)
                    self._seq = None

    def savepoint(self):
        """A savepoint inside a transaction: undoes one write that failed, keeps the rest."""
        return write(self.db)   # inside an open transaction the helper is a savepoint

    def close(self) -> None:
        """Close the connection (the join server's own, when it stops)."""
        self.db.close()

    # -- tokens ----------------------------------------------------------------------------
    def tokens(self, academy_id: int, station_ids: list[int], now: datetime) -> dict[int, str]:
        """station id -> token, creating the missing ones."""
        return self._ensure_tokens("join_tokens", "station_id", academy_id, station_ids, now)

    def _ensure_tokens(self, table: str, key: str, academy_id: int, ids: list[int],
                       now: datetime) -> dict[int, str]:
        """id -> token from ``table`` (a station's or a person's link), the missing ones made
        under the write lock (another connection may have just made them: read again there)."""
        query = f"SELECT {key}, token FROM {table} WHERE academy_id = ?"   # names: ours, not input
        rows = dict(self.db.execute(query, [academy_id]).fetchall())
        if any(i not in rows for i in ids):
            with write(self.db):
                rows = dict(self.db.execute(query, [academy_id]).fetchall())
                for missing in (i for i in ids if i not in rows):
                    rows[missing] = secrets.token_urlsafe(TOKEN_BYTES)
                    self.db.execute(f"INSERT INTO {table} ({key}, academy_id, token, created_at)"
                                    " VALUES (?, ?, ?, ?)",
                                    [missing, academy_id, rows[missing], now.isoformat()])
        return {i: rows[i] for i in ids}

    def regenerate(self, academy_id: int, station_ids: list[int], now: datetime) -> dict[int, str]:
        """New tokens for every station; the old ones stop working when this commits."""
        with write(self.db):
            self.db.execute("DELETE FROM join_tokens WHERE academy_id = ?", [academy_id])
            return self.tokens(academy_id, station_ids, now)

    def personal_tokens(self, academy_id: int, participant_ids: list[int],
                        now: datetime) -> dict[int, str]:
        """participant id -> their personal link's token, creating the missing ones."""
        return self._ensure_tokens("join_personal", "participant_id", academy_id, participant_ids,
                                   now)

    def person_for_personal(self, token: str) -> tuple[int, int] | None:
        """(academy id, participant id) of a personal link's token, else None."""
        row = self.db.execute("SELECT academy_id, participant_id FROM join_personal "
                              "WHERE token = ?", [token]).fetchone()
        return (row[0], row[1]) if row else None

    def station_for_token(self, token: str) -> tuple[int, int] | None:
        """(academy id, station id) of a valid token, else None."""
        row = self.db.execute("SELECT academy_id, station_id FROM join_tokens WHERE token = ?",
                              [token]).fetchone()
        return (row[0], row[1]) if row else None

    def secret(self, academy_id: int) -> bytes:
        """The academy's key for participant keys (made once; survives token regeneration)."""
        row = self.db.execute("SELECT secret FROM join_secrets WHERE academy_id = ?",
                              [academy_id]).fetchone()
        if row:
            return bytes.fromhex(row[0])
        with write(self.db):
            self.db.execute("INSERT OR IGNORE INTO join_secrets (academy_id, secret) VALUES (?, ?)",
                            [academy_id, secrets.token_hex(32)])
        return self.secret(academy_id)

    # -- people ----------------------------------------------------------------------------
    def academy_title(self, academy_id: int) -> str:
        """The academy's title as a phone sees it ("" if it is gone)."""
        return self.academies.title(academy_id) or ""

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version``: changes when another connection commits."""
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def stations(self, academy_id: int) -> list[Station]:
        """The academy's stations, in order."""
        return self.station_rows.stations(academy_id)

    def people(self, academy_id: int, ids: list[int] | None = None) -> dict[int, tuple[str, bool]]:
        """participant id -> (name, walk-in?), of everyone or of ``ids``. Names only: emails
        never leave the shell."""
        return self.academies.names(academy_id, ids)

    def walk_in(self, academy_id: int, name: str, now: datetime) -> tuple[int, bool]:
        """(participant id, created?) for a walk-in: the same name again (a double tap, a second
        scan) is the same walk-in, not a new person."""
        key = fold(name)
        with write(self.db):
            for pid, (other, walk_in) in self.people(academy_id).items():
                if walk_in and fold(other) == key:
                    return pid, False
            person = self.academies.add_participant(
                academy_id, Participant(name=name), walk_in=True)
            return person.id, True

    # -- walk-ins waiting for approval -----------------------------------------------------
    def add_waiting(self, academy_id: int, station_id: int, name: str, device: str | None,
                    address: str, ticket: str, now: datetime) -> tuple[str, bool]:
        """(ticket, new?) of a walk-in waiting for approval: the same name from the same phone
        while it waits is the same request (a double tap), with its first ticket."""
        key = fold(name)
        with write(self.db):
            row = self.db.execute(
                "SELECT ticket FROM join_walkin_requests WHERE academy_id = ? AND folded = ?"
                " AND status = 'waiting' AND (device = ? OR address = ?)",
                [academy_id, key, device, address]).fetchone()
            if row:
                return row[0], False
            self.db.execute(
                "INSERT INTO join_walkin_requests (academy_id, station_id, name, folded, device,"
                " address, ticket, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [academy_id, station_id, name, key, device, address, ticket, now.isoformat()])
            return ticket, True

    def waiting_from(self, academy_id: int, device: str | None, address: str) -> int:
        """How many walk-ins this phone (its cookie or its address) has waiting now."""
        return self.db.execute(
            "SELECT count(*) FROM join_walkin_requests WHERE academy_id = ? AND status = 'waiting'"
            " AND (device = ? OR address = ?)", [academy_id, device, address]).fetchone()[0]

    def waiting(self, academy_id: int) -> list[WaitingWalkIn]:
        """The walk-ins waiting for approval, oldest first."""
        return self._requests("r.academy_id = ? AND r.status = 'waiting'", [academy_id])

    def request(self, request_id: int | None = None, ticket: str | None = None) -> WaitingWalkIn | None:
        """One walk-in request by id or by its phone's ticket (None if there is no such one)."""
        where, arg = ("r.id = ?", request_id) if ticket is None else ("r.ticket = ?", ticket)
        found = self._requests(where, [arg])
        return found[0] if found else None

    def _requests(self, where: str, args: list) -> list[WaitingWalkIn]:
        rows = self.db.execute(f"""
            SELECT r.id, r.academy_id, r.station_id, s.position, r.name, r.at, r.status,
                   r.participant_id
            FROM join_walkin_requests r JOIN stations s ON s.id = r.station_id
            WHERE {where} ORDER BY r.id""", args).fetchall()
        return [WaitingWalkIn(r[0], r[1], r[2], r[3], r[4], _when(r[5]), r[6], r[7]) for r in rows]

    def decide(self, request_id: int, status: str, participant_id: int | None,
               now: datetime) -> bool:
        """Mark a waiting request approved (with its person) or rejected; False if it was not
        waiting any more (decided already, or gone)."""
        with write(self.db):
            cursor = self.db.execute(
                "UPDATE join_walkin_requests SET status = ?, participant_id = ?, decided_at = ?"
                " WHERE id = ? AND status = 'waiting'",
                [status, participant_id, now.isoformat(), request_id])
            return cursor.rowcount == 1

    # -- check-ins -------------------------------------------------------------------------
    def add_checkin(self, academy_id: int, participant_id: int, station_id: int, round_: int,
                    now: datetime, run: int = 1) -> tuple[int, bool]:
        """Record a check-in for a round of a run; returns (id, was it already there). A repeat
        moves it to the top (it becomes the person's latest) but stays one row."""
        with write(self.db):
            row = self.db.execute(
                "SELECT id FROM join_checkins WHERE participant_id = ? AND station_id = ?"
                " AND run = ? AND round = ?", [participant_id, station_id, run, round_]).fetchone()
            seq = self.last_seq = self._next_seq()
            if row:
                self.db.execute("UPDATE join_checkins SET seq = ? WHERE id = ?", [seq, row[0]])
                return row[0], True
            cursor = self.db.execute(
                "INSERT INTO join_checkins (academy_id, participant_id, station_id, run, round,"
                " at, seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [academy_id, participant_id, station_id, run, round_, now.isoformat(), seq])
            return cursor.lastrowid, False

    def _next_seq(self) -> int:
        """The next check-in's place in the order (a savepoint undone leaves a gap: harmless)."""
        if self._seq is None:   # outside a transaction of this repository's: read each time
            return self._max_seq() + 1
        if not self._seq:
            self._version = version = self.data_version()
            taken = self._taken
            self._seq = taken[1] + 1 if taken is not None and taken[0] == version \
                else self._max_seq() + 1
            return self._seq
        self._seq += 1
        return self._seq

    def _max_seq(self) -> int:
        return self.db.execute("SELECT coalesce(max(seq), 0) FROM join_checkins").fetchone()[0]

    def visits(self, academy_id: int, run: int) -> list[tuple[int, int, int, int]]:
        """Everyone's check-ins of one run as (participant id, station position, round, seq):
        what the join server's loop answers phones' states from (``shared.PhoneBook``)."""
        return self.db.execute(
            "SELECT c.participant_id, s.position, c.round, c.seq FROM join_checkins c"
            " JOIN stations s ON s.id = c.station_id WHERE c.academy_id = ? AND c.run = ?",
            [academy_id, run]).fetchall()

    def remove_checkin(self, checkin_id: int, seq: int) -> None:
        """Take back one check-in (undo of the facilitator's check-in), unless tapped again
        since it took ``seq`` (a repeat moves it)."""
        with write(self.db):
            self.db.execute("DELETE FROM join_checkins WHERE id = ? AND seq = ?", [checkin_id, seq])

    def checkins(self, academy_id: int, participant_id: int | None = None,
                 run: int | None = None,
                 people: dict[int, tuple[str, bool]] | None = None) -> list[CheckIn]:
        """Oldest first (a repeated check-in counts from its latest tap); of one run, or of
        every run when ``run`` is None. ``people``: ``people(academy_id)`` if the caller has
        just read it (read again otherwise)."""
        where, args = "c.academy_id = ?", [academy_id]
        if participant_id is not None:
            where, args = where + " AND c.participant_id = ?", args + [participant_id]
        if run is not None:
            where, args = where + " AND c.run = ?", args + [run]
        rows = self.db.execute(f"""
            SELECT c.id, c.academy_id, c.participant_id, c.station_id, s.position, c.round, c.at,
                   c.run
            FROM join_checkins c JOIN stations s ON s.id = c.station_id
            WHERE {where} ORDER BY c.seq""", args).fetchall()
        if not rows:
            return []
        if people is None:
            people = self.academies.names(
                academy_id, None if participant_id is None else [participant_id])
        # A check-in goes with its person (ON DELETE CASCADE); one read in between is skipped.
        return [CheckIn(r[0], r[1], r[2], people[r[2]][0], r[3], r[4], r[5], _when(r[6]),
                        people[r[2]][1], r[7]) for r in rows if r[2] in people]

    def merge_person(self, academy_id: int, from_id: int, into_id: int) -> Merged:
        """Give ``from_id``'s check-ins, reflections and walk-in requests to ``into_id`` and
        remove ``from_id`` (a walk-in who is really on the roster), in one transaction. A
        check-in both have (same station and round) keeps ``into_id``'s. Returns what
        ``unmerge`` needs to put it all back."""
        with write(self.db):
            person = self.academies.participant(from_id)
            rows = self.db.execute(
                "SELECT id, station_id, round, at, seq FROM join_checkins"
                " WHERE academy_id = ? AND participant_id = ?", [academy_id, from_id]).fetchall()
            taken = {(r[0], r[1]) for r in self.db.execute(
                "SELECT station_id, round FROM join_checkins WHERE participant_id = ?", [into_id])}
            moved = [r[0] for r in rows if (r[1], r[2]) not in taken]
            dropped = [tuple(r) for r in rows if (r[1], r[2]) in taken]
            self._set_people("join_checkins", moved, into_id)
            reflections = [r[0] for r in self.db.execute(
                "SELECT id FROM join_reflections WHERE participant_id = ?", [from_id])]
            self._set_people("join_reflections", reflections, into_id)
            requests = [r[0] for r in self.db.execute(
                "SELECT id FROM join_walkin_requests WHERE participant_id = ?", [from_id])]
            self._set_people("join_walkin_requests", requests, into_id)
            self.academies.delete_participants([from_id])
        return Merged(academy_id, person, into_id, moved, dropped, reflections, requests)

    def unmerge(self, merged: Merged) -> None:
        """Undo ``merge_person``: the walk-in back with their own check-ins and reflections."""
        back = merged.person.id
        with write(self.db):
            self.academies.restore_walk_in(merged.academy_id, merged.person)
            self._set_people("join_checkins", merged.moved, back)
            self._set_people("join_reflections", merged.reflections, back)
            self._set_people("join_walkin_requests", merged.requests, back)
            for cid, station_id, round_, at, seq in merged.dropped:
                self.db.execute(
                    "INSERT INTO join_checkins (id, academy_id, participant_id, station_id, round,"
                    " at, seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [cid, merged.academy_id, back, station_id, round_, at, seq])

    def _set_people(self, table: str, ids: list[int], participant_id: int) -> None:
        # ``table`` is one of this module's own names, never user input.
        if ids:
            self.db.execute(f"UPDATE {table} SET participant_id = ? WHERE id IN "
                            f"({','.join('?' * len(ids))})", [participant_id, *ids])

    # -- reflections -----------------------------------------------------------------------
    def add_reflection(self, academy_id: int, station_id: int, participant_id: int | None,
                       text: str, anonymous: bool, request_id: str | None,
                       now: datetime) -> tuple[int, bool]:
        """Store a reflection; returns (id, was it already there). The same ``request_id`` again
        with the same reflection (a double tap, a retry) is the same one; with anything else
        changed it raises ``Refused`` (409) and stores nothing: see docs/join.md."""
        with write(self.db):
            cursor = self.db.execute(
                "INSERT INTO join_reflections (academy_id, station_id, participant_id, text,"
                " anonymous, request_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (academy_id, request_id) DO NOTHING",
                [academy_id, station_id, None if anonymous else participant_id, text,
                 int(anonymous), request_id or None, now.isoformat()])
            if cursor.rowcount:
                return cursor.lastrowid, False
            row = self.db.execute(
                "SELECT id, station_id, participant_id, text, anonymous FROM join_reflections"
                " WHERE academy_id = ? AND request_id = ?", [academy_id, request_id]).fetchone()
            stored = (row[1], row[2], row[3], bool(row[4]))
            if stored != (station_id, None if anonymous else participant_id, text, anonymous):
                raise Refused(409, RESENT_CHANGED)
            return row[0], True

    def reflections(self, academy_id: int, include_hidden: bool = False) -> list[Reflection]:
        """The academy's reflections, oldest first; the author only when not anonymous."""
        hidden = "" if include_hidden else " AND r.hidden = 0"
        rows = self.db.execute(f"""
            SELECT r.id, r.academy_id, r.station_id, s.position, r.text, r.anonymous,
                   r.participant_id, r.at, r.hidden
            FROM join_reflections r JOIN stations s ON s.id = r.station_id
            WHERE r.academy_id = ?{hidden} ORDER BY r.id""", [academy_id]).fetchall()
        people = self.people(academy_id) if rows else {}
        return [Reflection(r[0], r[1], r[2], r[3], r[4], bool(r[5]),
                           None if r[5] or r[6] not in people else people[r[6]][0],
                           _when(r[7]), bool(r[8])) for r in rows]

    def set_hidden(self, reflection_id: int, hidden: bool) -> int | None:
        """Hide or show one reflection; returns its academy id (None if it does not exist)."""
        with write(self.db):
            self.db.execute("UPDATE join_reflections SET hidden = ? WHERE id = ?",
                            [int(hidden), reflection_id])
            row = self.db.execute("SELECT academy_id FROM join_reflections WHERE id = ?",
                                  [reflection_id]).fetchone()
        return row[0] if row else None
