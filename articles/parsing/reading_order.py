"""Stage 3 — reading order: which block of text continues which open paragraph end.

The OCR cuts paragraphs at column edges and interleaves the pieces of neighbouring
columns, so the rest of a sentence may follow another story's block.  A paragraph that
ends without sentence-final punctuation is *open*.  This stage decides, over the whole
page at once, which later text block continues each open end:

1. every open end is scored against every text block that could continue it (the next
   ``REACH`` of them): the words formed across the break (``words``), punctuation that
   can only continue a sentence, a clause that cannot open one, the block coming right
   after the end, and what lies between;
2. the assignment of continuations to ends with the best total score wins (an exact
   maximum-weight matching, per group of ends that compete for the same blocks);
3. a join whose total beats the best assignment without it by less than ``KEEP`` is not
   made — the block stays where it is and both sides are flagged; one that wins by less
   than ``SURE`` is made and flagged; an open end left without a continuation is flagged.

The result is the page's blocks in *reading order*: each continuation (with the blocks
that follow it, up to the next jump) moved right after the end it continues, and the set
of text lines that continue the paragraph before them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .blocks import LONG_SUBHEAD, ShortRun
from .lines import JUMP_RE, Line, LineRole
from .sentences import SPACED_PARTS as _SPACED_PARTS
from .sentences import starts_inside_quote, starts_mid_sentence
from .text import LOWER_START, ends_sentence, is_cjk, key, signed
from .words import (
    char_pairs,
    crossing_span,
    crossing_word,
    end_side,
    start_side,
    tail_is_word,
    word_freq,
    word_pairs,
)

# -- scores of one join (an open end and a block that may continue it) -------------------------
CROSSING_WORD = 2.5  # a common word formed across the break (加|强 → 加强)
LONG_CROSSING_WORD = 3.0  # a common one of three or four characters; a rare one counts as a common
# word of two (物流|园区 → 物流园区, rare in the list: pieces seldom make one by chance)
RARE_CROSSING_WORD = 1.5  # a rare one (fewer than COMMON_WORD in the word list)
COMMON_WORD = 500
WORD_EDGE = 0.5  # each side of the break that ends / starts with a whole word
CUT_WORD = 1.0  # the end is cut inside a word (it does not end with one) …
# … and the block does not complete it
LOWER = 1.5  # the block opens with punctuation that only continues a sentence (，、。）…)
MID_SENTENCE = 0.5  # the block opens with a clause that cannot start a sentence (的…, 革新；…)
ADJACENT = 1.0  # the block comes right after the end: the commonest cut, at a column edge
AFTER_FINISHED = 1.0  # a later block after a finished paragraph likelier opens a paragraph
AFTER_HEADLINE = 1.0  # … after a headline group: the first paragraph of its story
BETWEEN = 0.02  # each block between the end and the block …
BETWEEN_MAX = 0.3  # … up to this much
# a block under another story that shares more of its wording with the open end's story than
# with the story it sits under (each side: the share of the block's character pairs it holds)
TOPIC = 3.0  # … times the difference of the two shares
TOPIC_SAMPLE = 40  # the wording of a block: the character pairs of its opening characters
LIKELY_AFFINITY = 0.5  # a join needing more topic evidence than this is not weighed (rare)
JOIN_MIN = 0.5  # a join scoring less than this is never made
NO_JOIN = float("-inf")  # the bound of a join that cannot be made without a word across
# -- confidence of a join: how much better the best assignment is than the best without it -----
KEEP = 0.15  # less: the block stays where it is, both sides flagged
SURE = 1.0  # less: joined and flagged
REACH = 16  # text blocks after an open end that may continue it
CHOICES = 3  # the best joins of an end that compete in the assignment
SEARCH_BUDGET = 4000  # steps of the exact search per group of competing ends
# an open end left without a continuation: a block reading on from it this well (a join's
# score), and this much better than any other, is taken as its rest (flagged)
GUESS_MIN = 0.0
GUESS_MARGIN = 0.3
GUESS_REACH = 8
# an open end left as it stands: the line likeliest to be its rest, scoring at least this,
# stays where it is and the story it sits under is flagged — only a line that cannot be a
# paragraph where it stands (it opens mid-sentence, or follows an open, signed or closed piece)
SUSPECT_MIN = -1.0
SUSPECT_NOTE = "段落归属存疑，可能是他文的下文："  # the warning on the story holding it


@dataclass(slots=True)
class ReadingOrder:
    """The page's blocks in reading order, which text lines continue the paragraph before
    them, and warnings for the article that ends up holding a line (by ``id`` of the line)."""

    blocks: list[Line | ShortRun]
    joined: set[int] = field(default_factory=set)
    notes: dict[int, list[str]] = field(default_factory=dict)
    as_text: set[int] = field(default_factory=set)  # lone short lines joined: body text


def _is_tip(block: Line | ShortRun) -> bool:
    return isinstance(block, Line) and block.role is LineRole.TIP


def _all_text(block: Line | ShortRun) -> str:
    return " ".join(line.text for line in block.lines) if isinstance(block, ShortRun) else block.text


def _end_text(line: Line) -> str:
    """The text an end of a paragraph is judged by: ``""`` when it does not count as open."""
    text = line.text
    if text[-1] in "。！？!?" or text.startswith(("——", "--")):
        return ""  # finished, or a subtitle (——…) under its title
    if "版" in text[-12:]:
        m = JUMP_RE.search(text[-12:])
        if m and text.endswith(m.group(0)):
            return ""  # (下转第2版): the paragraph goes on on another page
    return "" if ends_sentence(text) else text


def _can_continue(line: Line) -> bool:
    return line.role is LineRole.TEXT and not ("版" in line.text[:12] and JUMP_RE.match(key(line.text[:12])))


def reading_order(blocks: list[Line | ShortRun]) -> ReadingOrder:
    """Decide, over the whole page, which text block continues each open paragraph end."""
    ends: list[int] = []  # positions in ``blocks`` of open ends
    heads: list[int] = []  # positions of text lines that may continue one
    end_texts: dict[int, str] = {}
    after_tip = after_jump = False
    lone_shorts: set[int] = set()  # lone short lines that may be subheads
    body_shorts: set[int] = set()  # lone short lines that read as pieces of a paragraph
    for i, block in enumerate(blocks):
        if isinstance(block, ShortRun):
            after_tip = after_jump = False
            line = block.lines[0]
            if (
                len(block.lines) == 1
                and block.after is not None
                and block.after.role is LineRole.TEXT
                and not _SPACED_PARTS.search(line.text)
            ):
                # a lone short line before text: a subhead, or a piece of a cut paragraph
                if ends:
                    heads.append(i)
                if _reads_as_body(line, block.after):
                    body_shorts.add(i)  # plainly a piece of a paragraph: text like any other
                    if not ends_sentence(line.text):
                        ends.append(i)
                        end_texts[i] = line.text
                    continue
                lone_shorts.add(i)
                if not end_side(line.text)[1]:  # it stops inside a word: maybe cut
                    ends.append(i)
                    end_texts[i] = line.text
            continue
        role = block.role
        if (role is LineRole.TEXT or role is LineRole.DATELINE) and not after_tip:
            if role is LineRole.TEXT and ends and not after_jump and _can_continue(block):
                heads.append(i)
            text = _end_text(block)
            if text:
                ends.append(i)
                end_texts[i] = text
        after_tip = role is LineRole.TIP  # the reading tip's own text
        after_jump = role is LineRole.JUMP_FROM  # text the jump line leads: it continues nothing here
    body = {id(blocks[i]) for i in body_shorts}
    if not ends:
        return ReadingOrder(blocks, as_text=body)
    topics = _Topics(blocks, body_shorts | lone_shorts) if heads else None
    edges: dict[int, list[tuple[int, float]]] = {}
    if topics is not None:
        edges = _score_joins(blocks, ends, heads, end_texts, lone_shorts, topics)
        joins, notes = _assign(blocks, edges, end_texts)
    else:
        joins, notes = {}, {}
    claimed = set(joins.values())
    for e in ends:
        if e not in joins and e not in lone_shorts and id(blocks[e]) not in notes and not _jumps(blocks, e):
            # (an end that had continuations to weigh lost them to another end: no guess)
            guess = (
                None
                if edges.get(e)
                else _likeliest_rest(blocks, e, heads, end_texts[e], claimed, lone_shorts, topics)
            )
            if guess is not None:
                # no sure continuation, but one block reads on from the end far better than
                # any other: joined, and both the end's story and the story it was printed
                # under are flagged (either may be wrong)
                joins[e] = guess
                claimed.add(guess)
                mark = f"…{end_texts[e][-4:]}|{_text(blocks[guess])[:4]}…"
                notes.setdefault(id(blocks[guess]), []).append(f"接续存疑，按上下文拼接：{mark}")
                notes.setdefault(id(blocks[guess - 1]), []).append(f"下文存疑，可能属于他文：{mark}")
                continue
            # the sentence stops and nothing on the page goes on with it: read on as it stands
            notes[id(blocks[e])] = [f"段落未完，未找到下文：…{end_texts[e][-8:]}"]
            # the line that would read on from it best stays where it is, but the story it
            # sits under may hold it wrongly: that story is flagged too (also when the end had
            # continuations to weigh and lost them, and whatever word it stops on)
            suspect = _likeliest_rest(
                blocks, e, heads, end_texts[e], claimed, lone_shorts, topics, suspect=True, weighed=e in edges
            )
            if suspect is not None:
                mark = f"…{end_texts[e][-4:]}|{_text(blocks[suspect])[:4]}…"
                notes.setdefault(id(blocks[suspect]), []).append(f"{SUSPECT_NOTE}{mark}")
    as_text = body | {id(blocks[i]) for pair in joins.items() for i in pair if i in lone_shorts}
    order = _reorder(blocks, joins, as_text)
    return ReadingOrder(order, {id(blocks[h]) for h in joins.values()}, notes, as_text)


def _likeliest_rest(
    blocks: list[Line | ShortRun],
    e: int,
    heads: list[int],
    end_text: str,
    claimed: set[int],
    lone_shorts: set[int],
    topics: _Topics | None,
    suspect: bool = False,
    weighed: bool = False,
) -> int | None:
    """For an open end no block surely continues and that ends with a whole word (of two
    characters or more: ``…班组``, not ``…建设提``, which a verb's object must complete): the one
    text line that reads on from it much better than any other (scored as any join, at
    least ``GUESS_MIN``, ahead of the next by ``GUESS_MARGIN``), printed after a finished
    paragraph of another story (where the rest of a cut paragraph lands when another
    story's block comes between); else None.  With ``suspect``, for an open end left as it
    stands: the likeliest such line, however weak (scoring at least ``SUSPECT_MIN``), to flag
    the story it sits under.  For an end that had continuations to weigh (``weighed``) and
    lost them, or that stops inside a word, only a line that cannot be a paragraph where it
    stands counts — it opens mid-sentence, or follows an open paragraph, a signed or closed
    piece: a line after a finished paragraph may well be its story's own, and flagging it
    would flag stories at random."""
    if e in lone_shorts or topics is None:
        return None
    whole = tail_is_word(end_text)
    if not suspect and not whole:
        return None  # it may stop inside a word: only a block completing it is its rest
    placed_only = weighed or not whole
    tail, tail_word = end_side(end_text)
    starts: dict[int, tuple[str, bool, float, float]] = {}
    scored: list[tuple[float, int]] = []
    first = bisect_right(heads, e)
    for h in heads[first : first + GUESS_REACH]:
        if h in claimed or h in lone_shorts or not isinstance(blocks[h], Line):
            continue
        before = blocks[h - 1]
        if not isinstance(before, Line) or topics.start[h] <= e:
            continue  # after a headline (its story's opening), or in the end's own story
        if suspect and placed_only:
            side = starts.get(h)
            if side is None:
                side = starts[h] = _start_facts(blocks, h)
            if side[3] > 0:
                continue  # it may well be a paragraph where it stands (after a finished one)
        score, _ = _join_score(blocks, starts, e, h, tail, tail_word, 0.0, False, lone_shorts, topics)
        scored.append((score, h))
    if not scored:
        return None
    scored.sort(reverse=True)
    best, h = scored[0]
    if suspect:  # the likeliest one, however weak (above SUSPECT_MIN): to flag, not to join
        return h if best >= SUSPECT_MIN else None
    runner_up = scored[1][0] if len(scored) > 1 else GUESS_MIN - GUESS_MARGIN
    if best < GUESS_MIN or best - runner_up < GUESS_MARGIN:
        return None
    return h


def _jumps(blocks: list[Line | ShortRun], e: int) -> bool:
    """Whether a jump line (下转第2版) right after the end sends its rest to another page."""
    after = blocks[e + 1] if e + 1 < len(blocks) else None
    return isinstance(after, Line) and after.role is LineRole.JUMP_TO


_CLAUSE_INSIDE = re.compile(r"[，,、；;]")


def _unclosed(text: str) -> bool:
    """An opening quote or bracket without its closing one: the sentence goes on."""
    return (
        text.count("“") > text.count("”")
        or text.count("（") + text.count("(") > text.count("）") + text.count(")")
        or text.count("《") > text.count("》")
    )


def _reads_as_body(line: Line, after: Line) -> bool:
    """Whether a lone short line before a text line is plainly a piece of a paragraph, not a
    subhead or headline: it has clauses and is longer than a subhead with a comma, it leaves
    a quote or bracket open, the line after it opens inside a sentence (``的…``, ``，…``),
    or a word crosses from it into that line: a common one (``加`` + ``强``), or one of three
    characters or more (``青藏铁`` + ``路格拉段``)."""
    text = line.text
    if (_CLAUSE_INSIDE.search(text) and len(line.key) > LONG_SUBHEAD) or _unclosed(text):
        return True
    head = after.text
    if head[:1] in LOWER_START or starts_mid_sentence(head):
        return True
    word = crossing_word(text, head)
    if len(word) >= 3:
        return True
    if not word or word_freq(word) < COMMON_WORD:
        return False
    # a common two-character word across the break, unless each side is whole words of its
    # own (``…拉近了距离`` + ``去年春天…`` makes 离去, but 距离 and 去年 stand on their own)
    return not (end_side(text)[1] and start_side(head)[1])


# roles that open a story's text (with the headline group before them): a new story below
_OPENS = frozenset(
    {
        LineRole.DATELINE,
        LineRole.BYLINE,
        LineRole.AUTHOR,
        LineRole.COLUMN,
        LineRole.BANNER,
        LineRole.EDITOR_NOTE,
        LineRole.JUMP_FROM,
    }
)
# roles that close a piece: what follows is not its next paragraph
_CLOSES = frozenset({LineRole.SOURCE, LineRole.JUMP_TO})


class _Topics:
    """Which story each block sits under (the run of blocks since the last headline group,
    dateline, byline, column or jump line) and the wording of those stories, for the topic
    evidence of a join: the rest of a paragraph shares the words of the story it belongs
    to.  Computed on first use."""

    def __init__(self, blocks: list[Line | ShortRun], text_shorts: set[int]) -> None:
        self.blocks = blocks
        self.start: list[int] = []  # per block: where the story it sits under begins
        at, heading = (
            0,
            False,
        )  # heading: the blocks just read head a story (no text yet)
        for i, block in enumerate(blocks):
            opens = i not in text_shorts if isinstance(block, ShortRun) else block.role in _OPENS
            if opens and not heading:
                at = i
            # a dateline opens the story's text: what follows is no longer its heading
            heading = opens and (isinstance(block, ShortRun) or block.role is not LineRole.DATELINE)
            self.start.append(at)
            if not isinstance(block, ShortRun) and block.role in _CLOSES:
                at, heading = (
                    i + 1,
                    True,
                )  # the piece is closed: the next block begins anew
        self._grams: dict[int, set[int]] = {}
        self._stories: dict[int, _StoryWording] = {}  # by the story's first block

    def grams(self, i: int) -> set[int]:
        g = self._grams.get(i)
        if g is None:
            g = self._grams[i] = char_pairs(_all_text(self.blocks[i])[:TOPIC_SAMPLE])
        return g

    def story(self, story: int, last: int) -> _StoryWording:
        """The wording of the story beginning at block ``story``, read up to block ``last``
        (or its end, if sooner): one pass over its blocks, each read once however often asked."""
        got = self._stories.get(story)
        if got is None:
            got = self._stories[story] = _StoryWording(story)
        start, i = self.start, got.next
        if i <= last:
            pairs, seen_before = got.pairs, got.seen_before
            while i <= last and i < len(start) and start[i] == story:
                grams = self.grams(i)
                had = len(pairs)
                pairs |= grams
                seen_before[i] = had + len(grams) - len(pairs)  # the pairs it shares with them
                i += 1
            got.next = i
        return got

    def affinity(self, e: int, h: int) -> float:
        """How much more of block ``h``'s wording the story of the end ``e`` holds than the
        story ``h`` sits under does before it: -1..1, 0 when they are the same story."""
        start = self.start
        if start[h] <= e:
            return 0.0
        own = self.grams(h)
        if not own:
            return 0.0
        theirs = self.story(start[e], len(start)).pairs
        return (len(own & theirs) - self.story(start[h], h).seen_before[h]) / len(own)


@dataclass(slots=True)
class _StoryWording:
    """The character pairs of a story's blocks read so far, and for each block read how many
    of its pairs an earlier block of the story has."""

    next: int  # the first block not read yet
    pairs: set[int] = field(default_factory=set)
    seen_before: dict[int, int] = field(default_factory=dict)


def _score_joins(
    blocks: list[Line | ShortRun],
    ends: list[int],
    heads: list[int],
    end_texts: dict[int, str],
    lone_shorts: set[int],
    topics: _Topics,
) -> dict[int, list[tuple[int, float]]]:
    """For each open end, the blocks that may continue it with the weight of the join (its
    score above ``JOIN_MIN``), best first.  A lone short line (maybe a subhead) joins only
    where a common word crosses the break or the block opens with lower punctuation.  An end
    whose next block plainly continues it (a common word across the break, lower punctuation)
    is not weighed against later blocks, nor is any end when every open end on the page is
    followed by a block that may continue it."""
    starts: dict[int, tuple[str, bool, float, float]] = {}
    glances: list[tuple[str, bool, float]] | None = None  # per head (see ``_glance``)
    pairs = word_pairs()
    edges: dict[int, list[tuple[int, float]]] = {}
    head_at = set(heads)
    # an open end not followed by a block that may continue it: its rest lies further on
    dangling = any(e + 1 not in head_at for e in ends)
    for e in ends:
        tail, tail_word = end_side(end_texts[e])
        cut = -CUT_WORD if tail else 0.0
        shortish = e in lone_shorts
        out: list[tuple[int, float]] = []
        if e + 1 in head_at:
            score, plain = _join_score(
                blocks,
                starts,
                e,
                e + 1,
                tail,
                tail_word,
                cut,
                shortish,
                lone_shorts,
                topics,
            )
            if score > JOIN_MIN:
                out.append((e + 1, score - JOIN_MIN))
            if plain or not dangling:
                edges[e] = out  # plainly its continuation, or no end on the page looks further
                continue
        first = bisect_right(heads, e + 1)
        tail_edge = WORD_EDGE if tail_word else cut
        last = tail[-1:]
        if glances is None:
            glances = [_glance(blocks, h, lone_shorts, starts) for h in heads]
        # the word, punctuation and place evidence first; the wording of the stories (dearer
        # to weigh) only for an end that has no sure continuation that way
        scores: dict[int, float] = {}  # the joins scored in the first round, kept for the second
        for weigh_topic in (False, True):
            if weigh_topic:
                if out and max(w for _, w in out) >= SURE:
                    break
                out = out[:1] if out and out[0][0] == e + 1 else []
            for at in range(first, min(first + REACH, len(heads))):
                h = heads[at]
                first_char, lower, bound = glances[at]
                # the cheap bound first: with no two characters of a word across the break,
                # the join scores at most its word edges, opening and jump cost, and the
                # topic evidence when the block sits under another story
                affinity = None
                if not (last and first_char and last + first_char in pairs):
                    if bound == NO_JOIN or (shortish and not lower):
                        continue
                    most = tail_edge + bound - min(BETWEEN * (h - e - 1), BETWEEN_MAX)
                    if most <= JOIN_MIN:
                        if not weigh_topic or most + TOPIC * LIKELY_AFFINITY <= JOIN_MIN:
                            continue
                        if topics.start[h] <= e:
                            continue
                        affinity = topics.affinity(e, h)
                        if most + TOPIC * affinity <= JOIN_MIN:
                            continue
                score = scores.get(h)
                if score is None:
                    score = scores[h] = _join_score(
                        blocks,
                        starts,
                        e,
                        h,
                        tail,
                        tail_word,
                        cut,
                        shortish,
                        lone_shorts,
                        topics,
                        affinity,
                    )[0]
                if score > JOIN_MIN:
                    out.append((h, score - JOIN_MIN))
        if out:
            out.sort(key=lambda hw: -hw[1])
            edges[e] = out[:CHOICES]
    return edges


def _join_score(
    blocks: list[Line | ShortRun],
    starts: dict[int, tuple[str, bool, float, float]],
    e: int,
    h: int,
    tail: str,
    tail_word: bool,
    cut: float,
    short_end: bool,
    lone_shorts: set[int],
    topics: _Topics,
    affinity: float | None = None,
) -> tuple[float, bool]:
    """The score of joining block ``h`` to the end ``e`` (-1 when it may not join), and
    whether the join is plain (a common word across the break, or lower punctuation)."""
    side = starts.get(h)
    if side is None:
        side = starts[h] = _start_facts(blocks, h)
    head, head_word, opening, after = side
    word, length = crossing_span(tail, head)
    common = word >= COMMON_WORD
    plain = common or opening == LOWER
    if (short_end or h in lone_shorts) and not plain:
        return -1.0, False
    if word:
        score = (
            (LONG_CROSSING_WORD if common else CROSSING_WORD)
            if length >= 3
            else CROSSING_WORD
            if common
            else RARE_CROSSING_WORD
        )
    else:
        score = (WORD_EDGE if tail_word else cut) + WORD_EDGE * head_word
    score += opening
    if h == e + 1:
        score += ADJACENT
    else:
        score -= min(BETWEEN * (h - e - 1), BETWEEN_MAX) + after
        score += TOPIC * (topics.affinity(e, h) if affinity is None else affinity)
    return score, plain


def _glance(
    blocks: list[Line | ShortRun],
    h: int,
    lone_shorts: set[int],
    starts: dict[int, tuple[str, bool, float, float]],
) -> tuple[str, bool, float]:
    """What block ``h`` shows at a glance: its first character if a CJK one, whether it
    opens with lower punctuation, and the most a join to it can score without a word across
    the break (a start word, the opening, the cost of the jump; ``NO_JOIN`` for a lone short line,
    which needs a word or lower punctuation)."""
    text = _text(blocks[h])
    first = text[:1]
    cjk = first if is_cjk(first) else ""
    lower = first in LOWER_START
    if h in lone_shorts and not lower:
        return cjk, False, NO_JOIN
    side = starts.get(h)
    if side is None:
        side = starts[h] = _start_facts(blocks, h)
    _, _, opening, after = side
    return cjk, lower, WORD_EDGE + opening - after


def _jump_cost(blocks: list[Line | ShortRun], h: int) -> float:
    """What it costs to read block ``h`` after an end that is not right before it: after a
    finished paragraph or a headline group it likelier opens a paragraph of its own."""
    at = h - 1
    while at > 0 and isinstance(blocks[at], Line) and blocks[at].role is LineRole.AD:
        at -= 1  # an advertisement sits in a box of its own: look past it
    before = blocks[at]
    if isinstance(before, ShortRun):
        return AFTER_HEADLINE
    if before.role in _CLOSES:
        return 0.0  # the piece before it is closed: the block is not its next paragraph
    if h >= 2 and _is_tip(blocks[h - 2]):
        return 0.0  # a reading tip's box sits between the halves
    if before.role in (LineRole.TEXT, LineRole.DATELINE) and (
        not ends_sentence(before.text) or _ends_signed(before.text)
    ):
        return 0.0  # the paragraph before it is open, or signed (…14项。（沈佳）): its piece is closed
    return AFTER_FINISHED


def _ends_signed(text: str) -> bool:
    """A paragraph closed by a bracket of names after its last sentence (``…14项。（沈佳）``)."""
    text = text.rstrip()
    return text[-1:] in ("）", ")") and signed(text)


def _start_facts(blocks: list[Line | ShortRun], h: int) -> tuple[str, bool, float, float]:
    """The start of block ``h``: its head characters, whether it opens with a word, the
    score of its opening punctuation or clause, and what it costs to jump to it (after a
    finished paragraph or a headline group it likelier opens a paragraph of its own)."""
    text = _text(blocks[h])
    head, head_word = start_side(text)
    if text[:1] in LOWER_START:
        opening = LOWER
    elif starts_mid_sentence(text) or starts_inside_quote(text) or _opens_list_item(text):
        opening = MID_SENTENCE
    else:
        return head, head_word, 0.0, _jump_cost(blocks, h)
    # a block that cannot open a paragraph is no paragraph of its own wherever it stands:
    # after a finished paragraph or a headline it is still the rest of a cut one
    return head, head_word, opening, 0.0


# a short item and an enumeration comma (就餐、洗浴… 常规、肝功能…): the middle of a list, which
# no paragraph opens with (an enumerator does: 一、 (二)、 3、); or a word or two and the end of
# a sentence (关键。近年来…): the close of a sentence begun elsewhere
_LIST_ITEM = re.compile(r"^[\u4e00-\u9fff]{1,4}(?:、|[。！？!?](?!”))")
_ENUMERATOR = re.compile(r"^[一二三四五六七八九十百零〇]+、")


def _opens_list_item(text: str) -> bool:
    return bool(_LIST_ITEM.match(text)) and not _ENUMERATOR.match(text)


def _assign(
    blocks: list[Line | ShortRun],
    edges: dict[int, list[tuple[int, float]]],
    end_texts: dict[int, str],
) -> tuple[dict[int, int], dict[int, list[str]]]:
    """The joins made (end → block) and the warnings, from the best assignment."""
    joins: dict[int, int] = {}
    notes: dict[int, list[str]] = {}
    for group in _groups(edges):
        best, chosen = _best(group)
        for e, h in chosen.items():
            if len(group[e]) == 1 and all(h not in {x for x, _ in group[o]} for o in group if o != e):
                margin = group[e][0][1]  # no other choice for this end, nor end for this block
            else:
                without = {x: [hw for hw in hs if (x, hw[0]) != (e, h)] for x, hs in group.items()}
                margin = best - _best(without)[0]
            mark = f"…{end_texts[e][-4:]}|{_text(blocks[h])[:4]}…"
            if margin < KEEP:
                for at in (e, h):
                    notes.setdefault(id(blocks[at]), []).append(f"接续存疑，未拼接：{mark}")
                continue
            joins[e] = h
            if margin < SURE:
                notes.setdefault(id(blocks[h]), []).append(f"按词表拼接：{mark}")
    return joins, notes


def _text(block: Line | ShortRun) -> str:
    return block.lines[0].text if isinstance(block, ShortRun) else block.text


def _groups(
    edges: dict[int, list[tuple[int, float]]],
) -> list[dict[int, list[tuple[int, float]]]]:
    """The ends in groups that compete (directly or through others) for the same blocks."""
    owner: dict[int, int] = {}  # head -> representative end
    parent = {e: e for e in edges}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e, hs in edges.items():
        for h, _ in hs:
            if h in owner:
                a, b = find(owner[h]), find(e)
                if a != b:
                    parent[a] = b
            else:
                owner[h] = e
    groups: dict[int, dict[int, list[tuple[int, float]]]] = {}
    for e, hs in edges.items():
        groups.setdefault(find(e), {})[e] = hs
    return list(groups.values())


def _best(group: dict[int, list[tuple[int, float]]]) -> tuple[float, dict[int, int]]:
    """The best total weight and the joins that reach it (each block continues one end)."""
    ends = sorted(group)
    if len(ends) == 1:
        hs = group[ends[0]]
        return (hs[0][1], {ends[0]: hs[0][0]}) if hs else (0.0, {})
    bound = [0.0] * (len(ends) + 1)
    for i in range(len(ends) - 1, -1, -1):
        hs = group[ends[i]]
        bound[i] = bound[i + 1] + (hs[0][1] if hs else 0.0)
    best_total, best_joins = -1.0, {}
    used: set[int] = set()
    chosen: dict[int, int] = {}
    steps = 0

    def search(i: int, total: float) -> None:
        nonlocal best_total, best_joins, steps
        steps += 1
        if total + bound[i] <= best_total or steps > SEARCH_BUDGET:
            return
        if i == len(ends):
            best_total, best_joins = total, dict(chosen)
            return
        e = ends[i]
        for h, w in group[e]:
            if h not in used:
                used.add(h)
                chosen[e] = h
                search(i + 1, total + w)
                del chosen[e]
                used.discard(h)
        search(i + 1, total)

    search(0, 0.0)
    return max(best_total, 0.0), best_joins


def _reorder(
    blocks: list[Line | ShortRun], joins: dict[int, int], as_text: set[int]
) -> list[Line | ShortRun]:
    """The blocks in reading order.  After an end joined to a later block, reading goes on
    from that block through the text lines after it, up to the next block another end
    claims or the next block that is not body text (a headline group or subhead, dateline,
    byline, column …), taking the source or jump line that closes the piece; then it
    resumes at the first block not yet read."""
    if all(h == e + 1 for e, h in joins.items()):
        return blocks
    claimed = set(joins.values())
    seen = [False] * len(blocks)
    order: list[Line | ShortRun] = []
    n = len(blocks)
    for start in range(n):
        i: int | None = start
        moved = False  # reading has jumped to a later block
        while i is not None and not seen[i]:
            seen[i] = True
            order.append(blocks[i])
            if i in joins:
                moved = moved or joins[i] != i + 1
                i = joins[i]
            elif moved and _closes(blocks[i]):
                i = None  # a source or jump line closes the piece the text before it ended
            elif i + 1 < n and i + 1 not in claimed and (not moved or _goes_on(blocks[i + 1], as_text)):
                i = i + 1
            else:
                i = None
    return order


def _goes_on(block: Line | ShortRun, as_text: set[int]) -> bool:
    """Whether a block can go on the text before it, once reading has jumped: a text line,
    a short line read as text (not another short line: a subhead there cannot be told
    from the next story's headline), or the source or jump line that closes the piece."""
    if isinstance(block, ShortRun):
        return id(block) in as_text
    return block.role is LineRole.TEXT or block.role in _CLOSES  # (来源…, 下转…: its closing line)


def _closes(block: Line | ShortRun) -> bool:
    return isinstance(block, Line) and block.role in _CLOSES
