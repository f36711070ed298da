"""Dates and times as text: how they read on screen (one home, no Qt, so pages and tests share
the wording) and how an instant is stamped into the database (``utc_stamp``).

Stamps in the database are ISO 8601 strings (``2026-11-25T09:05:00+01:00``); they are shown as
written, in the time zone they were stamped in, never re-converted.
"""
from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo

DAY = "%d %b %Y"   # 25 Nov 2026: unambiguous in every locale the academies run in
OPEN_END = "…"


def utc_stamp(when: datetime) -> str:
    """An instant as rows store it: ISO 8601 in UTC, to the second (``when`` from the clock)."""
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


def day(value: date) -> str:
    """A calendar day: ``25 Nov 2026``."""
    return f"{value:{DAY}}"


def parse_day(text: str) -> date | None:
    """A day typed as ``day`` shows it (``25 Nov 2026``, any case); None for other text."""
    try:
        return datetime.strptime(" ".join(text.split()), DAY).date()
    except ValueError:
        return None


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


# -- stored stamps as a person reads them: this computer's local time ----------------------------
# Stamps are stored in UTC (``utc_stamp``); shown raw they read as "2026-11-25" and a saved time
# hours off. These convert to the local zone first (``zone`` is for tests; None = this computer).

def local_stamp(stamp: str, zone: tzinfo | None = None) -> datetime | None:
    """An ISO stamp as local time; None when it is empty or not a stamp (never raises)."""
    try:
        when = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:   # written without a zone: the stamps are UTC
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(zone)


def local_day(stamp: str, zone: tzinfo | None = None) -> str:
    """The local day of a stored stamp: ``25 Nov 2026`` ("" when there is none)."""
    when = local_stamp(stamp, zone)
    return day(when.date()) if when else ""


def local_time(stamp: str, zone: tzinfo | None = None) -> str:
    """The local time of day of a stored stamp: ``10:05`` ("" when there is none)."""
    when = local_stamp(stamp, zone)
    return clock_time(when) if when else ""


def local_minute(stamp: str, zone: tzinfo | None = None) -> str:
    """A stored stamp to the minute, local: ``25 Nov 2026 10:05`` ("" when there is none)."""
    when = local_stamp(stamp, zone)
    return f"{day(when.date())} {clock_time(when)}" if when else ""


# DAY for Qt's date editors (their pattern language): month names in the locale's language.
DAY_EDIT_FORMAT = "d MMM yyyy"
