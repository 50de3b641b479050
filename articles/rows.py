"""What each reader page shows, as plain rows, from queries compiled once per process.

Each query is written with the model querysets (``published()``, ``visible_to`` through
:func:`visible`, ``with_article_counts``, ``newest_first``): the rules stay in one place.
:class:`~newsroom.db.prepared.Prepared` compiles it once per database and shape (whether
the reader sees drafts, a list's slice), so a page view pays for running its queries,
not for building them. A page's queries are keyed on what its URL says (a date, an id, a
slug), never on what another of them found, so they run together
(:func:`~newsroom.db.prepared.together`: one round trip to PostgreSQL; the home page's
name the latest issue by a subquery, :func:`_latest_date`). Rows are dicts, not model instances (but for the
article shown and a page; photos are :class:`ShownPhoto` rows, which make the instance
the renditions need only for a photo with an image); the long lists
(an issue's 64 articles with their bylines) are rendered from them by
``articles.templatetags.reader``.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Subquery

from newsroom.db.prepared import Prepared, together

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
CREDIT_FIELDS = ("photo_id", "role", "person_id", "person__name")
#: The photo fields a page shows (in the model's field order, for ``Photo.from_db``).
PHOTO_FIELDS = tuple(
    f.attname
    for f in Photo._meta.concrete_fields
    if f.attname
    in {"id", "page_id", "article_id", "position", "title", "caption", "agency", "image", "width", "height"}
)

_DATES = ((datetime.date(2001, 1, 1),), (datetime.date(2002, 2, 2),))
_IDS = ((1,), (2,))


def visible(model, drafts: bool):
    """``model.objects.visible_to(user)`` for a reader who does (not) see drafts."""
    return model.objects.all() if drafts else model.objects.published()


def _issues_with(drafts: bool):
    articles = visible(Article, drafts)
    return Issue.objects.filter(Exists(articles.filter(page__issue=OuterRef("pk"))))


def _bylines(**where):
    return Byline.objects.filter(**where).order_by("order", "pk").values(*BYLINE_FIELDS)


def _credits(**where):
    return PhotoCredit.objects.filter(**where).order_by("order", "pk").values(*CREDIT_FIELDS)


def _photos(drafts, **where):
    return visible(Photo, drafts).filter(**where).order_by("position").values(*PHOTO_FIELDS)


# ---------------------------------------------------------------- issues

_issue_on = Prepared(lambda date: Issue.objects.filter(date=date).values(*ISSUE_FIELDS), _DATES)
_latest_issue = Prepared(
    lambda drafts: _issues_with(drafts).order_by("-date").values(*ISSUE_FIELDS)[:1], samples=((), ())
)


def _before(date, drafts):
    return _issues_with(drafts).filter(date__lt=date).order_by("-date").values(*ISSUE_FIELDS)[:1]


def _latest_date(drafts):
    """The latest issue's date (with an article the reader may see), as a subquery: the
    home page's queries name the issue by it, so they need not wait for one another."""
    return Subquery(_issues_with(drafts).order_by("-date").values("date")[:1])


_issue_before = Prepared(_before, _DATES)
_issue_after = Prepared(
    lambda date, drafts: (
        _issues_with(drafts).filter(date__gt=date).order_by("date").values(*ISSUE_FIELDS)[:1]
    ),
    _DATES,
)


def _issue(row: dict | None) -> dict | None:
    """An issue row with its ``url``."""
    if row is not None:
        d = row["date"]
        row["url"] = cached_reverse("site:issue", year=d.year, month=d.month, day=d.day)
    return row


def _first(rows):
    return _issue(rows[0]) if rows else None


# ---------------------------------------------------------------- an issue's pages (home, issue)


def _pages_on(date, drafts):
    counted = visible(Photo, drafts).filter(page=OuterRef("pk")).order_by().values("pk")
    return (
        Page.objects.filter(issue__date=date)
        .order_by("number")
        .annotate(photo_count=CountOf(counted))
        .values("id", "number", "name", "photo_count")
    )


