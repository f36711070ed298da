"""A free port for a test server that must be found again on the same port (a restart, a
subprocess told its port), chosen *outside* the kernel's ephemeral range.

A port from ``bind(("127.0.0.1", 0))`` comes from the ephemeral range (Linux 32768–60999, macOS
and Windows 49152–65535), the same range every outgoing connection on the machine draws its
local port from: between the test's close and the server's bind — or a stop and the restart on
the same port — another process's connection may take it (on a shared build machine, a room
benchmark opens thousands). Below 32768 only an explicit bind can take it.
"""
from __future__ import annotations

import random
import socket

LOW, HIGH = 20_000, 32_000


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now, outside every platform's ephemeral range."""
    for port in random.sample(range(LOW, HIGH), 200):
        with socket.socket() as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {LOW} and {HIGH}")
