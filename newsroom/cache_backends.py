"""Cache backends of our own.

:class:`SharedFileBasedCache` is Django's folder cache whose ``add()`` and ``incr()`` are
atomic across every process on the machine (an ``flock`` on a file in the folder). Django's
own does a read and a write, so two server workers counting the same client's requests at
the same moment can each write back the old count plus one and lose a request; the API
throttle counts with ``incr()`` and must not lose any.
"""

from __future__ import annotations

import contextlib
import fcntl
import os

from django.core.cache.backends.filebased import FileBasedCache


class SharedFileBasedCache(FileBasedCache):
    """A folder cache with ``add()`` and ``incr()`` atomic across processes."""

    def add(self, key, value, timeout=None, version=None):
        with self._exclusive():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._exclusive():
            return super().incr(key, delta, version)

    @contextlib.contextmanager
    def _exclusive(self):
        self._createdir()
        with open(os.path.join(self._dir, "atomic.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
