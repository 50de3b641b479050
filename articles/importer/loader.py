"""Write parsed pages to the database: one page per transaction.

``load_page`` takes a :class:`~articles.importer.plan.PageSpec`, the file's bytes and
its :class:`~articles.parsing.ParsedPage` and makes the database hold exactly that
page, with three rules:

- an unchanged file (same SHA-256 as the stored source) changes nothing;
- a changed file replaces the page's articles and photos, except articles an editor
  has changed (``Article.edited``) and photos with an uploaded image: those keep
  their place, and the re-parsed item at that place is not created (reported as kept);
- ``replace=True`` forces a re-parse of an unchanged file and overwrites editors' work.

``publish=True`` publishes the articles that need no review; an article the parser
flagged (warnings, ``needs_review``) stays a draft in the review queue.

Concurrent imports are safe: the page row is locked (``select_for_update``) before
anything on it is read or written, and the unique constraints on issue date and page
number turn a race into a retry instead of a duplicate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from articles.changes import provide_documents, record, record_created
from articles.editing import keep_first_revision, record_edit
from articles.models import (
    Address,
    Article,
    Byline,
    Column,
    Issue,
    Page,
    PageSource,
    Person,
    Photo,
    PhotoCredit,
    Role,
    dated_path,
    issue_datetime,
)
from articles.parsing import ParsedArticle, ParsedPage, ParsedPhoto
from articles.parsing.text import utf16_codec
from articles.search import document

from .bulk import NewRows, allocate_ids
from .fit import FieldError, check_fields, check_values, fit_article, fit_photo, limit
from .plan import PageSpec

ROLE_VALUES = set(Role.values)
TITLE_MAX = Article._meta.get_field("title").max_length
HEAD_FIELDS = ("kicker", "title", "subtitle")
DOCUMENT_FIELDS = (*HEAD_FIELDS, "body", "editor_note", "reading_tip")  # search.document's, in order


class PageOutcome(models.TextChoices):
    """What importing one file did to its page (ImportRun.files[].status)."""

    CREATED = "created", "新建"
    UPDATED = "updated", "更新"
    UNCHANGED = "unchanged", "未变"
    FAILED = "failed", "失败"


class PageRefused(Exception):
    """The file is not imported, for a reason the message gives (one line)."""


@dataclass
class PageResult:
    """What importing one file did."""

    spec: PageSpec
    outcome: PageOutcome
    articles: int = 0
    photos: int = 0
    bylines: int = 0
    warnings: int = 0
    kept: list[str] = field(default_factory=list)
    linked: int = 0
    error: str = ""

    def as_dict(self) -> dict:
        return {
            "file": self.spec.name,
            "issue_date": self.spec.issue_date.isoformat(),
            "page": self.spec.page_number,
            "status": self.outcome.value,
            "articles": self.articles,
            "photos": self.photos,
            "bylines": self.bylines,
            "warnings": self.warnings,
            "kept": self.kept,
            "error": self.error,
        }


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_encoding(data: bytes) -> str:
    """The encoding the file was stored in, for the record."""
    codec = utf16_codec(data)  # a file that decoded (as it did to get here) with NULs is UTF-16
    if codec is not None:
        return codec
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


class LookupCache:
    """Issue, person and column ids, so a long import does not look them up page after page."""

    def __init__(self) -> None:
        self.issues: dict = {}
        self.people: dict[tuple[str, str], int] = {}
        self.columns: dict[str, int] = {}
        self.created_people: set[int] = set()  # by prepare(): removed at the end if unused

    def issue_id(self, spec: PageSpec) -> int:
        if spec.issue_date not in self.issues:
            issue, created = Issue.objects.get_or_create(
                date=spec.issue_date,
                defaults={"date_estimated": spec.date_estimated, "number": spec.issue_number},
            )
            if not created and spec.issue_number and issue.number != spec.issue_number:
                issue.number = spec.issue_number
                issue.save(update_fields=["number", "updated_at"])
            self.issues[spec.issue_date] = issue.pk
        return self.issues[spec.issue_date]

    def issue_ids(self, specs: list[PageSpec]) -> None:
        """Look up (or create) the issues of these pages at once, as :meth:`issue_id` one by one
        would: the first page of an issue not yet looked up creates it or sets its number."""
        wanted: dict = {}
        for spec in specs:
            if spec.issue_date not in self.issues:
                wanted.setdefault(spec.issue_date, spec)
        if not wanted:
            return
        found = dict(Issue.objects.filter(date__in=wanted).values_list("date", "id"))
        new = [
            Issue(date=d, date_estimated=s.date_estimated, number=s.issue_number)
            for d, s in wanted.items()
            if d not in found
        ]
        if new:
            Issue.objects.bulk_create(new)
            self.issues.update((i.date, i.pk) for i in new)
        for date in found:
            self.issue_id(wanted[date])  # an existing issue: its number may need setting

    def person_ids(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        missing = keys - self.people.keys()
        if missing:
            names = {name for name, _ in missing}
            found = {
                (p.name, p.affiliation): p.pk
                for p in Person.objects.filter(name__in=names).only("pk", "name", "affiliation")
            }
            new = [Person(name=n, affiliation=a) for n, a in missing if (n, a) not in found]
            for person in new:
                check_fields(person, f"person “{person.name[:20]}”")
            if new:
                Person.objects.bulk_create(new, ignore_conflicts=True)
                found = {
                    (p.name, p.affiliation): p.pk
                    for p in Person.objects.filter(name__in=names).only("pk", "name", "affiliation")
                }
            self.people.update({k: v for k, v in found.items() if k in missing})
        return {k: self.people[k] for k in keys}

    def column_id(self, name: str) -> int:
        if name not in self.columns:
            column = Column.objects.filter(name=name).only("pk").first()
            if column is None:
                check_fields(Column(name=name, slug="-"), "column")
                try:
                    with transaction.atomic():
                        column = Column.objects.create(name=name)
                except IntegrityError:  # created by a concurrent import
                    column = Column.objects.get(name=name)
            self.columns[name] = column.pk
        return self.columns[name]

    def prepare(self, pages: list[ParsedPage]) -> None:
        """Create the people and columns these pages name, in a short transaction of its own.

        Run before a batch of pages is written, so the batch's transaction only reads
        them: two imports running at once then never wait for (or deadlock on) the
        other's uncommitted names. The new people are remembered in ``created_people``;
        whoever runs the jobs removes those no page ended up using. Best effort: what
        cannot be created here is left to the page, which then reports it.
        """
        people: set[tuple[str, str]] = set()
        columns: set[str] = set()
        for parsed in pages:
            for parsed_article in parsed.articles:
                parsed_article = fit_article(parsed_article)
                if parsed_article.column and parsed_article.column.strip():
                    columns.add(parsed_article.column.strip())
                people.update(
                    (c.name.strip(), c.affiliation.strip()) for c in parsed_article.bylines if c.name.strip()
                )
            for parsed_photo in parsed.photos:
                people.update((c.name.strip(), "") for c in fit_photo(parsed_photo).credits if c.name.strip())
        known = set(self.people)
        try:
            with transaction.atomic():
                existing = {
                    (p.name, p.affiliation)
                    for p in Person.objects.filter(name__in={n for n, _ in people - known}).only(
                        "name", "affiliation"
                    )
                }
                ids = self.person_ids(people)
                for name in sorted(columns):
                    self.column_id(name)
        except Exception:
            self.forget()
            return
        self.created_people.update(ids[k] for k in people - known - existing)

    def forget(self) -> None:
        """After a rolled-back page, ids created inside it no longer exist."""
        self.issues.clear()
        self.people.clear()
        self.columns.clear()


def load_page(
    spec: PageSpec,
    data: bytes,
    text: str,
    parsed: ParsedPage,
    *,
    publish: bool = False,
    replace: bool = False,
    allow_duplicate: bool = False,
    cache: LookupCache | None = None,
) -> PageResult:
    """Make the database hold this page; all or nothing.

    A file with the same content as another page of the same issue is refused
    (:class:`PageRefused`, naming both pages) unless ``allow_duplicate``: it is almost
    always the same scan filed under a second page number by mistake.
    """
    _refuse_oversized(parsed)
    cache = cache or LookupCache()
    digest = sha256(data)
    try:
        check_fields(Issue(date=spec.issue_date, number=spec.issue_number), "issue")
        check_fields(Page(number=spec.page_number, name=spec.page_name), "page")
        with transaction.atomic():
            result, docs = _load(spec, data, text, parsed, digest, publish, replace, allow_duplicate, cache)
    except FieldError as exc:
        cache.forget()
        raise PageRefused(f"{exc}; not imported") from exc
    except Exception:
        cache.forget()
        raise
    # The page is written (its savepoint released): the search index takes the text of
    # its new articles from here rather than reading it back at commit.
    provide_documents(docs)
    return result


@dataclass
class NewPage:
    """A page file not in the database yet, read and parsed: what :func:`load_new_pages` takes."""

    spec: PageSpec
    data: bytes
    text: str
    parsed: ParsedPage


def load_new_pages(
    pages: list[NewPage],
    *,
    publish: bool = False,
    allow_duplicate: bool = False,
    fail_fast: bool = False,
    cache: LookupCache | None = None,
) -> list[PageResult]:
    """Write pages that are not in the database yet, all at once: the same rows, results and
    refusals as :func:`load_page` one by one, in a few statements per table.

    Each page is checked first (limits, field lengths, duplicates), in Python: a refused
    page is reported and nothing of it written, the others are. Their rows are then
    written together (:mod:`.bulk`) in one savepoint, which the database accepts or refuses
    whole: if it refuses (another import created one of these pages meanwhile …) this
    raises and nothing of them is written; the caller then loads them one by one. The
    change path is told what was written (:func:`articles.changes.record_created`) and
    given the articles' text, exactly as the ORM's writes would tell it.
    """
    cache = cache or LookupCache()
    results: list[PageResult] = []
    accepted: list[tuple[NewPage, PageResult, list, list]] = []
    digests = {id(p): sha256(p.data) for p in pages}
    for page in pages:
        try:
            _refuse_oversized(page.parsed)
            spec = page.spec
            check_fields(Issue(date=spec.issue_date, number=spec.issue_number), "issue")
            check_fields(Page(number=spec.page_number, name=spec.page_name), "page")
            result = PageResult(spec, PageOutcome.CREATED)
            visible_from = max(timezone.now(), issue_datetime(spec.issue_date)) if publish else None
            articles = []
            for position, parsed_article in enumerate(page.parsed.articles, start=1):
                parsed_article, values = article_values(position, parsed_article, visible_from)
                check_values(Article, values, f"article {position} (“{values['title'][:20]}”)")
                result.warnings += len(values["warnings"])
                articles.append((parsed_article, values))
            photos = []
            for position, parsed_photo in enumerate(page.parsed.photos, start=1):
                parsed_photo = fit_photo(parsed_photo)
                values = {
                    "position": position,
                    "title": parsed_photo.title,
                    "caption": parsed_photo.caption,
                    "agency": parsed_photo.agency,
                    "warnings": list(parsed_photo.warnings),
                }
                check_values(Photo, values, f"photo {position}")
                result.warnings += len(parsed_photo.warnings)
                photos.append((parsed_photo, values))
        except (FieldError, PageRefused) as exc:
            message = f"{exc}; not imported" if isinstance(exc, FieldError) else str(exc)
            results.append(PageResult(page.spec, PageOutcome.FAILED, error=message))
            if fail_fast:
                break
            continue
        results.append(result)
        accepted.append((page, result, articles, photos))
    if not accepted:
        return results

    created: dict[type, list[dict]] = {}
    with transaction.atomic():
        cache.issue_ids([p.spec for p, _, _, _ in accepted])
        if not allow_duplicate:
            accepted = _refuse_duplicates(accepted, digests, cache, results, fail_fast)
        docs = _write_new(accepted, digests, cache, created)
    for model in (Page, PageSource, Article, Byline, Photo, PhotoCredit):
        if created.get(model):
            record_created(model, created[model])
    provide_documents(docs)
    return results


def _refuse_duplicates(accepted, digests, cache, results, fail_fast) -> list:
    """Pages whose content is already stored for another page of their issue (or comes twice
    in this batch) fail, as :func:`_refuse_duplicate` does one by one; returns the others."""
    issue_ids = {cache.issues[p.spec.issue_date] for p, _, _, _ in accepted}
    stored = {
        (issue_id, digest): (number, filename)
        for issue_id, digest, number, filename in PageSource.objects.filter(
            page__issue_id__in=issue_ids, sha256__in={digests[id(p)] for p, _, _, _ in accepted}
        ).values_list("page__issue_id", "sha256", "page__number", "filename")
    }
    kept = []
    for i, (page, result, articles, photos) in enumerate(accepted):
        spec = page.spec
        key = (cache.issues[spec.issue_date], digests[id(page)])
        twin = stored.get(key)
        if twin is None:
            stored[key] = (spec.page_number, spec.name)
            kept.append((page, result, articles, photos))
            continue
        result.outcome, result.warnings = PageOutcome.FAILED, 0
        result.error = (
            f"same content as page {twin[0]} of {spec.issue_date} ({twin[1]}); "
            f"not imported as page {spec.page_number} (--allow-duplicate imports it anyway)"
        )
        if fail_fast:  # the pages after it are not loaded
            later = {id(r) for _, r, _, _ in accepted[i + 1 :]}
            results[:] = [r for r in results if id(r) not in later]
            break
    return kept


def _write_new(accepted, digests, cache, created: dict) -> dict[int, tuple]:
    """Insert the accepted new pages' rows; fill ``created`` (model -> rows for the change
    path); return the search documents of their articles."""
    rows = NewRows()
    n_articles = sum(len(a) for _, _, a, _ in accepted)
    n_photos = sum(len(p) for _, _, _, p in accepted)
    ids = allocate_ids({Page: len(accepted), Article: n_articles, Photo: n_photos})
    page_ids, article_ids, photo_ids = (
        iter(ids.get(Page, ())),
        iter(ids.get(Article, ())),
        iter(ids.get(Photo, ())),
    )
    credits = set()
    for _, _, articles, photos in accepted:
        for parsed_article, _ in articles:
            credits.update(
                (c.name.strip(), c.affiliation.strip()) for c in parsed_article.bylines if c.name.strip()
            )
        for parsed_photo, _ in photos:
            credits.update((c.name.strip(), "") for c in parsed_photo.credits if c.name.strip())
    person_ids = cache.person_ids(credits)
    now = timezone.now()
    docs: dict[int, tuple] = {}
    issues_linked = set()
    for page, result, articles, photos in accepted:
        spec = page.spec
        issue_id, page_id = cache.issues[spec.issue_date], next(page_ids)
        rows.add(Page, id=page_id, issue_id=issue_id, number=spec.page_number, name=spec.page_name,
                 created_at=now, updated_at=now)  # fmt: skip
        rows.add(Address, path=dated_path(spec.issue_date, spec.page_number), page_id=page_id, created_at=now)
        rows.add(PageSource, page_id=page_id, filename=spec.name, sha256=digests[id(page)],
                 encoding=source_encoding(page.data), text=page.text, imported_at=now)  # fmt: skip
        created.setdefault(Page, []).append({"pk": page_id, "issue_id": issue_id, "number": spec.page_number})
        created.setdefault(PageSource, []).append({"pk": page_id, "page_id": page_id})
        for parsed_article, values in articles:
            article_id = next(article_ids)
            column = values["column"]
            values["id"] = article_id
            # The print-order copies are written with the row; the change path checks them.
            row = rows.add(Article, **values, page_id=page_id, created_at=now, updated_at=now,
                           issue_date=spec.issue_date, page_number=spec.page_number)  # fmt: skip
            row["column_id"] = cache.column_id(column) if column else None
            del row["column"]
            rows.add(Address, path=dated_path(spec.issue_date, spec.page_number, values["position"]),
                     article_id=article_id, created_at=now)  # fmt: skip
            created.setdefault(Article, []).append(
                {"pk": article_id, "page_id": page_id, "column_id": row["column_id"],
                 "status": row["status"], "published_at": row["published_at"]}
            )  # fmt: skip
            names, listed = [], set()
            for person_id, role, order, name in byline_rows(parsed_article, person_ids):
                # the person's first byline of the article carries its place in print
                place = (
                    (spec.issue_date, spec.page_number, values["position"])
                    if person_id not in listed
                    else (None,) * 3
                )
                listed.add(person_id)
                rows.add(Byline, article_id=article_id, person_id=person_id, role=role, order=order,
                         issue_date=place[0], page_number=place[1], position=place[2])  # fmt: skip
                created.setdefault(Byline, []).append(
                    {"pk": None, "article_id": article_id, "person_id": person_id}
                )
                names.append(name)
            result.bylines += len(names)
            docs[article_id] = document(spec.issue_date, *(values[f] for f in DOCUMENT_FIELDS), names)
            if values["continued_from_page"] or values["continued_to_page"]:
                issues_linked.add(issue_id)
        result.articles = len(articles)
        for parsed_photo, values in photos:
            photo_id = next(photo_ids)
            rows.add(Photo, **values, id=photo_id, page_id=page_id, created_at=now, updated_at=now)
            created.setdefault(Photo, []).append({"pk": photo_id, "page_id": page_id, "article_id": None})
            for person_id, role, order in credit_rows(parsed_photo, person_ids):
                rows.add(PhotoCredit, photo_id=photo_id, person_id=person_id, role=role, order=order,
                         issue_date=spec.issue_date, page_number=spec.page_number,
                         position=values["position"])  # fmt: skip
                created.setdefault(PhotoCredit, []).append(
                    {"pk": None, "photo_id": photo_id, "person_id": person_id}
                )
        result.photos = len(photos)
    # Addresses last and only if new, as one by one: the first article ever at a position keeps it.
    rows.write([Page, PageSource, Article, Byline, Photo, PhotoCredit, Address], ignore_conflicts={Address})
    if issues_linked:
        linked = _link_in_issues(issues_linked, set(docs))
        for _, result, articles, _ in accepted:
            result.linked = sum(1 for _, values in articles if values["id"] in linked)
    return docs


def _refuse_oversized(parsed: ParsedPage) -> None:
    """More articles or photos than a printed page can hold: a misfiled or broken file."""
    for items, what, name in ((parsed.articles, "articles", "ARTICLES"), (parsed.photos, "photos", "PHOTOS")):
        most = limit(f"{name}_PER_PAGE")
        if len(items) > most:
            raise PageRefused(
                f"{len(items):,} {what} on one page, more than "
                f"NEWSROOM_IMPORT_MAX_{name}_PER_PAGE ({most}); not imported"
            )


def _load(spec, data, text, parsed, digest, publish, replace, allow_duplicate, cache) -> PageResult:
    page, fresh = _lock_page(cache.issue_id(spec), spec)
    if not allow_duplicate:
        _refuse_duplicate(page, spec, digest)
    stored = None if fresh else PageSource.objects.filter(page=page).values_list("sha256", flat=True).first()
    if stored == digest and not replace:
        return PageResult(spec, PageOutcome.UNCHANGED), {}
    if spec.page_name and page.name != spec.page_name:
        page.name = spec.page_name
        page.save(update_fields=["name", "updated_at"])

    result = PageResult(spec, PageOutcome.CREATED if stored is None else PageOutcome.UPDATED)
    kept, reusable = ({}, []) if fresh else _existing_articles(page, replace)
    result.kept = [a.title for a in kept.values()]
    # Published articles become visible now, or at their issue's date if that is still to come.
    visible_from = max(timezone.now(), issue_datetime(spec.issue_date)) if publish else None
    articles = _write_articles(page, parsed, kept, visible_from, cache, result, reusable)
    _write_photos(page, parsed, {} if fresh else _clear_photos(page, replace), cache, result)
    if any(a.continued_from_page or a.continued_to_page for a in parsed.articles):
        result.linked = link_continuations(page)
    source = {
        "filename": spec.name,
        "sha256": digest,
        "encoding": source_encoding(data),
        "text": text,
        "imported_at": timezone.now(),
    }
    if fresh:
        PageSource.objects.create(page=page, **source)
    elif stored is None:
        PageSource.objects.update_or_create(page=page, defaults=source)
    else:
        PageSource.objects.filter(page=page).update(**source)
    docs = {
        a.pk: document(spec.issue_date, a.kicker, a.title, a.subtitle, a.body, a.editor_note,
                       a.reading_tip, names) for a, names in articles
    }  # fmt: skip
    return result, docs


def _refuse_duplicate(page: Page, spec: PageSpec, digest: str) -> None:
    twin = (
        PageSource.objects.filter(page__issue_id=page.issue_id, sha256=digest)
        .exclude(page_id=page.pk)
        .select_related("page")
        .only("filename", "page__number")
        .first()
    )
    if twin is not None:
        raise PageRefused(
            f"same content as page {twin.page.number} of {spec.issue_date} ({twin.filename}); "
            f"not imported as page {spec.page_number} (--allow-duplicate imports it anyway)"
        )


def _lock_page(issue_id: int, spec: PageSpec) -> tuple[Page, bool]:
    """The page row, locked for this transaction (created if new); and whether it is new."""
    pages = Page.objects.select_for_update().filter(issue_id=issue_id, number=spec.page_number)
    page = pages.first()
    if page is not None:
        return page, False
    # On SQLite the IMMEDIATE transaction already excludes other writers; elsewhere a
    # concurrent import may create the same page first, and the savepoint lets us retry.
    try:
        with transaction.atomic(savepoint=connection.vendor != "sqlite"):
            return Page.objects.create(issue_id=issue_id, number=spec.page_number, name=spec.page_name), True
    except IntegrityError:
        if connection.vendor == "sqlite":
            raise
        return pages.get(), False


def _existing_articles(page: Page, replace: bool) -> tuple[dict[int, Article], list[Article]]:
    """The page's articles: those kept as they are (edited, by position), and the others,
    whose rows the re-import reuses (so their ids and addresses survive) or deletes."""
    existing = list(Article.objects.filter(page=page).order_by("position"))
    kept = {} if replace else {a.position: a for a in existing if a.edited}
    kept_ids = {a.pk for a in kept.values()}
    return kept, [a for a in existing if a.pk not in kept_ids]


def _match(new: list[Article], reusable: list[Article]) -> dict[int, Article]:
    """Which existing row each new article updates (index in ``new`` -> row): the one with the
    same title if exactly one has it, else the one at the same position."""
    free = {a.pk: a for a in reusable}
    by_title: dict[str, list[Article]] = {}
    for a in reusable:
        by_title.setdefault(a.title, []).append(a)
    matched: dict[int, Article] = {}
    for i, article in enumerate(new):
        same = [a for a in by_title.get(article.title, []) if a.pk in free]
        if len(same) == 1:
            matched[i] = free.pop(same[0].pk)
    at = {a.position: a for a in free.values()}
    for i, article in enumerate(new):
        if i not in matched and article.position in at and at[article.position].pk in free:
            matched[i] = free.pop(at[article.position].pk)
    return matched


#: what a re-import rewrites on an article row it keeps (not its id, links or edit trail)
REIMPORTED_FIELDS = (
    "position",
    "column",
    "kicker",
    "title",
    "subtitle",
    "dateline",
    "body",
    "editor_note",
    "reading_tip",
    "source_note",
    "continued_from_page",
    "continued_to_page",
    "status",
    "published_at",
    "needs_review",
    "warnings",
    "edited",  # only --replace reuses edited rows: it overwrites the editors' work
    "edited_at",
    "edited_by",
    "updated_at",
)
CONTENT_FIELDS = [
    f for f in REIMPORTED_FIELDS if f not in ("position", "updated_at", "edited_at", "edited_by")
]
POSITION_SHIFT = 16000  # moved rows pass through position + this, so no two rows ever share one


def _reuse_rows(new: list[Article], reusable: list[Article]) -> list[Article]:
    """Give the new articles the ids of the existing rows they replace; delete the other rows.

    Returns the re-imported rows whose content changed (they get a revision). A row keeps
    its status and publication time if it was published.
    """
    matched = _match(new, reusable)
    used = {a.pk for a in matched.values()}
    stale = [a.pk for a in reusable if a.pk not in used]
    if stale:
        Article.objects.filter(pk__in=stale).delete()
    changed, moving = [], []
    for i, old in matched.items():
        article = new[i]
        article.pk, article.created_at, article.version = old.pk, old.created_at, old.version
        article._state.adding = False
        if old.status == Article.Status.PUBLISHED:
            article.status, article.published_at = old.status, old.published_at
        if any(getattr(old, f) != getattr(article, f) for f in CONTENT_FIELDS):
            changed.append(old)
        if old.position != article.position:
            moving.append(Article(pk=old.pk, position=old.position + POSITION_SHIFT))
    for old in changed:
        keep_first_revision(old)
    if moving:
        Article.objects.bulk_update(moving, ["position"])
    now = timezone.now()
    rows = [new[i] for i in matched]
    for article in rows:
        article.updated_at = now
    if rows:
        Article.objects.bulk_update(rows, list(REIMPORTED_FIELDS))
    return [new[i] for i, old in matched.items() if old in changed]


def _write_articles(
    page, parsed: ParsedPage, kept, visible_from, cache: LookupCache, result, reusable=()
) -> list[tuple[Article, list[str]]]:
    """Write the page's articles (reusing ``reusable`` rows) and bylines; return each article
    with its byline names."""
    rows: list[tuple[Article, ParsedArticle]] = []
    for position, parsed_article in enumerate(parsed.articles, start=1):
        if position in kept:
            continue
        parsed_article, values = article_values(position, parsed_article, visible_from)
        column = values.pop("column")
        article = Article(page=page, column_id=cache.column_id(column) if column else None, **values)
        check_fields(article, f"article {position} (“{article.title[:20]}”)")
        rows.append((article, parsed_article))
        result.warnings += len(values["warnings"])
    reimported = _reuse_rows([a for a, _ in rows], list(reusable)) if reusable else []
    reused = [a.pk for a, _ in rows if a.pk is not None]
    Article.objects.bulk_create([a for a, _ in rows if a.pk is None])
    Address.objects.record_positions([a for a, _ in rows])
    result.articles = len(rows)

    credits = {
        (c.name.strip(), c.affiliation.strip())
        for _, parsed_article in rows
        for c in parsed_article.bylines
        if c.name.strip()
    }
    ids = cache.person_ids(credits)
    bylines, names = [], {a.pk: [] for a, _ in rows}
    for article, parsed_article in rows:
        for person_id, role, order, name in byline_rows(parsed_article, ids):
            bylines.append(Byline(article=article, person_id=person_id, role=role, order=order))
            names[article.pk].append(name)
    result.bylines = len(bylines)
    written = _unchanged_bylines_kept(reused, bylines) if reused else bylines
    Byline.objects.bulk_create(written)
    for article in reimported:  # a re-import is a change too: its revision (no user)
        record_edit(article, None, "重新导入了本版，更新了这篇稿件。", mark=False)
    return [(a, names[a.pk]) for a, _ in rows]


def article_values(position: int, parsed_article: ParsedArticle, visible_from) -> tuple[ParsedArticle, dict]:
    """The parsed article made to fit, and its row's values (``column``: the column's name)."""
    parsed_article = fit_article(parsed_article)
    warnings = list(parsed_article.warnings)
    head, body = _fit_headline(parsed_article, warnings)
    column = parsed_article.column.strip() if parsed_article.column else ""
    return parsed_article, {
        "position": position,
        "column": column or None,
        "kicker": head["kicker"],
        "title": head["title"] or "（无标题）",
        "subtitle": head["subtitle"],
        "dateline": parsed_article.dateline,
        "body": body,
        "editor_note": parsed_article.editor_note,
        "reading_tip": parsed_article.reading_tip,
        "source_note": parsed_article.source_note,
        "continued_from_page": parsed_article.continued_from_page,
        "continued_to_page": parsed_article.continued_to_page,
        # ``publish`` publishes only what needs no review: a flagged guess stays a draft
        # in the review queue until an editor has looked at it.
        "status": Article.Status.PUBLISHED if visible_from and not warnings else Article.Status.DRAFT,
        "published_at": visible_from if not warnings else None,
        "needs_review": bool(warnings),
        "warnings": warnings,
    }


def byline_rows(parsed_article: ParsedArticle, person_ids: dict) -> list[tuple[int, str, int, str]]:
    """An article's bylines: (person id, role, order, name), each person and role once."""
    out, seen = [], set()
    for order, c in enumerate(parsed_article.bylines):
        name = c.name.strip()
        if not name:
            continue
        role = c.role if c.role in ROLE_VALUES else ""
        key = (person_ids[(name, c.affiliation.strip())], role)
        if key in seen:
            continue
        seen.add(key)
        out.append((key[0], role, order, name))
    return out


