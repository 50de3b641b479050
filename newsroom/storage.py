"""Static files storage for production."""

from __future__ import annotations

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

log = logging.getLogger("newsroom.static")


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed, hashed files; a file collectstatic has not seen (a deploy
    that skipped it) gets its plain URL and a warning instead of failing the page."""

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            log.warning("static file %s is not collected: run manage.py collectstatic", name)
            return name
