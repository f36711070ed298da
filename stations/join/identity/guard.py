"""What one phone may learn and do: a budget of revealed names, one person per phone, and a
small allowance of walk-ins before the facilitator must approve. Pure: no Qt, no SQL, no network.

A *phone* is its device cookie (set with the page) and its address on the Wi-Fi. Budgets count
against both, so a crawler that drops or invents cookies still spends its address's budget; one
person per phone binds the cookie (the address when there is none). The guard lives in memory,
shared by the join server's reading and writing desks, and starts afresh with the server: a
restart gives each phone its budget again, which is a handful of names per restart, not the
roster. Memory stays bounded: an address has at most MAX_DEVICES_PER_ADDRESS device cookies of
its own (past that, its new cookies count as none: the address alone), and entries are made only
when a name is revealed, a phone bound or a walk-in admitted.
"""
from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import dataclass
from typing import Callable, Mapping

DEVICE_COOKIE = "join_device"
_DEVICE = re.compile(r"[A-Za-z0-9_-]{16,64}")
_ONLY_DEVICE = re.compile(DEVICE_COOKIE + r"=([A-Za-z0-9_-]{16,64})")  # a phone's usual header
MINUTE_S = 60.0
# Device cookies one address may bring. A crawler inventing a cookie per request made a budget
# and a binding per cookie (20,000 requests: 20,000 entries, growing all day); far more than the
# phones behind one address in a room.
MAX_DEVICES_PER_ADDRESS = 256


@dataclass(frozen=True)
class Client:
    """Who sent a request: the phone's device cookie (None without a valid one) and address."""
    device: str | None
    address: str

    @classmethod
    def of(cls, cookie: str | None, address: str | None) -> "Client":
        """A client from a request's cookie and peer address (a malformed cookie counts as none)."""
        device = cookie if cookie and _DEVICE.fullmatch(cookie) else None
        return cls(device, address or "?")

    @classmethod
    def of_header(cls, header: str | None, address: str | None,
                  cookies: Callable[[], Mapping[str, str]]) -> "Client":
        """A client from a request's ``Cookie`` header: read at once when it is the device
        cookie alone (what a phone sends), else from ``cookies()``, the header parsed (every
        request pays that parse otherwise, for the room check's note)."""
        if not header:
            return cls(None, address or "?")
        only = _ONLY_DEVICE.fullmatch(header)
        return cls(only.group(1), address or "?") if only \
            else cls.of(cookies().get(DEVICE_COOKIE), address)

    @property
    def phone(self) -> str:
        """The identity one person is bound to: the cookie, else the address."""
        return f"d:{self.device}" if self.device else f"a:{self.address}"

    @property
    def identities(self) -> tuple[str, ...]:
        """Every identity a budget is counted against."""
        ids = (f"a:{self.address}",)
        return ((f"d:{self.device}",) + ids) if self.device else ids


@dataclass(frozen=True)
class JoinLimits:
    """How much one phone may learn and add before the facilitator is needed."""
    names_per_phone: int = 4              # distinct people a phone (and an address) is ever shown
    walk_ins_per_phone: int = 1           # walk-ins a phone (and an address) adds on its own
    walk_ins_per_station_minute: int = 3  # walk-ins a station link admits per minute
    waiting_per_phone: int = 5            # walk-ins a phone may have waiting for approval


