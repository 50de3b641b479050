"""Assembling a page: headline groups, bylines, body paragraphs, joins across broken lines."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from operator import add

from .lines import JUMP_RE, TAIL_BYLINE_RE, Line, parse_names, split_lines
from .model import Block, Credit, ParsedArticle, ParsedPage
from .photos import find_photos
from .text import CLOSERS, FINAL, LOWER_START, close_cjk_spaces, ends_sentence, is_cjk, key, starts_lower
from .words import break_scores, crossing_word, head_is_word, tail_is_word, word_freq

OPENINGS = {"dateline", "byline", "author", "tip", "region", "editor_note"}
DANGLING = set("的该和与及对在把被将从向为以于是让使给由其这那各每并而或但")
SUBHEAD_MAX = 30
WORD_JOIN = 2.0
CURRENT_BONUS = 0.4
DUPLICATE_MIN = 14  # clauses this long seen twice on a page are flagged
COMMON_WORD = 500  # a join across articles needs a word at least this frequent in the list
# clause marks: a repeated clause is text between two of them (DUPLICATE_MIN or longer)
_CLAUSE_MARKS = "，,；;。！？!?：:"
_CLAUSE_ENDS = frozenset(_CLAUSE_MARKS + "\x00")  # \x00 separates paragraphs
_SPACES = (" ", "\u3000", "\t", "\xa0")  # the spaces OCR text holds


@dataclass(eq=False)  # compared by identity: two articles may hold equal text
class _Art:
    art: ParsedArticle = field(default_factory=ParsedArticle)
    headed: bool = False
    pos: int = 0  # place on the page (order of ``_Assembler.arts``)
    # the news story this article was cut from when a subhead followed the story's end
    split_from: _Art | None = None

    @property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.art.blocks if b.type == "paragraph"]

    def open_block(self) -> Block | None:
        """The last paragraph if it ends mid-sentence."""
        blocks = self.art.blocks
        if blocks:
            last = blocks[-1]
            if last.type == "paragraph" and not ends_sentence(last.text):
                return last
        return None


_SPACED_PARTS = re.compile(r"\S[ \u3000]+\S")


def looks_unfinished(text: str, k: str | None = None) -> bool:
    """A short line that reads like a cut body line rather than a headline (``k``: its
    matching form when already known)."""
    if k is None:
        k = key(text)
    if not k or k.endswith("——"):
        return False
    if k[-1] in DANGLING:
        return True
    if not is_cjk(k[-1]):
        return False
    if len(k) >= 2 and k[-2].isdigit():
        return False
    if _SPACED_PARTS.search(text):  # parts set apart by spaces: a headline
        return False
    has_comma = "," in k or "，" in k or "、" in k
    return (has_comma or len(k) > SUBHEAD_MAX) and len(k) > 12 and not tail_is_word(k)


# characters that never open a sentence unless they begin a word (的确, 了解, 着手 do)
_NO_OPENING = frozenset("的了着们吗呢么吧啊")
# enumeration marks that may open a paragraph before 、 (一、 1、 (一)、)
_ENUM = re.compile(r"^[(（]?[一二三四五六七八九十百零〇\d]+[)）]?$")
_FIRST_CLAUSE = re.compile(r"^([^，,、；;：:。！？!?…“”\"]{1,4})[；;]")


def starts_mid_sentence(text: str) -> bool:
    """A paragraph that opens inside a sentence whose beginning is not on the page: a
    short clause cut off by a semicolon (``革新;智创未来…``) or a
    particle that cannot open a sentence (``的工作…``).  Lower punctuation is checked apart
    (``starts_lower``)."""
    m = _FIRST_CLAUSE.match(text)
    if m and not _ENUM.match(m.group(1)):
        return True
    return text[:1] in _NO_OPENING and not head_is_word(text)


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
        return "", texts[0], texts[1], []
    return texts[0], texts[1], texts[2], texts[3:]


class _Current:
    """``_Assembler.current``: setting it notes the article it replaces as possibly changed.

    Only ``__set__`` is defined, so reading the attribute is a plain instance-dict lookup.
    """

    def __set__(self, asm: _Assembler, a: _Art | None) -> None:
        d = asm.__dict__
        old = d["current"]
        if old is not None:
            asm._dirty.append(old)
        d["current"] = a


class _Assembler:
    """Walks the classified lines of one page and builds its articles."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.arts: list[_Art] = []
        self.__dict__["current"] = None  # the article being built (see ``_Current``)
        # Articles whose last paragraph is open, with their page position.  A block is only
        # ever added to or extended on the current article, so an article's open state can
        # change only while it is current: ``open_arts`` rechecks just those.
        self._open: dict[_Art, int] = {}
        self._dirty: list[_Art] = []
        self.pending: list[_Art] = []  # started without a headline, waiting for one
        self.column: str | None = None
        self.note: str = ""
        self.tip_for: _Art | None = None
        self.page_warnings: list[str] = []
        self.fresh = False  # the next text starts a new paragraph (after a jump line)

    current = _Current()

    def touched(self, a: _Art) -> None:
        """Note a change to the blocks of an article that may not be current."""
        self._dirty.append(a)

    def open_arts(self) -> list[_Art]:
        """The articles whose last paragraph ends mid-sentence, in page order."""
        dirty, known = self._dirty, self._open
        if self.current is not None:
            dirty.append(self.current)
        for a in dirty:
            blocks = a.art.blocks
            if blocks:
                last = blocks[-1]
                if last.type == "paragraph":
                    end = last.text.rstrip()  # inlined ``not ends_sentence(last.text)``:
                    if not (end[-1:] in FINAL or (end[-1:] in CLOSERS and end[-2:-1] in FINAL)):
                        known[a] = a.pos
                        continue
            known.pop(a, None)
        dirty.clear()
        if len(known) < 2:
            return list(known)
        return sorted(known, key=known.__getitem__)

    # -- articles -------------------------------------------------------------------------
    def new_article(self, headless: bool) -> _Art:
        a = _Art(pos=len(self.arts))
        a.art.column = self.column
        self.column = None
        if self.note:
            a.art.editor_note, self.note = self.note, ""
        self.arts.append(a)
        if headless:
            self.pending.append(a)
        self.current = a
        return a

    def ensure_current(self) -> _Art:
        return self.current or self.new_article(headless=True)

    def set_headline(self, a: _Art, group: list[Line]) -> None:
        kicker, title, subtitle, extra = headline_parts(
            [g.text for g in group], [g.heading for g in group], [g.key for g in group]
        )
        a.art.kicker, a.art.title, a.art.subtitle = kicker, title, subtitle
        if extra:
            if a.art.column is None:
                a.art.column = " ".join(extra)
            else:
                a.art.subtitle = " ".join([subtitle, *extra]).strip()
        a.headed = True
        if a in self.pending:
            self.pending.remove(a)
        if self.column is not None:
            a.art.column, self.column = self.column, None

    # -- text -----------------------------------------------------------------------------
    def place_text(self, text: str) -> None:
        """Place a line of body text (a ``Line.text``: already stripped)."""
        text = close_cjk_spaces(text)
        if "版" in text:  # a jump line opening or closing the text
            self.jump_marks(text)
            return
        self.place_plain(text)

    def jump_marks(self, text: str) -> None:
        """``place_text`` for text that may open with ``(上接第1版)`` or end with ``(下转第2版)``."""
        if "版" in text[:12]:
            m = JUMP_RE.match(key(text[:12]))
            if m and m.group(1) == "上接":
                raw = JUMP_RE.match(text)
                text = text[raw.end() :].strip() if raw else text
                self.jump_from(int(m.group(2)))
        if "版" in text[-12:]:
            m = JUMP_RE.search(text[-12:])
            if m and text.endswith(m.group(0)) and m.group(1) == "下转":
                self.ensure_current().art.continued_to_page = int(m.group(2))
                text = text[: len(text) - len(m.group(0))].rstrip()
        self.place_plain(text)

    def place_plain(self, text: str) -> None:
        """``place_text`` once jump marks are off the text."""
        if not text:
            return
        if self.tip_for is not None:
            self.tip_for.art.reading_tip = text
            self.tip_for = None
            return
        target = None if self.fresh else self.continuation_of(text)
        self.fresh = False
        if target is not None:
            block = target.art.blocks[-1]  # its open last paragraph
            block.text += text
            self.current = target
            return
        a = self.current or self.new_article(headless=True)
        if text[0] in LOWER_START:
            a.art.warnings.append(f"无法归位的片段：{text[:12]}…")
        elif starts_mid_sentence(text):
            a.art.warnings.append(f"片段缺少开头：{text[:12]}…")
        a.art.blocks.append(Block("paragraph", text))

    def continuation_of(self, text: str) -> _Art | None:
        """The article whose open last paragraph this text continues, if any."""
        current = self.current
        if not self._open and not self._dirty:
            # only the current article can have an open end: the commonest case, kept cheap
            if current is None:
                return None
            blocks = current.art.blocks
            if not blocks or blocks[-1].type != "paragraph":
                return None
            end = blocks[-1].text.rstrip()
            if end[-1:] in FINAL or (end[-1:] in CLOSERS and end[-2:-1] in FINAL):
                return None
        cands = self.open_arts()
        if not cands:
            return None
        ends = [a.art.blocks[-1].text for a in cands]
        cur_open = current in cands
        if len(cands) == 1:
            best, end = cands[0], ends[0]
            raw = break_scores(ends, text)[0]
            scored = cands
        else:
            scored = [
                (raw + CURRENT_BONUS if a is current else raw, raw, a, end)
                for a, end, raw in zip(cands, ends, break_scores(ends, text), strict=True)
            ]
            scored.sort(key=lambda s: -s[0])
            _, raw, best, end = scored[0]
        lower = text[:1] in LOWER_START
        if (
            best is current
            or lower
            or (cur_open and len(scored) > 1)
            or (raw >= WORD_JOIN and word_freq(crossing_word(end, text)) >= COMMON_WORD)
        ):
            if len(scored) > 1 and best is not current:
                best.art.warnings.append(f"按词表拼接：…{end[-4:]}|{text[:4]}…")
            elif raw == 0 and not lower:
                best.art.warnings.append(f"拼接存疑：…{end[-4:]}|{text[:4]}…")
            return best
        return None

    # -- line kinds -----------------------------------------------------------------------
    def jump_from(self, page: int) -> None:
        self.fresh = True
        cur = self.current
        if cur is not None and not cur.headed and not cur.art.dateline and cur not in self.pending:
            cur.art.continued_from_page = page
            return
        a = self.new_article(headless=False)
        a.art.continued_from_page = page

    def credits_line(self, line: Line) -> None:
        cur = self.current
        if cur is not None and cur.headed and not cur.paragraphs and not cur.art.bylines:
            cur.art.bylines.extend(line.data["credits"])
            return
        a = self.new_article(headless=True)
        a.art.bylines.extend(line.data["credits"])

    def dateline(self, line: Line) -> None:
        cur = self.current
        body = line.data["body"]
        if cur is not None and not cur.art.dateline and not cur.paragraphs:
            cur.art.dateline = line.data["dateline"]
            cur.art.bylines.extend(line.data["credits"])
            self.place_body_start(cur, body)
            return
        if cur is not None and cur.art.blocks and cur.art.blocks[-1].type == "subhead":
            # A later section of a round-up: its dateline stays in the text ("今天" needs it);
            # the spaces between the names in its brackets are real, not OCR noise.
            cur.art.bylines.extend(c for c in line.data["credits"] if c not in cur.art.bylines)
            text = line.text.strip()
            head = (
                text[: len(text) - len(body.strip())] if body.strip() and text.endswith(body.strip()) else ""
            )
            cur.art.blocks.append(Block("paragraph", head + close_cjk_spaces(text[len(head) :])))
            return
        a = self.new_article(headless=True)
        a.art.dateline = line.data["dateline"]
        a.art.bylines.extend(line.data["credits"])
        self.place_body_start(a, body)

    def place_body_start(self, a: _Art, body: str) -> None:
        self.current = a
        a.art.blocks.append(Block("paragraph", close_cjk_spaces(body.strip())))

    def subhead(self, text: str) -> None:
        self.ensure_current().art.blocks.append(Block("subhead", text))

    def shorts(self, run: list[Line], nxt: Line | None) -> None:
        """A run of short lines: headline group, subhead, photo-less title or cut body line."""
        cur = self.current
        opened = cur is not None and bool(cur.art.blocks or cur.art.bylines or cur.art.dateline)
        while run and cur is not None and opened:
            first = run[0]
            ob = cur.open_block()
            joins = ob is not None and (crossing_word(ob.text, first.text) or starts_lower(first.text))
            if joins or looks_unfinished(first.text, first.key):
                self.place_text(first.text)
                run = run[1:]
                continue
            break
        tail: list[Line] = []
        while len(run) > 1 and looks_unfinished(run[-1].text, run[-1].key):
            tail.insert(0, run.pop())
        if run:
            self.short_group(run, nxt, "text" if tail else (nxt.kind if nxt is not None else None))
        for line in tail:
            self.place_text(line.text)

    def short_group(self, run: list[Line], nxt: Line | None, nkind: str | None) -> None:
        """A run of short lines that are not cut body lines; ``nkind``: what follows."""
        cur = self.current
        if len(run) == 1:
            only = run[0]
            has_body = cur is not None and bool(cur.art.blocks)
            if nkind == "text" and has_body and nxt is not None and crossing_word(only.text, nxt.text):
                self.place_text(only.text)
                return
            if nkind not in OPENINGS and nkind != "text" and cur is not None and self.column is None:
                self.place_text(only.text)
                return
            if nkind == "text" and has_body and self.column is None and not self.pending:
                self.body_short(only)
                return
        self.headline(run, opening=nkind in OPENINGS)

    def body_short(self, line: Line) -> None:
        cur = self.current
        assert cur is not None
        if len(line.key) > SUBHEAD_MAX:
            self.place_text(line.text)
            return
        subheads = any(b.type == "subhead" for b in cur.art.blocks)
        if cur.art.dateline and cur.open_block() is None and not subheads:
            self.new_article(headless=False).split_from = cur
        self.subhead(line.text)

    def headline(self, run: list[Line], opening: bool) -> None:
        if not opening and self.pending:
            a = self.pending[0]
            self.current = a
        else:
            a = self.new_article(headless=False)
        self.set_headline(a, run)

    def editor_note(self, line: Line) -> None:
        cur = self.current
        if cur is not None and cur.art.blocks and not cur.art.editor_note:
            cur.art.editor_note = line.data["text"]
        else:
            self.note = line.data["text"]

    # -- driver ---------------------------------------------------------------------------
    def run(self, seq: list[Line]) -> None:
        i = 0
        n = len(seq)
        place_text, one = self.place_text, self.one
        while i < n:
            line = seq[i]
            kind = line.kind
            if kind == "text":
                place_text(line.text)
            elif kind == "short":
                j = i + 1
                while j < n and seq[j].kind == "short":
                    j += 1
                self.shorts(seq[i:j], seq[j] if j < n else None)
                i = j
                continue
            else:
                one(line)
            i += 1
        if self.note:
            target = self.current or self.new_article(headless=True)
            target.art.editor_note = target.art.editor_note or self.note

    def one(self, line: Line) -> None:
        kind = line.kind
        if kind == "column":
            self.column = line.data["label"]
        elif kind == "editor_note":
            self.editor_note(line)
        elif kind == "tip":
            self.tip_for = self.ensure_current()
        elif kind == "source":
            self.ensure_current().art.source_note = line.text
        elif kind == "jump_from":
            self.jump_from(line.data["page"])
        elif kind == "jump_to":
            self.ensure_current().art.continued_to_page = line.data["page"]
        elif kind == "ad":
            self.page_warnings.append("广告：本版含广告")
        elif kind == "region":
            self.subhead(line.text)
        elif kind in ("byline", "author"):
            self.credits_line(line)
        elif kind == "dateline":
            self.dateline(line)
        else:
            self.place_text(line.text)


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
LEAD_SHARE = 0.15  # a paragraph handed back shares at least this much of its wording …
LEAD_RATIO = 1.5  # … and this many times more with the piece it goes to than the one it leaves
LEAD_SAMPLE = 80  # wording compared: the opening characters of each paragraph and subhead
MIN_KEPT = 2  # paragraphs a story keeps (its dateline paragraph and at least one more)


