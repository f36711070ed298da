"""Which address phones on the same network can reach this laptop at."""
from __future__ import annotations

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