def credit_rows(parsed_photo: ParsedPhoto, person_ids: dict) -> list[tuple[int, str, int]]:
    """A photo's credits: (person id, role, order), each name once."""
    out, seen = [], set()
    for order, c in enumerate(parsed_photo.credits):
        name = c.name.strip()
        if not name or name in seen:
            continue
        seen.add(name)
        role = c.role if c.role in ROLE_VALUES else ""
        out.append((person_ids[(name, "")], role, order))
    return out


def _unchanged_bylines_kept(reused: list[int], bylines: list[Byline]) -> list[Byline]:
    """A kept row's bylines are rewritten only if the re-parse changed them (so their ids,
    and an editor's open form, stay valid); returns the bylines still to create."""

    def key(b):
        return (b.person_id, b.role, b.order)

    old: dict[int, list] = {pk: [] for pk in reused}
    for b in Byline.objects.filter(article__in=reused).order_by("order", "pk"):
        old[b.article_id].append(key(b))
    new: dict[int, list] = {pk: [] for pk in reused}
    for b in bylines:
        if b.article_id in new:
            new[b.article_id].append(key(b))
    same = {pk for pk in reused if old[pk] == new[pk]}
    Byline.objects.filter(article__in=[pk for pk in reused if pk not in same]).delete()
    return [b for b in bylines if b.article_id not in same]


