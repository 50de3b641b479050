"""Django's SQLite backend with the before-commit hook (:mod:`newsroom.db.base`).

It also reports PostgreSQL's integer ranges (``smallint`` 0–32767 for a
PositiveSmallIntegerField …) instead of SQLite's 64 bits, so model validation, admin
forms and API serializers refuse on the embedded default exactly the numbers that
production would refuse.
"""

from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.sqlite3 import base, operations

from ..base import BeforeCommitMixin


class DatabaseOperations(operations.DatabaseOperations):
    def integer_field_range(self, internal_type):
        return BaseDatabaseOperations.integer_field_ranges[internal_type]


class DatabaseWrapper(BeforeCommitMixin, base.DatabaseWrapper):
    ops_class = DatabaseOperations