def _bigrams(text: str) -> set[str]:
    """The pairs of adjacent CJK characters in ``text`` (its wording, for comparing texts)."""
    pairs: set[str] = set()
    for run in _CJK_RUN.findall(text):
        pairs.update(map(add, run, run[1:]))
    return pairs


def _share(words: set[str], other: set[str]) -> float:
    return len(words & other) / len(words) if words else 0.0


def _reclaim_leads(arts: list[_Art]) -> None:
    """Give an essay cut from a news story at its first subhead the paragraphs it opens with.

    The parser starts a new (headline-less) piece when a subhead follows a dateline story
    that has ended (``body_short``).  A commentary printed under the story without a
    headline (``《论语》书云…`` … ``（梁伟强）``) begins with one or more paragraphs before its
    first subhead; those stayed in the story.  The story's last paragraphs go to the piece
    when each of them shares much more of its wording with the piece (the other moved
    paragraphs included) than with what stays in the story.  Conservative: the piece must
    be signed (its author in brackets at its end), the story keeps at least ``MIN_KEPT``
    paragraphs and must have ended on a full sentence before the moved ones.
    """
    for a in arts:
        story = a.split_from
        if story is None or a.art.title:
            continue
        blocks = story.art.blocks
        own = a.art.blocks
        if len(blocks) <= MIN_KEPT or not own or own[-1].type != "paragraph":
            continue
        last = own[-1].text
        if last.rstrip()[-1:] not in ("）", ")") or not TAIL_BYLINE_RE.search(last):
            continue  # only a signed piece: it ends with its author in brackets
        if any(b.type != "paragraph" for b in blocks):
            continue
        k = _lead_split(blocks, _bigrams("\x00".join(b.text[:LEAD_SAMPLE] for b in own)))
        if k:
            a.art.blocks[:0] = blocks[k:]
            del blocks[k:]
            a.art.warnings.append(f"无标题稿件的开头按用词从上一篇分出：{a.art.blocks[0].text[:12]}…")


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


