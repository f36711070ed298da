"""A per-client token bucket: a stuck phone or a prankster cannot flood the database.

Hand-written (a dozen lines) because the aiohttp ecosystem's limiters keep their own wall-clock
time; this one reads the injected clock so tests can drain and refill it without sleeping.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class RateLimit:
    """How fast one client may send requests."""
    per_second: float = 10.0  # sustained requests per client
    burst: float = 60.0       # requests a client may make at once (a page load is ~5)


class RateLimiter:
    """One token bucket per client, refilled by the injected clock."""

    def __init__(self, limit: RateLimit, monotonic: Callable[[], float], max_clients: int = 10_000):
        self.limit = limit
        self._monotonic = monotonic
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, last time)
        self._max_clients = max_clients

    def allow(self, client: str, cost: float = 1.0) -> float:
        """0.0 if the request may go ahead, else the seconds to wait before retrying."""
        now = self._monotonic()
        tokens, last = self._buckets.get(client, (self.limit.burst, now))
        tokens = min(self.limit.burst, tokens + (now - last) * self.limit.per_second)
        if tokens < cost:
            self._buckets[client] = (tokens, now)
            return (cost - tokens) / self.limit.per_second
        if client not in self._buckets and len(self._buckets) >= self._max_clients:
            self._forget_full_buckets(now)
        self._buckets[client] = (tokens - cost, now)
        return 0.0

    def _forget_full_buckets(self, now: float) -> None:
        # A client whose bucket has refilled is indistinguishable from a new one: drop it.
        refill = self.limit.burst / self.limit.per_second
        self._buckets = {c: b for c, b in self._buckets.items() if now - b[1] < refill}
