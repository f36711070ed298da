"""Time is injected: every timer asks a Clock, nothing sleeps or counts ticks.

``monotonic()`` drives countdowns (immune to wall-clock jumps); ``now()`` stamps records and
shows clock times to people.
"""
from __future__ import annotations

import time
from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards."""

    def now(self) -> datetime:
        """The local wall-clock time, timezone-aware."""


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now().astimezone()


def wall_to_monotonic(clock: Clock, when: datetime) -> float:
    """Map a wall-clock instant onto the clock's monotonic scale (for persisted deadlines)."""
    return clock.monotonic() + (when - clock.now()).total_seconds()
