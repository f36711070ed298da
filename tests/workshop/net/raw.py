"""Raw loopback sockets for the transport tests: what a hostile client sends, byte for byte."""
from __future__ import annotations

import select
import socket
import time


def connect(port: int, source: str = "127.0.0.1") -> socket.socket:
    """A connection to the server on 127.0.0.1:``port`` from ``source`` (any 127.x address)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((source, 0))
    sock.settimeout(5)
    sock.connect(("127.0.0.1", port))
    return sock


def exchange(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Send ``data`` on a fresh connection; everything the server answers until it closes."""
    with connect(port) as sock:
        sock.sendall(data)
        return read_all(sock, timeout)


def read_all(sock: socket.socket, timeout: float = 5.0) -> bytes:
    """Read until the server closes (or ``timeout``); a reset counts as closed."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    sock.settimeout(timeout)
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except (TimeoutError, ConnectionResetError):
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def closed_by_server(socks: list[socket.socket], within: float) -> int:
    """How many of ``socks`` the server closes (EOF or reset) within ``within`` seconds."""
    pending, closed = set(socks), 0
    deadline = time.monotonic() + within
    while pending and time.monotonic() < deadline:
        ready, _, _ = select.select(list(pending), [], [], max(0.0, deadline - time.monotonic()))
        for sock in ready:
            try:
                data = sock.recv(65536)
            except (ConnectionResetError, OSError):
                data = b""
            if not data:
                closed += 1
                pending.discard(sock)
    return closed


def split_answer(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """(status, headers by lower-case name, body) of one raw HTTP answer."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body
