"""The reader website: server-rendered pages, a constant number of queries each.

The lookups are in articles/rows.py (prepared queries, plain rows); long lists are
rendered by articles.templatetags.reader. Readers see published articles only; a logged-in
staff user also sees drafts, marked as such (the article page shows a 草稿预览 banner and
is not indexed). Anonymous responses are cached by :func:`articles.cache.reader_cache`,
made stale by the changes to what they show.
"""

from __future__ import annotations

import calendar
import datetime
import json

from django.conf import settings
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from . import rows
from . import search as search_engine
from .cache import reader_cache
from .filters import ArticleFilter
from .images import renditions
from .models import (
    Address,
    Article,
    Column,
    Issue,
    Page,
    cached_reverse,
    dated_path,
    id_path,
    id_url_format,
    sees_drafts,
)

PER_PAGE = 20
#: how far a list's count goes before it says “…篇以上” (BoundedPaginator, column counts)
COUNT_BOUND = 1000
#: the same for a person's articles, counted through their bylines (a lookup of the
#: article each, where a column's count reads one index): a shorter walk
PERSON_COUNT_BOUND = 200
PERSON_PHOTOS = 24
CN_WEEKDAYS = "一二三四五六日"


# ---------------------------------------------------------------- queries


def issues_with(articles):
    """Issues that have at least one of ``articles``."""
    return Issue.objects.filter(Exists(articles.filter(page__issue=OuterRef("pk"))))


def columns_with_counts(user=None, *, only_used: bool = False) -> list[dict]:
    """The columns ``user`` may see (rows with ``url``), each with its count of published
    articles, counted up to :data:`COUNT_BOUND` (``more_articles``: there are more, shown
    as “1000篇以上”).

    Readers see ``Column.objects.published()`` — columns with a published article, that
    is a count above 0 (filtered on the count, which comes from an index); so does
    everyone with ``only_used``. Whoever sees drafts also sees the unused columns.
    """
    return bounded_counts(rows.column_counts(COUNT_BOUND), user, only_used=only_used)


def bounded_counts(columns: list[dict], user, *, only_used: bool) -> list[dict]:
    """Column rows counted up to ``COUNT_BOUND + 1``: ``more_articles`` set, the count
    capped, and the unused columns left out for readers (see :func:`columns_with_counts`)."""
    for c in columns:
        c["more_articles"] = c["article_count"] > COUNT_BOUND
        c["article_count"] = min(c["article_count"], COUNT_BOUND)
    if only_used or not sees_drafts(user):
        # Filtered here: in SQL the count would run twice (in SELECT and in WHERE).
        return [c for c in columns if c["article_count"] > 0]
    return columns


def date_or_404(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise Http404("没有这一天") from exc


class BoundedPaginator(Paginator):
    """A paginator that counts a long list only as far as a reader can use: exactly up to
    ``bound`` items, then ``more`` is true and the count says "at least ``bound``"
    (shown as “1000篇以上”). Counting a column's 140,000 articles would cost more than
    rendering the page; counting past the page asked for is one short index walk."""

    def __init__(self, object_list, per_page, bound: int):
        super().__init__(object_list, per_page)
        self.bound = bound

    @cached_property
    def found(self) -> int:
        """The items counted: all of them, or ``bound + 1`` if there are more."""
        if hasattr(self.object_list, "count_upto"):  # articles.rows.ArticleList
            return self.object_list.count_upto(self.bound + 1)
        return self.object_list.order_by()[: self.bound + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.found, self.bound)

    @property
    def more(self) -> bool:
        return self.found > self.bound


def paginate(request, queryset, *, bound: int | None = None):
    """One page of ``queryset`` from ?p=N (a bad or too-large N shows the nearest page).

    ``bound``: count only up to that many items, or a page past the one asked for
    (:class:`BoundedPaginator`), so a long list costs the same as a short one."""
    number = request.GET.get("p")
    if bound is None:
        return Paginator(queryset, PER_PAGE).get_page(number)
    try:
        asked = max(1, int(number))
    except (TypeError, ValueError):
        asked = 1
    bound = max(bound, (asked + 1) * PER_PAGE)
    if hasattr(queryset, "prefetch"):  # articles.rows.ArticleList: count and page at once
        queryset.prefetch(bound + 1, (asked - 1) * PER_PAGE, asked * PER_PAGE)
    return BoundedPaginator(queryset, PER_PAGE, bound).get_page(number)


def absolute(request, url: str) -> str:
    return request.build_absolute_uri(url)


def cn_weekday(d: datetime.date) -> str:
    return "星期" + CN_WEEKDAYS[d.weekday()]


def json_ld_text(data) -> str:
    """schema.org data as JSON safe to place inside a <script> element (None and "" dropped)."""
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if v not in (None, "")}
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