HEAD_LABELS = {"kicker": "引题", "title": "主题", "subtitle": "副题"}


def _fit_headline(parsed_article: ParsedArticle, warnings: list[str]) -> tuple[dict, list[dict]]:
    """Headline parts that fit their fields; an over-long part moves into the body, not lost.

    An article needs a title: without one, its subtitle (or kicker) becomes the title.
    """
    head = {name: getattr(parsed_article, name).strip() for name in HEAD_FIELDS}
    body = [{"type": b.type, "text": b.text} for b in parsed_article.blocks]
    for name in HEAD_FIELDS:
        if len(head[name]) > TITLE_MAX:
            body.insert(0, {"type": "paragraph", "text": head[name]})
            warnings.append(f"{HEAD_LABELS[name]}过长（{len(head[name])}字），已移入正文")
            head[name] = ""
    if not head["title"]:
        promoted = "subtitle" if head["subtitle"] else "kicker"
        head["title"], head[promoted] = head[promoted], ""
        if "未找到标题" not in warnings:
            warnings.append("未找到标题")
    return head, body


def _clear_photos(page: Page, replace: bool) -> dict[int, Photo]:
    """Remove the page's photos except those with an uploaded image; return those by position."""
    existing = Photo.objects.filter(page=page)
    keep = {} if replace else {p.position: p for p in existing.exclude(image="")}
    existing.exclude(pk__in=[p.pk for p in keep.values()]).delete()
    return keep


