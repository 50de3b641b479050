"""Django's PostgreSQL backend with the before-commit hook (:mod:`newsroom.db.base`), and
prepared statements for the queries :func:`newsroom.db.prepared.together` runs."""

from django.db.backends.postgresql import base

from ..base import BeforeCommitMixin

#: Prepared statements are planned once (their generic plan), not on every run. Only the
#: queries of ``preparing_cursor()`` are prepared, so nothing else is affected.
PLAN_CACHE_OPTION = "-c plan_cache_mode=force_generic_plan"
#: psycopg prepares a query run this many times; Django's default (None) would refuse even
#: ``prepare=True``, so: only when asked.
ONLY_WHEN_ASKED = 2**31 - 1


class PreparingCursor(base.ServerBindingCursor):
    """psycopg's server-side binding cursor whose every query is a prepared statement of
    the connection (parsed and planned by the server once per connection)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseWrapper(BeforeCommitMixin, base.DatabaseWrapper):
    _preparing = False

    def get_connection_params(self):
        params = super().get_connection_params()
        options = params.get("options", "")
        if "plan_cache_mode" not in options:
            params["options"] = f"{options} {PLAN_CACHE_OPTION}".strip()
        if params.get("prepare_threshold") is None:
            params["prepare_threshold"] = ONLY_WHEN_ASKED
        return params

    def preparing_cursor(self):
        """A cursor (Django's wrapper: counted, logged) whose queries are prepared statements."""
        self._preparing = True
        try:
            return self.cursor()
        finally:
            self._preparing = False

    def create_cursor(self, name=None):
        if name or not self._preparing:
            return super().create_cursor(name)
        cursor = PreparingCursor(self.connection)
        tzloader = self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, base.Format.TEXT)
        if self.timezone != tzloader.timezone:
            base.register_tzloader(self.timezone, cursor)
        return cursor