def breadcrumbs(request, *trail: tuple[str, str]) -> dict:
    """A schema.org BreadcrumbList from (name, path) pairs, home first."""
    items = [(settings.NEWSROOM_PAPER_NAME, cached_reverse("site:home")), *trail]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": absolute(request, url)}
            for i, (name, url) in enumerate(items, start=1)
        ],
    }


def item_list(request, articles) -> dict:
    """A schema.org ItemList of article rows (``id``, ``title``)."""
    url = absolute(request, "/")[:-1] + id_url_format("site:article")  # the article paths are ASCII
    return {
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "url": url.format(a["id"]), "name": a["title"]}
            for i, a in enumerate(articles, start=1)
        ],
    }


def photo_image_url(request, photos) -> str | None:
    """The absolute URL of the largest rendition of the first photo that has one (og:image)."""
    for p in photos:
        r = renditions(p)
        if r:
            return absolute(request, r["largest"])
    return None


# ---------------------------------------------------------------- pages


@require_safe
@reader_cache
def home(request):
    """The latest issue: its pages with their article titles and photos; the columns."""
    data = rows.home_page(sees_drafts(request.user), COUNT_BOUND)
    issue = data["issue"]
    return render(
        request,
        "site/home.html",
        {
            "issue": issue,
            "weekday": cn_weekday(issue["date"]) if issue else "",
            "pages": data["pages"],
            "previous_issue": data["previous_issue"],
            "columns": bounded_counts(data["columns"], request.user, only_used=True),
            "canonical_url": absolute(request, cached_reverse("site:home")),
        },
    )


@require_safe
@reader_cache
def issue(request, year, month, day):
    date = date_or_404(year, month, day)
    data = rows.issue_page(date, sees_drafts(request.user))
    if data is None:
        raise Http404("没有这一期")
    obj, pages = data["issue"], data["pages"]
    if not pages:
        raise Http404("这一期没有已发布的稿件")
    canonical = absolute(request, obj["url"])
    return render(
        request,
        "site/issue.html",
        {
            "issue": obj,
            "weekday": cn_weekday(date),
            "pages": pages,
            "previous_issue": data["previous_issue"],
            "next_issue": data["next_issue"],
            "canonical_url": canonical,
            "json_ld": json_ld_text(
                {
                    "@context": "https://schema.org",
                    "@graph": [
                        {
                            "@type": "CollectionPage",
                            "name": f"{settings.NEWSROOM_PAPER_NAME} {date.year}年{date.month}月{date.day}日",
                            "url": canonical,
                            "inLanguage": "zh-CN",
                            "datePublished": date.isoformat(),
                            "mainEntity": item_list(request, [a for p in pages for a in p["articles"]]),
                        },
                        breadcrumbs(
                            request,
                            ("往期", cached_reverse("site:archive")),
                            (
                                f"{date.year}年{date.month}月",
                                cached_reverse("site:archive-month", year=date.year, month=date.month),
                            ),
                            (f"{date.year}年{date.month}月{date.day}日", obj["url"]),
                        ),
                    ],
                }
            ),
        },
    )


