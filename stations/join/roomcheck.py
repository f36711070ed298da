"""The room check (issue 19 item 4): how many phones are connected right now, and when each
phone last spoke to the laptop — for the facilitator, on the Attendance page.

``Heard`` is written by the join server's loop (every request) and read by the window, so it
holds a lock; it keeps the most recent phones only. Pure otherwise: no Qt, no SQL, no network.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable

from stations.join.identity.guard import Client
from workshop.text import plural

KEEP = 2000    # phones remembered (the oldest are forgotten first)
SHOWN = 6      # phones named in the line; the rest are counted


class Heard:
    """When each phone (its device cookie, else its address) last sent a request."""

    def __init__(self, monotonic: Callable[[], float], keep: int = KEEP):
        self.monotonic = monotonic
        self.keep = keep
        self._lock = threading.Lock()
        self._last: dict[str, tuple[Client, float]] = {}

    def note(self, client: Client) -> None:
        """(The server's loop.) ``client`` spoke now."""
        with self._lock:
            self._last.pop(client.phone, None)  # re-inserted last: the dict stays in time order
            self._last[client.phone] = (client, self.monotonic())
            if len(self._last) > self.keep:
                del self._last[next(iter(self._last))]

    def recent(self, limit: int | None = None) -> list[tuple[Client, float]]:
        """The remembered phones (the latest ``limit``, or all) with when each last spoke,
        the latest first."""
        with self._lock:
            latest = reversed(self._last.values())
            return [seen for seen, _ in zip(latest, range(limit))] if limit is not None \
                else list(latest)

    def __len__(self) -> int:
        with self._lock:
            return len(self._last)


@dataclass(frozen=True)
class Seen:
    """The room check's figures as the server has them (they cross from a server process):
    open live streams, the latest phones — the person each is bound to (None: not checked
    in) and seconds since it spoke — and how many phones were heard."""
    connected: int
    phones: tuple[tuple[int | None, float], ...]
    heard: int


@dataclass(frozen=True)
class PhoneSeen:
    """One phone in the room check: who it is checked in as (or not) and how long ago it spoke."""
    label: str
    ago_s: float


@dataclass(frozen=True)
class RoomCheck:
    """Phones connected now (an open live stream each) and when each phone last spoke."""
    connected: int
    phones: tuple[PhoneSeen, ...]   # the latest first; the first SHOWN are named
    heard: int = 0                  # phones heard in all (0: as many as ``phones``)

    def text(self) -> str:
        """One line for the Attendance page."""
        head = f"Room check: {plural(self.connected, 'phone')} connected now."
        if not self.phones:
            return head + " No phone has spoken to this laptop yet."
        named = ", ".join(f"{p.label} {_ago(p.ago_s)}" for p in self.phones[:SHOWN])
        more = max(self.heard, len(self.phones)) - SHOWN
        return f"{head} Last heard: {named}" + (f", and {more} more." if more > 0 else ".")


def _ago(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 2:
        return "just now"
    if seconds < 120:
        return f"{seconds} s ago"
    return f"{seconds // 60} min ago"
