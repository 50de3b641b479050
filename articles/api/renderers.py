"""The browsable API (DRF's HTML pages) under the site's Content-Security-Policy.

The policy allows no inline styles (``style-src 'self'``, settings.CONTENT_SECURITY_POLICY).
DRF's page has two kinds: a ``<style>`` block of Pygments colours (only when Pygments is
installed; the page already loads its own ``prettify.css``) and ``style`` attributes (the
"Filters" button, the extra-actions menu, and for staff the form tabs). This renderer drops
the first and turns each known attribute into ``data-api-style="…"``, which
``static/css/api.css`` styles (``templates/rest_framework/api.html`` loads it).
``tests/test_csp_browser.py`` opens the pages in Chromium, as a reader and as staff, and
finds no violation.
"""

from __future__ import annotations

from rest_framework import renderers

# DRF's inline styles → the name static/css/api.css gives them.
INLINE_STYLES = {
    "float: right; margin-right: 10px": "float",
    "border-bottom: 1px solid #e5e5e5": "tabs",
    "border-bottom: 0": "tabs-end",
}


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        context["code_style"] = None
        return context

    def render(self, data, accepted_media_type=None, renderer_context=None):
        html = super().render(data, accepted_media_type, renderer_context)
        if isinstance(html, bytes):
            html = html.decode("utf-8")
        for style, name in INLINE_STYLES.items():
            html = html.replace(f' style="{style}"', f' data-api-style="{name}"')
        return html