@require_safe
@reader_cache
def page(request, pk):
    data = rows.page_page(pk, sees_drafts(request.user))
    if data is None:
        raise Http404("没有这一版")
    obj, articles, photos, siblings = data["page"], data["articles"], data["photos"], data["sibling_pages"]
    if not articles:
        raise Http404("这一版没有已发布的稿件")
    numbers = [s["number"] for s in siblings]
    here = numbers.index(obj.number)
    return render(
        request,
        "site/page.html",
        {
            "page": obj,
            "issue": obj.issue,
            "weekday": cn_weekday(obj.issue.date),
            "articles": articles,
            "photos": photos,
            "sibling_pages": siblings,
            "previous_page": siblings[here - 1] if here > 0 else None,
            "next_page": siblings[here + 1] if here + 1 < len(siblings) else None,
            "canonical_url": absolute(request, obj.get_absolute_url()),
            "og_image": photo_image_url(request, photos),
        },
    )


@require_safe
def dated_page(request, year, month, day, number):
    """``/2020/10/23/3/``: the page that address served (or the page there now), 301."""
    target = Address.objects.target(dated_path(date_or_404(year, month, day), number))
    if not isinstance(target, Page):
        target = Page.objects.filter(issue__date=date_or_404(year, month, day), number=number).first()
    if target is None:
        raise Http404("没有这一版")
    return HttpResponsePermanentRedirect(target.get_absolute_url())


@require_safe
def article_at_position(request, year, month, day, number, position):
    """``/2020/10/23/3/2/``: the article first shown at that position, wherever it is now, 301."""
    target = Address.objects.target(dated_path(date_or_404(year, month, day), number, position))
    if not isinstance(target, Article):
        raise Http404("没有这篇稿件")
    return HttpResponsePermanentRedirect(target.get_absolute_url())


def _part_link(request, other: Article | None) -> Article | None:
    """A continued article's other part, if this request may see it."""
    if other is None:
        return None
    return other if (other.is_published or sees_drafts(request.user)) else None


@require_safe
@reader_cache
def article(request, pk):
    data = rows.article_page(pk, sees_drafts(request.user))
    if data is None:
        return _merged_article_redirect(pk)
    obj, bylines, photos, siblings = data["article"], data["bylines"], data["photos"], data["siblings"]
    positions = [s["position"] for s in siblings]
    here = positions.index(obj.position)
    canonical = absolute(request, obj.get_absolute_url())
    response = render(
        request,
        "site/article.html",
        {
            "article": obj,
            "page": obj.page,
            "issue": obj.page.issue,
            "weekday": cn_weekday(obj.page.issue.date),
            "bylines": bylines,
            "photos": photos,
            "previous_article": siblings[here - 1] if here > 0 else None,
            "next_article": siblings[here + 1] if here + 1 < len(siblings) else None,
            "continued_from": _part_link(request, obj.continued_from),
            "continued_in": _part_link(request, data["continued_in"]),
            "is_preview": not obj.is_published,
            "canonical_url": canonical,
            "og_image": photo_image_url(request, photos),
            "json_ld": news_article_json_ld(request, obj, bylines, photos, canonical),
        },
    )
    if not obj.is_published:  # an editor's preview: kept by no cache, shared or private
        patch_cache_control(response, private=True, no_store=True, no_cache=True, max_age=0)
    return response


def _merged_article_redirect(pk: int):
    """An article that no longer exists: if it was merged into another, go there (301)."""
    if not Article.objects.filter(pk=pk).exists():
        target = Address.objects.target(reverse("site:article", kwargs={"pk": pk}))
        if isinstance(target, Article):
            return HttpResponsePermanentRedirect(target.get_absolute_url())
    raise Http404("没有这篇稿件")


