"""Stage 4b — articles: the page's blocks, in reading order, built into articles.

:class:`ArticleBuilder` reads the blocks once, in the order ``reading_order`` decided.  Each
article being built is a :class:`Draft`; a text line continues the open paragraph before it
when reading order joined them, and otherwise opens a paragraph of the story being read.
Headline groups start stories, or give a headline to a story whose dateline or byline came
first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import ShortRun
from .lines import JUMP_RE, Line, LineRole
from .model import Block, BlockType, ParsedArticle
from .reading_order import ReadingOrder
from .sentences import SUBHEAD_MAX, looks_unfinished, starts_mid_sentence
from .text import close_cjk_spaces, ends_sentence, key, signed, starts_lower
from .words import char_pairs, crossing_word

PARAGRAPH, SUBHEAD = BlockType.PARAGRAPH, BlockType.SUBHEAD
SHORT_TITLE = 8  # a second headline line this short …
TITLE_SHARE = 0.6  # … and at most this share of the first line's length is the title
BRIEF_MAX = 3  # paragraphs of a brief under a banner (信息快递); a longer piece ends the box
# roles that open an article's text: a short run right before one is that article's headline
OPENINGS = {
    LineRole.DATELINE,
    LineRole.BYLINE,
    LineRole.AUTHOR,
    LineRole.TIP,
    LineRole.REGION,
    LineRole.EDITOR_NOTE,
}


# what may follow a story's last line where no story begins (None: the end of the page)
_NO_STORY_BELOW = frozenset({None, LineRole.COLUMN, LineRole.BANNER, LineRole.AD})


@dataclass(eq=False)  # compared by identity: two drafts may hold equal text
class Draft:
    """An article being built."""

    article: ParsedArticle = field(default_factory=ParsedArticle)
    position: int = 0  # its place among the page's drafts
    headed: bool = False  # a headline group was given to it
    # the news story this piece was cut from when a subhead followed the story's end
    split_from: Draft | None = None
    boxed: bool = False  # its column is the banner of the box of briefs it was read in

    @property
    def blocks(self) -> list[Block]:
        return self.article.blocks

    def has_paragraphs(self) -> bool:
        return any(b.type is PARAGRAPH for b in self.article.blocks)

    def open_end(self) -> Block | None:
        """The last paragraph if it ends mid-sentence."""
        blocks = self.article.blocks
        if blocks:
            last = blocks[-1]
            if last.type is PARAGRAPH and not ends_sentence(last.text):
                return last
        return None


_CLAUSE_MARK = re.compile(r"[，,；;：:]")
_CLOSING_BRACKETS = re.compile(r"[(（][^()（）]{2,40}[)）]\s*$")


def _closed(draft: Draft) -> bool:
    """Whether the piece has ended on the page: it jumps to another page (下转第2版) or its
    source line (来源：…) closed it."""
    article = draft.article
    return bool(article.continued_to_page or article.source_note) and draft.has_paragraphs()


def _ended(draft: Draft) -> bool:
    """Whether the piece has ended: ``_closed``, or its last paragraph ends with its
    end-of-piece byline (``…全年工作。（刘丽萍 顾威）``)."""
    if _closed(draft):
        return True
    blocks = draft.article.blocks
    if not blocks or blocks[-1].type is not PARAGRAPH:
        return False
    text = blocks[-1].text.rstrip()
    return text[-1:] in "）)" and signed(text)


def _shared(line: str, text: str) -> int:
    """How many of ``line``'s character pairs (its words, roughly) ``text`` also has."""
    return len(char_pairs(line) & char_pairs(text))


def _close_spaces(text: str) -> str:
    """``close_cjk_spaces`` except inside brackets closing the text: the spaces between the
    names of an end-of-piece byline (``（刘丽萍 顾威）``) are real."""
    if text[-1:] in "）)":
        m = _CLOSING_BRACKETS.search(text)
        if m:
            return close_cjk_spaces(text[: m.start()]) + text[m.start() :]
    return close_cjk_spaces(text)


