"""Failed-attempt counting for SIP2 logins (per peer address and per login) and patron PINs.

In memory: one SIP2 server process answers every machine, so it sees every attempt. After
``limit`` failures within ``window`` seconds a key is locked until the oldest failure is ``window``
seconds old. Thread-safe (PIN checks run in database threads).
"""

import threading
import time
from collections import deque


class FailureLimiter:
    """Counts failures per key; ``locked(key)`` says whether that key must wait."""

    def __init__(self, *, limit: int, window: float, clock=time.monotonic, max_keys: int = 100_000):
        self.limit = max(int(limit), 1)
        self.window = float(window)
        self.clock = clock
        self.max_keys = max_keys
        self._failures: dict[object, deque] = {}
        self._lock = threading.Lock()

    def _prune(self, key, now: float) -> deque | None:
        failures = self._failures.get(key)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return None
        return failures

    def locked(self, *keys) -> bool:
        """True when any of ``keys`` has ``limit`` failures within the window."""
        now = self.clock()
        with self._lock:
            for key in keys:
                failures = self._prune(key, now)
                if failures is not None and len(failures) >= self.limit:
                    return True
        return False

    def fail(self, *keys) -> None:
        """Record one failure against each of ``keys``."""
        now = self.clock()
        with self._lock:
            if len(self._failures) >= self.max_keys:  # someone is spraying keys: forget the stale ones
                for key in list(self._failures):
                    self._prune(key, now)
            for key in keys:
                failures = self._failures.setdefault(key, deque())
                failures.append(now)
                while len(failures) > self.limit:
                    failures.popleft()

    def succeed(self, *keys) -> None:
        """Forget the failures of ``keys`` (after a correct password)."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
