"""Test doubles. FakeClock: time moves only when a test says so."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone


class FakeClock:
    def __init__(self, start: datetime | None = None, monotonic: float = 1000.0):
        self._wall = start or datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
        self._mono = monotonic

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)
