"""``import_pages --jobs N``: load the pages on N processes at once (PostgreSQL).

The pages are dealt out by issue date, whole issues to one process (so the pages of an
issue, and their continuation links, are written by one process), in turn. Each process
is a fork of the importing one with its own database connection and runs
:func:`articles.importer.runs.load_in_batches` on its share: the same batches, savepoints
and change path (search index and page cache in the same transaction) as a single
process. Results come back after each batch commits, so the ImportRun records what is
really committed.

- Before each batch a process creates the people and columns the batch names in a short
  transaction of its own (:meth:`LookupCache.prepare`), so the processes never wait for
  nor deadlock on each other's uncommitted names; at the end, those that no page ended up
  using (their page failed) are removed again.
- A worker dies with the importing process (``PR_SET_PDEATHSIG``): ``kill -9`` of the
  import stops every worker; each loses at most its batch in flight, none leaves a page
  half written or an article unindexed, and running the import again completes it.
- A worker that dies on its own: the pages it had not reported are failed
  (``not imported``), the others go on.

SQLite has one writer at a time: there ``--jobs`` is refused by the command.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import queue as queue_module
import signal
from collections.abc import Callable, Sequence

from django.db import connections

from .loader import LookupCache, PageOutcome, PageResult
from .plan import PageSpec

PR_SET_PDEATHSIG = 1


def deal_by_issue(specs: Sequence[PageSpec], jobs: int) -> list[list[PageSpec]]:
    """The pages in ``jobs`` shares, whole issues each, issue dates dealt out in turn."""
    dates = sorted({s.issue_date for s in specs})
    owner = {date: n % jobs for n, date in enumerate(dates)}
    shares: list[list[PageSpec]] = [[] for _ in range(jobs)]
    for spec in specs:
        shares[owner[spec.issue_date]].append(spec)
    return [share for share in shares if share]


def load_on_processes(
    specs: Sequence[PageSpec],
    settings,
    on_batch: Callable[[list[PageResult]], None],
    *,
    jobs: int,
    should_stop: Callable[[], bool],
) -> None:
    """Load ``specs`` on ``jobs`` forked processes; ``on_batch`` gets each committed batch."""
    shares = deal_by_issue(specs, jobs)
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    stop = context.Event()
    connections.close_all()  # each fork opens its own connection, never the parent's
    workers = [
        context.Process(target=_work, args=(n, share, settings, results, stop), daemon=True)
        for n, share in enumerate(shares)
    ]
    for worker in workers:
        worker.start()
    reported: set[str] = set()
    created: set[int] = set()
    running = len(workers)
    while running:
        try:
            kind, _job, payload = results.get(timeout=0.5)
        except queue_module.Empty:
            if not any(w.is_alive() for w in workers) and results.empty():
                break
            continue
        if kind == "batch":
            reported.update(str(r.spec.path) for r in payload)
            on_batch(payload)
            if should_stop():
                stop.set()
        else:  # "done": the people this worker created
            created |= payload
            running -= 1
    for worker in workers:
        worker.join()
    lost = [
        PageResult(s, PageOutcome.FAILED, error=f"not imported (import process {n + 1} exited early)")
        for n, share in enumerate(shares)
        for s in share
        if str(s.path) not in reported and not stop.is_set()
    ]
    if lost:
        on_batch(lost)
    _remove_unused_people(created)


_INHERITED: list = []  # connections a fork inherited: never used, never closed (that would end the parent's)


def _forget_inherited_connections() -> None:
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _INHERITED.append(conn.connection)
            conn.connection = None
        conn.in_atomic_block = False
        conn.savepoint_ids = []
        conn.needs_rollback = False
        conn.closed_in_transaction = False


def _work(n: int, specs: list[PageSpec], settings, results, stop) -> None:
    with contextlib.suppress(OSError):  # die with the importing process
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    _forget_inherited_connections()
    from .runs import load_in_batches

    cache = LookupCache()
    try:
        load_in_batches(
            specs,
            settings,
            lambda batch: results.put(("batch", n, batch)),
            should_stop=stop.is_set,
            cache=cache,
            prepare=True,
        )
    finally:
        results.put(("done", n, set(cache.created_people)))
        connections.close_all()


def _remove_unused_people(ids: set[int]) -> None:
    """People created before a batch whose pages then failed: not left behind."""
    if not ids:
        return
    from articles.models import Person

    Person.objects.filter(pk__in=ids, bylines__isnull=True, photo_credits__isnull=True).delete()
