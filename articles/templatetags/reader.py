"""Small template helpers for the reader site (all output escaped)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.models import cached_reverse, id_path

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


@register.filter
def issue_date(issue) -> str:
    """An issue's date as readers see it: 2020年10月23日, marked when it is only an estimate."""
    if issue is None:
        return ""
    text = cn_date(issue.date)
    if not issue.date_estimated:
        return text
    return format_html(
        '{}<span class="date-estimated" title="{}">（日期为推测）</span>',
        text,
        "这一期的出版日期是根据版面内容推测的，尚未核实。",
    )


@register.simple_tag(takes_context=True)
def paper_line(context, page) -> str:
    """《工人日报》(2020年10月23日 03版)"""
    d = page.issue.date
    return format_html(
        "《{}》({} {})", context.get("paper_name", ""), f"{d:%Y}年{d:%m}月{d:%d}日", page.label
    )


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


@register.simple_tag
def bylines_html(bylines) -> str:
    """记者 马学礼 通讯员 郑莉, each name linking to the person's page (``_bylines.html``)."""
    if not bylines:
        return ""
    names = format_html_join(
        " ",
        '{}<a href="{}">{}</a>',
        (
            (
                format_html('<span class="role">{}</span> ', b.role) if b.role else "",
                b.person.get_absolute_url(),
                b.person.name,
            )
            for b in bylines
        ),
    )
    return format_html('<span class="bylines">{}</span>', names)


@register.simple_tag
def article_item(item, heading: str = "h2", show_column: bool = False) -> str:
    """One article in a list (issue, column, person pages): kicker, linked title, subtitle,
    its page and date, its column, its bylines — every value escaped.

    Python rather than an included template: an issue page lists 64 articles, and an
    ``{% include %}`` each cost more than everything else on the page."""
    heading = heading if heading in ("h2", "h3") else "h2"
    page = item.page
    parts = ['<li class="article-item">\n']
    if item.kicker:
        parts.append(format_html('  <p class="kicker">{}</p>\n', item.kicker))
    draft = ' <span class="draft-tag">草稿</span>' if item.status == "draft" else ""
    parts.append(
        format_html(
            '  <{h} class="item-title"><a href="{}">{}</a>{}</{h}>\n',
            item.get_absolute_url(),
            item.title,
            mark_safe(draft),
            h=mark_safe(heading),
        )
    )
    if item.subtitle:
        parts.append(format_html('  <p class="subtitle">{}</p>\n', item.subtitle))
    meta = [
        format_html('<a href="{}">{} {}</a>', page.get_absolute_url(), issue_date(page.issue), page.label)
    ]
    if show_column and item.column_id and item.column:
        meta.append(format_html(' · <a href="{}">{}</a>', item.column.get_absolute_url(), item.column.name))
    bylines = item.bylines.all()
    if bylines:
        meta.append(format_html(" · {}", bylines_html(bylines)))
    parts.append(format_html('  <p class="meta">\n    {}\n  </p>\n</li>', mark_safe("".join(meta))))
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def page_query(context, number) -> str:
    """The current query string with ?p= set to ``number`` (for pagination links)."""
    params = context["request"].GET.copy()
    params["p"] = number
    return "?" + params.urlencode()


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
