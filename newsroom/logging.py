"""Logging helpers."""

from __future__ import annotations

import logging
import time


class OncePerInterval(logging.Filter):
    """Let one record through per ``seconds`` (per process); count the ones held back.

    For failures that repeat on every request, such as a cache server that is down:
    the log says so once a minute, with how many were not repeated.
    """

    def __init__(self, seconds: float = 60.0):
        super().__init__()
        self.seconds = seconds
        self._last = float("-inf")
        self._held = 0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now - self._last < self.seconds:
            self._held += 1
            return False
        if self._held:
            record.msg = f"{record.msg} ({self._held} more since the last report)"
            self._held = 0
        self._last = now
        return True
