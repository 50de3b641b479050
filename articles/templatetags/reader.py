"""Small template helpers for the reader site (all output escaped)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
    from django.urls import reverse

    return reverse("site:issue", kwargs={"year": d.year, "month": d.month, "day": d.day})


@register.simple_tag
def page_url(pk) -> str:
    """A page's permanent address from its id."""
    from django.urls import reverse

    return reverse("site:page", kwargs={"pk": pk})


@register.simple_tag
def dated_page_url(issue_date, number) -> str:
    """Page ``number`` of the issue of ``issue_date`` (an address that redirects to the page)."""
    from django.urls import reverse

    return reverse(
        "site:dated-page",
        kwargs={"year": issue_date.year, "month": issue_date.month, "day": issue_date.day, "number": number},
    )


@register.simple_tag
def article_url(pk) -> str:
    """An article's permanent address from its id."""
    from django.urls import reverse

    return reverse("site:article", kwargs={"pk": pk})


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