def headline_parts(
    texts: list[str], headings: list[int], keys: list[str] | None = None
) -> tuple[str, str, str, list[str]]:
    """Split a headline group into kicker, title, subtitle and left-over lines."""
    if keys is None:
        keys = [key(t) for t in texts]
    for s, k in enumerate(keys):
        if s >= 1 and (k.startswith("——") or k.startswith("--")):
            kicker = " ".join(texts[: s - 1])
            return kicker, texts[s - 1], texts[s], texts[s + 1 :]
    for e, k in enumerate(keys[:-1]):
        if k.endswith("——") or k.endswith("--"):
            kicker = re.sub(r"[—\-]+$", "", texts[e]).strip()
            return kicker, texts[e + 1], " ".join(texts[e + 2 : e + 3]), texts[e + 3 :]
    marked = [i for i, h in enumerate(headings) if h]
    if marked and len(texts) > 1:
        top = min(marked, key=lambda i: headings[i])
        kicker = " ".join(texts[:top])
        return kicker, texts[top], " ".join(texts[top + 1 : top + 2]), texts[top + 2 :]
    if len(texts) == 1:
        return "", texts[0], "", []
    if len(texts) == 2:
        if len(keys[1]) <= SHORT_TITLE and len(keys[1]) <= TITLE_SHARE * len(keys[0]):
            # a short line under a much longer one: the title under its kicker or banner
            # (``贵州仁怀市总成立专门工作团队，帮助…`` over ``“建会小分队”来了``); a subtitle
            # explains the title, at more length
            return texts[0], texts[1], "", []
        if (
            len(keys[0]) <= SHORT_TITLE
            and len(keys[0]) <= TITLE_SHARE * len(keys[1])
            and not _CLAUSE_MARK.search(keys[1])
        ):
            # a short phrase over a much longer statement: the banner or kicker over its
            # title (``关爱职工在行动`` over ``多地工会为一线职工送去冬日温暖``); a title over
            # its subtitle says the news itself, the subtitle adds to it
            return texts[0], texts[1], "", []
        return "", texts[0], texts[1], []
    return texts[0], texts[1], texts[2], texts[3:]