def _articles_on(date, drafts):
    return (
        visible(Article, drafts)
        .filter(page__issue__date=date)
        .order_by("page__number", "position")
        .values(*ITEM_FIELDS)
    )


_issue_pages = Prepared(_pages_on, _DATES)
_issue_articles = Prepared(_articles_on, _DATES)
_issue_bylines = Prepared(lambda date: _bylines(article__page__issue__date=date), _DATES)
# The latest issue's (the home page's), by _latest_date.
_NONE = ((), ())
_latest_pages = Prepared(lambda drafts: _pages_on(_latest_date(drafts), drafts), _NONE)
_latest_articles = Prepared(lambda drafts: _articles_on(_latest_date(drafts), drafts), _NONE)
_latest_photos = Prepared(lambda drafts: _photos(drafts, page__issue__date=_latest_date(drafts)), _NONE)
_latest_credits = Prepared(lambda drafts: _credits(photo__page__issue__date=_latest_date(drafts)), _NONE)
_latest_before = Prepared(lambda drafts: _before(_latest_date(drafts), drafts), _NONE)


def _attach(rows: list[dict], name: str, found: list[dict], key: str) -> list[dict]:
    """Give each row its ``name``: the ``found`` rows whose ``key`` is its id, in order
    (rows of others, such as drafts' bylines a reader does not see, are left out)."""
    by_id: dict[int, list] = {r["id"]: [] for r in rows}
    for f in found:
        group = by_id.get(f[key])
        if group is not None:
            group.append(f)
    for r in rows:
        r[name] = by_id[r["id"]]
    return rows


def _pages(pages: list[dict], articles: list[dict]) -> list[dict]:
    """The pages that have articles the reader may see, each with its ``articles``,
    ``label`` and ``url``."""
    _attach(pages, "articles", articles, "page_id")
    page_url = id_url_format("site:page")
    result = []
    for p in pages:
        p["label"] = f"{p['number']:02d}版"
        p["url"] = page_url.format(p["id"])
        if p["articles"]:
            result.append(p)
    return result


class ShownPhoto:
    """A photo as a reader page shows it: the row's fields (``PHOTO_FIELDS``) as attributes,
    its ``shown_credits`` rows and, for a person's photos, where it was printed (``page_url``,
    ``page_date``, ``page_label``). The model instance, which only the renditions need, is
    made on first use (``instance``; ``articles.images.renditions`` asks for it only when
    the photo has an image): a page of 24 photos without images makes none."""

    __slots__ = (*PHOTO_FIELDS, "shown_credits", "page_url", "page_date", "page_label", "_using", "_instance")

    def __init__(self, row: dict, using: str):
        for name in PHOTO_FIELDS:
            setattr(self, name, row[name])
        self.shown_credits = row["credits"]
        self._using, self._instance = using, None

    @property
    def instance(self) -> Photo:
        if self._instance is None:
            values = [getattr(self, name) for name in PHOTO_FIELDS]
            self._instance = Photo.from_db(self._using, PHOTO_FIELDS, values)
        return self._instance


def _photo_instances(found: list[dict], credits: list[dict], using: str = "default") -> list[ShownPhoto]:
    """The photos of ``found`` rows (:class:`ShownPhoto`), each with its ``shown_credits`` rows."""
    _attach(found, "credits", credits, "photo_id")
    photos = []
    page_url = id_url_format("site:page")
    for row in found:
        photo = ShownPhoto(row, using)
        if "page__number" in row:  # where the photo was printed (a person's photos)
            photo.page_url = page_url.format(row["page_id"])
            photo.page_date = row["page__issue__date"]
            photo.page_label = f"{row['page__number']:02d}版"
        photos.append(photo)
    return photos


