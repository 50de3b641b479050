"""A before-commit hook for Django's database backends.

Django has ``transaction.on_commit`` (after the commit, outside the transaction) but no
hook that runs *inside* a transaction just before it commits. The content change path
(:mod:`articles.changes`) needs one: the search index and the page-cache freshness are
written in the same transaction as the content, so they commit (or roll back) with it.

:class:`BeforeCommitMixin` runs every hook registered with :func:`before_commit` as
``hook(connection)``:

- in ``commit()``, before the real commit; if a hook raises, the transaction is rolled
  back and the error propagates (nothing of it is committed);
- in pytest-django's wrapping test transaction (atomic blocks marked ``_from_testcase``,
  which never commit), when the outermost atomic block that is not the test's own
  releases its savepoint: that is where the transaction would have committed outside a
  test. A failing hook then rolls that savepoint back.

The hook decides for itself whether it has anything to do; ``rollback()`` calls the
registered ``on_rollback`` callables so pending work can be dropped.
"""

from __future__ import annotations

from collections.abc import Callable

_before_commit: list[Callable] = []
_on_rollback: list[Callable] = []


def before_commit(hook: Callable, on_rollback: Callable | None = None) -> None:
    """Register ``hook(connection)`` (and ``on_rollback(connection)``), once each."""
    if hook not in _before_commit:
        _before_commit.append(hook)
    if on_rollback is not None and on_rollback not in _on_rollback:
        _on_rollback.append(on_rollback)


def in_test_transaction_only(connection) -> bool:
    """Inside pytest-django's test transaction, with no atomic block of the code's own open.

    Atomic blocks without a savepoint (``atomic(savepoint=False)``, as Django's own
    ``delete()`` uses) do not count: they end without a hook, so a write inside them is
    treated as if that block were the transaction.
    """
    blocks = connection.atomic_blocks
    return (
        connection.in_atomic_block
        and bool(blocks)
        and blocks[0]._from_testcase
        and all(b._from_testcase or not b.savepoint for b in blocks)
    )


class BeforeCommitMixin:
    """Mix into a Django ``DatabaseWrapper`` before the backend's own class."""

    def run_before_commit(self) -> None:
        for hook in list(_before_commit):
            hook(self)

    def commit(self):
        if not self.in_atomic_block and not self.get_autocommit():
            try:
                self.run_before_commit()
            except BaseException:
                self.rollback()
                raise
        return super().commit()

    def rollback(self):
        for hook in list(_on_rollback):
            hook(self)
        return super().rollback()

    def savepoint_rollback(self, sid):
        # Django releases a savepoint after rolling back to it: that is no commit.
        self._rolled_back_sid = sid
        if in_test_transaction_only(self):  # the test's stand-in for a transaction rolled back
            for hook in list(_on_rollback):
                hook(self)
        return super().savepoint_rollback(sid)

    def savepoint_commit(self, sid):
        if getattr(self, "_rolled_back_sid", None) != sid and in_test_transaction_only(self):
            try:
                self.run_before_commit()
            except BaseException:
                self.savepoint_rollback(sid)
                raise
        self._rolled_back_sid = None
        return super().savepoint_commit(sid)
