"""Small template helpers for the reader site (all output escaped)."""

from __future__ import annotations

import functools
from html import escape

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from articles.models import cached_reverse, id_path, id_url_format

register = template.Library()


@register.filter
def page_label(number) -> str:
    """3 -> 03版"""
    try:
        return f"{int(number):02d}版"
    except (TypeError, ValueError):
        return ""


@register.filter
def cn_date(value) -> str:
    """2020-10-23 -> 2020年10月23日"""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


ESTIMATED_DATE = (
    '<span class="date-estimated" title="这一期的出版日期是根据版面内容推测的，尚未核实。">'
    "（日期为推测）</span>"
)


def _issue_date(date, estimated: bool) -> str:
    text = f"{date.year}年{date.month}月{date.day}日"
    return SafeString(text + ESTIMATED_DATE) if estimated else text


@register.filter
def issue_date(issue) -> str:
    """An issue's date as readers see it: 2020年10月23日, marked when it is only an estimate
    (an Issue or a row of ``articles.rows.ISSUE_FIELDS``)."""
    if issue is None:
        return ""
    if isinstance(issue, dict):
        return _issue_date(issue["date"], issue["date_estimated"])
    return _issue_date(issue.date, issue.date_estimated)


@register.simple_tag(takes_context=True)
def paper_line(context, page) -> str:
    """《工人日报》(2020年10月23日 03版)"""
    d = page.issue.date
    return format_html(
        "《{}》({} {})", context.get("paper_name", ""), f"{d:%Y}年{d:%m}月{d:%d}日", page.label
    )


@register.simple_tag
def cached_url(name, *args) -> str:
    """``{% url name arg… %}``, reversed once per process (every page links the same dozen)."""
    return cached_reverse(name, *args)


@functools.lru_cache(maxsize=256)
def _static(path: str, static_url: str) -> str:
    return static(path)


@register.simple_tag
def cached_static(path) -> str:
    """``{% static path %}``, looked up once per process (the hashed name of a collected
    file does not change while the process runs; collectstatic is followed by a restart)."""
    return _static(path, settings.STATIC_URL)


@receiver(setting_changed)
def _forget_static(setting, **kwargs):
    if setting in ("STATIC_URL", "STATIC_ROOT", "STORAGES", "STATICFILES_DIRS"):
        _static.cache_clear()


@register.simple_tag
def issue_url(d) -> str:
    return cached_reverse("site:issue", year=d.year, month=d.month, day=d.day)


@register.simple_tag
def page_url(pk) -> str:
    """A page's permanent address from its id."""
    return id_path("site:page", pk)


@register.simple_tag
def dated_page_url(issue_date, number) -> str:
    """Page ``number`` of the issue of ``issue_date`` (an address that redirects to the page)."""
    d = issue_date
    return cached_reverse("site:dated-page", year=d.year, month=d.month, day=d.day, number=number)


@register.simple_tag
def article_url(pk) -> str:
    """An article's permanent address from its id."""
    return id_path("site:article", pk)


def _bylines(rows, person: str | None = None, made: dict | None = None) -> str:
    """``(role, person_id, name)`` triples as 记者 马学礼 通讯员 郑莉, names linked, escaped
    (``person``: the person URL format, when the caller already has it; ``made``: each
    triple's HTML so far, kept by a caller that shows many bylines of the same people)."""
    person = person or id_url_format("site:person")
    made = {} if made is None else made
    names = []
    for triple in rows:
        one = made.get(triple)
        if one is None:
            role, pk, name = triple
            link = f'<a href="{person.format(int(pk))}">{escape(name)}</a>'
            one = made[triple] = f'<span class="role">{escape(role)}</span> {link}' if role else link
        names.append(one)
    return f'<span class="bylines">{" ".join(names)}</span>'


@register.simple_tag
def bylines_html(bylines) -> str:
    """记者 马学礼 通讯员 郑莉, each name linking to the person's page: Byline instances (with
    their person) or rows of ``articles.rows.BYLINE_FIELDS``."""
    if not bylines:
        return ""
    return SafeString(_bylines(_byline_rows(bylines)))


def _byline_rows(bylines) -> list[tuple]:
    if isinstance(bylines[0], dict):
        return [(b["role"], b["person_id"], b["person__name"]) for b in bylines]
    return [(b.role, b.person_id, b.person.name) for b in bylines]