def news_article_json_ld(request, obj: Article, bylines, photos, canonical: str) -> str:
    """schema.org NewsArticle, as JSON safe to place inside a <script> element."""
    issue_date = obj.page.issue.date
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": obj.title[:110],
        "alternativeHeadline": " ".join(p for p in (obj.kicker, obj.subtitle) if p) or None,
        "datePublished": obj.date_published.isoformat(),  # the issue's date, Asia/Shanghai
        "dateModified": obj.date_modified.isoformat(),
        "dateCreated": issue_date.isoformat(),
        "mainEntityOfPage": canonical,
        "url": canonical,
        "inLanguage": "zh-CN",
        "articleSection": obj.column.name if obj.column else (obj.page.name or obj.page.label),
        "printEdition": obj.page.issue.number and str(obj.page.issue.number),
        "printPage": str(obj.page.number),
        "author": [
            {
                "@type": "Person",
                "name": b["person__name"],
                "url": absolute(request, id_path("site:person", b["person_id"])),
                **({"jobTitle": b["role"]} if b["role"] else {}),
            }
            for b in bylines
        ],
        "publisher": {"@type": "NewsMediaOrganization", "name": settings.NEWSROOM_PAPER_NAME},
        "image": [absolute(request, r["largest"]) for r in map(renditions, photos) if r] or None,
        "articleBody": obj.body_text[:5000],
    }
    return json_ld_text(data)


@require_safe
@reader_cache
def columns(request):
    return render(
        request,
        "site/columns.html",
        {
            "columns": columns_with_counts(request.user),
            "canonical_url": absolute(request, reverse("site:columns")),
        },
    )


@require_safe
@reader_cache
def column(request, slug):
    listing = rows.column_listing(slug, sees_drafts(request.user))
    page_obj = paginate(request, listing, bound=COUNT_BOUND)  # and the column, together
    obj = rows.column_of(listing)
    if obj is None:
        raise Http404("没有这个栏目")
    canonical = absolute(request, obj["url"])
    json_ld = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "CollectionPage",
                "name": obj["name"],
                "description": obj["description"],
                "url": canonical,
                "inLanguage": "zh-CN",
                "mainEntity": item_list(request, page_obj),
            },
            breadcrumbs(request, ("栏目", cached_reverse("site:columns")), (obj["name"], obj["url"])),
        ],
    }
    return render(
        request,
        "site/column.html",
        {"column": obj, "page_obj": page_obj, "canonical_url": canonical, "json_ld": json_ld_text(json_ld)},
    )


@require_safe
@reader_cache
def person(request, pk):
    listing = rows.person_listing(pk, sees_drafts(request.user), PERSON_PHOTOS)
    page_obj = paginate(request, listing, bound=PERSON_COUNT_BOUND)  # and the person, their photos
    obj = rows.person_of(listing)
    if obj is None:
        raise Http404("没有这个人")
    photos = rows.person_photos_of(listing)
    if not page_obj.paginator.count and not photos:
        raise Http404("此人没有已发布的作品")
    canonical = absolute(request, obj["url"])
    json_ld = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "ProfilePage",
                "url": canonical,
                "inLanguage": "zh-CN",
                "mainEntity": {
                    "@type": "Person",
                    "name": obj["name"],
                    **({"description": obj["affiliation"]} if obj["affiliation"] else {}),
                    "url": canonical,
                },
                "hasPart": item_list(request, page_obj),
            },
            breadcrumbs(request, (obj["name"], obj["url"])),
        ],
    }
    return render(
        request,
        "site/person.html",
        {
            "person": obj,
            "page_obj": page_obj,
            "photos": photos,
            "canonical_url": canonical,
            "og_image": photo_image_url(request, photos),
            "json_ld": json_ld_text(json_ld),
        },
    )


# ---------------------------------------------------------------- archive


