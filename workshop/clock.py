"""Time is injected: every timer asks a Clock, nothing sleeps or counts ticks.

``monotonic()`` drives countdowns (immune to wall-clock jumps); ``now()`` stamps records and
shows clock times to people.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """What every timer asks for the time."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards."""

    def now(self) -> datetime:
        """The local wall-clock time, timezone-aware."""


class SystemClock:
    """The real clocks of this computer."""

    def monotonic(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()

    def now(self) -> datetime:
        """The local time, timezone-aware."""
        return datetime.now().astimezone()


def wall_to_monotonic(clock: Clock, when: datetime) -> float:
    """Map a wall-clock instant onto the clock's monotonic scale (for persisted deadlines)."""
    return clock.monotonic() + (when - clock.now()).total_seconds()


class AcceleratedClock:
    """A Clock running ``speed`` times faster than real time, from a chosen wall time.

    For headless simulations (``workshop rotation simulate --speed 600``) and the demo.
    """

    def __init__(self, speed: float, start: datetime | None = None, base=None):
        self.speed = float(speed)
        self._base_mono = base or time.monotonic
        self._real0 = self._base_mono()
        self._wall0 = start or datetime.now().astimezone()
        self._offset = 0.0  # simulated seconds added by jumps

    def monotonic(self) -> float:
        """Simulated seconds since this clock was made."""
        return (self._base_mono() - self._real0) * self.speed + self._offset

    def now(self) -> datetime:
        """The simulated wall-clock time."""
        return self._wall0 + timedelta(seconds=self.monotonic())

    def jump(self, seconds: float) -> None:
        """Move simulated time forward at once (used with speed 0: as fast as possible)."""
        self._offset += seconds
