"""Stage 5 — checks: finishing the built articles and flagging what the parse had to guess.

Each article gets its end-of-piece byline, and a warning (so ``needs_review``) for a missing
headline, an empty body, a truncated ending or a sentence printed twice.  Two repairs need the
whole page: the opening paragraphs of a headline-less signed piece cut from the story above it
(``reclaim_leads``), and list items printed after an interleaved story (``return_list_items``).
Text that never got an article of its own joins a neighbour, flagged (``keep_fragment``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from itertools import accumulate
from operator import add

from . import credits as grammar
from .articles import Draft
from .lines import as_credits
from .model import Block, BlockType, Credit, ParsedArticle
from .sentences import starts_mid_sentence
from .text import ends_sentence

PARAGRAPH = BlockType.PARAGRAPH
DUPLICATE_MIN = 14  # clauses this long seen twice on a page are flagged
# clause marks: a repeated clause is text between two of them (DUPLICATE_MIN or longer)
_CLAUSE_MARKS = "，,；;。！？!?：:"
_CLAUSE_ENDS = frozenset(_CLAUSE_MARKS + "\x00")  # \x00 separates paragraphs
_SPACES = (" ", "\u3000", "\t", "\xa0")  # the spaces OCR text holds

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
LEAD_SHARE = 0.15  # a paragraph handed back shares at least this much of its wording …
LEAD_RATIO = 1.5  # … and this many times more with the piece it goes to than the one it leaves
LEAD_SAMPLE = 80  # wording compared: the opening characters of each paragraph and subhead
REJOIN_SHARE = 0.1  # a section shares this much of its story's headline and first paragraph …
REJOIN_BLOCKS = 4  # … in its first blocks (subheads and paragraph openings)
MIN_KEPT = 2  # paragraphs a story keeps (its dateline paragraph and at least one more)


def _bigrams(text: str) -> set[str]:
    """The pairs of adjacent CJK characters in ``text`` (its wording, for comparing texts)."""
    pairs: set[str] = set()
    for run in _CJK_RUN.findall(text):
        pairs.update(map(add, run, run[1:]))
    return pairs


def reclaim_leads(drafts: list[Draft]) -> None:
    """Give a piece cut from a news story at its first subhead the paragraphs it opens with.

    The builder starts a new (headline-less) piece when a subhead follows a dateline story
    that has ended.  A commentary printed under the story without a headline begins with
    one or more paragraphs before its first subhead; those stayed in the story.  The
    story's last paragraphs go to the piece when each of them shares much more of its
    wording with the piece (the other moved paragraphs included) than with what stays in
    the story.  Conservative: the piece must be signed (its author in brackets at its end),
    the story keeps at least ``MIN_KEPT`` paragraphs and must have ended on a full sentence
    before the moved ones.
    """
    for piece in drafts:
        story = piece.split_from
        if story is None or piece.article.title:
            continue
        blocks, own = story.blocks, piece.blocks
        if len(blocks) <= MIN_KEPT or not own or own[-1].type is not PARAGRAPH:
            continue
        if end_byline(own[-1].text) is None:
            continue  # only a signed piece: it ends with its author in brackets
        if any(b.type is not PARAGRAPH for b in blocks):
            continue
        cut = _lead_split(blocks, _bigrams("\x00".join(b.text[:LEAD_SAMPLE] for b in own)))
        if cut:
            own[:0] = blocks[cut:]
            del blocks[cut:]
            piece.article.warnings.append(f"无标题稿件的开头按用词从上一篇分出：{own[0].text[:12]}…")


def rejoin_unsigned_pieces(drafts: list[Draft]) -> None:
    """Give a news story back the subheads and text cut from it at its first subhead.

    The builder starts a headline-less piece when a subhead follows a dateline story that
    has ended, for a commentary printed under the story.  A piece that is not signed (no
    author in brackets at its end), has no headline, dateline or byline of its own, and
    takes up the story's topic (shares at least ``REJOIN_SHARE`` of the wording of the
    story's headline and first paragraph) is the story's next section: its blocks go back.
    """
    for piece in drafts:
        story = piece.split_from
        if story is None:
            continue
        article, own = piece.article, piece.blocks
        if article.title or article.dateline or article.bylines or not own:
            continue
        paragraphs = [b for b in own if b.type is PARAGRAPH]
        if paragraphs and end_byline(paragraphs[-1].text) is not None:
            continue
        topic = _bigrams(f"{story.article.title}\x00{story.blocks[0].text}") if story.blocks else set()
        shared = _bigrams("\x00".join(b.text[:LEAD_SAMPLE] for b in own[:REJOIN_BLOCKS])) & topic
        if not topic or len(shared) < REJOIN_SHARE * len(topic):
            continue  # another topic: a piece of its own (flagged: it has no headline)
        target = story.article
        target.blocks.extend(own)
        article.blocks = []
        for name in ("editor_note", "reading_tip", "source_note"):
            if getattr(article, name) and not getattr(target, name):
                setattr(target, name, getattr(article, name))
                setattr(article, name, "")
        if article.continued_to_page is not None and target.continued_to_page is None:
            target.continued_to_page, article.continued_to_page = article.continued_to_page, None
        target.warnings.extend(article.warnings)
        article.warnings = []
        piece.split_from = None


def _lead_split(blocks: list[Block], piece: set[str]) -> int:
    """The first of the story's last paragraphs that belong to the piece (0: none)."""
    grams = [_bigrams(b.text[:LEAD_SAMPLE]) for b in blocks]
    n = len(blocks)
    for k in range(MIN_KEPT, n):
        if not ends_sentence(blocks[k - 1].text) or starts_mid_sentence(blocks[k].text):
            continue
        kept = set().union(*grams[:k])
        for j in range(k, n):
            g = grams[j]
            if not g:
                break
            # shared with the piece or with another of the moved paragraphs
            others = piece.union(*grams[k:j], *grams[j + 1 :])
            new = len(g & others) / len(g)
            if new < LEAD_SHARE or new < LEAD_RATIO * len(g & kept) / len(g):
                break
        else:
            return k
    return 0


