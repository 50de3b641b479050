"""System checks for a production start (``manage.py check --deploy``; ``make serve`` runs it)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, Warning, register
from django.utils.module_loading import import_string


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if settings._wrapped.SECRET_KEY:
        return []
    return [Error(settings.SECRET_KEY_MISSING_MESSAGE, id="newsroom.E001")]


@register(Tags.staticfiles, deploy=True)
def static_files_are_collected(app_configs, **kwargs):
    """With hashed static names, pages need the manifest collectstatic writes (without it
    they still render, with plain URLs: newsroom.storage)."""
    storage = import_string(settings.STORAGES["staticfiles"]["BACKEND"])
    if settings.DEBUG or not issubclass(storage, ManifestFilesMixin):
        return []
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if manifest.exists():
        return []
    return [
        Warning(
            f"{manifest} is missing: run `manage.py collectstatic` (make serve does).",
            id="newsroom.W001",
        )
    ]
