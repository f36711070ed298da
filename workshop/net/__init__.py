"""The LAN server transport (aiohttp on its own thread), versioned request parsing, the batching
writer and the live event stream; no Qt, no SQL, no feature knowledge."""
from workshop.net.address import LOOPBACK, lan_address
from workshop.net.batching import BatchFailed, BatchWriter, Worker
from workshop.net.limits import ConnectionGate, ConnectionLimits
from workshop.net.ratelimit import RateLimit, RateLimiter
from workshop.net.request import (API_PREFIX, API_VERSION, MAX_BODY, ApiError, error_response,
                                  field, json_response, read_json)
from workshop.net.server import (SECURITY_HEADERS, Bound, LanServer, ServerError, expect_continue,
                                 not_found)
from workshop.net.stream import Broadcast, serve_events

__all__ = ["LOOPBACK", "lan_address", "BatchFailed", "BatchWriter", "Worker", "ConnectionGate",
           "ConnectionLimits", "RateLimit",
           "RateLimiter", "API_PREFIX", "API_VERSION", "MAX_BODY", "ApiError", "error_response",
           "field", "json_response", "read_json", "SECURITY_HEADERS", "Bound", "LanServer",
           "ServerError", "expect_continue", "not_found", "Broadcast", "serve_events"]
