"""Per-officer rate limiting (token bucket on the injected clock), so one runaway client can't starve others.

The buckets are bounded: at most ``max_tracked`` senders are remembered, least recently seen evicted first
(their bucket has long refilled, so forgetting it changes nothing), so 100,000 strangers cost no memory.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["RateLimiter"]


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: datetime


@dataclass
class RateLimiter:
    """Allow ``burst`` messages at once and ``per_minute`` sustained, per user id.

    >>> from datetime import UTC, datetime, timedelta
    >>> limiter = RateLimiter(per_minute=60, burst=2)
    >>> t0 = datetime(2026, 1, 1, tzinfo=UTC)
    >>> [limiter.allow(7, t0) for _ in range(3)]
    [True, True, False]
    >>> limiter.allow(7, t0 + timedelta(seconds=1))
    True
    """

    per_minute: float = 60.0
    burst: int = 15
    max_tracked: int = 2048
    _buckets: OrderedDict[int, _Bucket] = field(default_factory=OrderedDict)

    def allow(self, user_id: int, now: datetime) -> bool:
        if self.per_minute <= 0:
            return True
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(tokens=float(self.burst), updated=now)
            while len(self._buckets) > self.max_tracked:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(user_id)
        elapsed = max(0.0, (now - bucket.updated).total_seconds())
        bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.per_minute / 60.0)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return True
        return False
