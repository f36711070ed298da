"""Getting phones onto the room's network (issue 19 items 4-5), for the window, the CLI and
the handouts: the room's Wi-Fi, the address the signs were printed for, and what to say when
that address no longer reaches this laptop.

The Wi-Fi is kept in the local data file only: it is never sent to a phone and never exported;
it leaves the laptop only as the Wi-Fi QR code on the signs and the projector's corner.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

from stations.network.wifi import WifiNetwork, check_wifi, wifi_payload
from stations.repository.network import NetworkRepository
from workshop.net import address


@dataclass(frozen=True)
class SignsAddress:
    """Where signs printed now send phones: the base URL, its ``.local`` twin, and a warning
    when no phone could open it ("" when fine)."""
    base_url: str
    local_url: str = ""
    warning: str = ""


STARTING_SIGNS = ("The join server is still starting: print the signs once phones can join, so "
                  "they carry the address it listens on.")


def host_port(base_url: str) -> str:
    """``192.168.1.20:8765`` from ``http://192.168.1.20:8765``."""
    return urlsplit(base_url).netloc


def moved_note(printed_for: str, now: str) -> str:
    """What to tell the facilitator when the signs' address no longer is this laptop's ("" when
    it still is): the issue's words, the port added when only the port moved."""
    if not printed_for or not now or printed_for == now:
        return ""
    then, current = urlsplit(printed_for), urlsplit(now)
    where = current.hostname if current.port == then.port else current.netloc
    return (f"signs were printed for {then.netloc}; this laptop is now {where} — reprint, or "
            "let phones use the projector's code")


class RoomNetwork:
    """The room's Wi-Fi and the signs' address, for one data file (``ctx.join.network``)."""

    def __init__(self, db, join, clock):
        """``join``: the JoinService (its ``base_url`` and ``bound``)."""
        self.repo = NetworkRepository(db)
        self.join = join
        self.clock = clock
        # The seam tests fake: the laptop's .local name for an address ("" where it does not
        # resolve). The real one asks multicast DNS once per address, in the background, and
        # printing waits for it only briefly (where nothing answers, the question takes 1.5 s).
        self.local_name: Callable[[str], str] = address.LocalNames()

    # -- the room's Wi-Fi ------------------------------------------------------------------
    def wifi(self, academy_id: int) -> WifiNetwork | None:
        """The academy's Wi-Fi as entered (None: none)."""
        return self.repo.wifi(academy_id)

    def set_wifi(self, academy_id: int, network: WifiNetwork | None) -> WifiNetwork | None:
        """Keep ``network`` (None: forget it) after checking a phone could join with it;
        returns what was there before (for undo). Raises ValidationError, nothing stored."""
        before = self.repo.wifi(academy_id)
        if network is not None:
            check_wifi(network)
        self.repo.set_wifi(academy_id, network)
        return before

    def wifi_code(self, academy_id: int) -> str:
        """The Wi-Fi QR code's text ("" without a Wi-Fi entered)."""
        network = self.repo.wifi(academy_id)
        return wifi_payload(network) if network is not None else ""

    # -- the signs' address ----------------------------------------------------------------
    def signs_address(self) -> SignsAddress:
        """Where signs printed now send phones, and why no phone could open it, if so."""
        base = self.join.base_url()
        url = urlsplit(base)
        host = url.hostname or ""
        bound = self.join.bound
        listens = bound.host if bound is not None else (self.join.config.host or "")
        warning = ""
        if self.join.starting:
            warning = STARTING_SIGNS
        elif listens.startswith("127.") or listens == "localhost":
            warning = (f"The join server listens on this laptop only ({listens}), so no phone "
                       "can open the signs' address: stop it and let phones join on every "
                       "network (no --host), then print the signs again.")
        elif host.startswith("127.") or host == "localhost":
            warning = (f"This laptop is on no network, so the signs would carry {host}, which "
                       "no phone can open: join the room's Wi-Fi (or start a hotspot), then "
                       "print the signs again.")
        local = self.local_name(host) if not warning else ""
        return SignsAddress(base, f"http://{local}:{url.port}" if local else "", warning)

    def look_up_name(self) -> None:
        """Start finding the laptop's .local name for the signs' address, without waiting (the
        join server calls it when it binds, so signs printed later find the answer known)."""
        start = getattr(self.local_name, "start", None)
        if start is not None:
            start(urlsplit(self.join.base_url()).hostname or "")

    def record_printed(self, academy_id: int, base_url: str) -> None:
        """Remember that the academy's signs now carry ``base_url``."""
        self.repo.set_printed_for(academy_id, base_url, self.clock.now())

    def printed_for(self, academy_id: int) -> str:
        """The base URL the signs were last printed for ("" never)."""
        return self.repo.printed_for(academy_id)

    def moved(self, academy_id: int) -> str:
        """The note when the printed signs no longer reach this laptop ("" when they do)."""
        return moved_note(self.repo.printed_for(academy_id), self.join.base_url())

    # -- the port --------------------------------------------------------------------------
    def port_to_try(self, configured: int) -> int:
        """The port to listen on first: last time's (so printed signs keep working when the
        address stays), else the configured one. An explicit port 0 stays 0 (tests)."""
        if configured == 0:
            return 0
        return self.repo.last_port() or configured

    def started_on(self, port: int) -> None:
        """Remember the port the server got, to ask for it first next time."""
        if port and port != self.repo.last_port():
            self.repo.set_last_port(port)
