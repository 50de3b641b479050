"""The page parser: the stages of ``articles.parsing`` run in order over one page.

1. ``lines``         — each line and what it is (:class:`~.lines.LineRole`);
2. ``photos``        — news photo groups, taken out of the text;
3. ``blocks``        — the remaining lines as blocks (runs of short lines together);
4. ``reading_order`` — which block continues each open paragraph end, decided over the
                       whole page; the blocks put in reading order;
5. ``articles``      — the blocks, in reading order, built into articles;
6. ``checks``        — page-wide repairs, bylines at the end of a piece, warnings.
"""

from __future__ import annotations

from .articles import ArticleBuilder
from .blocks import page_blocks
from .checks import (
    finish,
    flag_duplicates,
    has_text,
    keep_fragment,
    reclaim_leads,
    rejoin_unsigned_pieces,
    return_list_items,
)
from .lines import split_lines
from .model import ParsedArticle, ParsedPage
from .photos import find_photos
from .reading_order import reading_order


def parse_page(text: str) -> ParsedPage:
    """Parse the text of one page into its articles and news photos, in page order."""
    lines = split_lines(text)
    photos, photo_lines = find_photos(lines)
    builder = ArticleBuilder()
    drafts = builder.build(reading_order(page_blocks(lines, photo_lines)))
    rejoin_unsigned_pieces(drafts)
    reclaim_leads(drafts)
    return_list_items(drafts)
    page = ParsedPage(photos=photos, warnings=builder.page_warnings)
    fragments: list[tuple[int, ParsedArticle]] = []
    for draft in drafts:
        article = draft.article
        finish(article)
        if article.blocks or article.title:
            page.articles.append(article)
        elif has_text(article):
            fragments.append((len(page.articles), article))
    for follows, fragment in fragments:
        keep_fragment(fragment, page.articles, follows)
    flag_duplicates([d.article for d in drafts])
    return page