@require_safe
@reader_cache
def archive(request):
    years = (
        issues_with(Article.objects.visible_to(request.user))
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(issue_count=Count("pk"))
        .order_by("-year")
    )
    return render(
        request,
        "site/archive.html",
        {"years": list(years), "canonical_url": absolute(request, reverse("site:archive"))},
    )


@require_safe
@reader_cache
def archive_year(request, year):
    months = list(
        issues_with(Article.objects.visible_to(request.user))
        .filter(date__year=year)
        .annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(issue_count=Count("pk"))
        .order_by("month")
    )
    if not months:
        raise Http404("这一年没有报纸")
    return render(
        request,
        "site/archive_year.html",
        {
            "year": year,
            "months": months,
            "canonical_url": absolute(request, reverse("site:archive-year", args=[year])),
        },
    )


@require_safe
@reader_cache
def archive_month(request, year, month):
    if not 1 <= month <= 12 or not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise Http404("没有这个月")
    issues_here = issues_with(Article.objects.visible_to(request.user))
    dates = set(issues_here.filter(date__year=year, date__month=month).values_list("date", flat=True))
    if not dates:
        raise Http404("这个月没有报纸")
    first = datetime.date(year, month, 1)
    last = first.replace(day=calendar.monthrange(year, month)[1])
    previous_date = (
        issues_here.filter(date__lt=first).order_by("-date").values_list("date", flat=True).first()
    )
    next_date = issues_here.filter(date__gt=last).order_by("date").values_list("date", flat=True).first()
    weeks = [
        [{"date": d, "in_month": d.month == month, "has_issue": d in dates} for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    return render(
        request,
        "site/archive_month.html",
        {
            "year": year,
            "month": month,
            "weeks": weeks,
            "weekday_names": list(CN_WEEKDAYS),
            "issue_dates": sorted(dates),
            "previous_month": previous_date,
            "next_month": next_date,
            "canonical_url": absolute(request, reverse("site:archive-month", args=[year, month])),
        },
    )


# ---------------------------------------------------------------- search


@require_safe
@reader_cache
def search(request):
    """The search page: ArticleFilter over published articles, highlighted snippets."""
    params = request.GET.copy()
    params.pop("p", None)
    searched = any(v.strip() for v in params.values())
    listed = Article.objects.published().with_page().with_bylines()
    filterset = ArticleFilter(params, queryset=listed, request=request)
    page_obj, terms, results = None, [], []
    valid = filterset.is_valid()
    if searched and valid:
        q = filterset.form.cleaned_data.get("q") or ""
        terms = search_engine.parse_query(q) if q else []
        qs = filterset.qs
        if not q:
            qs = qs.newest_first()
        page_obj = paginate(request, qs)
        for a in page_obj:
            results.append(
                {
                    "article": a,
                    "title": search_engine.highlight(a.title, terms),
                    "snippet": search_engine.snippet(a.body_text, terms, width=120),
                }
            )
    errors = []
    if searched and not valid:
        for name, messages in filterset.form.errors.items():
            label = filterset.form.fields[name].label if name in filterset.form.fields else ""
            errors.extend(f"{label}：{m}" if label else m for m in messages)
    querystring = params.urlencode()
    return render(
        request,
        "site/search.html",
        {
            "form": filterset.form,
            "q": params.get("q", ""),
            "searched": searched,
            "errors": errors,
            "page_obj": page_obj,
            "results": results,
            "querystring": querystring,
            "columns": Column.objects.order_by("name").only("name", "slug"),
            "selected_column": params.get("column", ""),
            "date_after": params.get("date_after", ""),
            "date_before": params.get("date_before", ""),
            "canonical_url": absolute(request, reverse("site:search")),
            "noindex": True,
        },
    )


# ---------------------------------------------------------------- machines


@require_safe
def robots_txt(request):
    sitemap = absolute(request, reverse("site:sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /search/",
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the page says."""
    response = redirect(static("favicon.ico"))
    patch_cache_control(response, public=True, max_age=86400)
    return response
