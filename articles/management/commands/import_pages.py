"""
Import OCR'd page files into issues, pages, articles, photos and bylines.

Usage::

    manage.py import_pages                      # every page file in seeds/ (with seeds/manifest.toml)
    manage.py import_pages archive/2020-10/     # a folder with its manifest.toml
    manage.py import_pages page.txt --date 2020-10-23 --page 3 --page-name 工会新闻
    manage.py import_pages --dry-run --format json seeds/   # parse only, print the page-JSON

Each file is one printed page; its issue date and page number come from the folder's
``manifest.toml`` or, for a single file, from ``--date``/``--page``. Each page is
written in its own transaction: a bad file is reported on one line (file and
problem), nothing of it is written, and the other files are still imported unless
``--fail-fast`` is given. Imported articles are drafts unless ``--publish``.
Re-importing an unchanged file changes nothing; a changed file re-parses its page but
keeps every article an editor has changed (``--replace`` overwrites them too).
Every run that writes is recorded as an ImportRun.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from articles.importer.loader import LookupCache, PageResult, Status, load_page
from articles.importer.plan import PageSpec, Placement, UsageError, make_plan
from articles.models import ImportRun
from articles.parsing import PageDecodeError, ParsedPage, decode_page, parse_page

COUNT_KEYS = ("articles", "photos", "bylines", "warnings")
RECORDED_OPTIONS = ("publish", "replace", "fail_fast", "date", "page", "page_name", "issue_number")


class Command(BaseCommand):
    help = (
        "Import OCR'd page files (one plain-text file per printed page) into issues, pages, "
        "articles, photos and bylines. With no path, imports seeds/."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="page files or folders (default: seeds/)")
        parser.add_argument("--date", help="issue date YYYY-MM-DD of the single file given")
        parser.add_argument("--page", type=int, help="printed page number of the single file given")
        parser.add_argument("--page-name", help="page name (版名) of the single file given")
        parser.add_argument("--issue-number", type=int, help="issue number (期号) of the single file given")
        parser.add_argument("--publish", action="store_true", help="publish imported articles at once")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="re-parse even unchanged files and overwrite articles editors have changed",
        )
        parser.add_argument("--dry-run", action="store_true", help="parse only; write nothing")
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="with --dry-run: 'json' prints the parsed pages as page-JSON",
        )
        parser.add_argument("--fail-fast", action="store_true", help="stop at the first bad file")

    def handle(self, *args, **options):
        if options["format"] == "json" and not options["dry_run"]:
            raise CommandError("--format json goes with --dry-run (a real import reports in text)")
        paths = options["paths"] or [Path(settings.BASE_DIR) / "seeds"]
        placement = Placement(
            date=options["date"],
            page=options["page"],
            page_name=options["page_name"],
            issue_number=options["issue_number"],
        )
        try:
            plan = make_plan(paths, placement)
        except UsageError as exc:
            raise CommandError(str(exc)) from exc
        if not plan.specs and not plan.errors:
            raise CommandError(f"no page files (*.txt) found in {', '.join(map(str, paths))}")

        self.verbosity = options["verbosity"]
        errors = [str(e) for e in plan.errors]
        for line in errors:
            self.stderr.write(line)
        if errors and options["fail_fast"]:
            raise CommandError(f"stopped at the first bad file ({len(errors)} error(s) above)")

        if options["dry_run"]:
            self._dry_run(plan.specs, errors, options)
        else:
            self._import(plan.specs, errors, options)

    # -- dry run ---------------------------------------------------------------------------

    def _dry_run(self, specs: list[PageSpec], errors: list[str], options) -> None:
        pages = []
        for spec in specs:
            try:
                parsed = parse_page(_read(spec)[1])
            except PageDecodeError as exc:
                self._fail(f"{spec.path}: {exc}", errors, options)
                continue
            pages.append((spec, parsed))
            if options["format"] == "text":
                self._say(_describe(spec, parsed), 1)
        if options["format"] == "json":
            doc = {"pages": [_page_json(spec, parsed) for spec, parsed in pages]}
            self.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1))
        else:
            self._say(f"Dry run: {len(pages)} page(s) parsed, nothing written.", 1)
        if errors:
            raise CommandError(f"{len(errors)} file(s) failed; see the lines above")

    # -- import ----------------------------------------------------------------------------

    def _import(self, specs: list[PageSpec], errors: list[str], options) -> None:
        failed_files = [{"file": e.split(": ", 1)[0], "status": Status.FAILED, "error": e} for e in errors]
        run = ImportRun.objects.create(
            options={k: options[k] for k in RECORDED_OPTIONS} | {"paths": [str(p) for p in options["paths"]]},
            files=failed_files,
            errors=list(errors),
        )
        cache = LookupCache()
        results: list[PageResult] = []
        total = len(specs)
        try:
            for n, spec in enumerate(specs, start=1):
                result = self._import_one(spec, options, cache)
                results.append(result)
                self._say(f"[{n}/{total}] {_progress(result)}", 2 if total > 20 and n % 50 else 1)
                if result.status == Status.FAILED:
                    line = f"{spec.path}: {result.error}"
                    errors.append(line)
                    self.stderr.write(line)
                    if options["fail_fast"]:
                        break
        finally:
            self._finish(run, failed_files, results, errors)
        if any(r.status in (Status.CREATED, Status.UPDATED) for r in results):
            refresh_planner_statistics()
        self._say(_summary(results, errors), 1)
        if errors:
            stop = " (stopped at the first bad file: --fail-fast)" if options["fail_fast"] else ""
            raise CommandError(
                f"{len(errors)} file(s) failed{stop}; see the lines above (ImportRun #{run.pk})"
            )

    def _import_one(self, spec: PageSpec, options, cache: LookupCache) -> PageResult:
        try:
            data, text = _read(spec)
            parsed = parse_page(text)
            return load_page(
                spec, data, text, parsed, publish=options["publish"], replace=options["replace"], cache=cache
            )
        except PageDecodeError as exc:
            return PageResult(spec, Status.FAILED, error=str(exc))
        except Exception as exc:  # one bad page must not stop the others; it is rolled back
            return PageResult(spec, Status.FAILED, error=f"not imported ({type(exc).__name__}: {exc})")

    def _finish(self, run: ImportRun, failed_files, results: list[PageResult], errors: list[str]) -> None:
        run.finished_at = timezone.now()
        run.files = failed_files + [r.as_dict() for r in results]
        run.counts = _counts(results, errors)
        run.errors = list(errors)
        written = any(r.status != Status.FAILED for r in results)
        if not errors:
            run.status = ImportRun.Status.SUCCEEDED
        else:
            run.status = ImportRun.Status.PARTIAL if written else ImportRun.Status.FAILED
        run.save()

    # -- output ----------------------------------------------------------------------------

    def _fail(self, line: str, errors: list[str], options) -> None:
        errors.append(line)
        self.stderr.write(line)
        if options["fail_fast"]:
            raise CommandError("stopped at the first bad file (--fail-fast)")

    def _say(self, line: str, level: int) -> None:
        if self.verbosity >= level:
            self.stdout.write(line)


def refresh_planner_statistics() -> None:
    """Let SQLite's query planner see the new row counts.

    Without statistics SQLite guesses, and at archive sizes it picks the status index
    for lookups by page or issue and reads the whole article table. PostgreSQL's
    autovacuum keeps its own statistics.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _read(spec: PageSpec) -> tuple[bytes, str]:
    """The file's bytes and its text; an unreadable or undecodable file is a PageDecodeError."""
    try:
        data = spec.path.read_bytes()
    except OSError as exc:
        raise PageDecodeError(f"cannot read the file ({exc.strerror or exc})") from exc
    return data, decode_page(data)


