"""Pacing requests below Roblox's per-minute limits, and backing off when told to.

Roblox counts requests per key owner in windows (create, get and patch assets: 120 a minute;
operations: 100 a minute per key; ...). ``Pacer`` keeps, per bucket, the start times of the
last ``count`` requests and lets the next one start only when the oldest of them is a window
(plus a small safety margin) old: at most ``count`` in any window, whatever the server's
window alignment, with a burst of ``count`` allowed at once, which is what makes a batch as
fast as the limit permits. Answers can tighten it further: ``x-ratelimit-remaining: 0`` with
``x-ratelimit-reset``, or a 429's ``retry-after``, block the bucket until then.
"""

from __future__ import annotations

import collections
import email.utils
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limit:
    """At most ``count`` requests in any ``window`` seconds."""

    count: int
    window: float = 60.0


#: Roblox's documented limits per key owner (creator-docs, cloud/reference/rate-limits.md).
#: Buckets are named by the calls that share them.
DEFAULT_LIMITS: dict[str, Limit] = {
    "create": Limit(120),
    "asset": Limit(120),
    "operation": Limit(100),
    "delivery": Limit(1000),
    "introspect": Limit(60),
    # The thumbnails API documents no limit; a batch holds 50 IDs, so this is plenty.
    "thumbnails": Limit(60),
    "download": Limit(600),
}

#: The margin kept below each limit: a share of the window plus a fixed part for the time a
#: request takes to reach the server (its clock starts when the request arrives).
MARGIN_SHARE = 0.01
MARGIN_FIXED = 0.05
#: A server's reset or retry-after beyond this is taken as this (a garbled header must not
#: park the queue for hours).
MAX_BLOCK = 300.0

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def scaled_limits(window: float, limits: Mapping[str, Limit] = DEFAULT_LIMITS
                  ) -> dict[str, Limit]:
    """The same counts over another window (benchmarks and tests run minutes in seconds)."""
    return {name: Limit(limit.count, window) for name, limit in limits.items()}


@dataclass
class _Bucket:
    limit: Limit
    starts: collections.deque[float] = field(default_factory=collections.deque)
    blocked_until: float = 0.0


class Pacer:
    """Thread-safe request pacing per bucket. Unknown buckets are not paced."""

    def __init__(self, limits: Mapping[str, Limit] | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._buckets = {name: _Bucket(limit) for name, limit in
                         (DEFAULT_LIMITS if limits is None else limits).items()}

    def limit(self, bucket: str) -> Limit | None:
        found = self._buckets.get(bucket)
        return found.limit if found else None

    def _delay(self, bucket: _Bucket, now: float) -> float:
        limit = bucket.limit
        horizon = limit.window * (1 + MARGIN_SHARE) + MARGIN_FIXED
        starts = bucket.starts
        while starts and starts[0] <= now - horizon:
            starts.popleft()
        wait = bucket.blocked_until - now
        if len(starts) >= limit.count:
            wait = max(wait, starts[len(starts) - limit.count] + horizon - now)
        return max(wait, 0.0)

    def delay(self, bucket: str) -> float:
        """Seconds until one more request in ``bucket`` may start (0: now)."""
        with self._lock:
            found = self._buckets.get(bucket)
            return 0.0 if found is None else self._delay(found, self.clock())

    def try_take(self, bucket: str) -> float:
        """Start a request now if allowed (returns 0) or return the seconds to wait."""
        with self._lock:
            found = self._buckets.get(bucket)
            if found is None:
                return 0.0
            now = self.clock()
            wait = self._delay(found, now)
            if wait <= 0:
                found.starts.append(now)
            return wait

    def acquire(self, bucket: str, wait: Callable[[float], bool]) -> bool:
        """Block until a request may start and record it. ``wait(seconds)`` sleeps and returns
        True when the caller was cancelled meanwhile (then this returns False)."""
        while True:
            delay = self.try_take(bucket)
            if delay <= 0:
                return True
            if wait(delay):
                return False

    def block(self, bucket: str, seconds: float) -> None:
        """No request in ``bucket`` before ``seconds`` from now."""
        seconds = min(max(seconds, 0.0), MAX_BLOCK)
        with self._lock:
            found = self._buckets.get(bucket)
            if found is not None:
                found.blocked_until = max(found.blocked_until, self.clock() + seconds)

    def observe(self, bucket: str, headers: Mapping[str, str]) -> None:
        """Take an answer's ``x-ratelimit-remaining`` / ``x-ratelimit-reset`` into account."""
        remaining = _numbers(headers.get("x-ratelimit-remaining", ""))
        if remaining and min(remaining) <= 0:
            resets = _numbers(headers.get("x-ratelimit-reset", ""))
            if resets:
                self.block(bucket, max(resets))


def _numbers(value: str) -> list[float]:
    """Numbers of a rate-limit header that may list several windows (``"10, 100;w=60"``):
    the value of each comma-separated item, not its ``;w=`` parameter."""
    found = []
    for item in str(value).split(","):
        head = item.split(";", 1)[0]
        match = _NUMBER.search(head)
        if match:
            found.append(float(match.group()))
    return found


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds from ``retry-after`` (seconds or an HTTP date); None when absent or 0.

    Roblox has been seen sending ``retry-after: 0`` on every 429, which means nothing: the
    caller then uses ``x-ratelimit-reset`` or backs off.
    """
    value = str(headers.get("retry-after", "")).strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = moment.timestamp() - (time.time() if now is None else now)
    return seconds if seconds > 0 else None


def reset_after(headers: Mapping[str, str]) -> float | None:
    resets = [n for n in _numbers(headers.get("x-ratelimit-reset", "")) if n > 0]
    return max(resets) if resets else None


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: attempt n waits between half and all of
    ``min(cap, base * 2**n)`` seconds, so many clients don't retry in step."""

    base: float = 1.0
    cap: float = 60.0

    def delay(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        full = min(self.cap, self.base * (2.0 ** max(attempt, 0)))
        return full * (0.5 + 0.5 * rng())
