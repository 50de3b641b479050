"""Lay out new OCR-style pages from the annotated corpus and derive their expected result.

A page is built in four steps, all drawn from one seeded ``random.Random`` (the same seed
always gives the same page):

1. **Render** each chosen story, brief box and photo into ``Unit`` lines (column, kicker,
   title, subtitle, byline, editor's note, reading tip, paragraphs, subheads, source and
   jump lines; photo title, caption, credit).
2. **Break** paragraphs at random mid-sentence points (the OCR's column edges). Each break
   records a *join*: the text across the break, which only exists once the parser puts
   the two pieces back together.
3. **Cut into blocks** at some breaks and **arrange** the blocks of two or three items
   block by block (a continuation then follows another story's block), move a headline
   after its story's first paragraph, put a photo's title after its caption, break a
   credit over two lines.
4. **Dress**: punctuation width (full, half, mixed), markdown (``#``, ``##``, ``**``), lone
   ``广告`` lines, blank lines.

``make_page(seed)`` returns a ``GeneratedPage``: the text, the expected annotation (the form
of ``shared/parsing/examples/expected.json`` for one page) and the perturbations that
really happened. ``Layout.plain()`` switches every perturbation off.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field, replace
from enum import StrEnum

from .corpus import SUBHEAD_MARK, TIP_LABELS, Box, Corpus, Photo, Story, closing, load_corpus, norm

SENTENCE_END = "。！？!?…；;"
JOIN_SIDE = 5  # characters taken on each side of a break for its join
MIN_PIECE = 6  # no piece of a broken paragraph is shorter than this
HALF_WIDTH = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "？": "?", "！": "!"})


class Kind(StrEnum):
    COLUMN = "column"
    BANNER = "banner"
    KICKER = "kicker"
    TITLE = "title"
    SUBTITLE = "subtitle"
    BYLINE = "byline"
    NOTE = "editor_note"
    TIP_LABEL = "tip_label"
    TIP = "reading_tip"
    PARAGRAPH = "paragraph"
    SUBHEAD = "subhead"
    SOURCE = "source"
    JUMP = "jump"
    PHOTO_TITLE = "photo_title"
    CAPTION = "caption"
    CREDIT = "credit"
    AD = "ad"


HEADLINE_KINDS = (Kind.COLUMN, Kind.KICKER, Kind.TITLE, Kind.SUBTITLE)


class Perturbation(StrEnum):
    BREAK = "break"  # a paragraph cut at a line break (its rest on the next line)
    # the rest of a cut paragraph after another item printed whole (A1 B A2)
    CONTINUATION_AFTER_OTHER = "continuation_after_other"
    INTERLEAVE = "interleave"  # blocks of two or three items alternate, crossing (A1 B1 A2 B2)
    HEADLINE_AFTER_PARAGRAPH = "headline_after_paragraph"
    TRUNCATED = "truncated"  # a story's last paragraph ends mid-sentence, its rest not on the page
    PHOTO_TITLE_AFTER_CAPTION = "photo_title_after_caption"
    CREDIT_TWO_LINES = "credit_two_lines"
    HALF_WIDTH = "half_width"
    MIXED_WIDTH = "mixed_width"
    MARKDOWN = "markdown"
    BARE_SUBHEADS = "bare_subheads"  # markdown on the headlines, none on the subheads
    STRAY_SPACES = "stray_spaces"  # the OCR put spaces inside words of some paragraphs
    ADVERTISING = "advertising"
    SIGNATURE_OWN_LINE = "signature_own_line"  # the names closing a piece on a line of their own
    BYLINE_ABOVE_HEADLINE = "byline_above_headline"  # □刘冰, 本报记者 X printed over the title
    SPACED_NAMES = "spaced_names"  # the OCR spaced out a byline line's names: 本报记者 钱 培 坚
    PHOTO_LABEL = "photo_label"  # 图片新闻 printed over a news photo


@dataclass
class Unit:
    """One line of the page file."""

    text: str
    kind: Kind
    owner: str  # id of the story or photo it belongs to ("" for advertising)
    open_end: bool = False  # a paragraph piece cut mid-sentence (its rest follows later)
    truncated: bool = False  # a piece cut mid-sentence whose rest is not on the page


@dataclass(frozen=True)
class Layout:
    """How likely each perturbation is (0 switches it off)."""

    stories: tuple[int, int] = (3, 6)  # how many stand-alone stories
    photos: tuple[int, int] = (0, 3)
    box: float = 0.3  # a brief box on the page
    break_paragraph: float = 0.35  # per paragraph
    second_break: float = 0.3  # a broken paragraph broken once more
    cut_at_break: float = 0.7  # a break starts a new block
    window: tuple[int, ...] = (1, 2, 2, 3)  # items whose blocks may alternate
    nest: float = 0.5  # window 1: per item with a cut block, its rest after the next item whole
    headline_after: float = 0.2  # per page: one story's headline after one of its paragraphs
    truncate: float = 0.1  # per page: one story loses the end of its last paragraph
    photo_title_after: float = 0.35  # per photo
    credit_two_lines: float = 0.3  # per photo with a credit that can be broken
    half_width: float = 0.35
    mixed_width: float = 0.15
    markdown: float = 0.3
    bare_subheads: float = 0.4  # of the pages with markdown
    stray_spaces: float = 0.1
    advertising: float = 0.3
    extra_blank: float = 0.2  # more than one blank line between blocks
    # drawn from a random stream of their own, so that the pages without them stay as they were
    signature_own_line: float = 0.5  # per story signed at its end
    byline_above: float = 0.15  # per story with a byline line
    spaced_names: float = 0.15  # per story with a reporter's byline line
    photo_label: float = 0.2  # per page with photos: 图片新闻 over the first

    @classmethod
    def plain(cls, **counts) -> Layout:
        """Every perturbation off: items printed whole, one after the other."""
        zero = dict.fromkeys(
            (
                "box",
                "break_paragraph",
                "second_break",
                "cut_at_break",
                "nest",
                "headline_after",
                "truncate",
                "photo_title_after",
                "credit_two_lines",
                "half_width",
                "mixed_width",
                "markdown",
                "bare_subheads",
                "stray_spaces",
                "advertising",
                "extra_blank",
                "signature_own_line",
                "byline_above",
                "spaced_names",
                "photo_label",
            ),
            0.0,
        )
        return cls(window=(1,), **{**zero, **counts})


@dataclass
class GeneratedPage:
    seed: int
    text: str
    gold: dict  # {"articles": [...], "photos": [...], "joins": [...]}
    perturbations: set[Perturbation] = field(default_factory=set)
    items: list[str] = field(default_factory=list)  # ids in printed order of their first line
    units: list[Unit] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # text left off the page (truncations)


# -- 1. rendering -----------------------------------------------------------------------------


def _lead_joined(lead: str, text: str) -> str:
    if not lead or text.startswith(lead):
        return text
    sep = "" if lead.endswith(("）", ")")) else " "
    return lead + sep + text


def render_story(
    story: Story,
    tip_label: str = TIP_LABELS[0],
    own_line_signature: bool = False,
    byline_above: bool = False,
    spaced_names: bool = False,
) -> list[Unit]:
    u: list[Unit] = []
    own = story.id
    byline_line = _spaced_names(story) if spaced_names else story.byline_line
    if story.column and not story.box:
        u.append(Unit(story.column, Kind.COLUMN, own))
    if byline_above and byline_line:
        u.append(Unit(byline_line, Kind.BYLINE, own))
    if story.same_line_headline and story.kicker:
        u.append(Unit(f"{story.kicker} {story.title}", Kind.TITLE, own))
    else:
        for kind, text in (
            (Kind.KICKER, story.kicker),
            (Kind.TITLE, story.title),
            (Kind.SUBTITLE, story.subtitle),
        ):
            if text:
                u.append(Unit(text, kind, own))
    if byline_line and not byline_above:
        u.append(Unit(byline_line, Kind.BYLINE, own))
    if story.editor_note:
        u.append(Unit("【编者按】" + story.editor_note, Kind.NOTE, own))
    if story.reading_tip:
        u.append(Unit(tip_label, Kind.TIP_LABEL, own))
        u.append(Unit(story.reading_tip, Kind.TIP, own))
    if story.jump_from is not None:
        u.append(Unit(f"（上接第{story.jump_from}版）", Kind.JUMP, own))
    paragraphs = [i for i, p in enumerate(story.body) if not p.startswith(SUBHEAD_MARK)]
    for i, p in enumerate(story.body):
        if p.startswith(SUBHEAD_MARK):
            u.append(Unit(p[len(SUBHEAD_MARK) :], Kind.SUBHEAD, own))
            continue
        if i == paragraphs[0]:
            p = _lead_joined(story.lead, p)
        if i == paragraphs[-1] and not own_line_signature:
            p += story.tail
        u.append(Unit(p, Kind.PARAGRAPH, own))
    if own_line_signature and story.tail:
        u.append(Unit(story.tail, Kind.BYLINE, own))
    if story.jump_to is not None:
        u.append(Unit(f"（下转第{story.jump_to}版）", Kind.JUMP, own))
    if story.source:
        u.append(Unit(story.source, Kind.SOURCE, own))
    return u


def _spaced_names(story: Story) -> str:
    """The byline line with each name spaced out character by character (钱 培 坚)."""
    line = story.byline_line
    for _, name in story.bylines:
        line = line.replace(name, " ".join(name))
    return line


def can_space_names(story: Story) -> bool:
    return any(role in story.byline_line for role in ("记者", "通讯员")) and bool(story.bylines)


def render_box(box: Box, tip_label: str = TIP_LABELS[0]) -> list[Unit]:
    units = [Unit(box.banner, Kind.BANNER, box.stories[0].id)]
    for story in box.stories:
        units += render_story(story, tip_label)
    return units


def render_photo(photo: Photo, title_after: bool = False) -> list[Unit]:
    own = photo.id
    title = Unit(photo.title, Kind.PHOTO_TITLE, own)
    if photo.inline_credit:
        body = [Unit(f"{photo.caption} {' '.join(photo.credit)}", Kind.CAPTION, own)]
    else:
        body = [Unit(photo.caption, Kind.CAPTION, own)] + [Unit(c, Kind.CREDIT, own) for c in photo.credit]
    return [*body, title] if title_after else [title, *body]


def credit_break_points(line: str) -> list[int]:
    """Where a one-line credit may be cut over two lines: before a second role group
    (``本报记者 X | 本报通讯员 Y 摄``), after a slash (``X 摄/ | 中新社``), after a role
    (``本报通讯员 | X 摄``)."""
    points = []
    parts = line.split(" ")
    pos = 0
    for n, part in enumerate(parts[:-1]):
        pos += len(part)
        after = parts[n + 1]
        if after.startswith(("本报", "新华社")) or (n == 0 and part.startswith(("本报", "新华社记者"))):
            points.append(pos)
        pos += 1
    slash = line.find("/")
    if 0 < slash < len(line) - 1:
        points.append(slash + 1)
    return sorted(set(points))


# -- 2. breaking paragraphs ------------------------------------------------------------------


def _ends_sentence(text: str) -> bool:
    t = text.rstrip()
    if not t:
        return True
    if t[-1] in SENTENCE_END:
        return True
    return t[-1] in '”’"' and len(t) > 1 and t[-2] in SENTENCE_END


def break_points(text: str, protect_head: int, protect_tail: int) -> list[int]:
    """Mid-sentence places a paragraph can be cut at, outside its lead and its tail byline."""
    lo = max(MIN_PIECE, protect_head + MIN_PIECE)
    hi = len(text) - max(MIN_PIECE, protect_tail + MIN_PIECE)
    return [
        i
        for i in range(lo, hi + 1)
        if not text[i - 1].isspace() and not text[i].isspace() and not _ends_sentence(text[:i])
    ]


def join_text(text: str, cut: int) -> str:
    return norm(text[max(0, cut - JOIN_SIDE) : cut + JOIN_SIDE])


# -- the page ---------------------------------------------------------------------------------


@dataclass
class _Item:
    """A story, box or photo being laid out: its units, then its blocks."""

    ids: list[str]
    units: list[Unit]
    blocks: list[list[Unit]] = field(default_factory=list)


def make_page(seed: int, layout: Layout | None = None, corpus: Corpus | None = None) -> GeneratedPage:
    layout = layout or Layout()
    corpus = corpus or load_corpus()
    rng = random.Random(seed)
    done: set[Perturbation] = set()
    joins: dict[str, list[str]] = {}  # story id -> joins

    # choose what goes on the page
    n_stories = rng.randint(*layout.stories)
    stories = rng.sample(corpus.stories, min(n_stories, len(corpus.stories)))
    photos = rng.sample(corpus.photos, min(rng.randint(*layout.photos), len(corpus.photos)))
    box = rng.choice(corpus.boxes) if corpus.boxes and rng.random() < layout.box else None
    tip_label = rng.choice(TIP_LABELS)

    forms = random.Random(f"{seed}:forms")  # the later forms' own stream (see Layout)
    items: list[_Item] = []
    for s in stories:
        own_line = bool(s.tail) and forms.random() < layout.signature_own_line
        above = bool(s.byline_line) and forms.random() < layout.byline_above
        spaced = can_space_names(s) and forms.random() < layout.spaced_names
        items.append(_Item([s.id], render_story(s, tip_label, own_line, above, spaced)))
        if spaced:
            done.add(Perturbation.SPACED_NAMES)
        if own_line:
            done.add(Perturbation.SIGNATURE_OWN_LINE)
        if above:
            done.add(Perturbation.BYLINE_ABOVE_HEADLINE)
    if box is not None:
        items.insert(
            rng.randint(0, len(items)), _Item([s.id for s in box.stories], render_box(box, tip_label))
        )
    story_of = {s.id: s for s in corpus.all_stories}

    # a headline after one of its story's paragraphs (only where a dateline or byline line
    # still says a new story begins)
    if rng.random() < layout.headline_after:
        fit = [it for it in items if len(it.ids) == 1 and _can_move_headline(story_of[it.ids[0]])]
        if fit:
            # (how far down: from a stream of its own, so the other pages stay as they were)
            _move_headline(rng.choice(fit), random.Random(f"{seed}:headline"))
            done.add(Perturbation.HEADLINE_AFTER_PARAGRAPH)

    # break paragraphs, cut blocks at some breaks
    for it in items:
        broken: list[Unit] = []
        for unit in it.units:
            if unit.kind is Kind.PARAGRAPH and rng.random() < layout.break_paragraph:
                pieces = _break(unit, story_of[unit.owner], rng, layout, joins)
                if len(pieces) > 1:
                    done.add(Perturbation.BREAK)
                broken += pieces
            else:
                broken.append(unit)
        it.units = broken
    dropped: list[str] = []
    truncated: set[str] = set()
    if rng.random() < layout.truncate:
        fit = [it for it in items if len(it.ids) == 1 and _can_truncate(it, story_of[it.ids[0]])]
        if fit:
            it = rng.choice(fit)
            dropped.append(_truncate(it, story_of[it.ids[0]], rng))
            truncated.add(it.ids[0])
            done.add(Perturbation.TRUNCATED)
    for it in items:
        block: list[Unit] = []
        for unit in it.units:
            block.append(unit)
            if unit.open_end and rng.random() < layout.cut_at_break:
                it.blocks.append(block)
                block = []
        if block:
            it.blocks.append(block)

    labelled = photos[0].id if photos and forms.random() < layout.photo_label else None
    for photo in photos:
        title_after = rng.random() < layout.photo_title_after
        if title_after:
            done.add(Perturbation.PHOTO_TITLE_AFTER_CAPTION)
        units = render_photo(photo, title_after)
        if not photo.inline_credit and len(photo.credit) == 1 and rng.random() < layout.credit_two_lines:
            units = _break_credit(units, rng, done)
        if photo.id == labelled:
            units = [Unit("图片新闻", Kind.COLUMN, photo.id), *units]
            done.add(Perturbation.PHOTO_LABEL)
        items.insert(rng.randint(0, len(items)), _Item([photo.id], units, [units]))

    # arrange the blocks: up to `window` items are open at once and give blocks in turn; with
    # one at a time, an item's rest may still follow the next item printed whole
    window = rng.choice(layout.window)
    stream = _nested(items, rng, layout.nest) if window == 1 else _alternated(items, rng, window)
    done |= stream_perturbations([block[0].owner for block in stream], items)

    # dress: advertising, markdown, widths, blank lines
    if rng.random() < layout.advertising:
        for _ in range(rng.randint(1, 2)):
            stream.insert(rng.randint(0, len(stream)), [Unit("广告", Kind.AD, "")])
        done.add(Perturbation.ADVERTISING)
    units = [u for block in stream for u in block]
    if rng.random() < layout.markdown:
        bare = any(u.kind is Kind.SUBHEAD for u in units) and rng.random() < layout.bare_subheads
        for u in units:
            if not (bare and u.kind is Kind.SUBHEAD):
                _markdown(u, rng)
        done.add(Perturbation.MARKDOWN)
        if bare:
            done.add(Perturbation.BARE_SUBHEADS)
    if rng.random() < layout.stray_spaces:
        paragraphs = [u for u in units if u.kind is Kind.PARAGRAPH and len(u.text) > 20]
        for u in rng.sample(paragraphs, min(len(paragraphs), 2)):
            _stray_spaces(u, rng)
            done.add(Perturbation.STRAY_SPACES)
    roll = rng.random()
    if roll < layout.half_width:
        for u in units:
            u.text = u.text.translate(HALF_WIDTH)
        done.add(Perturbation.HALF_WIDTH)
    elif roll < layout.half_width + layout.mixed_width:
        for u in units:
            if rng.random() < 0.5:
                u.text = u.text.translate(HALF_WIDTH)
        done.add(Perturbation.MIXED_WIDTH)
    lines: list[str] = []
    for block in stream:
        if lines and rng.random() < layout.extra_blank:
            lines.append("")
        lines += [u.text for u in block]
    text = "\n\n" + "\n\n".join(lines) + "\n"

    order: list[str] = []
    for u in units:
        if u.owner and u.owner not in order:
            order.append(u.owner)
    # boxed briefs: every brief of the box, in box order
    story_ids = [s.id for s in stories] + ([s.id for s in box.stories] if box else [])
    gold_articles = []
    for sid in sorted(story_ids, key=lambda i: order.index(i)):
        g = story_of[sid].gold()
        if joins.get(sid):
            g["contains"] = list(joins[sid])
        if sid in truncated:
            last = next(u for u in reversed(units) if u.owner == sid and u.kind is Kind.PARAGRAPH)
            g["body_end"] = closing(last.text)
            g["truncated"] = True  # the parse must flag it (a silent error otherwise)
        gold_articles.append(g)
    gold = {
        "articles": gold_articles,
        "photos": [p.gold() for p in sorted(photos, key=lambda p: order.index(p.id))],
        "joins": [j for sid in story_ids for j in joins.get(sid, [])],
    }
    return GeneratedPage(
        seed=seed, text=text, gold=gold, perturbations=done, items=order, units=units, dropped=dropped
    )


def _alternated(items: list[_Item], rng: random.Random, window: int) -> list[list[Unit]]:
    """Up to ``window`` items open at once, each giving its next block in turn."""
    pending = list(items)
    active: list[_Item] = []
    stream: list[list[Unit]] = []
    while pending or active:
        while len(active) < window and pending:
            active.append(pending.pop(0))
        pick = active[0] if rng.random() < 0.5 else rng.choice(active)
        stream.append(pick.blocks.pop(0))
        if not pick.blocks:
            active.remove(pick)
    return stream


def _nested(items: list[_Item], rng: random.Random, nest: float) -> list[list[Unit]]:
    """Items one after the other; an item with several blocks may give its first, then the
    next item is printed whole, then the item's rest (A1 B A2)."""
    pending = list(items)
    stream: list[list[Unit]] = []
    while pending:
        item = pending.pop(0)
        if len(item.blocks) > 1 and pending and rng.random() < nest:
            stream.append(item.blocks.pop(0))
            stream += pending.pop(0).blocks
        stream += item.blocks
    return stream


