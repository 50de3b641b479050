"""Django's PostgreSQL backend with the before-commit hook (:mod:`newsroom.db.base`)."""

from django.db.backends.postgresql import base

from ..base import BeforeCommitMixin


class DatabaseWrapper(BeforeCommitMixin, base.DatabaseWrapper):
    pass
