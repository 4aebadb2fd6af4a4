"""Rate limits: an in-memory sliding-window limiter per key (e.g. a client address or a user name), and
:func:`rate_limited`, a dependency that answers 429 with ``Retry-After``."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import HTTPException, Request

__all__ = ["RateDecision", "RateLimiter", "client_address", "rate_limited"]


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    remaining: int
    retry_after: float  # seconds until the next hit would be allowed (0 when allowed)


class RateLimiter:
    """At most ``limit`` hits per ``window`` seconds for each key, counted over a sliding window.

    In memory and per process; thread-safe. ``max_keys`` bounds the memory: the least recently used key is
    forgotten first.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be at least 1 and window positive")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
            while len(self._hits) > self._max_keys:
                self._hits.popitem(last=False)
        else:
            self._hits.move_to_end(key)
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def hit(self, key: str) -> RateDecision:
        """Count one attempt for ``key`` if it is allowed, and say whether it was."""
        with self._lock:
            now = self._clock()
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                return RateDecision(False, 0, max(0.0, hits[0] + self.window - now))
            hits.append(now)
            return RateDecision(True, self.limit - len(hits), 0.0)

    def peek(self, key: str) -> RateDecision:
        """What :meth:`hit` would answer, without counting anything."""
        with self._lock:
            now = self._clock()
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                return RateDecision(False, 0, max(0.0, hits[0] + self.window - now))
            return RateDecision(True, self.limit - len(hits), 0.0)

    def reset(self, key: str) -> None:
        """Forget ``key`` (e.g. after a successful login)."""
        with self._lock:
            self._hits.pop(key, None)


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: run uvicorn with --proxy-headers)."""
    return request.client.host if request.client else "unknown"


def rate_limited(
    limiter: RateLimiter, key: Callable[[Request], str] = client_address
) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency that answers 429 with ``Retry-After`` once ``key(request)`` is over the limit."""

    async def dependency(request: Request) -> None:
        decision = limiter.hit(key(request))
        if not decision.allowed:
            wait = max(1, int(decision.retry_after + 0.999))
            raise HTTPException(
                429, f"too many requests: try again in {wait} s", headers={"Retry-After": str(wait)}
            )

    return dependency
