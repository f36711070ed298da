"""What a server says about where it listens, or why it cannot: the facilitator's words, read
without aiohttp — the window's server listens in a process of its own (``process``), and the
window reads its ``Bound`` and ``ServerError`` without loading the server (issue 19: letting
phones in imported aiohttp on the UI thread, a fifth of a second the projector stood still).
``workshop.net.server`` re-exports both."""
from __future__ import annotations

from dataclasses import dataclass


class ServerError(Exception):
    """The server could not start; the message says why, for the facilitator."""


@dataclass(frozen=True)
class Bound:
    """Where the server listens and where phones should go."""
    host: str            # the address bound ("0.0.0.0" = every interface)
    advertised: str      # the address put in URLs and QR codes
    port: int
    requested_port: int

    @property
    def base_url(self) -> str:
        """The URL phones open (QR codes carry it)."""
        return f"http://{self.advertised}:{self.port}"

    @property
    def fell_back(self) -> bool:
        """Whether the requested port was busy and another one is used."""
        return self.requested_port not in (0, self.port)

    @property
    def note(self) -> str:
        """One line for the facilitator: where phones connect, and whether the port moved."""
        where = f"Phones join at {self.base_url}"
        if self.fell_back:
            where += f" (port {self.requested_port} was busy, so port {self.port} is used)"
        if self.advertised.startswith("127.") and self.host in ("0.0.0.0", "::"):
            where += (". This laptop is on no network, so phones cannot reach it: join the "
                      "room's Wi-Fi (or start a hotspot), then stop and start again")
        return f"{where}."
