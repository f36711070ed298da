"""The LAN server transport (aiohttp on its own thread) and versioned request parsing; no Qt."""
from workshop.net.address import LOOPBACK, lan_address
from workshop.net.ratelimit import RateLimit, RateLimiter
from workshop.net.request import (API_PREFIX, API_VERSION, MAX_BODY, ApiError, error_response,
                                  field, json_response, read_json)
from workshop.net.server import SECURITY_HEADERS, Bound, LanServer, ServerError, not_found

__all__ = ["LOOPBACK", "lan_address", "RateLimit", "RateLimiter", "API_PREFIX", "API_VERSION",
           "MAX_BODY", "ApiError", "error_response", "field", "json_response", "read_json",
           "SECURITY_HEADERS", "Bound", "LanServer", "ServerError", "not_found"]
