"""The reader pages' lookups as plain rows, from queries compiled once per process.

Each query is written with the model querysets (``published()``, ``visible_to`` through
:func:`visible`, ``with_article_counts``, ``newest_first``): the rules stay in one place.
:class:`~newsroom.db.prepared.Prepared` compiles it once per database and shape (whether
the reader sees drafts, a list's slice), so a page view pays for running its queries,
not for building them; rows are dicts, not model instances, and the long lists (an issue's
64 articles with their bylines) are rendered from them by ``articles.templatetags.reader``.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef

from newsroom.db.prepared import Prepared

from .models import (
    Article,
    Byline,
    Column,
    CountOf,
    Issue,
    Page,
    Person,
    Photo,
    PhotoCredit,
    cached_reverse,
    id_url_format,
)

#: What a list item shows (``article_items`` in articles.templatetags.reader).
ITEM_FIELDS = (
    "id",
    "kicker",
    "title",
    "subtitle",
    "status",
    "page_id",
    "page__number",
    "page__issue__date",
    "page__issue__date_estimated",
    "column_id",
    "column__name",
    "column__slug",
)
ISSUE_FIELDS = ("id", "date", "number", "date_estimated")
BYLINE_FIELDS = ("article_id", "role", "person_id", "person__name")
#: A list page's bylines are read for this many articles at once (a page of a list).
BYLINE_BATCH = 20

_DATES = (datetime.date(2001, 1, 1), datetime.date(2002, 2, 2))


def visible(model, drafts: bool):
    """``model.objects.visible_to(user)`` for a reader who does (not) see drafts."""
    return model.objects.all() if drafts else model.objects.published()


def _issues_with(drafts: bool):
    articles = visible(Article, drafts)
    return Issue.objects.filter(Exists(articles.filter(page__issue=OuterRef("pk"))))


# ---------------------------------------------------------------- issues

_issue_by_date = Prepared(
    lambda date: Issue.objects.filter(date=date).values(*ISSUE_FIELDS), samples=((_DATES[0],), (_DATES[1],))
)
_latest_issue = Prepared(
    lambda drafts: _issues_with(drafts).order_by("-date").values(*ISSUE_FIELDS)[:1], samples=((), ())
)
_issue_before = Prepared(
    lambda date, drafts: (
        _issues_with(drafts).filter(date__lt=date).order_by("-date").values(*ISSUE_FIELDS)[:1]
    ),
    samples=((_DATES[0],), (_DATES[1],)),
)
_issue_after = Prepared(
    lambda date, drafts: (
        _issues_with(drafts).filter(date__gt=date).order_by("date").values(*ISSUE_FIELDS)[:1]
    ),
    samples=((_DATES[0],), (_DATES[1],)),
)


def _issue(row: dict | None) -> dict | None:
    """An issue row with its ``url``."""
    if row is not None:
        d = row["date"]
        row["url"] = cached_reverse("site:issue", year=d.year, month=d.month, day=d.day)
    return row


def _first(rows):
    return _issue(rows[0]) if rows else None


def issue_on(date: datetime.date) -> dict | None:
    return _first(_issue_by_date.rows(date))


def latest_issue(drafts: bool) -> dict | None:
    """The newest issue with an article the reader may see."""
    return _first(_latest_issue.rows(drafts=drafts))


def issue_before(date: datetime.date, drafts: bool) -> dict | None:
    return _first(_issue_before.rows(date, drafts=drafts))


def issue_after(date: datetime.date, drafts: bool) -> dict | None:
    return _first(_issue_after.rows(date, drafts=drafts))


# ---------------------------------------------------------------- an issue's pages and articles


def _pages_of_issue(issue_id, drafts):
    counted = visible(Photo, drafts).filter(page=OuterRef("pk")).order_by().values("pk")
    return (
        Page.objects.filter(issue_id=issue_id)
        .order_by("number")
        .annotate(photo_count=CountOf(counted))
        .values("id", "number", "name", "photo_count")
    )


_issue_pages = Prepared(_pages_of_issue, samples=((1,), (2,)))
_issue_articles = Prepared(
    lambda issue_id, drafts: (
        visible(Article, drafts)
        .filter(page__issue_id=issue_id)
        .order_by("page__number", "position")
        .values(*ITEM_FIELDS)
    ),
    samples=((1,), (2,)),
)
_issue_bylines = Prepared(
    lambda issue_id: (
        Byline.objects.filter(article__page__issue_id=issue_id).order_by("order", "pk").values(*BYLINE_FIELDS)
    ),
    samples=((1,), (2,)),
)
_batch_bylines = Prepared(
    lambda *ids: Byline.objects.filter(article_id__in=ids).order_by("order", "pk").values(*BYLINE_FIELDS),
    samples=(tuple(range(1, BYLINE_BATCH + 1)), tuple(range(BYLINE_BATCH + 1, 2 * BYLINE_BATCH + 1))),
)


def _attach_bylines(articles: list[dict], bylines: list[dict]) -> None:
    by_article: dict[int, list] = {a["id"]: [] for a in articles}
    for b in bylines:
        found = by_article.get(b["article_id"])
        if found is not None:
            found.append(b)
    for a in articles:
        a["bylines"] = by_article[a["id"]]


def with_bylines(articles: list[dict]) -> list[dict]:
    """Give each article row its ``bylines`` (in print order), read in batches of
    :data:`BYLINE_BATCH` ids (a short batch is filled with its last id)."""
    ids = [a["id"] for a in articles]
    bylines: list[dict] = []
    for start in range(0, len(ids), BYLINE_BATCH):
        batch = ids[start : start + BYLINE_BATCH]
        batch += [batch[-1]] * (BYLINE_BATCH - len(batch))
        bylines += _batch_bylines.rows(*batch)
    _attach_bylines(articles, bylines)
    return articles


def issue_pages(issue: dict, drafts: bool, *, bylines: bool = False) -> list[dict]:
    """The issue's pages that have articles the reader may see, each with its ``articles``
    (rows of :data:`ITEM_FIELDS`, with their ``bylines`` if asked) and ``photo_count``."""
    pages = _issue_pages.rows(issue["id"], drafts=drafts)
    articles = _issue_articles.rows(issue["id"], drafts=drafts)
    if bylines:
        _attach_bylines(articles, _issue_bylines.rows(issue["id"]))
    by_page: dict[int, list] = {p["id"]: [] for p in pages}
    for a in articles:
        by_page[a["page_id"]].append(a)
    result = []
    page_url = id_url_format("site:page")
    for p in pages:
        p["articles"] = by_page[p["id"]]
        p["label"] = f"{p['number']:02d}版"
        p["url"] = page_url.format(p["id"])
        if p["articles"]:
            result.append(p)
    return result


# ---------------------------------------------------------------- columns


_column_counts = Prepared(
    lambda bound: (
        Column.objects.with_article_counts(bound)
        .order_by("name")
        .values("id", "name", "slug", "description", "article_count")
    ),
    samples=((), ()),
)


def column_counts(bound: int) -> list[dict]:
    """Every column (with its ``url``) and its published articles counted up to ``bound + 1``."""
    rows = _column_counts.rows(bound=bound)
    for c in rows:
        c["url"] = cached_reverse("site:column", slug=c["slug"])
    return rows


# ---------------------------------------------------------------- photos

#: The photo fields a page shows (in the model's field order, for ``Photo.from_db``).
PHOTO_FIELDS = tuple(
    f.attname
    for f in Photo._meta.concrete_fields
    if f.attname
    in {"id", "page_id", "article_id", "position", "title", "caption", "agency", "image", "width", "height"}
)
CREDIT_FIELDS = ("photo_id", "role", "person_id", "person__name")
#: Credits are read for this many photos at once.
CREDIT_BATCH = 24


def _photos_where(drafts, **where):
    return visible(Photo, drafts).filter(**where).order_by("position").values(*PHOTO_FIELDS)


_issue_photos = Prepared(
    lambda issue_id, drafts: _photos_where(drafts, page__issue_id=issue_id), ((1,), (2,))
)
_page_photos = Prepared(lambda page_id, drafts: _photos_where(drafts, page_id=page_id), ((1,), (2,)))
_article_photos = Prepared(
    lambda article_id, drafts: _photos_where(drafts, article_id=article_id), ((1,), (2,))
)
_person_photos = Prepared(
    lambda person_id, drafts, limit: (
        visible(Photo, drafts)
        .filter(credits__person_id=person_id)
        .order_by("-credits__issue_date", "credits__page_number", "credits__position", "pk")
        .values(*PHOTO_FIELDS, "page__number", "page__issue__date", "page__issue__date_estimated")[:limit]
    ),
    samples=((1,), (2,)),
)
_batch_credits = Prepared(
    lambda *ids: PhotoCredit.objects.filter(photo_id__in=ids).order_by("order", "pk").values(*CREDIT_FIELDS),
    samples=(tuple(range(1, CREDIT_BATCH + 1)), tuple(range(CREDIT_BATCH + 1, 2 * CREDIT_BATCH + 1))),
)


def _photos(found: list[dict], using: str = "default") -> list[Photo]:
    """Photo instances (the renditions need them) with their ``shown_credits`` rows."""
    ids = [p["id"] for p in found]
    credits: dict[int, list] = {pk: [] for pk in ids}
    for start in range(0, len(ids), CREDIT_BATCH):
        batch = ids[start : start + CREDIT_BATCH]
        batch += [batch[-1]] * (CREDIT_BATCH - len(batch))
        for c in _batch_credits.rows(*batch):
            credits[c["photo_id"]].append(c)
    photos = []
    page_url = id_url_format("site:page")
    for row in found:
        photo = Photo.from_db(using, PHOTO_FIELDS, [row[name] for name in PHOTO_FIELDS])
        photo.shown_credits = credits[row["id"]]
        if "page__number" in row:  # where the photo was printed (a person's photos)
            photo.page_url = page_url.format(row["page_id"])
            photo.page_date = row["page__issue__date"]
            photo.page_label = f"{row['page__number']:02d}版"
        photos.append(photo)
    return photos


def issue_photos(issue_id: int, drafts: bool) -> list[Photo]:
    return _photos(_issue_photos.rows(issue_id, drafts=drafts))


def page_photos(page_id: int, drafts: bool) -> list[Photo]:
    return _photos(_page_photos.rows(page_id, drafts=drafts))


def article_photos(article_id: int, drafts: bool) -> list[Photo]:
    return _photos(_article_photos.rows(article_id, drafts=drafts))


def person_photos(person_id: int, drafts: bool, limit: int) -> list[Photo]:
    """The photos credited to the person, newest first, each with where it was printed:
    ``page_url``, ``page_date`` (the issue's date) and ``page_label`` (03版)."""
    return _photos(_person_photos.rows(person_id, drafts=drafts, limit=limit))


# ---------------------------------------------------------------- a column's, a person's articles


class ArticleList:
    """A long article list for a paginator (``BoundedPaginator``): ``count_upto(n)`` and
    slices, each one prepared query; a slice's rows come with their bylines."""

    def __init__(self, count: Prepared, items: Prepared, key, drafts: bool):
        self._count, self._items, self.key, self.drafts = count, items, key, drafts

    def count_upto(self, n: int) -> int:
        found = self._count.rows(self.key, drafts=self.drafts, limit=n)
        return found[0]["n"] if found else 0

    def __getitem__(self, where: slice) -> list[dict]:
        if where.stop is not None and where.stop <= (where.start or 0):
            return []
        found = self._items.rows(self.key, drafts=self.drafts, start=where.start, stop=where.stop)
        return with_bylines(found)


def _column_articles(column_id, drafts):
    return visible(Article, drafts).filter(column_id=column_id).newest_first()


_column_count = Prepared(
    lambda column_id, drafts, limit: (
        Column.objects.filter(pk=column_id)
        .annotate(n=CountOf(_column_articles(OuterRef("pk"), drafts).order_by().values("pk")[:limit]))
        .values("n")
    ),
    samples=((1,), (2,)),
)
_column_items = Prepared(
    lambda column_id, drafts, start, stop: _column_articles(column_id, drafts).values(*ITEM_FIELDS)[
        start:stop
    ],
    samples=((1,), (2,)),
)


def _person_articles(person_id, drafts):
    # Through the person's bylines in print order (their copies of the article's date, page
    # and position, on the person's first byline of each article): the byline index walks
    # them newest first, however many there are.
    return visible(Article, drafts).filter(bylines__person=person_id, bylines__issue_date__isnull=False)


_person_count = Prepared(
    lambda person_id, drafts, limit: (
        Person.objects.filter(pk=person_id)
        .annotate(n=CountOf(_person_articles(OuterRef("pk"), drafts).order_by().values("pk")[:limit]))
        .values("n")
    ),
    samples=((1,), (2,)),
)
_person_items = Prepared(
    lambda person_id, drafts, start, stop: (
        _person_articles(person_id, drafts)
        .order_by("-bylines__issue_date", "bylines__page_number", "bylines__position", "pk")
        .values(*ITEM_FIELDS)[start:stop]
    ),
    samples=((1,), (2,)),
)


def column_articles(column_id: int, drafts: bool) -> ArticleList:
    """The column's articles, newest first."""
    return ArticleList(_column_count, _column_items, column_id, drafts)


def person_articles(person_id: int, drafts: bool) -> ArticleList:
    """The person's articles, newest first (each once, however often they are credited)."""
    return ArticleList(_person_count, _person_items, person_id, drafts)


_column_by_slug = Prepared(
    lambda slug, drafts: (
        (Column.objects.all() if drafts else Column.objects.published())
        .filter(slug=slug)
        .values("id", "name", "slug", "description")
    ),
    samples=(("a",), ("b",)),
)
_person_by_id = Prepared(
    lambda pk: Person.objects.filter(pk=pk).values("id", "name", "affiliation"), samples=((1,), (2,))
)


def column(slug: str, drafts: bool) -> dict | None:
    """The column the reader may see by its slug, with its ``url``."""
    found = _column_by_slug.rows(slug, drafts=drafts)
    if not found:
        return None
    found[0]["url"] = cached_reverse("site:column", slug=found[0]["slug"])
    return found[0]


def person(pk: int) -> dict | None:
    found = _person_by_id.rows(pk)
    if not found:
        return None
    found[0]["url"] = id_url_format("site:person").format(found[0]["id"])
    return found[0]


# ---------------------------------------------------------------- a page, an article


def _instance(model, row: dict, prefix: str = "", using: str = "default"):
    """A model instance from the ``prefix``-ed fields of a row (those it has), as if loaded."""
    names, values = [], []
    for f in model._meta.concrete_fields:
        key = prefix + (f.attname if f.attname != "id" else "id")
        if key in row:
            names.append(f.attname)
            values.append(row[key])
    return model.from_db(using, names, values)


def _fields(model, prefix: str = "", skip=()) -> list[str]:
    return [prefix + f.attname for f in model._meta.concrete_fields if f.attname not in skip]


_ISSUE_OF = ("id", "date", "number", "date_estimated")
_page_by_id = Prepared(
    lambda pk: Page.objects.filter(pk=pk).values(
        "id", "issue_id", "number", "name", *(f"issue__{f}" for f in _ISSUE_OF)
    ),
    samples=((1,), (2,)),
)
_page_articles = Prepared(
    lambda page_id, drafts: (
        visible(Article, drafts)
        .filter(page_id=page_id)
        .order_by("position")
        .values(
            "id",
            "kicker",
            "title",
            "subtitle",
            "status",
            "dateline",
            "body",
            "column_id",
            "column__name",
            "column__slug",
        )
    ),
    samples=((1,), (2,)),
)
_sibling_pages = Prepared(
    lambda issue_id, drafts: (
        Page.objects.filter(Exists(visible(Article, drafts).filter(page=OuterRef("pk"))), issue_id=issue_id)
        .order_by("number")
        .values("pk", "number", "name")
    ),
    samples=((1,), (2,)),
)


def page(pk: int) -> Page | None:
    """The page (an instance, with its issue)."""
    found = _page_by_id.rows(pk)
    if not found:
        return None
    obj = _instance(Page, found[0])
    obj.issue = _instance(Issue, found[0], "issue__")
    return obj


def page_articles(page_id: int, drafts: bool) -> list[dict]:
    """The page's articles in print order, with their ``bylines``, ``column_url`` and
    ``first_paragraph`` (the body's first paragraph block, or None)."""
    found = _page_articles.rows(page_id, drafts=drafts)
    for a in found:
        a["first_paragraph"] = next((b for b in a["body"] or [] if b.get("type") == "paragraph"), None)
        a["column_url"] = cached_reverse("site:column", slug=a["column__slug"]) if a["column_id"] else ""
    return with_bylines(found)


def sibling_pages(issue_id: int, drafts: bool) -> list[dict]:
    """The issue's pages that have articles the reader may see (``pk``, ``number``, ``name``)."""
    return _sibling_pages.rows(issue_id, drafts=drafts)


_CONTINUED = ("id", "title", "status", "published_at", "position", "page_id")
_article_by_id = Prepared(
    lambda pk, drafts: (
        visible(Article, drafts)
        .filter(pk=pk)
        .values(
            *_fields(Article),
            "page__number",
            "page__name",
            "page__issue_id",
            *(f"page__issue__{f}" for f in _ISSUE_OF),
            *(f"column__{f}" for f in ("id", "name", "slug")),
            *(f"continued_from__{f}" for f in _CONTINUED),
            "continued_from__page__number",
        )
    ),
    samples=((1,), (2,)),
)
_continued_in = Prepared(
    lambda pk, issue_id: (
        Article.objects.filter(continued_from_id=pk, page__issue_id=issue_id)
        .order_by()
        .values(*_CONTINUED, "page__number")[:1]
    ),
    samples=((1, 1), (2, 2)),
)
_article_siblings = Prepared(
    lambda page_id, drafts: (
        visible(Article, drafts)
        .filter(page_id=page_id)
        .order_by("position")
        .values("pk", "position", "title")
    ),
    samples=((1,), (2,)),
)
_article_bylines = Prepared(
    lambda pk: Byline.objects.filter(article_id=pk).order_by("order", "pk").values(*BYLINE_FIELDS),
    samples=((1,), (2,)),
)


def _part(row: dict, prefix: str) -> Article | None:
    if row.get(prefix + "id") is None:
        return None
    part = _instance(Article, row, prefix)
    part.page = Page.from_db(
        "default", ("id", "number"), (row[prefix + "page_id"], row[prefix + "page__number"])
    )
    return part


def article(pk: int, drafts: bool) -> Article | None:
    """The article the reader may see (an instance, with its page, issue, column and the
    part it continues, each with the page number shown)."""
    found = _article_by_id.rows(pk, drafts=drafts)
    if not found:
        return None
    row = found[0]
    obj = _instance(Article, row)
    obj.page = _instance(
        Page, {"id": row["page_id"], **{k[6:]: v for k, v in row.items() if k.startswith("page__")}}
    )
    obj.page.issue = _instance(Issue, row, "page__issue__")
    obj.column = _instance(Column, row, "column__") if row["column_id"] else None
    obj.continued_from = _part(row, "continued_from__")
    return obj


def continued_in(obj: Article) -> Article | None:
    """The article's continuation (in the same issue: saying so lets the database start
    from the issue's pages)."""
    found = _continued_in.rows(obj.pk, obj.page.issue_id)
    if not found:
        return None
    return _part({f"c__{k}": v for k, v in found[0].items()}, "c__")


def article_siblings(page_id: int, drafts: bool) -> list[dict]:
    return _article_siblings.rows(page_id, drafts=drafts)


def article_bylines(pk: int) -> list[dict]:
    return _article_bylines.rows(pk)
