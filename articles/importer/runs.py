"""One import run: read the planned page files, load each, record it all as an ImportRun.

Anything can start an import — the ``import_pages`` command, a test, a later upload
form — with :func:`import_pages`::

    plan = make_plan([Path("seeds")], Placement())
    run = import_pages(plan.specs, ImportSettings(publish=True), planned_errors=plan.errors)
    run.result, run.counts, run.errors

Pages are loaded several to a transaction (``NEWSROOM_IMPORT_BATCH_PAGES``, at most
about :data:`BATCH_SECONDS`), each page in a savepoint of its own
(:func:`articles.importer.loader.load_page`): a page that fails is rolled back alone and
reported on one line (file and problem) while the other pages go on, unless
``fail_fast``. A page becomes visible — and searchable, the index being written in the
same transaction by the change path — when its batch commits; a killed import loses at
most the batch in flight, which the next run imports. The ImportRun row is written
before the first page and completed at the end, also when the run is interrupted.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import os
import socket
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass

from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone

from articles.models import ImportRun, Page
from articles.parsing import PageDecodeError, decode_page, parse_page

from .fit import limit
from .loader import LookupCache, NewPage, PageOutcome, PageRefused, PageResult, load_new_pages, load_page
from .plan import PageSpec

COUNT_KEYS = ("articles", "photos", "bylines", "warnings")


@dataclass(frozen=True)
class ImportSettings:
    """What an import may do (recorded in ImportRun.options)."""

    publish: bool = False
    replace: bool = False
    fail_fast: bool = False
    allow_duplicate: bool = False


def read_page(spec: PageSpec) -> tuple[bytes, str]:
    """The file's bytes and its text; an unreadable or undecodable file is a PageDecodeError.

    Only a regular file is read, never through a symbolic link (planning refuses links
    already; this holds if one appears in between), and never more than
    ``NEWSROOM_IMPORT_MAX_FILE_BYTES``: a larger file is refused before it is read.
    """
    most = limit("FILE_BYTES")
    try:
        fd = os.open(spec.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise PageDecodeError("symbolic link; not followed") from exc
        raise PageDecodeError(f"cannot read the file ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise PageDecodeError("not a regular file; not imported")
        data = f.read(most + 1) if info.st_size <= most else b""
        size = max(info.st_size, len(data))
    if size > most:
        raise PageDecodeError(
            f"file is {size:,} bytes, more than NEWSROOM_IMPORT_MAX_FILE_BYTES ({most:,}); "
            "not read (is it one page?)"
        )
    return data, decode_page(data)


@dataclass
class ReadPage:
    """A page file read and parsed (no database): what loading it needs, or why it cannot."""

    spec: PageSpec
    data: bytes = b""
    text: str = ""
    parsed: object = None
    error: str = ""


def read_and_parse(spec: PageSpec) -> ReadPage:
    try:
        data, text = read_page(spec)
        return ReadPage(spec, data, text, parse_page(text))
    except PageDecodeError as exc:
        return ReadPage(spec, error=str(exc))
    except Exception as exc:  # a parser failure is this file's problem only
        return ReadPage(spec, error=f"not imported ({type(exc).__name__}: {exc})")


def load_read_page(page: ReadPage, settings: ImportSettings, cache: LookupCache) -> PageResult:
    """Load one read page in its own transaction (a savepoint inside a batch)."""
    if page.error:
        return PageResult(page.spec, PageOutcome.FAILED, error=page.error)
    try:
        return load_page(
            page.spec,
            page.data,
            page.text,
            page.parsed,
            publish=settings.publish,
            replace=settings.replace,
            allow_duplicate=settings.allow_duplicate,
            cache=cache,
        )
    except PageRefused as exc:
        return PageResult(page.spec, PageOutcome.FAILED, error=str(exc))
    except Exception as exc:  # one bad page must not stop the others; it is rolled back
        return PageResult(page.spec, PageOutcome.FAILED, error=f"not imported ({type(exc).__name__}: {exc})")


def import_page(spec: PageSpec, settings: ImportSettings, cache: LookupCache | None = None) -> PageResult:
    """Read, parse and load one page file; any failure is a FAILED result (nothing written)."""
    return load_read_page(read_and_parse(spec), settings, cache or LookupCache())


#: Pages per transaction: ``NEWSROOM_IMPORT_BATCH_PAGES``. Each page is its own savepoint
#: (a bad page still fails alone), but the index work, the page-cache bump and the commit
#: are paid once per batch; a batch also ends once reading and parsing it took
#: BATCH_SECONDS, so its transaction (which writes it in about as long) never holds the
#: write lock long enough to keep other writers (on SQLite: everyone) waiting for long.
BATCH_SECONDS = 0.5


def load_in_batches(
    specs: Sequence[PageSpec],
    settings: ImportSettings,
    on_batch: Callable[[list[PageResult]], None],
    *,
    should_stop: Callable[[], bool] = lambda: False,
    cache: LookupCache | None = None,
    prepare: bool = False,
) -> None:
    """Read, parse and load the pages, several per transaction; ``on_batch(results)`` after
    each commit (the results of pages that are now visible, or failed).

    A batch's pages are read and parsed before its transaction starts. With ``prepare``
    (parallel jobs), the people and columns they name are created first in a short
    transaction of their own, so the jobs never wait for nor deadlock on each other's
    uncommitted names (see :meth:`LookupCache.prepare`). A batch whose commit fails is
    loaded again one page per transaction, so the page at fault fails alone.
    """
    cache = cache or LookupCache()
    most = max(1, int(getattr(django_settings, "NEWSROOM_IMPORT_BATCH_PAGES", 200)))
    i = 0
    with import_connection():
        while i < len(specs) and not should_stop():
            batch: list[ReadPage] = []
            started = time.monotonic()
            while i < len(specs) and len(batch) < most and time.monotonic() - started < BATCH_SECONDS:
                batch.append(read_and_parse(specs[i]))
                i += 1
            if prepare:
                cache.prepare([p.parsed for p in batch if not p.error])
            on_batch(_load_batch(batch, settings, cache))


#: SQLite page cache while importing (KiB): a batch's transaction changes some tens of MB of
#: pages (rows, indexes, the FTS5 segment); with the default 2 MB cache SQLite spills
#: them to the WAL before the commit and reads them back.
IMPORT_CACHE_KIB = 64 * 1024


@contextlib.contextmanager
def import_connection():
    """The connection set up for importing batches, as it was afterwards.

    SQLite: a larger page cache (:data:`IMPORT_CACHE_KIB`). PostgreSQL: nothing here (each
    batch's transaction sets ``synchronous_commit`` itself, see :func:`_load_batch`).
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(IMPORT_CACHE_KIB)}")
    try:
        yield
    finally:
        if connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _load_batch(batch: list[ReadPage], settings: ImportSettings, cache: LookupCache) -> list[PageResult]:
    results: list[PageResult] = []
    own_transaction = not connection.in_atomic_block
    try:
        with transaction.atomic():
            if own_transaction and connection.vendor == "postgresql":
                _no_commit_wait()
            for group in _groups(batch, cache if len(batch) > 1 else None):
                if isinstance(group, ReadPage):
                    results.append(load_read_page(group, settings, cache))
                else:
                    results.extend(_load_new(group, settings, cache))
                if results and results[-1].outcome == PageOutcome.FAILED and settings.fail_fast:
                    break
    except Exception as exc:
        cache.forget()
        if len(batch) == 1:
            error = f"not imported ({type(exc).__name__}: {exc})"
            return [PageResult(batch[0].spec, PageOutcome.FAILED, error=error)]
        return [r for page in batch for r in _load_batch([page], settings, cache)]
    return results