_TOPIC = re.compile(r"^[^，,、；;：:。！？!?]{4,16}[，,][^，,、；;：:。！？!?]{4,20}。")


def _is_topic(text: str) -> bool:
    """A list item of a round-up: opens with a short ``X，Y。`` topic sentence
    (``搭建工会维权“四梁八柱”，夯实维权组织基础。``)."""
    return _TOPIC.match(text) is not None


def return_list_items(drafts: list[Draft]) -> None:
    """Return a story's list items printed after a story interleaved with it.

    Story A is a list of parallel ``X，Y。`` items and breaks off mid-sentence; another
    story B (interleaved with A on the page) ends with items of the same shape although
    none of its own paragraphs has it.  Those trailing items are A's: they move to the
    end of A, and A is flagged (the placement is inferred from the shape of the text).
    """
    for draft in drafts:
        blocks = draft.blocks
        if not blocks or blocks[-1].type is not PARAGRAPH or ends_sentence(blocks[-1].text):
            continue
        flags = [_is_topic(b.text) for b in blocks if b.type is PARAGRAPH]
        if sum(flags[1:-1]) < 2:  # items between the lead paragraph and the open end
            continue
        donors = []
        for other in drafts:
            if other is draft or other.position < draft.position:
                continue
            if any(b.type is not PARAGRAPH for b in other.blocks):
                continue
            shaped = [_is_topic(b.text) for b in other.blocks]
            n = t = len(shaped)
            while t > 0 and shaped[t - 1]:
                t -= 1
            if t < n and t >= 2 and not any(shaped[:t]) and ends_sentence(other.blocks[t - 1].text):
                donors.append((other, t))
        if len(donors) != 1:
            continue
        donor, t = donors[0]
        items = donor.blocks[t:]
        del donor.blocks[t:]
        blocks.extend(items)
        draft.article.warnings.append(f"段落归属按格式推断（穿插稿件之后）：{items[0].text[:12]}…")
        draft.article.warnings.append(f"段落不完整：…{blocks[-len(items) - 1].text[-8:]}")


def finish(article: ParsedArticle) -> None:
    """End-of-piece byline; warnings for a missing headline, truncated ending, empty body."""
    paragraphs = article.paragraphs
    if paragraphs:
        last = paragraphs[-1]
        signed = end_byline(last.text)
        if signed is not None:
            last.text, people = signed
            article.bylines.extend(people)
    article.blocks = [b for b in article.blocks if b.text.strip()]
    paragraphs = article.paragraphs
    if not article.title:
        article.warnings.insert(0, "未找到标题")
    if paragraphs and not ends_sentence(paragraphs[-1].text):
        article.warnings.append(f"结尾不完整：…{paragraphs[-1].text[-8:]}")
    if not paragraphs:
        article.warnings.append("正文为空")


