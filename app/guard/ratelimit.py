"""Creation rate limits: a token bucket per client address."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict


class RateLimiter:
    """A token bucket per client address: `per_minute` creations, refilled continuously."""

    def __init__(self, per_minute: int, max_clients: int = 10_000) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._max_clients = max_clients

    def acquire(self, client: str, now: float | None = None) -> float:
        """0 if allowed (a token is taken), else the seconds until the next token."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens - 1.0 if not wait else tokens, now)
            while len(self._buckets) > self._max_clients:  # forget the longest-idle clients
                self._buckets.popitem(last=False)
            return wait