def issue_page(date: datetime.date, drafts: bool) -> dict | None:
    """The issue of ``date`` (``issue``), its ``pages`` with their articles and bylines and
    how many photos each has, and the ``previous_issue`` and ``next_issue``; None if there
    is no issue that day."""
    issue, pages, articles, bylines, before, after = together(
        _issue_on.call(date),
        _issue_pages.call(date, drafts=drafts),
        _issue_articles.call(date, drafts=drafts),
        _issue_bylines.call(date),
        _issue_before.call(date, drafts=drafts),
        _issue_after.call(date, drafts=drafts),
    )
    if not issue:
        return None
    return {
        "issue": _first(issue),
        "pages": _pages(pages, _attach(articles, "bylines", bylines, "article_id")),
        "previous_issue": _first(before),
        "next_issue": _first(after),
    }


# ---------------------------------------------------------------- columns

_column_counts = Prepared(
    lambda bound: (
        Column.objects.with_article_counts(bound)
        .order_by("name")
        .values("id", "name", "slug", "description", "article_count")
    ),
    samples=((), ()),
)


def _columns(rows: list[dict]) -> list[dict]:
    for c in rows:
        c["url"] = cached_reverse("site:column", slug=c["slug"])
    return rows


def column_counts(bound: int) -> list[dict]:
    """Every column (with its ``url``) and its published articles counted up to ``bound + 1``."""
    return _columns(_column_counts.rows(bound=bound))


def home_page(drafts: bool, bound: int) -> dict:
    """The latest issue (``issue``: None before the first) with its ``pages`` (their articles
    and ``photos``), the ``previous_issue``, and every column counted up to ``bound + 1``:
    in one round trip, the issue's queries naming it by :func:`_latest_date`."""
    latest, columns, pages, articles, photos, credits, before = together(
        _latest_issue.call(drafts=drafts),
        _column_counts.call(bound=bound),
        _latest_pages.call(drafts=drafts),
        _latest_articles.call(drafts=drafts),
        _latest_photos.call(drafts=drafts),
        _latest_credits.call(drafts=drafts),
        _latest_before.call(drafts=drafts),
    )
    result = {"issue": _first(latest), "pages": [], "previous_issue": None, "columns": _columns(columns)}
    if result["issue"]:
        result["pages"] = _pages(pages, articles)
        by_page: dict[int, list] = {p["id"]: [] for p in result["pages"]}
        for photo in _photo_instances(photos, credits):
            if photo.page_id in by_page:
                by_page[photo.page_id].append(photo)
        for p in result["pages"]:
            p["photos"] = by_page[p["id"]]
        result["previous_issue"] = _first(before)
    return result


# ---------------------------------------------------------------- a page


_page_by_id = Prepared(
    lambda pk: Page.objects.filter(pk=pk).values(
        "id", "issue_id", "number", "name", *(f"issue__{f}" for f in ISSUE_FIELDS)
    ),
    _IDS,
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
    _IDS,
)
_page_bylines = Prepared(lambda page_id: _bylines(article__page_id=page_id), _IDS)
_page_photos = Prepared(lambda page_id, drafts: _photos(drafts, page_id=page_id), _IDS)
_page_credits = Prepared(lambda page_id: _credits(photo__page_id=page_id), _IDS)
_sibling_pages = Prepared(
    lambda page_id, drafts: (
        Page.objects.filter(
            Exists(visible(Article, drafts).filter(page=OuterRef("pk"))),
            issue=Subquery(Page.objects.filter(pk=page_id).values("issue_id")[:1]),
        )
        .order_by("number")
        .values("pk", "number", "name")
    ),
    _IDS,
)


def _instance(model, row: dict, prefix: str = "", using: str = "default"):
    """A model instance from the ``prefix``-ed fields of a row (those it has), as if loaded."""
    names, values = [], []
    for f in model._meta.concrete_fields:
        key = prefix + f.attname
        if key in row:
            names.append(f.attname)
            values.append(row[key])
    return model.from_db(using, names, values)


