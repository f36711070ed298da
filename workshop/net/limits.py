"""Connection limits: how many sockets one client and everyone together may hold, and how long an
idle or half-sent request may keep one.

aiohttp already closes a connection that sends no complete request within ``keepalive_timeout``
(counted from the connection's start and after each answer, so a slowloris sending a header byte
at a time is closed too), and bounds request lines and headers (``max_line_size``,
``max_field_size``, ``max_headers``), and how long it drains a refused body (``lingering_time``,
10 s by default, which a stalled sender would hold): those are passed through as they are. What it does not offer
is a cap on connections, per client or in total; without one, a single laptop holding ~1,100 idle
sockets exhausts the server's file descriptors and no phone can connect. ``ConnectionGate`` is
that cap: a counter per client address, consulted as each connection is accepted.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from workshop.system import raise_open_files

log = logging.getLogger(__name__)

WANTED_FILES = 4096   # raise the soft limit this far (macOS starts at 256, Linux at 1,024)
SPARE_FILES = 128     # descriptors kept for the database, logs and the window


@dataclass(frozen=True)
class ConnectionLimits:
    """How many connections the server holds, and for how long an idle one."""
    per_client: int = 24     # a phone uses ~6 (a page load) plus its live stream
    # 1,000 phones each hold a live stream and briefly a few more during a page load (issue 19:
    # a cap of 1,000 refused the last phones of a full room); also bounded by files.
    total: int = 2500
    idle_s: float = 5.0      # idle, or still sending its request line and headers
    max_line: int = 4096     # bytes of a request line; the longest link with a search is ~2 KB
    max_field: int = 4096    # bytes of one header
    max_headers: int = 64    # a phone's browser sends about 15
    linger_s: float = 1.0    # reading (and dropping) the rest of a refused body, then closing

    def handler_args(self) -> dict:
        """The aiohttp request-handler options these limits stand for."""
        return {"keepalive_timeout": self.idle_s, "max_line_size": self.max_line,
                "max_field_size": self.max_field, "max_headers": self.max_headers,
                "lingering_time": self.linger_s}


class ConnectionGate:
    """Counts open connections per client; refuses one past the per-client or total cap.

    Only the server's event loop calls it (accepts and closes happen there), so it needs no lock.
    """

    def __init__(self, limits: ConnectionLimits, files: int | None = None):
        self.limits = limits
        room = (files if files is not None else file_limit()) - SPARE_FILES
        self.total = max(1, min(limits.total, room))
        self._open: dict[str, int] = {}
        self.held = 0
        self.refused = 0

    def admit(self, client: str) -> bool:
        """Whether a new connection from ``client`` may be served (if so, it is counted)."""
        count = self._open.get(client, 0)
        if count >= self.limits.per_client or self.held >= self.total:
            self.refused += 1
            if self.refused in (1, 100, 10_000):  # say so, without a line per refused socket
                log.warning("join server: refusing connections (%s holds %d; %d open in all)",
                            client, count, self.held)
            return False
        self._open[client] = count + 1
        self.held += 1
        return True

    def release(self, client: str) -> None:
        """A counted connection from ``client`` closed."""
        count = self._open.get(client, 0)
        if count <= 1:
            self._open.pop(client, None)
        else:
            self._open[client] = count - 1
        self.held = max(0, self.held - 1)

    def held_by(self, client: str) -> int:
        """How many connections ``client`` holds now."""
        return self._open.get(client, 0)


def file_limit() -> int:
    """The process's file-descriptor limit, raised towards WANTED_FILES where the system allows
    (each connection is a descriptor; a server must not run out of them before its caps)."""
    soft = raise_open_files(WANTED_FILES)   # None: not bounded so (Windows sockets), or no limit
    return WANTED_FILES + SPARE_FILES if soft is None else soft