def _return_list_items(arts: list[_Art]) -> None:
    """Return a story's list items printed after a story interleaved with it.

    Story A is a list of parallel ``X，Y。`` items and breaks off mid-sentence; another
    story B (interleaved with A on the page) ends with items of the same shape although
    none of its own paragraphs has it.  Those trailing items are A's: they move to the
    end of A, and A is flagged (the placement is inferred from the shape of the text).
    """
    for a in arts:
        blocks = a.art.blocks
        if not blocks or blocks[-1].type != "paragraph" or ends_sentence(blocks[-1].text):
            continue
        flags = [_is_topic(b.text) for b in blocks if b.type == "paragraph"]
        if sum(flags[1:-1]) < 2:  # items between the lead paragraph and the open end
            continue
        donors = []
        for b in arts:
            if b is a or b.pos < a.pos or any(x.type != "paragraph" for x in b.art.blocks):
                continue
            bf = [_is_topic(x.text) for x in b.art.blocks]
            n = len(bf)
            t = n
            while t > 0 and bf[t - 1]:
                t -= 1
            if t < n and t >= 2 and not any(bf[:t]) and ends_sentence(b.art.blocks[t - 1].text):
                donors.append((b, t))
        if len(donors) != 1:
            continue
        b, t = donors[0]
        items = b.art.blocks[t:]
        del b.art.blocks[t:]
        blocks.extend(items)
        a.art.warnings.append(f"段落归属按格式推断（穿插稿件之后）：{items[0].text[:12]}…")
        a.art.warnings.append(f"段落不完整：…{blocks[-len(items) - 1].text[-8:]}")