def stream_perturbations(owners: list[str], items: list[_Item]) -> set[Perturbation]:
    """What the arrangement did, from the owners of the blocks in printed order: an item's
    block after another whole item (A1 B A2) or two items' blocks crossing (A1 B1 A2 B2)."""
    item_of = {i: n for n, it in enumerate(items) for i in it.ids}
    seq = [item_of[o] for o in owners]
    runs = [x for n, x in enumerate(seq) if n == 0 or seq[n - 1] != x]
    done: set[Perturbation] = set()
    for a, b in itertools.combinations(set(runs), 2):
        pair = [x for x in runs if x in (a, b)]
        pair = [x for n, x in enumerate(pair) if n == 0 or pair[n - 1] != x]
        if len(pair) >= 4:
            done.add(Perturbation.INTERLEAVE)
        elif len(pair) == 3:
            done.add(Perturbation.CONTINUATION_AFTER_OTHER)
    return done


def _stray_spaces(unit: Unit, rng: random.Random) -> None:
    """One to three spaces inside the words of a paragraph (never beside a space), not in a
    dateline's or an end-of-piece byline's brackets."""
    text = unit.text
    lo, hi = 2, len(text) - 2
    head = max(text.find("）", 0, 40), text.find(")", 0, 40))
    if head > 0 and text.lstrip("*").startswith(("本报", "新华社", "（", "(")):
        lo = head + 2
    if text.endswith(("）", ")")):
        hi = max(text.rfind("（"), text.rfind("(")) - 1
    places = [i for i in range(lo, hi) if not text[i - 1].isspace() and not text[i].isspace()]
    for i in sorted(rng.sample(places, min(len(places), rng.randint(1, 3))), reverse=True):
        text = text[:i] + " " + text[i:]
    unit.text = text