class Guard:
    """The budgets and bindings of one running join server (thread-safe)."""

    def __init__(self, limits: JoinLimits, monotonic):
        self.limits = limits
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._revealed: dict[tuple[int, str], set[int]] = {}
        self._bound: dict[tuple[int, str], int] = {}
        self._walk_ins: dict[tuple[int, str], int] = {}
        self._station: dict[tuple[int, int], deque[float]] = {}
        # Identities refused a reveal: their budget is spent, whatever was left of it, so "more
        # people match than you have left" is an answer a phone gets once, not an oracle.
        self._spent: set[tuple[int, str]] = set()
        self._devices: dict[tuple[int, str], set[str]] = {}   # (academy, address) -> cookies

    def _counted(self, academy_id: int, client: Client) -> Client:
        """(Under the lock.) The client as budgets count it: its cookie while its address has
        room for another, else the address alone."""
        if client.device is None:
            return client
        devices = self._devices.setdefault((academy_id, client.address), set())
        if client.device in devices:
            return client
        if len(devices) >= MAX_DEVICES_PER_ADDRESS:
            return Client(None, client.address)
        devices.add(client.device)
        return client

    def reveal(self, academy_id: int, client: Client, ids: list[int]) -> bool:
        """Whether ``client`` may be shown these people; if so they are counted as shown. Seeing
        someone again, or the person the phone is, costs nothing. A refusal spends the rest of
        the phone's budget."""
        with self._lock:
            client, fresh = self._fresh(academy_id, client, ids)
            for who in client.identities:
                seen = self._revealed.get((academy_id, who), set())
                if len(seen | fresh) > self.limits.names_per_phone or (
                        (academy_id, who) in self._spent and not fresh <= seen):
                    self._spent.update((academy_id, w) for w in client.identities)
                    return False
            for who in client.identities:
                self._revealed.setdefault((academy_id, who), set()).update(fresh)
            return True

    def exhausted(self, academy_id: int, client: Client, ids: list[int]) -> bool:
        """Whether this phone has spent its budget of names and ``ids`` are not only people it
        has seen (or is): it is then told so whatever its search found, nobody included —
        otherwise "nobody" against "you have looked up enough" would say, for free and for any
        guess, whether a name is on the roster."""
        with self._lock:
            client, fresh = self._fresh(academy_id, client, ids)
            for who in client.identities:
                seen = self._revealed.get((academy_id, who), set())
                spent = (academy_id, who) in self._spent or len(seen) >= self.limits.names_per_phone
                if spent and (not ids or not fresh <= seen):
                    return True
            return False

    def _fresh(self, academy_id: int, client: Client, ids: list[int]) -> tuple[Client, set[int]]:
        """The client as counted (under the lock), and which of ``ids`` are not the phone's own."""
        client = self._counted(academy_id, client)
        own = self._bound.get((academy_id, client.phone))
        return client, {i for i in ids if i != own}

    def bound(self, academy_id: int, client: Client) -> int | None:
        """The person this phone already acts as, if any."""
        with self._lock:
            client = self._counted(academy_id, client)
            return self._bound.get((academy_id, client.phone))

    def bind(self, academy_id: int, client: Client, participant_id: int,
             facilitator: bool = False) -> None:
        """From now on this phone acts as this person only (``facilitator``: the facilitator let
        this person in from this phone, so it acts as them now, whoever it was before)."""
        with self._lock:
            client = self._counted(academy_id, client)
            if facilitator:
                self._bound[(academy_id, client.phone)] = participant_id
            else:
                self._bound.setdefault((academy_id, client.phone), participant_id)

    def may_walk_in(self, academy_id: int, client: Client, station_id: int) -> bool:
        """Whether a new walk-in from this phone at this station joins without approval."""
        with self._lock:
            client = self._counted(academy_id, client)
            if any(self._walk_ins.get((academy_id, who), 0) >= self.limits.walk_ins_per_phone
                   for who in client.identities):
                return False
            return len(self._recent(academy_id, station_id)) < self.limits.walk_ins_per_station_minute

    def walked_in(self, academy_id: int, client: Client, station_id: int) -> None:
        """Count a walk-in admitted without approval."""
        with self._lock:
            client = self._counted(academy_id, client)
            for who in client.identities:
                self._walk_ins[(academy_id, who)] = self._walk_ins.get((academy_id, who), 0) + 1
            self._recent(academy_id, station_id).append(self._monotonic())

    def _recent(self, academy_id: int, station_id: int) -> deque[float]:
        times = self._station.setdefault((academy_id, station_id), deque())
        now = self._monotonic()
        while times and not 0 <= now - times[0] < MINUTE_S:
            times.popleft()
        return times