@register.simple_tag
def article_items(items, heading: str = "h2", show_column: bool = False) -> str:
    """Articles in a list (issue, column, person pages), from rows of
    ``articles.rows.ITEM_FIELDS`` with their ``bylines``: kicker, linked title, subtitle,
    its page and date, its column, its bylines — every value escaped.

    One string join in Python rather than a template per article: an issue page lists
    64 articles, and an ``{% include %}`` (or a tag call) each cost more than the rest of
    the page. URLs are made from the patterns reversed once (``id_path``)."""
    heading = heading if heading in ("h2", "h3") else "h2"
    article, page = id_url_format("site:article"), id_url_format("site:page")
    person = id_url_format("site:person")
    bylines: dict = {}  # (role, person id, name) -> its HTML: a list repeats the same people
    dates: dict = {}
    columns: dict = {}  # slug -> the column's link, escaped
    parts = []
    for item in items:
        parts.append('<li class="article-item">\n')
        if item["kicker"]:
            parts.append(f'  <p class="kicker">{escape(item["kicker"])}</p>\n')
        draft = ' <span class="draft-tag">草稿</span>' if item["status"] == "draft" else ""
        parts.append(
            f'  <{heading} class="item-title"><a href="{article.format(int(item["id"]))}">'
            f"{escape(item['title'])}</a>{draft}</{heading}>\n"
        )
        if item["subtitle"]:
            parts.append(f'  <p class="subtitle">{escape(item["subtitle"])}</p>\n')
        key = (item["page__issue__date"], item["page__issue__date_estimated"])
        date = dates.get(key)
        if date is None:
            date = dates[key] = _issue_date(*key)
        page_link = page.format(int(item["page_id"]))
        parts.append(f'  <p class="meta">\n    <a href="{page_link}">{date} {item["page__number"]:02d}版</a>')
        if show_column and item["column_id"]:
            slug = item["column__slug"]
            link = columns.get(slug)
            if link is None:
                url = cached_reverse("site:column", slug=slug)
                link = columns[slug] = f'<a href="{escape(url)}">{escape(item["column__name"])}</a>'
            parts.append(f" · {link}")
        if item["bylines"]:
            parts.append(" · " + _bylines(_byline_rows(item["bylines"]), person, bylines))
        parts.append("\n  </p>\n</li>")
    return SafeString("".join(parts))


@register.simple_tag
def issue_sections(pages) -> str:
    """The issue page's pages (rows of ``articles.rows.issue_page``), each a ``<section>``:
    its linked label and name, its articles (:func:`article_items`) and how many photos it
    has, every value escaped (one string join instead of a template loop of a dozen tags and
    variables a page)."""
    parts = []
    for p in pages:
        number, url = int(p["number"]), escape(p["url"])
        name = f" · {escape(p['name'])}" if p["name"] else ""
        photos = (
            f'<p class="photo-count"><a href="{url}#photos">本版图片 {int(p["photo_count"])} 张</a></p>'
            if p["photo_count"]
            else ""
        )
        parts.append(
            f'\n<section class="issue-page" aria-labelledby="page-{number}-title">\n'
            f'  <h2 id="page-{number}-title"><a href="{url}">{escape(p["label"])}{name}</a></h2>\n'
            f'  <ul class="article-list">\n    {article_items(p["articles"], "h3", True)}\n  </ul>\n'
            f"  {photos}\n</section>\n"
        )
    return SafeString("".join(parts))


@register.simple_tag(takes_context=True)
def page_query(context, number) -> str:
    """The current query string with ?p= set to ``number`` (for pagination links)."""
    params = context["request"].GET.copy()
    params["p"] = number
    return "?" + params.urlencode()


#: The photos' ``sizes``: a column of at most 24rem beside the text, the full width on a phone.
PHOTO_SIZES = "(min-width: 40rem) 24rem, 100vw"


@register.simple_tag
def photo_figure(photo, anchor: bool = False, eager: bool = False) -> str:
    """One photo as a ``<figure>``: its renditions (``srcset``/``sizes``, WebP first, width
    and height; lazy unless ``eager``), title, caption and credits (``photo.shown_credits``,
    rows of ``articles.rows.CREDIT_FIELDS``), every value escaped. ``anchor``: with
    ``id="photo-N"`` (its position), which the page's links point at."""
    return SafeString(_photo_figure(photo, anchor, eager, id_url_format("site:person")))


