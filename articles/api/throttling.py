"""Throttles that read their rate from settings on every request, counted atomically.

Requests are counted in the ``default`` cache, which every server process shares (a
folder on this machine, or Redis: see ``CACHES`` in settings), so two workers hold one
limit between them (tests/test_shared_limits.py runs two gunicorn workers). Clients are
told apart by ``REMOTE_ADDR`` (``NUM_PROXIES``), not by a header they can make up.

Each client has one counter per window of the rate's period (``10/minute``: per calendar
minute), raised with the cache's atomic ``incr()``: DRF's own throttle reads a list of
times and writes it back, so two workers answering at once lose one of the two requests
and let more through than the limit. A cache outage lets requests through (the cache is an
accelerator, never a dependency).

DRF's own classes copy ``DEFAULT_THROTTLE_RATES`` onto the class at import time, so a
changed setting (an override in a test, a reloaded configuration) would be ignored.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class AnonRateThrottle(throttling.AnonRateThrottle):
    """Anonymous clients: ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]`` per client address."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        count = self._count(f"{self.key}:{window}")
        return count is None or count <= self.num_requests

    def wait(self):
        return max(1.0, self.window_ends - self.now)

    def _count(self, key: str) -> int | None:
        """This request's number in its window (None: the cache did not answer)."""
        try:
            return self.cache.incr(key)
        except ValueError:  # the window's first request (or its counter expired)
            if self.cache.add(key, 1, self.duration + 1):
                return 1
            try:
                return self.cache.incr(key)
            except ValueError:
                return None
