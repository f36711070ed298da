"""All SQL for academies and participants. Returns and accepts domain dataclasses."""
from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Callable

from workshop.academy.model import Academy, Participant
from workshop.errors import ValidationError
from workshop.text import fold
from workshop.clock import Clock, SystemClock
from workshop.timefmt import utc_stamp
from workshop.store.transactions import write

# sqlite-utils comes with the database the context opens; the read-only listing below runs
# on the standard library's sqlite3 alone (``workshop academies``, issue 20).
if TYPE_CHECKING:
    import sqlite_utils


def _academy(row: dict) -> Academy:
    return Academy(title=row["title"], place=row["place"], facilitator=row["facilitator"],
                   start_date=_stored_date(row["start_date"], "start"),
                   end_date=_stored_date(row["end_date"], "end"), id=row["id"])


def _stored_date(text: str | None, which: str) -> date | None:
    """A stored ISO date; one the app would never have written (a damaged file, a hostile
    bundle) is refused as the model refuses any value, not a ValueError from deep inside."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        shown = repr(text) if len(str(text)) <= 40 else repr(str(text)[:39]) + "…"
        raise ValidationError(f"The academy's {which} date {shown} is not a date.") from None


def _participant(row: dict) -> Participant:
    return Participant(name=row["name"], email=row["email"], school=row["school"],
                       role=row["role"], readiness=row["readiness"], id=row["id"],
                       academy_id=row["academy_id"])


class ReadOnlyAcademies:
    """The academies and their rosters read on a plain read-only ``sqlite3`` connection
    (rows as ``sqlite3.Row``, from ``workshop.store.readonly.open_current``): the same rows,
    in the same order, as ``AcademyRepository.list_academies`` and ``participants``."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def list_academies(self) -> list[Academy]:
        return [_academy(dict(r)) for r in
                self.conn.execute("SELECT * FROM academies ORDER BY lower(title), id")]

    def participants(self, academy_id: int) -> list[Participant]:
        return [_participant(dict(r)) for r in self.conn.execute(
            "SELECT * FROM participants WHERE academy_id = ? ORDER BY name COLLATE NOCASE, id",
            [academy_id])]