@register.simple_tag
def photo_figures(photos, anchor: bool = False, eager_first: bool = False) -> str:
    """``photo_figure`` of each photo (the first one ``eager`` if ``eager_first``), joined:
    one tag for a page's photos instead of a template loop of tags."""
    person = id_url_format("site:person")
    return SafeString(
        "".join(_photo_figure(p, anchor, eager_first and i == 0, person) for i, p in enumerate(photos))
    )


def _photo_figure(photo, anchor: bool, eager: bool, person: str) -> str:
    from articles.images import renditions as photo_renditions

    parts = [
        f'<figure class="photo" id="photo-{int(photo.position)}">\n  '
        if anchor
        else '<figure class="photo">\n  '
    ]
    r = photo_renditions(photo)
    if r:
        alt = escape(Truncator(photo.title or photo.caption).chars(60))
        loading = ' fetchpriority="high"' if eager else ' loading="lazy"'
        parts.append(
            "<picture>"
            f'\n    <source type="image/webp" srcset="{escape(r["webp_srcset"])}" sizes="{PHOTO_SIZES}">'
            f'\n    <img src="{escape(r["src"])}" srcset="{escape(r["srcset"])}" sizes="{PHOTO_SIZES}" '
            f'width="{int(r["width"])}" height="{int(r["height"])}" alt="{alt}"{loading} decoding="async">'
            "\n  </picture>"
        )
    parts.append("\n  <figcaption>\n    ")
    if photo.title:
        parts.append(f'<strong class="photo-title">{escape(photo.title)}</strong>')
    parts.append("\n    ")
    if photo.caption:
        parts.append(f'<span class="caption">{escape(photo.caption)}</span>')
    parts.append("\n    ")
    credits = photo.shown_credits
    if credits or photo.agency:
        names = "、".join(
            (f"{escape(c['role'])} " if c["role"] and c["role"] != "摄影" else "")
            + f'<a href="{person.format(int(c["person_id"]))}">{escape(c["person__name"])}</a>'
            for c in credits
        )
        agency = ""
        if photo.agency:
            agency = f"（{escape(photo.agency)}）" if credits else f"{escape(photo.agency)}供图"
        parts.append(f'\n    <span class="credit">{names}{" 摄" if credits else ""}{agency}</span>\n    ')
    parts.append("\n  </figcaption>\n</figure>\n")
    return "".join(parts)


@register.simple_tag
def person_photo_items(photos) -> str:
    """A person's photos (``articles.rows.person_photos_of``), each its ``photo_figure`` and
    where it was printed (``page_url``, ``page_date``, ``page_label``), every value escaped:
    one string join instead of a template loop of four tags a photo (24 photos)."""
    person = id_url_format("site:person")
    return SafeString(
        "".join(
            f'<div class="photo-item">{_photo_figure(photo, False, False, person)}<p class="meta">'
            f'<a href="{escape(photo.page_url)}">'
            f"{escape(cn_date(photo.page_date))} {escape(photo.page_label)}</a></p></div>"
            for photo in photos
        )
    )


@register.simple_tag
def title_nav_items(articles) -> str:
    """The home page's title list of a page: rows of ``articles.rows.ITEM_FIELDS``, each a
    ``<li>`` with its kicker, linked title, draft mark and column, every value escaped (one
    string join instead of a template loop: the latest issue's 64 titles)."""
    article = id_url_format("site:article")
    parts = []
    for a in articles:
        kicker = f'<span class="kicker">{escape(a["kicker"])}</span>' if a["kicker"] else ""
        draft = ' <span class="draft-tag">草稿</span>' if a["status"] == "draft" else ""
        column = f' <span class="column-tag">{escape(a["column__name"])}</span>' if a["column_id"] else ""
        parts.append(
            f'\n    <li>{kicker}<a href="{article.format(int(a["id"]))}">{escape(a["title"])}</a>'
            f"{draft}{column}</li>\n    "
        )
    return SafeString("".join(parts))


@register.filter
def renditions(photo):
    """The photo's reader renditions (articles.images.renditions), or None."""
    from articles.images import renditions as photo_renditions

    return photo_renditions(photo)


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    """``{% capture as name %}…{% endcapture %}``: render once, use twice (title and og:title).

    The captured text is the template's own escaped output, with whitespace collapsed.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
