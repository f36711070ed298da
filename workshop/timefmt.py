"""Dates and times as text: how they read on screen (one home, no Qt, so pages and tests share
the wording) and how an instant is stamped into the database (``utc_stamp``).

Stamps in the database are ISO 8601 strings (``2026-11-25T09:05:00+01:00``); they are shown as
written, in the time zone they were stamped in, never re-converted.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

DAY = "%d %b %Y"   # 25 Nov 2026: unambiguous in every locale the academies run in
OPEN_END = "…"


def utc_stamp(when: datetime) -> str:
    """An instant as rows store it: ISO 8601 in UTC, to the second (``when`` from the clock)."""
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


def day(value: date) -> str:
    """A calendar day: ``25 Nov 2026``."""
    return f"{value:{DAY}}"


def day_span(start: date, end: date | None) -> str:
    """From one day to another, ``…`` while the end is open."""
    return f"{day(start)} – {day(end) if end else OPEN_END}"


def clock_time(value: datetime) -> str:
    """A wall-clock time of day: ``09:05``."""
    return f"{value:%H:%M}"


def stamp_day(stamp: str) -> str:
    """The day of an ISO stamp, as stored: ``2026-11-25``."""
    return stamp[:10]


def stamp_time(stamp: str) -> str:
    """The time of day of an ISO stamp: ``09:05``."""
    return stamp[11:16]


def stamp_minute(stamp: str) -> str:
    """An ISO stamp to the minute, readable: ``2026-11-25 09:05``."""
    return stamp[:16].replace("T", " ")
