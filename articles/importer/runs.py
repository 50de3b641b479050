"""One import run: read the planned page files, load each, record it all as an ImportRun.

Anything can start an import — the ``import_pages`` command, a test, a later upload
form — with :func:`import_pages`::

    plan = make_plan([Path("seeds")], Placement())
    run = import_pages(plan.specs, ImportSettings(publish=True), planned_errors=plan.errors)
    run.result, run.counts, run.errors

Each page is loaded in its own transaction (:func:`articles.importer.loader.load_page`);
a page that fails is rolled back and reported on one line (file and problem) while the
other pages go on, unless ``fail_fast``. The ImportRun row is written before the first
page and completed at the end, also when the run is interrupted.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass

from django.db import connection
from django.utils import timezone

from articles.models import ImportRun
from articles.parsing import PageDecodeError, decode_page, parse_page

from .fit import limit
from .loader import LookupCache, PageOutcome, PageRefused, PageResult, load_page
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


def import_page(spec: PageSpec, settings: ImportSettings, cache: LookupCache | None = None) -> PageResult:
    """Read, parse and load one page file; any failure is a FAILED result (nothing written)."""
    try:
        data, text = read_page(spec)
        parsed = parse_page(text)
        return load_page(
            spec,
            data,
            text,
            parsed,
            publish=settings.publish,
            replace=settings.replace,
            allow_duplicate=settings.allow_duplicate,
            cache=cache,
        )
    except (PageDecodeError, PageRefused) as exc:
        return PageResult(spec, PageOutcome.FAILED, error=str(exc))
    except Exception as exc:  # one bad page must not stop the others; it is rolled back
        return PageResult(spec, PageOutcome.FAILED, error=f"not imported ({type(exc).__name__}: {exc})")


def import_pages(
    specs: Sequence[PageSpec],
    settings: ImportSettings = ImportSettings(),
    *,
    planned_errors: Iterable[object] = (),
    options: dict | None = None,
    on_result: Callable[[int, int, PageResult], None] | None = None,
) -> ImportRun:
    """Import the pages and return the completed ImportRun.

    ``planned_errors`` are the problems found while planning (bad manifest entries …),
    recorded as failed files; ``options`` is extra to record (the paths given);
    ``on_result(n, total, result)`` is called after each page (progress output).
    """
    errors = [str(e) for e in planned_errors]
    failed_files = [
        {"file": e.split(": ", 1)[0], "status": PageOutcome.FAILED.value, "error": e} for e in errors
    ]
    run = ImportRun.objects.create(
        options=asdict(settings) | (options or {}), files=failed_files, errors=list(errors)
    )
    cache = LookupCache()
    results: list[PageResult] = []
    try:
        for n, spec in enumerate(specs, start=1):
            result = import_page(spec, settings, cache)
            results.append(result)
            if result.outcome == PageOutcome.FAILED:
                errors.append(f"{spec.path}: {result.error}")
            if on_result is not None:
                on_result(n, len(specs), result)
            if result.outcome == PageOutcome.FAILED and settings.fail_fast:
                break
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


def refresh_planner_statistics() -> None:
    """Let SQLite's query planner see the new row counts.

    Without statistics SQLite guesses, and at archive sizes it picks the status index
    for lookups by page or issue and reads the whole article table. PostgreSQL's
    autovacuum keeps its own statistics.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
