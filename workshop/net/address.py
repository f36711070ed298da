"""Which address phones on the same network can reach this laptop at."""
from __future__ import annotations

import functools
import socket

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
