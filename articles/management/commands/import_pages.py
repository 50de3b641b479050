"""
Import OCR'd page files into issues, pages, articles, photos and bylines.

Usage::

    manage.py import_pages                      # every page file in seeds/ (with seeds/manifest.toml)
    manage.py import_pages archive/2020-10/     # a folder with its manifest.toml
    manage.py import_pages page.txt --date 2020-10-23 --page 3 --page-name 工会新闻
    manage.py import_pages --dry-run --format json seeds/   # parse only, print the page-JSON
    manage.py import_pages --jobs 2 archive/    # two processes at once (PostgreSQL)

Each file is one printed page; its issue date and page number come from the folder's
``manifest.toml`` or, for a single file, from ``--date``/``--page``. Each page is
written whole or not at all (a savepoint of its own; pages are committed in batches, and
searchable as soon as they are visible): a bad file is reported on one line (file and
problem), nothing of it is written, and the other files are still imported unless
``--fail-fast`` is given. ``--jobs N`` loads on N processes, whole issues each
(PostgreSQL; SQLite has one writer at a time and refuses it). Imported articles are
drafts unless ``--publish``.
Re-importing an unchanged file changes nothing; a changed file re-parses its page but
keeps every article an editor has changed (``--replace`` overwrites them too).
Every run that writes is recorded as an ImportRun; the run itself is
:func:`articles.importer.runs.import_pages` (this command is its shell). A file with the
same content as another page of its issue is refused unless ``--allow-duplicate``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.importer.loader import PageOutcome, PageResult
from articles.importer.plan import PageSpec, Placement, UsageError, make_plan
from articles.importer.runs import ImportSettings, import_pages, read_page
from articles.parsing import PageDecodeError, ParsedPage, parse_page

RECORDED_OPTIONS = ("date", "page", "page_name", "issue_number")


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
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish the imported articles that need no review (flagged ones stay drafts for review)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="re-parse even unchanged files and overwrite articles editors have changed",
        )
        parser.add_argument(
            "--allow-duplicate",
            action="store_true",
            help="import a file even if another page of its issue has the same content",
        )
        parser.add_argument("--dry-run", action="store_true", help="parse only; write nothing")
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="with --dry-run: 'json' prints the parsed pages as page-JSON",
        )
        parser.add_argument("--fail-fast", action="store_true", help="stop at the first bad file")
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="load on N processes at once, whole issues each (PostgreSQL only; default 1)",
        )

    def handle(self, *args, **options):
        if options["format"] == "json" and not options["dry_run"]:
            raise CommandError("--format json goes with --dry-run (a real import reports in text)")
        if options["jobs"] < 1:
            raise CommandError(f"--jobs must be at least 1 (got {options['jobs']})")
        if options["jobs"] > 1 and connection.vendor != "postgresql":
            raise CommandError(
                f"--jobs needs PostgreSQL: {connection.vendor} has one writer at a time "
                "(a single import already writes many pages per transaction)"
            )
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
                parsed = parse_page(read_page(spec)[1])
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
        import_settings = ImportSettings(
            publish=options["publish"],
            replace=options["replace"],
            fail_fast=options["fail_fast"],
            allow_duplicate=options["allow_duplicate"],
        )
        recorded = {k: options[k] for k in RECORDED_OPTIONS} | {"paths": [str(p) for p in options["paths"]]}
        results: list[PageResult] = []

        def report(n: int, total: int, result: PageResult) -> None:
            results.append(result)
            self._say(f"[{n}/{total}] {_progress(result)}", 2 if total > 20 and n % 50 else 1)
            if result.outcome == PageOutcome.FAILED:
                self.stderr.write(f"{result.spec.path}: {result.error}")

        run = import_pages(
            specs,
            import_settings,
            planned_errors=errors,
            options=recorded,
            on_result=report,
            jobs=options["jobs"],
        )
        self._say(_summary(run.counts), 1)
        if run.errors:
            stop = " (stopped at the first bad file: --fail-fast)" if options["fail_fast"] else ""
            raise CommandError(
                f"{len(run.errors)} file(s) failed{stop}; see the lines above (ImportRun #{run.pk})"
            )

    # -- output ----------------------------------------------------------------------------

    def _fail(self, line: str, errors: list[str], options) -> None:
        errors.append(line)
        self.stderr.write(line)
        if options["fail_fast"]:
            raise CommandError("stopped at the first bad file (--fail-fast)")

    def _say(self, line: str, level: int) -> None:
        if self.verbosity >= level:
            self.stdout.write(line)


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
    if r.outcome == PageOutcome.FAILED:
        return f"{r.spec.name}: failed"
    if r.outcome == PageOutcome.UNCHANGED:
        return f"{r.spec.name}: unchanged"
    kept = f", kept {len(r.kept)} edited: {'、'.join(r.kept)}" if r.kept else ""
    return (
        f"{r.spec.name}: {r.outcome.value} {r.spec.issue_date} page {r.spec.page_number}, "
        f"{r.articles} articles, {r.photos} photos, {r.bylines} bylines, {r.warnings} warnings{kept}"
    )


def _summary(c: dict) -> str:
    return (
        f"Imported {c['pages']} page(s): {c['created']} created, {c['updated']} updated, "
        f"{c['unchanged']} unchanged, {c['failed']} failed; {c['articles']} articles, "
        f"{c['photos']} photos, {c['bylines']} bylines, {c['warnings']} warnings; "
        f"{c['kept']} edited item(s) kept."
    )
