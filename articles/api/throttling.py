"""Throttles that read their rate from settings on every request.

Requests are counted in the ``default`` cache, which every server process shares (a
folder on this machine, or Redis: see ``CACHES`` in settings), so two workers hold one
limit between them (tests/test_shared_limits.py runs two gunicorn workers). Clients are
told apart by ``REMOTE_ADDR`` (``NUM_PROXIES``), not by a header they can make up.

DRF's own classes copy ``DEFAULT_THROTTLE_RATES`` onto the class at import time, so a
changed setting (an override in a test, a reloaded configuration) would be ignored.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class AnonRateThrottle(throttling.AnonRateThrottle):
    """Anonymous clients: ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]`` per client address."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