def page_page(pk: int, drafts: bool) -> dict | None:
    """The page (``page``, an instance with its issue), its ``articles`` (rows with their
    ``bylines``, ``column_url`` and ``first_paragraph``, the body's first paragraph block),
    its ``photos`` and the issue's pages that have articles (``sibling_pages``: ``pk``,
    ``number``, ``name``); None if there is no such page."""
    found, articles, bylines, photos, credits, siblings = together(
        _page_by_id.call(pk),
        _page_articles.call(pk, drafts=drafts),
        _page_bylines.call(pk),
        _page_photos.call(pk, drafts=drafts),
        _page_credits.call(pk),
        _sibling_pages.call(pk, drafts=drafts),
    )
    if not found:
        return None
    page = _instance(Page, found[0])
    page.issue = _instance(Issue, found[0], "issue__")
    for a in articles:
        a["first_paragraph"] = next((b for b in a["body"] or [] if b.get("type") == "paragraph"), None)
        a["column_url"] = cached_reverse("site:column", slug=a["column__slug"]) if a["column_id"] else ""
    return {
        "page": page,
        "articles": _attach(articles, "bylines", bylines, "article_id"),
        "photos": _photo_instances(photos, credits),
        "sibling_pages": siblings,
    }


# ---------------------------------------------------------------- an article

_CONTINUED = ("id", "title", "status", "published_at", "position", "page_id")
_article_by_id = Prepared(
    lambda pk, drafts: (
        visible(Article, drafts)
        .filter(pk=pk)
        .values(
            *(f.attname for f in Article._meta.concrete_fields),
            "page__number",
            "page__name",
            "page__issue_id",
            *(f"page__issue__{f}" for f in ISSUE_FIELDS),
            *(f"column__{f}" for f in ("id", "name", "slug")),
            *(f"continued_from__{f}" for f in _CONTINUED),
            "continued_from__page__number",
        )
    ),
    _IDS,
)
_article_bylines = Prepared(lambda pk: _bylines(article_id=pk), _IDS)
_article_photos = Prepared(lambda pk, drafts: _photos(drafts, article_id=pk), _IDS)
_article_credits = Prepared(lambda pk: _credits(photo__article_id=pk), _IDS)
_article_siblings = Prepared(
    lambda pk, drafts: (
        visible(Article, drafts)
        .filter(page=Subquery(Article.objects.filter(pk=pk).values("page_id")[:1]))
        .order_by("position")
        .values("pk", "position", "title")
    ),
    _IDS,
)
# The continuation is in the same issue; saying so lets the database start from the
# issue's pages (SQLite's statistics make the all-NULL continued_from index look useless).
_continued_in = Prepared(
    lambda pk: (
        Article.objects.filter(
            continued_from_id=pk,
            page__issue=Subquery(Article.objects.filter(pk=pk).values("page__issue_id")[:1]),
        )
        .order_by()
        .values(*_CONTINUED, "page__number")[:1]
    ),
    _IDS,
)


def _part(row: dict, prefix: str) -> Article | None:
    """The other part of a continued article (with its page's number), or None."""
    if row.get(prefix + "id") is None:
        return None
    part = _instance(Article, row, prefix)
    part.page = Page.from_db(
        "default", ("id", "number"), (row[prefix + "page_id"], row[prefix + "page__number"])
    )
    return part


def article_page(pk: int, drafts: bool) -> dict | None:
    """The article the reader may see (``article``, an instance with its page, issue,
    column and the part it continues), its ``bylines`` (rows), ``photos``, the articles on
    its page (``siblings``: ``pk``, ``position``, ``title``) and its continuation
    (``continued_in``); None if the reader may not see it."""
    found, bylines, photos, credits, siblings, continued = together(
        _article_by_id.call(pk, drafts=drafts),
        _article_bylines.call(pk),
        _article_photos.call(pk, drafts=drafts),
        _article_credits.call(pk),
        _article_siblings.call(pk, drafts=drafts),
        _continued_in.call(pk),
    )
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
    return {
        "article": obj,
        "bylines": bylines,
        "photos": _photo_instances(photos, credits),
        "siblings": siblings,
        "continued_in": _part({f"c__{k}": v for k, v in continued[0].items()}, "c__") if continued else None,
    }


