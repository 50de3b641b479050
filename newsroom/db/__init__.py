"""Our database backends: Django's SQLite and PostgreSQL backends with a before-commit hook.

``newsroom.db.sqlite3`` and ``newsroom.db.postgresql`` subclass Django's backends and run
the callables registered with :func:`newsroom.db.base.before_commit` inside each
transaction, just before it commits (see :mod:`newsroom.db.base`). Settings select them
whatever ``DATABASE_URL`` says.
"""
