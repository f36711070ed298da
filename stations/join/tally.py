"""Attendance counted by kind, so "6 of 12 expected" never mixes walk-ins and people at the
wrong station with the ones the schedule expects (issue 13, item 12). Pure: no Qt, no SQL."""
from __future__ import annotations

from dataclasses import dataclass, field

from stations.join.model import Attendance, StationAttendance
from workshop.text import plural


@dataclass
class Tally:
    """Participant ids by kind (each person in one kind only), for one station or the room."""
    expected: list[int] = field(default_factory=list)   # the schedule expects them: how many
    arrived: list[int] = field(default_factory=list)    # expected here and checked in here
    elsewhere: list[int] = field(default_factory=list)  # on the roster, checked in at another station
    walk_ins: list[int] = field(default_factory=list)   # not on the roster, checked in here
    unscheduled: list[int] = field(default_factory=list)  # on the roster, in no group now
    missing: list[int] = field(default_factory=list)    # expected, not checked in where expected

    def line(self) -> str:
        """One line of counts, each kind on its own ("Expected here: 4 of 6 · 1 from another
        station · 2 walk-ins"); kinds with nobody are left out, except the first."""
        parts = [f"Expected here: {len(self.arrived)} of {len(self.expected)}" if self.expected
                 else f"No schedule yet: {plural(len(self.unscheduled), 'person', 'people')} here"]
        if self.expected and self.unscheduled:
            parts.append(f"{len(self.unscheduled)} not in a group")
        if self.elsewhere:
            parts.append(f"{len(self.elsewhere)} from another station")
        if self.walk_ins:
            parts.append(plural(len(self.walk_ins), "walk-in"))
        return " · ".join(parts)


def station_tally(row: StationAttendance, walk_in_ids: set[int]) -> Tally:
    """One station's people by kind."""
    expected = set(row.expected)
    unexpected = set(row.unexpected)
    tally = Tally(expected=list(row.expected), missing=list(row.missing))
    for pid in row.here:
        if pid in expected:
            tally.arrived.append(pid)
        elif pid in walk_in_ids:
            tally.walk_ins.append(pid)
        elif pid in unexpected:
            tally.elsewhere.append(pid)
        else:
            tally.unscheduled.append(pid)
    return tally


def room_tally(attendance: Attendance, walk_in_ids: set[int]) -> Tally:
    """The whole room by kind: expected people who are missing are those not checked in at
    their own station (someone at the wrong station counts there, not as missing)."""
    room = Tally()
    for row in attendance.stations:
        one = station_tally(row, walk_in_ids)
        room.expected += one.expected
        room.arrived += one.arrived
        room.elsewhere += one.elsewhere
        room.walk_ins += one.walk_ins
        room.unscheduled += one.unscheduled
        room.missing += one.missing
    elsewhere = set(room.elsewhere)
    room.missing = [p for p in room.missing if p not in elsewhere]
    return room


def room_summary(when: str, room: Tally) -> str:
    """The page's summary line: every kind counted on its own."""
    if room.expected:
        parts = [f"{len(room.arrived)} of {plural(len(room.expected), 'person', 'people')} "
                 f"expected are at their station",
                 f"{len(room.elsewhere)} at another station",
                 plural(len(room.walk_ins), "walk-in"),
                 f"{len(room.missing)} expected, not checked in"]
        if room.unscheduled:
            parts.insert(3, f"{len(room.unscheduled)} not in a group")
    else:
        parts = [f"{plural(len(room.unscheduled), 'person', 'people')} from the roster checked in",
                 plural(len(room.walk_ins), "walk-in")]
    return f"{when}: " + " · ".join(parts) + "."