# ---------------------------------------------------------------- a column's, a person's articles


class ArticleList:
    """A long article list for a paginator (``BoundedPaginator``): ``count_upto(n)`` and
    slices (rows with their ``bylines``), each a prepared query.

    The count's query reads the row whose articles these are (the column or person: one
    row, or none if there is no such column or person) with the count as its ``n``: that
    row, without ``n``, is :attr:`subject`. :meth:`prefetch` runs the count, the slice a
    reader asked for and the page's other queries (``extra``, by name: a person's photos
    …) together, in one round trip; their rows are in :attr:`found`."""

    def __init__(self, count: Prepared, items: Prepared, bylines: Prepared, key, drafts: bool, extra=None):
        self._count, self._items, self._bylines = count, items, bylines
        self.key, self.drafts = key, drafts
        self._extra = dict(extra or {})
        self.found: dict[str, list[dict]] = {}
        self.subject: dict | None = None
        self._counted: dict[int, int] = {}
        self._slice: tuple[int, int, list[dict]] | None = None

    def _shape(self, start, stop):
        return {"drafts": self.drafts, "start": start, "stop": stop}

    def prefetch(self, n: int, start: int, stop: int) -> None:
        """Count up to ``n``, read ``[start:stop]`` and the extra queries, together."""
        names = list(self._extra)
        count, items, bylines, *extra = together(
            self._count.call(self.key, drafts=self.drafts, limit=n),
            self._items.call(self.key, **self._shape(start, stop)),
            self._bylines.call(self.key, **self._shape(start, stop)),
            *self._extra.values(),
        )
        self._count_found(n, count)
        self._slice = (start, stop, _attach(items, "bylines", bylines, "article_id"))
        self.found.update(zip(names, extra, strict=True))

    def _count_found(self, n: int, found: list[dict]) -> None:
        self._counted[n] = found[0].pop("n") if found else 0
        self.subject = found[0] if found else None

    @property
    def has_articles(self) -> bool:
        """Whether the list has an article (once it has been counted)."""
        return any(self._counted.values())

    def count_upto(self, n: int) -> int:
        if n not in self._counted:
            self._count_found(n, self._count.rows(self.key, drafts=self.drafts, limit=n))
        return self._counted[n]

    def __getitem__(self, where: slice) -> list[dict]:
        start, stop = where.start or 0, where.stop
        if stop is not None and stop <= start:
            return []
        if self._slice and self._slice[0] == start and stop is not None and stop <= self._slice[1]:
            return self._slice[2][: stop - start]
        items, bylines = together(
            self._items.call(self.key, **self._shape(start, stop)),
            self._bylines.call(self.key, **self._shape(start, stop)),
        )
        return _attach(items, "bylines", bylines, "article_id")


def _column_articles(slug, drafts):
    # The column by a subquery (one value), not a join: SQLite then walks the column's
    # newest-first index instead of sorting the column's articles.
    column = Subquery(Column.objects.filter(slug=slug).values("pk")[:1])
    return visible(Article, drafts).filter(column=column).newest_first()


# The column itself, with its articles the reader may see counted up to ``limit`` (``n``).
_column_count = Prepared(
    lambda slug, drafts, limit: (
        Column.objects.filter(slug=slug)
        .annotate(
            n=CountOf(visible(Article, drafts).filter(column=OuterRef("pk")).order_by().values("pk")[:limit])
        )
        .values("id", "name", "slug", "description", "n")
    ),
    samples=(("a",), ("b",)),
)
_column_items = Prepared(
    lambda slug, drafts, start, stop: _column_articles(slug, drafts).values(*ITEM_FIELDS)[start:stop],
    samples=(("a",), ("b",)),
)
_column_bylines = Prepared(
    lambda slug, drafts, start, stop: _bylines(
        article__in=_column_articles(slug, drafts).values("pk")[start:stop]
    ),
    samples=(("a",), ("b",)),
)


