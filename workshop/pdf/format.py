"""How times and dates read on paper (local wall-clock time, 24-hour)."""
from __future__ import annotations

from datetime import date, datetime


def local(dt: datetime) -> datetime:
    return dt.astimezone() if dt.tzinfo else dt


def hhmm(dt: datetime | None, empty: str = "—") -> str:
    return local(dt).strftime("%H:%M") if dt else empty


def span(start: datetime | None, end: datetime | None, empty: str = "—") -> str:
    if start is None and end is None:
        return empty
    return f"{hhmm(start, '…')}–{hhmm(end, '…')}"


def long_date(day: date | datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = local(day).date()
    return f"{day.day} {day:%B %Y}"


def minutes_delta(minutes: float | None) -> str:
    """``+2 min``, ``−1 min``, ``on time`` (within half a minute)."""
    if minutes is None:
        return "—"
    if abs(minutes) < 0.5:
        return "on time"
    sign = "+" if minutes > 0 else "−"
    return f"{sign}{abs(minutes):.0f} min"