def _write_photos(page, parsed: ParsedPage, keep: dict[int, Photo], cache: LookupCache, result) -> None:
    photos: list[tuple[Photo, object]] = []
    for position, parsed_photo in enumerate(parsed.photos, start=1):
        if position in keep:
            result.kept.append(keep[position].title or f"photo {position}")
            continue
        parsed_photo = fit_photo(parsed_photo)
        photo = Photo(
            page=page,
            position=position,
            title=parsed_photo.title,
            caption=parsed_photo.caption,
            agency=parsed_photo.agency,
            warnings=list(parsed_photo.warnings),
        )
        check_fields(photo, f"photo {position}")
        photos.append((photo, parsed_photo))
        result.warnings += len(parsed_photo.warnings)
    Photo.objects.bulk_create([p for p, _ in photos])
    result.photos = len(photos)
    keys = {
        (c.name.strip(), "") for _, parsed_photo in photos for c in parsed_photo.credits if c.name.strip()
    }
    ids = cache.person_ids(keys)
    credits = [
        PhotoCredit(photo=photo, person_id=person_id, role=role, order=order)
        for photo, parsed_photo in photos
        for person_id, role, order in credit_rows(parsed_photo, ids)
    ]
    PhotoCredit.objects.bulk_create(credits)


def link_continuations(page: Page) -> int:
    """Link the parts of continued articles across the pages of one issue, both ways.

    A part marked ``continued_from_page = N`` is linked to the article on page N of the
    same issue that is marked ``continued_to_page`` = this part's page. Returns how
    many links were made.
    """
    links = continuation_links({page.issue_id})
    for part, head in links:
        part.continued_from = head
        part.save(update_fields=["continued_from"])
    return len(links)