def _finish(a: ParsedArticle) -> None:
    """Tail byline, warnings for what the parse had to guess."""
    paras = [b for b in a.blocks if b.type == "paragraph"]
    if paras:
        last = paras[-1]
        m = TAIL_BYLINE_RE.search(last.text) if last.text.rstrip()[-1:] in ("）", ")") else None
        if m:
            a.bylines.extend(parse_names(m.group("names"), ""))
            last.text = last.text[: m.start()].rstrip()
    a.blocks = [b for b in a.blocks if b.text.strip()]
    paras = [b for b in a.blocks if b.type == "paragraph"]
    if not a.title:
        a.warnings.insert(0, "未找到标题")
    if paras and not ends_sentence(paras[-1].text):
        a.warnings.append(f"结尾不完整：…{paras[-1].text[-8:]}")
    if not paras:
        a.warnings.append("正文为空")


def _flag_duplicates(arts: list[ParsedArticle]) -> None:
    """Warn on the article where a long clause is seen for the second time on the page.

    A clause is the text between two clause marks (or a paragraph's ends), without its
    surrounding spaces.  The page's paragraphs are cut with ``str.replace``/``split`` (far
    cheaper than a regex over every character); only repeated clauses are then located.
    """
    texts: list[str] = []
    owner: list[ParsedArticle] = []
    for a in arts:
        for b in a.blocks:
            if b.type == "paragraph":
                texts.append(b.text)
                owner.append(a)
    joined = "\x00".join(texts)
    cut = joined
    for mark in _CLAUSE_MARKS:
        cut = cut.replace(mark, "\x00")
    parts = cut.split("\x00")
    if any(space in cut for space in _SPACES):  # rare: clauses are compared without them
        parts = [c.strip() for c in parts]
    counts = Counter(parts)
    if len(counts) == len(parts):
        return
    repeated = [k for k, n in counts.items() if n > 1 and len(k) >= DUPLICATE_MIN]
    if not repeated:
        return
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