def column_listing(slug: str, drafts: bool) -> ArticleList:
    """The column's articles, newest first; with the list, the column itself (``column_of``)."""
    return ArticleList(_column_count, _column_items, _column_bylines, slug, drafts)


def column_of(listing: ArticleList) -> dict | None:
    """The column the reader may see (with its ``url``), or None: a reader sees a column
    that has a published article (``Column.objects.published()``), that is, whose count of
    the articles they may see is not 0; whoever sees drafts sees every column."""
    column = listing.subject
    if column is None or not (listing.drafts or listing.has_articles):
        return None
    return _columns([column])[0]


def _person_articles(person, drafts):
    # Through the person's bylines in print order (their copies of the article's date, page
    # and position, on the person's first byline of each article): the byline index walks
    # them newest first, however many there are.
    return visible(Article, drafts).filter(bylines__person=person, bylines__issue_date__isnull=False)


def _person_newest(person_id, drafts):
    return _person_articles(person_id, drafts).order_by(
        "-bylines__issue_date", "bylines__page_number", "bylines__position", "pk"
    )


def _person_photo_list(person_id, drafts, limit):
    # Through the person's credits in print order (their copies of the photo's date, page
    # and position), as the articles through the bylines.
    return (
        visible(Photo, drafts)
        .filter(credits__person_id=person_id)
        .order_by("-credits__issue_date", "credits__page_number", "credits__position", "pk")[:limit]
    )


# The person, with their articles the reader may see counted up to ``limit`` (``n``).
_person_count = Prepared(
    lambda person_id, drafts, limit: (
        Person.objects.filter(pk=person_id)
        .annotate(n=CountOf(_person_articles(OuterRef("pk"), drafts).order_by().values("pk")[:limit]))
        .values("id", "name", "affiliation", "n")
    ),
    _IDS,
)
_person_items = Prepared(
    lambda person_id, drafts, start, stop: _person_newest(person_id, drafts).values(*ITEM_FIELDS)[start:stop],
    _IDS,
)
_person_bylines = Prepared(
    lambda person_id, drafts, start, stop: _bylines(
        article__in=_person_newest(person_id, drafts).values("pk")[start:stop]
    ),
    _IDS,
)
_person_photos = Prepared(
    lambda person_id, drafts, limit: _person_photo_list(person_id, drafts, limit).values(
        *PHOTO_FIELDS, "page__number", "page__issue__date"
    ),
    _IDS,
)
_person_credits = Prepared(
    lambda person_id, drafts, limit: _credits(
        photo__in=_person_photo_list(person_id, drafts, limit).values("pk")
    ),
    _IDS,
)


def person_listing(pk: int, drafts: bool, photos: int) -> ArticleList:
    """The person's articles, newest first (each once, however often they are credited);
    with the list, the person (``person_of``) and their newest ``photos`` photos
    (``person_photos_of``)."""
    return ArticleList(
        _person_count,
        _person_items,
        _person_bylines,
        pk,
        drafts,
        extra={
            "photos": _person_photos.call(pk, drafts=drafts, limit=photos),
            "credits": _person_credits.call(pk, drafts=drafts, limit=photos),
        },
    )


def person_of(listing: ArticleList) -> dict | None:
    """The person (with their ``url``), or None."""
    person = listing.subject
    if person is None:
        return None
    person["url"] = id_url_format("site:person").format(person["id"])
    return person


def person_photos_of(listing: ArticleList) -> list[ShownPhoto]:
    """The person's photos, each with where it was printed (``page_url``, ``page_date``,
    ``page_label``)."""
    return _photo_instances(listing.found["photos"], listing.found["credits"])