def continuation_links(issue_ids) -> list[tuple[Article, Article]]:
    """The links still to make in these issues: (part, the head it continues)."""
    parts = list(
        Article.objects.filter(page__issue_id__in=issue_ids)
        .filter(Q(continued_from_page__isnull=False) | Q(continued_to_page__isnull=False))
        .select_related("page")
        .only(
            "pk",
            "page__number",
            "page__issue_id",
            "continued_from_page",
            "continued_to_page",
            "continued_from_id",
        )
    )
    by_issue: dict[int, list[Article]] = {}
    for a in parts:
        by_issue.setdefault(a.page.issue_id, []).append(a)
    links = []
    for in_issue in by_issue.values():
        taken = {a.continued_from_id for a in in_issue if a.continued_from_id is not None}
        heads = {
            (a.page.number, a.continued_to_page): a
            for a in in_issue
            if a.continued_to_page is not None and a.pk not in taken
        }
        for a in in_issue:
            if a.continued_from_page is None or a.continued_from_id is not None:
                continue
            head = heads.pop((a.continued_from_page, a.page.number), None)
            if head is not None and head.pk != a.pk:
                links.append((a, head))
    return links


def _link_in_issues(issue_ids: set[int], new_ids: set[int]) -> set[int]:
    """:func:`link_continuations` for the fast path (one query, one UPDATE); returns the
    parts linked. A part written before this batch is told to the change path."""
    links = continuation_links(issue_ids)
    if links:
        table = connection.ops.quote_name(Article._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f'UPDATE {table} SET "continued_from_id" = %s WHERE "id" = %s',
                [(h.pk, a.pk) for a, h in links],
            )
        old = [a.pk for a, _ in links if a.pk not in new_ids]
        if old:
            record(Article, old)
    return {a.pk for a, _ in links}
