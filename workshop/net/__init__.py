"""The LAN server transport (aiohttp on its own thread), versioned request parsing, the batching
writer and the live event stream; no Qt, no SQL, no feature knowledge.

The names below load on first use (PEP 562): a module that only needs the LAN address or the
limits does not import aiohttp, which is for when phones are let in.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from workshop.lazy import exports_on_first_use

_HOMES = {
    "LOOPBACK": "address", "lan_address": "address",
    "BatchFailed": "batching", "BatchWriter": "batching", "Worker": "batching",
    "ConnectionGate": "limits", "ConnectionLimits": "limits",
    "RateLimit": "ratelimit", "RateLimiter": "ratelimit",
    "API_PREFIX": "request", "API_VERSION": "request", "MAX_BODY": "request",
    "ApiError": "request", "error_response": "request", "field": "request",
    "json_response": "request", "read_json": "request",
    "SECURITY_HEADERS": "server", "Bound": "listening", "LanServer": "server",
    "ServerError": "listening", "expect_continue": "server", "not_found": "server",
    "Broadcast": "stream", "serve_events": "stream",
}

__all__ = ["LOOPBACK", "lan_address", "BatchFailed", "BatchWriter", "Worker", "ConnectionGate",
           "ConnectionLimits", "RateLimit",
           "RateLimiter", "API_PREFIX", "API_VERSION", "MAX_BODY", "ApiError", "error_response",
           "field", "json_response", "read_json", "SECURITY_HEADERS", "Bound", "LanServer",
           "ServerError", "expect_continue", "not_found", "Broadcast", "serve_events"]

if TYPE_CHECKING:
    from workshop.net.address import LOOPBACK, lan_address
    from workshop.net.batching import BatchFailed, BatchWriter, Worker
    from workshop.net.limits import ConnectionGate, ConnectionLimits
    from workshop.net.ratelimit import RateLimit, RateLimiter
    from workshop.net.request import (API_PREFIX, API_VERSION, MAX_BODY, ApiError, error_response,
                                      field, json_response, read_json)
    from workshop.net.listening import Bound, ServerError
    from workshop.net.server import SECURITY_HEADERS, LanServer, expect_continue, not_found
    from workshop.net.stream import Broadcast, serve_events


__getattr__ = exports_on_first_use(__name__, _HOMES, globals())