_BEFORE_END_BYLINE = frozenset("。！？!?…”")


def end_byline(text: str) -> tuple[str, list[Credit]] | None:
    """Names in brackets closing a piece after its last sentence (``…再立新功。（梁伟强）``,
    ``（刘丽萍 顾威）``, ``（记者张三 通讯员李四）``): the text before them and the people."""
    if text.rstrip()[-1:] not in ("）", ")"):
        return None
    split = grammar.split_end_byline(text)
    if split is None or not split[0] or split[0][-1] not in _BEFORE_END_BYLINE:
        return None
    return split[0], as_credits(split[1].people)


def has_text(article: ParsedArticle) -> bool:
    """Whether a body-less, title-less piece still carries text (names, notes, a headline part)."""
    return bool(
        article.bylines
        or article.kicker
        or article.subtitle
        or article.editor_note
        or article.reading_tip
        or article.source_note
    )


def keep_fragment(fragment: ParsedArticle, articles: list[ParsedArticle], follows: int) -> None:
    """Keep the text of a piece that never got a body or headline (nothing is dropped).

    It joins the article it follows on the page (``follows``: how many articles precede
    it; a byline printed after its story, say), or the first article when it comes before
    all of them, with a warning; on a page with no article it stays a piece of its own,
    flagged for review.
    """
    names = "、".join(c.name for c in fragment.bylines)
    what = f"署名“{names}”" if names else "片段"
    if not articles:
        fragment.warnings.append(f"只有{what}，没有正文")
        articles.append(fragment)
        return
    target = articles[follows - 1] if follows else articles[0]
    target.bylines.extend(c for c in fragment.bylines if c not in target.bylines)
    target.dateline = target.dateline or fragment.dateline
    for name in ("editor_note", "reading_tip", "source_note"):
        text = getattr(fragment, name)
        if text:
            setattr(target, name, f"{getattr(target, name)}\n{text}".strip())
    for part in (fragment.kicker, fragment.subtitle):
        if part:
            target.blocks.append(Block(PARAGRAPH, part))
    target.warnings.append(f"{what}位置存疑，已归入本稿")


def flag_duplicates(articles: list[ParsedArticle]) -> None:
    """Warn on the article where a long clause is seen for the second time on the page.

    A clause is the text between two clause marks (or a paragraph's ends), without its
    surrounding spaces.  The page's paragraphs are cut with ``str.replace``/``split`` (far
    cheaper than a regex over every character); only repeated clauses are then located.
    """
    texts: list[str] = []
    owner: list[ParsedArticle] = []
    for article in articles:
        for b in article.blocks:
            if b.type is PARAGRAPH:
                texts.append(b.text)
                owner.append(article)
    joined = "\x00".join(texts)
    cut = joined
    for mark in _CLAUSE_MARKS:
        cut = cut.replace(mark, "\x00")
    parts = cut.split("\x00")
    if any(space in cut for space in _SPACES):  # rare: clauses are compared without them
        parts = [c.strip() for c in parts]
    long_clauses = [c for c in parts if len(c) >= DUPLICATE_MIN]
    if len(set(long_clauses)) == len(long_clauses):
        return  # no long clause seen twice (the commonest case: the clauses are not counted)
    repeated = [k for k, n in Counter(long_clauses).items() if n > 1]
    second: list[tuple[int, str]] = []
    for k in repeated:
        pos, seen = joined.find(k), 0
        while pos >= 0:
            if _whole_clause(joined, pos, pos + len(k)):
                seen += 1
                if seen == 2:
                    second.append((pos, k))
                    break
            pos = joined.find(k, pos + 1)
    starts = list(accumulate((len(t) + 1 for t in texts), initial=0))  # paragraph offsets
    for pos, k in sorted(second):
        owner[bisect_right(starts, pos) - 1].warnings.append(f"重复句子：{k[:12]}…")


def _whole_clause(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is a whole clause: only spaces between it and the clause
    marks (or paragraph separators, or the ends of ``text``) on both sides."""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i >= 0 and text[i] not in _CLAUSE_ENDS:
        return False
    j, n = end, len(text)
    while j < n and text[j].isspace():
        j += 1
    return j == n or text[j] in _CLAUSE_ENDS
