"""Failed-login counting for OPDS HTTP Basic, per client address and per login name.

Kept in Django's cache, so every web process of one server (and every server, when the cache is
shared, e.g. Redis) counts the same failures. After ``limit`` failures within ``window`` seconds a key
is locked until its oldest counted failure is ``window`` seconds old; :meth:`retry_after` says how
long that is. A correct password forgets the failures of its login name (not of the address: one
valid card must not reset the count of an address trying many others).
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache as default_cache


def _setting(name: str, default):
    return getattr(settings, name, default)


class CacheFailureLimiter:
    """Counts failures per key in the cache; ``retry_after(*keys)`` is 0 when none of them is locked."""

    def __init__(self, *, prefix: str, limit: int | None = None, window: float | None = None, cache=None, clock=None):
        self.prefix = prefix
        self._limit = limit
        self._window = window
        self.cache = cache or default_cache
        self.clock = clock or time.time

    @property
    def limit(self) -> int:
        return max(1, int(self._limit or _setting("OPDS_MAX_FAILED_LOGINS", 5)))

    @property
    def window(self) -> float:
        return float(self._window or _setting("OPDS_LOCKOUT_SECONDS", 900))

    def _key(self, key: str) -> str:
        digest = hashlib.sha256(str(key).encode("utf-8", "surrogatepass")).hexdigest()[:40]
        return f"{self.prefix}:{digest}"

    def _failures(self, key: str, now: float) -> list[float]:
        stored = self.cache.get(self._key(key)) or []
        return [t for t in stored if isinstance(t, int | float) and now - self.window < t <= now]

    def retry_after(self, *keys: str) -> int:
        """Seconds until every key may try again (0: none is locked)."""
        now = self.clock()
        wait = 0.0
        for key in keys:
            failures = self._failures(key, now)
            if len(failures) >= self.limit:
                wait = max(wait, failures[-self.limit] + self.window - now)
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def fail(self, *keys: str) -> None:
        """Count one failure against each key."""
        now = self.clock()
        for key in keys:
            failures = [*self._failures(key, now), now][-self.limit :]
            self.cache.set(self._key(key), failures, timeout=math.ceil(self.window))

    def succeed(self, *keys: str) -> None:
        """Forget the failures of ``keys``."""
        for key in keys:
            self.cache.delete(self._key(key))
