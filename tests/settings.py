"""Settings for the test suite: the product's settings in development mode.

Debug is off by default in the product; the suite opts in (as ``make run`` does), and the
tests of production behaviour start their own processes with ``DJANGO_DEBUG=0``. The
shared cache folder is one per test session (server processes the tests start inherit it).
"""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_CACHE_URL", "file://" + tempfile.mkdtemp(prefix="newsroom-test-cache-"))

from newsroom.settings import *  # noqa: F403