class ArticleBuilder:
    """Builds the articles of one page from its blocks, read in page order."""

    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.current: Draft | None = None  # the story being read
        self.waiting: list[Draft] = []  # started without a headline, waiting for one
        self.column: str | None = None  # a column label waiting for its article
        self.banner: str | None = None  # the banner over a box of briefs being read
        self.note: str = ""  # an editor's note waiting for its article
        self.tip_for: Draft | None = None  # the next text is this draft's reading tip
        self.tip_ahead = False  # the next text is the reading tip of the story not yet begun
        self.tip = ""  # a reading tip waiting for its article
        self.page_warnings: list[str] = []
        self.fresh = False  # the next text starts a new paragraph (after a jump line)
        self.box_opened = False  # a banner (简讯) was read and no piece has begun under it

    # -- drafts ---------------------------------------------------------------------------
    def new_draft(self, headless: bool) -> Draft:
        draft = Draft(position=len(self.drafts))
        self.box_opened = False
        draft.article.column, self.column = self.column, None
        if draft.article.column is None and self.banner:
            draft.article.column = self.banner
            draft.boxed = True
        if self.note:
            draft.article.editor_note, self.note = self.note, ""
        if self.tip:
            draft.article.reading_tip, self.tip = self.tip, ""
        self.drafts.append(draft)
        if headless:
            self.waiting.append(draft)
        self.current = draft
        return draft

    def current_or_new(self) -> Draft:
        return self.current or self.new_draft(headless=True)

    def leave_box_unless_brief(self, draft: Draft) -> None:
        """A brief under a banner opens with its dateline (本报讯…); a story read in the box
        that opens otherwise (a byline, an editor's note, text, a subhead) is not one of
        its briefs: it loses the banner's column, and the box has ended."""
        if draft.boxed and not draft.article.dateline and not draft.blocks:
            draft.article.column = None
            draft.boxed = False
            self.banner = None

    def add_block(self, draft: Draft, block: Block) -> None:
        if draft.boxed:
            self.leave_box_unless_brief(draft)
        draft.blocks.append(block)
        in_box = self.banner is not None and draft.article.column == self.banner
        # a brief has no subheads and few paragraphs: a longer piece ends the box
        if in_box and (block.type is SUBHEAD or len(draft.blocks) > BRIEF_MAX):
            self.banner = None

    def set_headline(self, draft: Draft, group: list[Line]) -> None:
        article = draft.article
        kicker, title, subtitle, extra = headline_parts(
            [g.text for g in group], [g.heading for g in group], [g.key for g in group]
        )
        article.kicker, article.title, article.subtitle = kicker, title, subtitle
        if extra:
            if article.column is None:
                article.column = " ".join(extra)
            else:
                article.subtitle = " ".join([subtitle, *extra]).strip()
        draft.headed = True
        if draft in self.waiting:
            self.waiting.remove(draft)
        if self.column is not None:
            article.column, self.column = self.column, None

    # -- text -----------------------------------------------------------------------------
    def place_text(self, text: str, continues: bool = False) -> None:
        """Place a line of body text (already stripped); ``continues``: it goes on the open
        paragraph of the story being read, if there is one."""
        text = _close_spaces(text)
        if "版" in text:
            text = self.take_jump_marks(text)
        if not text:
            return
        if self.tip_for is not None:
            self.tip_for.article.reading_tip = text
            self.tip_for = None
            return
        if self.tip_ahead:
            self.tip, self.tip_ahead = text, False
            return
        end = self.current.open_end() if continues and not self.fresh and self.current else None
        self.fresh = False
        if end is not None:
            end.text += text
            return
        if self.box_opened and self.current is not None:
            # text under a banner that no headline opened: a piece of the box (its headline
            # not found), never more of the story read before the box
            self.new_draft(headless=True).boxed = False  # in the box, though no dateline opens it
        draft = self.current_or_new()
        if starts_lower(text):
            draft.article.warnings.append(f"无法归位的片段：{text[:12]}…")
        elif starts_mid_sentence(text):
            draft.article.warnings.append(f"片段缺少开头：{text[:12]}…")
        self.add_block(draft, Block(PARAGRAPH, text))

    def take_jump_marks(self, text: str) -> str:
        """``text`` without a ``(上接第1版)`` opening it or a ``(下转第2版)`` closing it."""
        if "版" in text[:12]:
            m = JUMP_RE.match(key(text[:12]))
            if m and m.group(1) == "上接":
                raw = JUMP_RE.match(text)
                text = text[raw.end() :].strip() if raw else text
                self.jump_from(int(m.group(2)))
        if "版" in text[-12:]:
            m = JUMP_RE.search(text[-12:])
            if m and text.endswith(m.group(0)) and m.group(1) == "下转":
                self.current_or_new().article.continued_to_page = int(m.group(2))
                text = text[: len(text) - len(m.group(0))].rstrip()
        return text

    # -- line roles -----------------------------------------------------------------------
    def jump_from(self, page: int) -> None:
        self.fresh = True
        cur = self.current
        if cur is not None and not cur.headed and not cur.article.dateline and cur not in self.waiting:
            cur.article.continued_from_page = page
            return
        if cur is not None and cur.headed and not cur.blocks and not cur.article.dateline:
            # the headline printed over the jump line heads the text it leads
            cur.article.continued_from_page = page
            return
        self.new_draft(headless=False).article.continued_from_page = page

    def byline(self, line: Line) -> None:
        cur = self.current
        if cur is not None and cur.headed and not cur.has_paragraphs() and not cur.article.bylines:
            self.leave_box_unless_brief(cur)
            cur.article.bylines.extend(line.credits)
            return
        self.new_draft(headless=True).article.bylines.extend(line.credits)

    def dateline(self, line: Line) -> None:
        cur = self.current
        if cur is not None and not cur.article.dateline and not cur.has_paragraphs():
            self.open_story(cur, line)
            return
        if cur is not None and cur.blocks and cur.blocks[-1].type is SUBHEAD:
            # A later section of a round-up: its dateline stays in the text ("今天" needs it);
            # the spaces between the names in its brackets are real, not OCR noise.
            bylines = cur.article.bylines
            bylines.extend(c for c in line.credits if c not in bylines)
            text, body = line.text.strip(), line.body.strip()
            head = text[: len(text) - len(body)] if body and text.endswith(body) else ""
            self.add_block(cur, Block(PARAGRAPH, head + close_cjk_spaces(text[len(head) :])))
            return
        self.open_story(self.new_draft(headless=True), line)

    def open_story(self, draft: Draft, line: Line) -> None:
        """The dateline paragraph opening ``draft``'s text."""
        draft.article.dateline = line.dateline
        draft.article.bylines.extend(line.credits)
        self.current = draft
        self.add_block(draft, Block(PARAGRAPH, _close_spaces(line.body.strip())))

    def subhead(self, text: str) -> None:
        draft = self.current_or_new()
        self.add_block(draft, Block(SUBHEAD, text))

    def short_run(self, run: ShortRun) -> None:
        """A run of short lines: headline group, subhead, or body lines the OCR cut short."""
        lines, after = run.lines, run.after
        cur = self.current
        started = cur is not None and bool(cur.blocks or cur.article.bylines or cur.article.dateline)
        while lines and cur is not None and started:
            first = lines[0]
            end = cur.open_end()
            joins = end is not None and (crossing_word(end.text, first.text) or starts_lower(first.text))
            if not (joins or looks_unfinished(first.text, first.key)):
                break
            self.place_text(first.text, continues=True)
            lines = lines[1:]
        cut_tail: list[Line] = []
        while len(lines) > 1 and looks_unfinished(lines[-1].text, lines[-1].key):
            cut_tail.insert(0, lines.pop())
        if lines:
            next_role = LineRole.TEXT if cut_tail else (after.role if after is not None else None)
            self.short_group(lines, after, next_role)
        for line in cut_tail:
            self.place_text(line.text, continues=True)

    def short_group(self, lines: list[Line], after: Line | None, next_role: LineRole | None) -> None:
        """Short lines that are not cut body lines; ``next_role``: what follows them."""
        lines = self.late_headline(lines, after, next_role)
        if not lines:
            return
        cur = self.current
        if len(lines) == 1:
            only = lines[0]
            has_body = cur is not None and bool(cur.blocks)
            # (a headline may stand over a jump line: it heads the text the jump line leads)
            ends_text = next_role not in OPENINGS and next_role not in (LineRole.TEXT, LineRole.JUMP_FROM)
            if ends_text and cur is not None and self.column is None:
                self.place_text(only.text, continues=True)
                return
            for_waiting = self._headline_for_waiting()
            if next_role is LineRole.TEXT and has_body and self.column is None and not for_waiting:
                self.short_in_body(only)
                return
        elif self.subhead_and_cut_line(lines, next_role):
            self.short_in_body(lines[0])
            self.place_text(lines[1].text)
            return
        self.headline(lines, next_role)

    def late_headline(self, lines: list[Line], after: Line | None, next_role: LineRole | None) -> list[Line]:
        """Give a story its headline printed after its text; the lines left.

        A story that opened with its dateline or byline, has ended and still waits for its
        headline may have it printed after its last paragraph.  Short lines after it with
        nothing that opens a story below (the end of the page, a column, advertising) are
        its headline.  Before another story's dateline or byline the first line is its title
        only when it shares more of its words with the story above than with the one below
        (and what is left of the group still heads the story below); both are flagged."""
        cur = self.current
        if cur is None or cur not in self.waiting or self.column is not None or self.banner is not None:
            return lines
        if not (cur.article.dateline or cur.article.bylines) or not cur.has_paragraphs():
            return lines
        first = lines[0]
        if cur.open_end() is not None or looks_unfinished(first.text, first.key):
            return lines
        if next_role is LineRole.TEXT:
            return lines  # the headline after a first paragraph: ``headline`` gives it
        if next_role in _NO_STORY_BELOW:
            self.set_headline(cur, lines)
            return []
        if next_role not in OPENINGS:
            return lines
        if after is None or not after.text:
            return lines
        above = " ".join(b.text for b in cur.blocks)
        below = after.text
        if _shared(first.text, above) <= max(2, _shared(first.text, below)):
            return lines
        rest = lines[1:]
        if rest and sum(_shared(r.text, below) for r in rest) <= sum(_shared(r.text, above) for r in rest):
            return lines
        self.set_headline(cur, [first])
        cur.article.warnings.append(f"标题印在正文之后，按内容归入本文：{first.text[:12]}")
        if rest:
            self.headline(rest, next_role)
            self.current.article.warnings.append(f"标题组首行按内容归入上文：{first.text[:12]}")
        return []

    def subhead_and_cut_line(self, lines: list[Line], next_role: LineRole | None) -> bool:
        """Two short lines inside a story's body, text after them, nothing that opens a
        story (no dateline or byline, no column, no story waiting for its headline): a
        subhead and the first line of the paragraph under it, cut — unless the second line
        is a subtitle (``——…``) or markdown marks the first as a title (``#``)."""
        cur = self.current
        if len(lines) != 2 or next_role is not LineRole.TEXT or cur is None or not cur.has_paragraphs():
            return False
        if self.column is not None or self._headline_for_waiting():
            return False
        first, second = lines
        if first.heading == 1 or second.heading or second.key.startswith(("——", "--")):
            return False
        k = first.key
        return len(k) <= SUBHEAD_MAX and not _CLAUSE_MARK.search(k) and not k.endswith(("——", "--"))

    def short_in_body(self, line: Line) -> None:
        """A lone short line between paragraphs: a subhead (or a long cut body line)."""
        cur = self.current
        assert cur is not None
        if len(line.key) > SUBHEAD_MAX:
            self.place_text(line.text, continues=True)
            return
        has_subheads = any(b.type is SUBHEAD for b in cur.blocks)
        if cur.article.dateline and cur.open_end() is None and not has_subheads:
            # a subhead after a finished dateline story opens a piece of its own
            self.new_draft(headless=False).split_from = cur
        self.subhead(line.text)

    def headline(self, lines: list[Line], next_role: LineRole | None) -> None:
        cur = self.current
        if (
            cur is not None
            and cur in self.waiting
            and not cur.blocks
            and not cur.article.dateline
            and next_role not in (LineRole.BYLINE, LineRole.AUTHOR)
        ):
            # the story being read so far is only a byline: printed above its headline
            # (``□刘冰`` over a commentary's title), whatever opens the text below
            draft = cur
        elif next_role not in (*OPENINGS, LineRole.JUMP_FROM) and self._headline_for_waiting():
            draft = self.waiting[0]
            if draft is not cur:
                # another story's text stands between that story and this headline: its
                # own headline printed late, or the headline of the text below — a guess
                draft.article.warnings.append("标题与正文不相邻，归属存疑")
            self.current = draft
        else:
            draft = self.new_draft(headless=False)
        self.set_headline(draft, lines)

    def _headline_for_waiting(self) -> bool:
        """Whether a headline with no opening after it may be the headline of the first story
        still waiting for one (printed after its first paragraph): not when that story has
        ended (signed, jumped, closed by its source line) — the headline then heads the text
        below it."""
        if not self.waiting:
            return False
        return not _ended(self.waiting[0])

    def editor_note(self, line: Line) -> None:
        """An editor's note between a story's headline (or byline) and its text is that
        story's; one printed after a story's text closes it; otherwise it waits for the
        next story."""
        cur = self.current
        if cur is not None and not cur.article.editor_note:
            opened = cur.headed or bool(cur.article.bylines)
            if cur.blocks or (opened and not cur.has_paragraphs()):
                self.leave_box_unless_brief(cur)
                cur.article.editor_note = line.note
                return
        self.note = line.note

    # -- driver ---------------------------------------------------------------------------
    def build(self, reading: ReadingOrder) -> list[Draft]:
        """Read the page's blocks in reading order; the drafts built, in page order."""
        joined, notes = reading.joined, reading.notes
        for block in reading.blocks:
            if isinstance(block, ShortRun):
                if id(block) in reading.as_text:
                    self.place_text(block.lines[0].text, id(block) in joined)
                else:
                    self.short_run(block)
                continue
            if block.role is LineRole.TEXT:
                self.place_text(block.text, id(block) in joined)
            else:
                self.line(block)
            if notes and id(block) in notes:
                self.current_or_new().article.warnings.extend(notes[id(block)])
        if self.note:
            draft = self.current_or_new()
            draft.article.editor_note = draft.article.editor_note or self.note
        if self.tip:  # no story began after it: it stays with the last one (nothing is lost)
            draft = self.current_or_new()
            draft.article.reading_tip = draft.article.reading_tip or self.tip
        return self.drafts

    def line(self, line: Line) -> None:
        role = line.role
        if role is LineRole.COLUMN:
            self.column = line.label
            cur = self.current
            if cur is None or not cur.boxed or cur.open_end() is None:
                self.banner = None  # (a brief left open: the box goes on after that piece)
        elif role is LineRole.BANNER:
            self.banner = line.label
            self.box_opened = True
        elif role is LineRole.EDITOR_NOTE:
            self.editor_note(line)
        elif role is LineRole.TIP:
            if self.current is not None and _closed(self.current):
                self.tip_ahead = True  # a piece that has ended takes no tip: the next story's
            else:
                self.tip_for = self.current_or_new()
        elif role is LineRole.SOURCE:
            self.current_or_new().article.source_note = line.text
        elif role is LineRole.JUMP_FROM:
            self.jump_from(line.page)
        elif role is LineRole.JUMP_TO:
            self.current_or_new().article.continued_to_page = line.page
        elif role is LineRole.AD:
            self.page_warnings.append("广告：本版含广告")
            if self.current is None or self.current.open_end() is None:
                self.banner = None  # (a brief left open goes on past the advertisement)
        elif role is LineRole.REGION:
            self.subhead(line.text)
        elif role in (LineRole.BYLINE, LineRole.AUTHOR):
            self.byline(line)
        elif role is LineRole.DATELINE:
            self.dateline(line)
        else:
            self.place_text(line.text)
