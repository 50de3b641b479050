"""Django's SQLite backend with the before-commit hook (:mod:`newsroom.db.base`)."""

from django.db.backends.sqlite3 import base

from ..base import BeforeCommitMixin


class DatabaseWrapper(BeforeCommitMixin, base.DatabaseWrapper):
    pass