def parse_page(text: str) -> ParsedPage:
    """Parse the text of one page into its articles and news photos, in page order."""
    lines = split_lines(text)
    photos, used = find_photos(lines)
    seq = [ln for i, ln in enumerate(lines) if i not in used]
    asm = _Assembler(lines)
    asm.run(seq)
    _reclaim_leads(asm.arts)
    _return_list_items(asm.arts)
    page = ParsedPage(photos=[p for _, p in photos], warnings=asm.page_warnings)
    fragments: list[tuple[int, ParsedArticle]] = []
    for a in asm.arts:
        _finish(a.art)
        if a.art.blocks or a.art.title:
            page.articles.append(a.art)
        elif _has_text(a.art):
            fragments.append((len(page.articles), a.art))
    for follows, fragment in fragments:
        _place_fragment(fragment, page.articles, follows)
    _flag_duplicates([a.art for a in asm.arts])
    return page


def _has_text(art: ParsedArticle) -> bool:
    """Whether a body-less, title-less piece still carries text (names, notes, a headline part)."""
    return bool(
        art.bylines or art.kicker or art.subtitle or art.editor_note or art.reading_tip or art.source_note
    )


def _place_fragment(fragment: ParsedArticle, articles: list[ParsedArticle], follows: int) -> None:
    """Keep the text of a piece that never got a body or headline (nothing is dropped).

    It joins the article it follows on the page (a byline printed after its story, say),
    or the first article when it comes before all of them, with a warning; on a page
    with no article at all it stays a piece of its own, flagged for review.
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
            target.blocks.append(Block("paragraph", part))
    target.warnings.append(f"{what}位置存疑，已归入本稿")


__all__ = ["Credit", "parse_page"]