def _no_commit_wait() -> None:
    """PostgreSQL: this batch's commit returns without waiting for its WAL to reach the disk
    (``synchronous_commit = off`` for this transaction only).

    What it risks: if the *server* crashes or loses power within about 0.6 s (three times
    ``wal_writer_delay``) after the commit, the batch is lost as a whole although the
    import counted it — never half of it, never a page without its index rows (the
    transaction is replayed whole or not at all), and running the import again imports it.
    A killed or crashed import process loses nothing it was told had committed: the server
    has it. Other transactions (editors' saves) keep waiting for the disk as configured.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")


def _groups(batch: list[ReadPage], cache: LookupCache | None):
    """The batch in order: runs of pages not in the database yet (lists, written together by
    :func:`load_new_pages`) and single pages (re-imports, unreadable files: one by one).
    Without ``cache`` (a batch retried one page per transaction) every page is single."""
    if cache is None:
        yield from batch
        return
    readable = [p for p in batch if not p.error]
    dates = {p.spec.issue_date for p in readable}
    existing = set(
        Page.objects.filter(issue__date__in=dates).values_list("issue__date", "number")
    ) if dates else set()  # fmt: skip
    run: list[ReadPage] = []
    for page in batch:
        if not page.error and (page.spec.issue_date, page.spec.page_number) not in existing:
            run.append(page)
            continue
        if run:
            yield run
            run = []
        yield page
    if run:
        yield run


def _load_new(pages: list[ReadPage], settings: ImportSettings, cache: LookupCache) -> list[PageResult]:
    """New pages, written together; if the database refuses them, one by one as any page."""
    try:
        return load_new_pages(
            [NewPage(p.spec, p.data, p.text, p.parsed) for p in pages],
            publish=settings.publish,
            allow_duplicate=settings.allow_duplicate,
            fail_fast=settings.fail_fast,
            cache=cache,
        )
    except Exception:  # rolled back (its savepoint): each page again on its own shows which fails
        cache.forget()
        results = []
        for page in pages:
            results.append(load_read_page(page, settings, cache))
            if results[-1].outcome == PageOutcome.FAILED and settings.fail_fast:
                break
        return results


def import_pages(
    specs: Sequence[PageSpec],
    settings: ImportSettings = ImportSettings(),
    *,
    planned_errors: Iterable[object] = (),
    options: dict | None = None,
    on_result: Callable[[int, int, PageResult], None] | None = None,
    jobs: int = 1,
) -> ImportRun:
    """Import the pages and return the completed ImportRun.

    ``planned_errors`` are the problems found while planning (bad manifest entries …),
    recorded as failed files; ``options`` is extra to record (the paths given);
    ``on_result(n, total, result)`` is called after each page is committed (progress
    output). ``jobs`` > 1 loads on that many processes (PostgreSQL; see :mod:`.jobs`).
    """
    mark_interrupted_runs()
    errors = [str(e) for e in planned_errors]
    failed_files = [
        {"file": e.split(": ", 1)[0], "status": PageOutcome.FAILED.value, "error": e} for e in errors
    ]
    run = ImportRun.objects.create(
        options=asdict(settings) | (options or {}) | ({"jobs": jobs} if jobs > 1 else {}),
        files=failed_files,
        errors=list(errors),
        host=socket.gethostname(),
        pid=os.getpid(),
    )
    results: list[PageResult] = []
    stopped = []

    def take(batch: list[PageResult]) -> None:
        for result in batch:
            results.append(result)
            if result.outcome == PageOutcome.FAILED:
                errors.append(f"{result.spec.path}: {result.error}")
            if on_result is not None:
                on_result(len(results), len(specs), result)
            if result.outcome == PageOutcome.FAILED and settings.fail_fast:
                stopped.append(result)

    try:
        # Forked jobs need a connection of their own each: not possible inside an open
        # transaction (then the pages are loaded here, in it).
        if jobs > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
            from .jobs import load_on_processes

            load_on_processes(specs, settings, take, jobs=jobs, should_stop=lambda: bool(stopped))
        else:
            load_in_batches(specs, settings, take, should_stop=lambda: bool(stopped))
    finally:
        _finish(run, failed_files, results, errors)
    if any(r.outcome in (PageOutcome.CREATED, PageOutcome.UPDATED) for r in results):
        refresh_planner_statistics()
    return run


def _finish(run: ImportRun, failed_files, results: list[PageResult], errors: list[str]) -> None:
    run.finished_at = timezone.now()
    run.files = failed_files + [r.as_dict() for r in results]
    run.counts = count_results(results, errors)
    run.errors = list(errors)
    written = any(r.outcome != PageOutcome.FAILED for r in results)
    if not errors:
        run.status = ImportRun.Result.SUCCEEDED
    else:
        run.status = ImportRun.Result.PARTIAL if written else ImportRun.Result.FAILED
    run.save()


def count_results(results: list[PageResult], errors: list[str]) -> dict:
    counts = {"pages": len([r for r in results if r.outcome != PageOutcome.FAILED])}
    for outcome in (PageOutcome.CREATED, PageOutcome.UPDATED, PageOutcome.UNCHANGED):
        counts[outcome.value] = sum(1 for r in results if r.outcome == outcome)
    counts["failed"] = len(errors)
    counts["kept"] = sum(len(r.kept) for r in results)
    for key in COUNT_KEYS:
        counts[key] = sum(getattr(r, key) for r in results)
    return counts


def mark_interrupted_runs() -> int:
    """Mark runs left "running" by a killed import as interrupted (中断); return how many.

    A run is interrupted when its process is gone (same machine, pid no longer alive) or
    it started more than ``NEWSROOM_IMPORT_RUN_TIMEOUT`` ago (any machine). The next
    import and the admin's list of runs call this, so no run stays "running" for ever.
    """
    now = timezone.now()
    timeout = getattr(django_settings, "NEWSROOM_IMPORT_RUN_TIMEOUT", datetime.timedelta(hours=24))
    here = socket.gethostname()
    marked = 0
    running = ImportRun.objects.filter(status=ImportRun.Result.RUNNING)
    for run in running.exclude(host=here, pid=os.getpid()):
        gone = bool(run.host == here and run.pid and not _alive(run.pid))
        if not gone and run.started_at > now - timeout:
            continue
        why = f"进程 {run.pid} 已不在" if gone else f"超过 {timeout} 仍未结束"
        run.status = ImportRun.Result.INTERRUPTED
        run.finished_at = now
        run.errors = [*run.errors, f"中断：{why}（导入被终止；已写入的版面完整，其余未导入）"]
        run.save(update_fields=["status", "finished_at", "errors"])
        marked += 1
    return marked


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def refresh_planner_statistics() -> None:
    """Let SQLite's query planner see the new row counts.

    Without statistics SQLite guesses, and at archive sizes it picks the status index
    for lookups by page or issue and reads the whole article table. PostgreSQL's
    autovacuum keeps its own statistics.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