def _page_json(spec: PageSpec, parsed: ParsedPage) -> dict:
    return {
        "source": spec.name,
        "issue_date": spec.issue_date.isoformat(),
        "date_estimated": spec.date_estimated,
        "page_number": spec.page_number,
        "page_name": spec.page_name,
        "articles": [a.to_dict() for a in parsed.articles],
        "photos": [p.to_dict() for p in parsed.photos],
        "warnings": list(parsed.warnings),
    }


def _describe(spec: PageSpec, parsed: ParsedPage) -> str:
    review = sum(1 for a in parsed.articles if a.needs_review)
    return (
        f"{spec.name}: {spec.issue_date} page {spec.page_number}: {len(parsed.articles)} articles "
        f"({review} to review), {len(parsed.photos)} photos"
    )


def _progress(r: PageResult) -> str:
    if r.status == Status.FAILED:
        return f"{r.spec.name}: failed"
    if r.status == Status.UNCHANGED:
        return f"{r.spec.name}: unchanged"
    kept = f", kept {len(r.kept)} edited: {'、'.join(r.kept)}" if r.kept else ""
    return (
        f"{r.spec.name}: {r.status} {r.spec.issue_date} page {r.spec.page_number}, "
        f"{r.articles} articles, {r.photos} photos, {r.bylines} bylines, {r.warnings} warnings{kept}"
    )


def _counts(results: list[PageResult], errors: list[str]) -> dict:
    counts = {"pages": len([r for r in results if r.status != Status.FAILED])}
    for status in (Status.CREATED, Status.UPDATED, Status.UNCHANGED):
        counts[status] = sum(1 for r in results if r.status == status)
    counts["failed"] = len(errors)
    counts["kept"] = sum(len(r.kept) for r in results)
    for key in COUNT_KEYS:
        counts[key] = sum(getattr(r, key) for r in results)
    return counts


def _summary(results: list[PageResult], errors: list[str]) -> str:
    c = _counts(results, errors)
    return (
        f"Imported {c['pages']} page(s): {c['created']} created, {c['updated']} updated, "
        f"{c['unchanged']} unchanged, {c['failed']} failed; {c['articles']} articles, "
        f"{c['photos']} photos, {c['bylines']} bylines, {c['warnings']} warnings; "
        f"{c['kept']} edited item(s) kept."
    )
