"""WSGI entry point (gunicorn newsroom.wsgi). Refuses to start without a secret key."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (configured by get_wsgi_application)

if not settings._wrapped.SECRET_KEY:
    raise ImproperlyConfigured(settings.SECRET_KEY_MISSING_MESSAGE)