class AcademyRepository:
    """The academies, participants and teams tables; ``clock`` stamps new rows."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock | None = None):
        self.db = db
        self.clock = clock or SystemClock()

    def _now(self) -> str:
        return utc_stamp(self.clock.now())

    # -- academies -------------------------------------------------------------------------
    def list_academies(self) -> list[Academy]:
        return [_academy(r) for r in self.db["academies"].rows_where(order_by="lower(title), id")]

    def get(self, academy_id: int) -> Academy:
        import sqlite_utils
        try:
            return _academy(self.db["academies"].get(academy_id))
        except sqlite_utils.db.NotFoundError:
            raise ValidationError(f"There is no academy number {academy_id}.") from None

    def find_by_title(self, title: str) -> Academy:
        for academy in self.list_academies():
            if fold(academy.title) == fold(title):
                return academy
        known = ", ".join(f"“{a.title}”" for a in self.list_academies()) or "none yet"
        raise ValidationError(f"No academy is called “{title}” (academies: {known}).")

    def _check_unique(self, title: str, except_id: int | None = None) -> None:
        for other in self.list_academies():
            if fold(other.title) == fold(title) and other.id != except_id:
                raise ValidationError(f"An academy called “{other.title}” already exists.")

    def add(self, academy: Academy) -> Academy:
        self._check_unique(academy.title)
        with write(self.db):
            academy.id = self.db["academies"].insert(
                self._row(academy) | {"created_at": self._now()}).last_pk
        return academy

    def update(self, academy: Academy) -> Academy:
        self._check_unique(academy.title, academy.id)
        with write(self.db):
            self.db["academies"].update(academy.id, self._row(academy))
        return academy

    def renew(self, academy_id: int) -> None:
        """Stamp the academy and its people now and give each person a uid of their own, as
        if made now: a copy of a template's academy (the demo's, ``workshop.store.template``)."""
        stamp = self._now()
        with write(self.db):
            self.db.execute("UPDATE academies SET created_at = ? WHERE id = ?", [stamp, academy_id])
            self.db.execute("UPDATE participants SET created_at = ?, uid = lower(hex(randomblob(16)))"
                            " WHERE academy_id = ?", [stamp, academy_id])

    def delete(self, academy_id: int) -> None:
        with write(self.db):
            self.db.execute("DELETE FROM academies WHERE id = ?", [academy_id])

    def title(self, academy_id: int) -> str | None:
        """The academy's title, or None if there is no such academy (a phone must not learn why)."""
        row = self.db.execute("SELECT title FROM academies WHERE id = ?", [academy_id]).fetchone()
        return row[0] if row else None

    def settings(self, academy_id: int) -> dict:
        row = self.db.execute("SELECT settings FROM academies WHERE id = ?", [academy_id]).fetchone()
        return json.loads(row[0]) if row else {}

    def set_setting(self, academy_id: int, key: str, value) -> None:
        with write(self.db):
            settings = self.settings(academy_id) | {key: value}
            self.db["academies"].update(academy_id, {"settings": json.dumps(settings, sort_keys=True)})

    @staticmethod
    def _row(a: Academy) -> dict:
        return {"title": a.title, "place": a.place, "facilitator": a.facilitator,
                "start_date": a.start_date.isoformat() if a.start_date else None,
                "end_date": a.end_date.isoformat() if a.end_date else None}

    # -- participants ----------------------------------------------------------------------
    def participants(self, academy_id: int) -> list[Participant]:
        rows = self.db["participants"].rows_where("academy_id = ?", [academy_id],
                                                  order_by="name COLLATE NOCASE, id")
        return [_participant(r) for r in rows]

    def participant(self, participant_id: int) -> Participant:
        return _participant(self.db["participants"].get(participant_id))

    def add_participant(self, academy_id: int, p: Participant, *, walk_in: bool = False) -> Participant:
        with write(self.db):
            p.id = self.db["participants"].insert(
                self._prow(p) | {"academy_id": academy_id, "created_at": self._now(),
                                 "walk_in": int(walk_in)}).last_pk
        p.academy_id = academy_id
        return p

    def update_participant(self, p: Participant) -> Participant:
        with write(self.db):
            self.db["participants"].update(p.id, self._prow(p))
        return p

    def delete_participants(self, ids: list[int]) -> None:
        with write(self.db):
            self.db.execute(f"DELETE FROM participants WHERE id IN ({','.join('?' * len(ids))})", ids)

    def import_participants(self, academy_id: int, new: list[Participant],
                            changed: list[Participant],
                            progress: Callable[[int, int], None] | None = None) -> None:
        """Insert and update a whole import in one transaction: all of it or none of it."""
        total, done = len(new) + len(changed), 0
        with write(self.db):
            stamp = self._now()
            for p in new:
                p.id = self.db["participants"].insert(
                    self._prow(p) | {"academy_id": academy_id, "created_at": stamp}).last_pk
                p.academy_id = academy_id
                done += 1
                if progress:
                    progress(done, total)
            for p in changed:
                self.db["participants"].update(p.id, self._prow(p))
                done += 1
                if progress:
                    progress(done, total)

    def restore_participants(self, academy_id: int, people: list[Participant]) -> None:
        """Put removed people back with their old ids (undo of a removal); one whose id has
        been taken meanwhile (SQLite reuses the highest id) comes back under a new one."""
        with write(self.db):
            for p in people:
                taken = self.db.execute("SELECT 1 FROM participants WHERE id = ?", [p.id]).fetchone()
                row = self._prow(p) | {"academy_id": academy_id, "created_at": self._now()}
                p.id = self.db["participants"].insert(row if taken else row | {"id": p.id}).last_pk
                p.academy_id = academy_id

    def names(self, academy_id: int, ids: list[int] | None = None) -> dict[int, tuple[str, bool]]:
        """participant id -> (name, walk-in?), for what phones may see: names only, never emails.
        ``ids``: only these people (a phone's own check-ins need one name, not the roster)."""
        where, args = "academy_id = ?", [academy_id]
        if ids is not None:
            where += f" AND id IN ({','.join('?' * len(ids))})"
            args += list(ids)
        return {pid: (name, bool(walk_in)) for pid, name, walk_in in self.db.execute(
            f"SELECT id, name, walk_in FROM participants WHERE {where}", args)}

    def restore_walk_in(self, academy_id: int, p: Participant) -> None:
        """Put a merged walk-in back with their old id, still marked a walk-in (undo of a merge)."""
        with write(self.db):
            self.db["participants"].insert(
                self._prow(p) | {"id": p.id, "academy_id": academy_id,
                                 "created_at": self._now(), "walk_in": 1})

    def walk_in_ids(self, academy_id: int) -> set[int]:
        return {r[0] for r in self.db.execute(
            "SELECT id FROM participants WHERE academy_id = ? AND walk_in = 1", [academy_id])}

    @staticmethod
    def _prow(p: Participant) -> dict:
        return {"name": p.name, "email": p.email, "school": p.school, "role": p.role,
                "readiness": p.readiness}
