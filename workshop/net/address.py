"""Which address phones on the same network can reach this laptop at."""
from __future__ import annotations

import functools
import socket
import threading
import time
from typing import Callable

LOOPBACK = "127.0.0.1"
# A TEST-NET-1 address (RFC 5737): never routed, so nothing can answer even if a packet escaped.
_PROBE = ("192.0.2.1", 9)


def lan_address() -> str:
    """The address of the interface the laptop would use to reach the network.

    "Connecting" a UDP socket sends nothing; it only asks the kernel to choose a route and a
    source address, which is the laptop's address on the LAN (Wi-Fi or hotspot). Without any
    network the kernel has no route and we fall back to loopback, which still works on the
    laptop itself.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE)
            address = probe.getsockname()[0]
    except OSError:
        return LOOPBACK
    return address if address and address != "0.0.0.0" else LOOPBACK


MDNS_TIMEOUT_MS = 1500


@functools.lru_cache(maxsize=8)  # one question per address a run: printing signs never waits twice
def local_name(address: str, timeout_ms: int = MDNS_TIMEOUT_MS) -> str:
    """``<hostname>.local`` when multicast DNS on the LAN answers it with ``address`` (the
    laptop's own responder — Avahi, Bonjour — does where it runs); "" otherwise.

    A phone that resolves ``.local`` names (iOS, recent Android) still finds the laptop by it
    when a new network gives the laptop another address. zeroconf is imported here, not at the
    module's top, so the window and the CLI start without it.
    """
    host = socket.gethostname().split(".")[0]
    if not host or address.startswith("127.") or address == "0.0.0.0":
        return ""
    name = f"{host}.local"
    try:
        from zeroconf import AddressResolverIPv4, Zeroconf
        zc = Zeroconf(interfaces=[address])
        try:
            resolver = AddressResolverIPv4(name + ".")
            if resolver.request(zc, timeout_ms) and address in resolver.parsed_addresses():
                return name
        finally:
            zc.close()
    except Exception:  # no multicast on this network, or zeroconf refused the interface
        return ""
    return ""


# How long printing waits for a lookup still under way: multicast DNS answers within tens of
# milliseconds where a responder runs, so a short wait catches it; where nothing answers the
# lookup runs out its MDNS_TIMEOUT_MS in the background and printing does not wait for it.
PRINT_WAIT_S = 0.25


class LocalNames:
    """The laptop's ``.local`` name per address, looked up in the background and remembered.

    ``start(address)`` begins a lookup without waiting (the join server calls it when it
    binds); calling the object returns what is known, "" when nothing answered (yet). Each
    address is asked once a run, and all callers together wait at most ``wait_s`` from the
    lookup's start: printing asks for the address several times (the warning, the signs), and
    a wait per call would add up to the lookup's own timeout again.
    """

    def __init__(self, resolve: Callable[[str], str] = local_name,
                 wait_s: float = PRINT_WAIT_S) -> None:
        self._resolve = resolve
        self._wait_s = wait_s
        self._lock = threading.Lock()
        self._answers: dict[str, threading.Event] = {}
        self._names: dict[str, str] = {}
        self._until: dict[str, float] = {}   # monotonic time after which nobody waits

    def start(self, address: str) -> threading.Event:
        """Begin looking ``address`` up (once); the event is set when the answer is known."""
        with self._lock:
            known = self._answers.get(address)
            if known is not None:
                return known
            known = self._answers[address] = threading.Event()
            self._until[address] = time.monotonic() + self._wait_s
        if address.startswith("127.") or address in ("", "0.0.0.0", "localhost"):
            known.set()   # never a LAN name: no thread for it
            return known

        def look_up() -> None:
            try:
                self._names[address] = self._resolve(address)
            except Exception:  # a lookup that fails is a name that does not resolve
                self._names[address] = ""
            finally:
                known.set()
        # A daemon thread: a command that has printed its signs exits without waiting for it.
        threading.Thread(target=look_up, name=f"local-name {address}", daemon=True).start()
        return known

    def __call__(self, address: str) -> str:
        """The ``.local`` name known for ``address`` ("" : none, or not yet), waiting only
        until ``wait_s`` after the lookup started."""
        known = self.start(address)
        known.wait(max(0.0, self._until[address] - time.monotonic()))
        return self._names.get(address, "")