def _can_move_headline(story: Story) -> bool:
    return bool(story.title) and (bool(story.lead) or bool(story.byline_line)) and len(story.paragraphs) >= 2


def _can_truncate(item: _Item, story: Story) -> bool:
    """A story whose last paragraph is whole and closes the piece (no end byline, source or
    jump line to lose with it), and that has another paragraph before it."""
    if story.tail or story.source or story.jump_to is not None or len(story.paragraphs) < 2:
        return False
    paras = [i for i, u in enumerate(item.units) if u.kind is Kind.PARAGRAPH]
    last = paras[-1]
    if last != len(item.units) - 1 or item.units[last - 1].open_end:
        return False
    return len(break_points(item.units[last].text, 0, 0)) >= 3


def _truncate(item: _Item, story: Story, rng: random.Random) -> str:
    """Cut the story's last paragraph mid-sentence and leave its rest off the page."""
    unit = item.units[-1]
    points = break_points(unit.text, 0, 0)
    cut = rng.choice(points[len(points) // 3 :])
    item.units[-1] = Unit(unit.text[:cut], Kind.PARAGRAPH, unit.owner, truncated=True)
    return unit.text[cut:]


def _move_headline(item: _Item, rng: random.Random) -> None:
    """Print the story's headline after one of its paragraphs: the first, or (the paper does
    both) a later one, up to after the last."""
    heads = [u for u in item.units if u.kind in HEADLINE_KINDS]
    rest = [u for u in item.units if u.kind not in HEADLINE_KINDS]
    paras = [i for i, u in enumerate(rest) if u.kind is Kind.PARAGRAPH]
    after = paras[0] if rng.random() < 0.5 else rng.choice(paras)
    item.units = rest[: after + 1] + heads + rest[after + 1 :]


def _break(unit: Unit, story: Story, rng: random.Random, layout: Layout, joins: dict) -> list[Unit]:
    """Cut a paragraph once (sometimes twice) mid-sentence; record the joins."""
    text = unit.text
    head = len(story.lead) + 1 if story.lead and text.startswith(story.lead) else 0
    tail = len(story.tail) if story.tail and text.endswith(story.tail) else 0
    points = break_points(text, head, tail)
    if not points:
        return [unit]
    cuts = [rng.choice(points)]
    if rng.random() < layout.second_break:
        far = [p for p in points if abs(p - cuts[0]) > 2 * JOIN_SIDE + MIN_PIECE]
        if far:
            cuts.append(rng.choice(far))
    cuts.sort()
    for c in cuts:
        joins.setdefault(story.id, []).append(join_text(text, c))
    pieces = []
    start = 0
    for c in cuts:
        pieces.append(Unit(text[start:c], Kind.PARAGRAPH, unit.owner, open_end=True))
        start = c
    pieces.append(Unit(text[start:], Kind.PARAGRAPH, unit.owner, open_end=unit.open_end))
    return pieces


def _break_credit(units: list[Unit], rng: random.Random, done: set) -> list[Unit]:
    out = []
    for u in units:
        points = credit_break_points(u.text) if u.kind is Kind.CREDIT else []
        if points:
            cut = rng.choice(points)
            out += [
                Unit(u.text[:cut].rstrip(), Kind.CREDIT, u.owner),
                Unit(u.text[cut:].lstrip(), Kind.CREDIT, u.owner),
            ]
            done.add(Perturbation.CREDIT_TWO_LINES)
        else:
            out.append(u)
    return out


def _markdown(unit: Unit, rng: random.Random) -> None:
    if unit.kind is Kind.TITLE:
        unit.text = rng.choice(("# ", "## ")) + unit.text
    elif unit.kind in (Kind.KICKER, Kind.SUBTITLE) and rng.random() < 0.5:
        unit.text = "### " + unit.text
    elif unit.kind is Kind.SUBHEAD:
        mark = rng.choice(("## ", "### ", "**"))
        unit.text = mark + unit.text + ("**" if mark == "**" else "")
    elif unit.kind is Kind.PARAGRAPH and unit.text.startswith("本报讯") and rng.random() < 0.7:
        unit.text = "**本报讯**" + unit.text[3:]


def plain_page(
    story_ids: list[str], photo_ids: list[str] = (), corpus: Corpus | None = None
) -> GeneratedPage:
    """The named items printed whole, one after the other, no perturbation."""
    corpus = corpus or load_corpus()
    units: list[Unit] = []
    gold_articles = []
    for sid in story_ids:
        box = next((b for b in corpus.boxes if b.id == sid), None)
        if box is not None:
            units += render_box(box)
            gold_articles += [s.gold() for s in box.stories]
        else:
            story = corpus.story(sid)
            units += render_story(story)
            gold_articles.append(story.gold())
    photos = [corpus.photo(pid) for pid in photo_ids]
    for photo in photos:
        units += render_photo(photo)
    text = "\n\n" + "\n\n".join(u.text for u in units) + "\n"
    gold = {"articles": gold_articles, "photos": [p.gold() for p in photos], "joins": []}
    order = list(dict.fromkeys(u.owner for u in units))
    return GeneratedPage(seed=-1, text=text, gold=gold, items=order, units=[replace(u) for u in units])
