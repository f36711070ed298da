"""Phone join: what a check-in and a reflection are, their limits, and live attendance.

Pure (no Qt, no SQL, no network) so the server, the window and the handouts share one meaning.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# The name search lives in stations.join.identity.names; its names stay importable from here.
from stations.join.identity.names import MIN_SEARCH_LETTERS, name_index, name_matches  # noqa: F401
from workshop.academy.model import MAX_NAME
from workshop.errors import ValidationError
from workshop.text import clean_text, fold

MAX_REFLECTION = 2000
MAX_SUGGESTIONS = 3  # more matches than this and the phone is asked to type more, shown none
TOKEN_BYTES = 24  # secrets.token_urlsafe(24): 192 bits, 32 URL-safe characters


@dataclass(frozen=True)
class StationLink:
    """A station's join link: what its QR code encodes."""
    station_id: int
    position: int
    title: str          # "Station 2 — Independent learning"
    token: str
    url: str            # "" while the server is stopped


@dataclass(frozen=True)
class CheckIn:
    """A person seen at a station in a round (one row however often they tap)."""
    id: int
    academy_id: int
    participant_id: int
    participant_name: str
    station_id: int
    station_position: int
    round: int          # 0 = before the rotation started (counts for round 1); else 1-based
    at: datetime
    walk_in: bool = False
    run: int = 1        # the run of the rotation it belongs to ("Start again" begins a new one)


@dataclass(frozen=True)
class Reflection:
    """What a person wrote about a station, as the facilitator reads and moderates it."""
    id: int
    academy_id: int
    station_id: int
    station_position: int
    text: str
    anonymous: bool
    author: str | None  # None when anonymous: the name is never stored
    at: datetime
    hidden: bool = False


@dataclass(frozen=True)
class WaitingWalkIn:
    """A walk-in beyond their phone's allowance, waiting for the facilitator's approval."""
    id: int
    academy_id: int
    station_id: int
    station_position: int
    name: str
    at: datetime
    status: str = "waiting"          # "waiting" | "approved" | "rejected"
    participant_id: int | None = None


@dataclass(frozen=True)
class FacilitatorCheckIn:
    """A check-in the facilitator made for someone without a phone (kept for undo)."""
    academy_id: int
    checkin_id: int
    duplicate: bool     # they were already checked in there this round
    name: str
    station: str        # "Station 2 — Independent learning"
    round: int
    seq: int = 0        # its order when made: a phone's tap of it since moves it (undo keeps it)


@dataclass(frozen=True)
class JoinEvent:
    """What happened, for listeners (the attendance page learns through these).

    ``kind``: "checked_in" | "walked_in" | "reflected" | "reflection_hidden" |
    "walk_in_waiting" | "walk_in_decided" | "tokens_regenerated" | "server_started" | "server_stopped" |
    "server_lost" (its process ended by itself) | "rotation_changed".
    """
    kind: str
    academy_id: int | None = None
    participant_id: int | None = None
    station_position: int | None = None
    round: int | None = None


class Refused(Exception):
    """A phone's request that is well formed but may not happen now; ``status`` is the HTTP
    status the server answers with, the message is written for the person holding the phone."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


RESENT_CHANGED = ("That reflection was already sent with different words, and it was not "
                  "changed. Write a new one if you want to add something.")


def clean_name(value: object) -> str:
    """A typed walk-in name, cleaned and limited; refuses an empty one."""
    name = clean_text(value, limit=MAX_NAME, what="Your name")
    if not name:
        raise ValidationError("Type your name first.")
    return name


def clean_reflection(value: object) -> str:
    """A typed reflection, its line breaks kept, control characters dropped, limited."""
    # Keep the writer's line breaks (clean_text would join them): strip control characters
    # line by line, then count what is left.
    lines = str(value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(clean_text(line, limit=10**6) for line in lines).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    if not text:
        raise ValidationError("Write something first.")
    if len(text) > MAX_REFLECTION:
        raise ValidationError(
            f"That reflection is too long ({len(text)} characters; at most {MAX_REFLECTION}).")
    return text


def counts_for(checkin_round: int, current_round: int) -> bool:
    """Whether a check-in made for ``checkin_round`` shows someone present in ``current_round``:
    before the rotation every check-in does; an arrival (round 0, before the start) counts for
    round 1, so the people already in the room are not lost when it starts."""
    return (current_round == 0 or checkin_round == current_round
            or (checkin_round == 0 and current_round == 1))


@dataclass
class StationAttendance:
    """One station's row of the attendance panel (participant ids, sorted by name)."""
    position: int
    title: str
    here: list[int] = field(default_factory=list)        # checked in here this round
    expected: list[int] = field(default_factory=list)    # the schedule puts them here now
    missing: list[int] = field(default_factory=list)     # expected, not checked in here
    unexpected: list[int] = field(default_factory=list)  # here, but expected elsewhere


@dataclass
class Attendance:
    """Who is where now, for the attendance panel and the projector's counts."""
    round: int                      # the round check-ins count for now (0 before the rotation)
    stations: list[StationAttendance]
    walk_ins: list[int]             # walk-ins checked in this round
    nowhere: list[int]              # on the roster, no check-in at all yet
    names: dict[int, str]
    phase: str = "ready"            # the rotation's phase when this was read

    def counts(self) -> dict[int, tuple[int, int]]:
        """position -> (here, expected): what the projector may show (counts only)."""
        return {s.position: (len(s.here), len(s.expected)) for s in self.stations}


def sort_keys(names: dict[int, str]) -> dict[int, str]:
    """participant id -> the key names sort by (folded once, sorted by many times)."""
    return {pid: fold(name) for pid, name in names.items()}


def build_attendance(stations: list[tuple[int, str]], names: dict[int, str], walk_in_ids: set[int],
                     checkins: list[CheckIn], expected_at: dict[int, list[int]],
                     current_round: int, order: dict[int, str] | None = None) -> Attendance:
    """Who is where now.

    ``stations``: (position, title); ``expected_at``: position -> participant ids the schedule
    puts there now (empty before the rotation); ``current_round``: check-ins of this round count
    as "here now" (0 before the rotation: every check-in counts; arrivals count for round 1).
    ``checkins``: the current run's only (a new run starts with nobody checked in);
    ``order``: ``sort_keys(names)``, if the caller kept it.
    """
    if order is None:  # ``sort_keys(names)``: the caller may keep it while names are the same
        order = sort_keys(names)
    by_name = lambda p: order.get(p, "")  # noqa: E731
    latest: dict[int, CheckIn] = {}
    for c in checkins:  # ordered oldest first: the last one wins
        latest[c.participant_id] = c
    rows = {pos: StationAttendance(pos, title) for pos, title in stations}
    for pid, c in latest.items():
        if counts_for(c.round, current_round) and c.station_position in rows:
            rows[c.station_position].here.append(pid)
    expected_where = {pid: pos for pos, ids in expected_at.items() for pid in ids}
    for pos, row in rows.items():
        row.expected = sorted(expected_at.get(pos, []), key=by_name)
        row.here.sort(key=by_name)
        here = set(row.here)
        row.missing = [p for p in row.expected if p not in here]
        row.unexpected = [p for p in row.here if expected_where.get(p) not in (None, pos)]
    present = {pid for row in rows.values() for pid in row.here}
    walk_ins = sorted((p for p in walk_in_ids if p in present), key=by_name)
    nowhere = sorted((p for p in names if p not in latest), key=by_name)
    return Attendance(current_round, [rows[p] for p, _ in stations], walk_ins, nowhere, names)
