"""Stage 2 — blocks: the page's lines grouped into the units the later stages place.

A short line (no final punctuation) that reads like a body line the OCR cut (it ends on
a particle, or is long with clauses and no word at its end) is body text.  A run of the
other short lines is one :class:`ShortRun`: a headline group, a subhead, or cut body lines,
decided with what comes before and after it.  Every other line is a block of its own.
Lines a photo took are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import Line, LineRole
from .sentences import SUBHEAD_MAX, looks_unfinished, starts_inside_quote
from .text import ends_sentence, starts_lower
from .words import char_pairs, crossing, crossing_word, end_side, start_side, word_freq, word_list, word_pairs

CLAUSES_MAX = 1  # commas and semicolons of a subhead or a headline not before its story's opening
LONG_SUBHEAD = 20  # a lone short line between paragraphs, with clauses and longer, is body text
_CLAUSE_MARK = re.compile(r"[，,；;：:]")
# a sentence's opening phrase and comma (据了解，今年以来，前年，) and more: no headline opens so
_SENTENCE_OPENER = re.compile(r"^[\u4e00-\u9fff]{1,4}[，,][^，,]{6,}$")
# the adverbials a news sentence opens with before its comma (据了解，近日，今年以来，): no
# headline or subhead opens so
_ADVERBIAL_OPENER = re.compile(
    r"^(?:(?:据[\u4e00-\u9fff]{1,3}|[\u4e00-\u9fff]{0,4}以来|近日|日前|目前|近年来|此外|同时|其中|另外|与此同时"
    r"|(?:今年|去年|前年|\d{4}年)?\d{1,2}月(?:\d{1,2}日)?)[，,]"
    r"|记者(?:日前|近日)?从)"  # 今年10月，… 记者从…获悉: a news sentence's opening
)
COMMON_WORD = 500  # a word this frequent in the word list crossing into the next line joins it
# roles that open an article's text: short lines right before one are that article's headline
OPENINGS = frozenset(
    {
        LineRole.DATELINE,
        LineRole.BYLINE,
        LineRole.AUTHOR,
        LineRole.TIP,
        LineRole.REGION,
        LineRole.EDITOR_NOTE,
    }
)


# roles after which a story's text begins: a short line right after one (and not itself
# followed by a dateline or byline) is the first piece of that story's first paragraph
TEXT_FOLLOWS = frozenset({LineRole.BYLINE, LineRole.AUTHOR, LineRole.EDITOR_NOTE, LineRole.JUMP_FROM})


@dataclass(slots=True)
class ShortRun:
    """Consecutive short lines, and the line after them (``None`` at the end of the page)."""

    lines: list[Line]
    after: Line | None


def page_blocks(lines: list[Line], taken: set[int]) -> list[Line | ShortRun]:
    """The lines not in ``taken`` (positions in ``lines``), short lines grouped into runs."""
    if taken:
        at_line = [i for i in range(len(lines)) if i not in taken]  # where each kept line was
        kept = [lines[i] for i in at_line]
    else:
        at_line, kept = None, lines
    after_jump = False  # short lines right after a jump line (上接第1版) and text, so far
    for at, line in enumerate(kept):
        if line.role is LineRole.SHORT:
            if after_jump or _is_cut_body_line(kept, at):
                line.role = LineRole.TEXT
        elif line.role is LineRole.JUMP_FROM:
            # the jump line leads the text it continues: the line after it is that text
            after_jump = _text_after_shorts(kept, at + 1)
            if at + 1 < len(kept) and kept[at + 1].role is LineRole.SHORT:
                kept[at + 1].role = LineRole.TEXT
        else:
            after_jump = False
    for at, line in enumerate(kept):
        if line.role is LineRole.SHORT and (_cut_before_headline(kept, at) or _piece_of_text_above(kept, at)):
            line.role = LineRole.TEXT
    out: list[Line | ShortRun] = []
    i, n = 0, len(kept)
    while i < n:
        line = kept[i]
        if line.role is not LineRole.SHORT:
            out.append(line)
            i += 1
            continue
        j = i + 1
        # a run of short lines never reaches over a photo's lines: a headline on one side of
        # a photo and a photo title left on the other are no headline group
        while (
            j < n and kept[j].role is LineRole.SHORT and (at_line is None or at_line[j] == at_line[j - 1] + 1)
        ):
            j += 1
        out.append(ShortRun(kept[i:j], kept[j] if j < n else None))
        i = j
    return out


LOOK_AHEAD = 20  # lines after a short line searched for the text that completes it


def _cut_before_headline(lines: list[Line], at: int) -> bool:
    """Whether the short line at ``at``, the first of a run of short lines or over a jump
    line (a headline group to look at), is the cut end of a paragraph whose rest is printed
    further on: it stops inside a word (its last two characters are no word) and a later text line completes
    that word (``大庆市总工会还建`` … ``立技术骨干联系制度``: a common word across the break,
    and the later line opens with no word of its own).  A kicker is a whole phrase."""
    n = len(lines)
    if at + 1 >= n or lines[at + 1].role not in (LineRole.SHORT, LineRole.JUMP_FROM):
        return False  # (over a jump line it would be the headline of the text the jump leads)
    if at and lines[at - 1].role in (LineRole.SHORT, LineRole.COLUMN, LineRole.BANNER):
        return False
    tail, _ = end_side(lines[at].text)
    if len(tail) < 2 or tail[-2:] in word_list():
        return False
    pairs, last = word_pairs(), tail[-1]
    for j in range(at + 2, min(n, at + 2 + LOOK_AHEAD)):
        later = lines[j]
        if later.role is not LineRole.TEXT or last + later.text[0] not in pairs:
            continue  # (the cheap test first: no word can cross into the line)
        head, head_word = start_side(later.text)
        if not head_word and crossing(tail, head) >= COMMON_WORD:
            return True
    return False


PIECE_MIN = 12  # a short line this long may be judged by its wording
PIECE_SHARED = 3  # character pairs it shares with the text above, at least …
NEARBY = 6  # … of the text lines right above it (and as many below its run) …
WORDING_SAMPLE = 80  # … their characters nearest to it


def _piece_of_text_above(lines: list[Line], at: int) -> bool:
    """Whether the short line at ``at``, above another short line (in what reads as the
    next story's headline group), is a piece of the paragraph above it that the OCR cut:
    it is long enough to judge and has clauses, comes right after text, and shares its wording with the
    text above (at least ``PIECE_SHARED`` character pairs) far more than with the text
    under the headline group (twice as many, and two more) — a headline takes up the words
    of its own story below it (``园区总工会还将每年安排专项资金，为新入会的新就业形态`` over
    ``上海浦东：白领午间“充电”课堂受欢迎``)."""
    n = len(lines)
    if at == 0 or at + 1 >= n or lines[at + 1].role is not LineRole.SHORT:
        return False
    line = lines[at]
    k = line.key
    if len(k) < PIECE_MIN or not _CLAUSE_MARK.search(k) or k.endswith(("——", "--")):
        return False  # (a kicker leading into its title ends with a dash)
    if lines[at - 1].role not in (LineRole.TEXT, LineRole.DATELINE):
        return False
    own = char_pairs(line.text)
    above: list[str] = []
    j = at - 1
    while j >= 0 and at - j <= NEARBY and lines[j].role in (LineRole.TEXT, LineRole.DATELINE):
        above.append(lines[j].text[-WORDING_SAMPLE:])
        j -= 1
    shared = len(own & char_pairs("\x00".join(above)))
    if shared < PIECE_SHARED:
        return False
    below: list[str] = []
    j = at + 1
    while j < n and j - at <= LOOK_AHEAD and len(below) < NEARBY:
        role = lines[j].role
        if role is LineRole.TEXT or role is LineRole.DATELINE:
            below.append(lines[j].text[:WORDING_SAMPLE])
        elif role not in OPENINGS and role is not LineRole.SHORT and role is not LineRole.COLUMN:
            break
        j += 1
    return shared >= 2 * len(own & char_pairs("\x00".join(below))) + 2


def _text_after_shorts(lines: list[Line], at: int) -> bool:
    """Whether the lines from ``at`` are short lines and then a text line: after a jump line
    (上接第1版) they are the cut first lines of the text it continues (its headline was
    printed with its beginning, on the other page)."""
    n = len(lines)
    j = at
    while j < n and lines[j].role is LineRole.SHORT:
        j += 1
    return j > at and j < n and lines[j].role is LineRole.TEXT


# a sentence of at most six characters closing the start of a text line (``2100多名。``,
# ``交友平台。``): no paragraph opens so, it ends the sentence the line before left open
_FRAGMENT_OPENING = re.compile(r"^[^，,、；;：:。！？!?“”\"‘’（）()]{1,6}[。！？!?]")


def _completes(line: Line, after: Line) -> bool:
    """``after`` goes on the open ``line``: lower punctuation, a common word across the
    break (服务中|心1个), or a bare fragment of a sentence opening it (托管孩子 + 2100多名。)."""
    if starts_lower(after.text):
        return True
    if _FRAGMENT_OPENING.match(after.text) and not line.heading:
        return True  # (a line marked as a heading heads the text; the fragment is another's)
    return crossing(end_side(line.text)[0], start_side(after.text)[0]) >= COMMON_WORD


def _headed(lines: list[Line], at: int) -> bool:
    """Whether a headline part (a short line) stands right before ``at`` (a column label
    heads no story: its headline may still follow the byline)."""
    return at > 0 and lines[at - 1].role is LineRole.SHORT


# what may follow a headline line: its group, its text, a jump line (上接第1版) its text follows
_HEADLINE_NEIGHBOURS = OPENINGS | {LineRole.TEXT, LineRole.SHORT, LineRole.JUMP_FROM}


_OPENING_PARTS = frozenset({LineRole.BYLINE, LineRole.AUTHOR, LineRole.EDITOR_NOTE, LineRole.TIP})


def _headed_story_above(lines: list[Line], at: int) -> bool:
    """Whether the text right above ``at`` belongs to a story that has its headline, or to
    none that opened here: not a story that opened with its dateline or byline (after
    anything but a headline line) and whose text runs down to ``at``."""
    for i in range(at - 1, -1, -1):
        role = lines[i].role
        if role is LineRole.TEXT:
            continue
        if role is LineRole.DATELINE or role in (LineRole.BYLINE, LineRole.AUTHOR):
            j = i  # the story's opening: its byline, editor's note, reading tip and its text
            while j > 0:
                if lines[j - 1].role in _OPENING_PARTS:
                    j -= 1
                elif j > 1 and lines[j - 1].role is LineRole.TEXT and lines[j - 2].role is LineRole.TIP:
                    j -= 2  # the reading tip's label and its text
                else:
                    break
            return _headed(lines, j) or (j > 0 and lines[j - 1].role is LineRole.REGION)
        return True
    return True


def _runs_on(line: Line, after: Line) -> bool:
    """``after`` plainly goes on ``line``, a headline-like line: lower punctuation, or a
    common word across the break where the line does not end with a whole word that
    ``after`` follows with one of its own (``…拉近了距离`` + ``去年春天…`` makes 离去, but
    距离 and 去年 are whole words: a headline and its story's first line)."""
    if starts_lower(after.text):
        return True
    tail, tail_word = end_side(line.text)
    head, head_word = start_side(after.text)
    return not (tail_word and head_word) and crossing(tail, head) >= COMMON_WORD


def _clauses(k: str) -> int:
    return k.count(",") + k.count("，") + k.count(";") + k.count("；")


def _is_cut_body_line(lines: list[Line], at: int) -> bool:
    """Whether the short line at ``at`` is body text the OCR cut: it reads unfinished or
    opens like a sentence (``据了解，…``, ``今年以来，…``, ``近日，…``, ``今年10月，…``,
    ``记者从…``); it
    holds several clauses and no headline line, dateline or byline follows it; it
    goes on an open line before it (a word across the break, lower punctuation); it stands
    alone after text where nothing opens a story next (a column label, a photo credit,
    advertising, a jump line, the end of the page); it comes right after a story's opening
    (a byline, an author line, an editor's note, a jump line) with text after it; it is
    the second of two short lines in a story's body and the text after completes it; or,
    between text lines, it has clauses and is longer than a subhead, or a common word
    crosses from it into the next line."""
    line = lines[at]
    k = line.key
    if looks_unfinished(line.text, k) or _SENTENCE_OPENER.match(k) or _ADVERBIAL_OPENER.match(k):
        return True
    if starts_inside_quote(k):
        return True  # (绣花”的本领，…: it closes a quotation opened before it, on a cut line)
    before = lines[at - 1] if at else None
    after = lines[at + 1] if at + 1 < len(lines) else None
    if _clauses(k) > CLAUSES_MAX and (
        after is None or (after.role is not LineRole.SHORT and after.role not in OPENINGS)
    ):
        return True  # several clauses (…，…，…): only a headline line above its story has them
    if (
        _clauses(k) > CLAUSES_MAX
        and not k.endswith(("——", "--"))
        and after is not None
        and after.role is LineRole.SHORT
        and (before is None or before.role is not LineRole.SHORT)
    ):
        # ... and at the head of a headline group only a kicker that leads into its title
        # with a dash (a subtitle under its title may hold several): a line of several
        # clauses over a headline is the cut end of the text above it
        return True
    if (
        before is not None
        and before.role is LineRole.SHORT
        and at >= 2
        and lines[at - 2].role is LineRole.TEXT
    ):
        # the second of two short lines inside a story's body (a subhead and the cut first
        # line under it): text when the line after it plainly completes it
        return after is not None and after.role is LineRole.TEXT and _completes(line, after)
    if (
        before is not None
        and before.role is LineRole.SHORT
        and at >= 2
        and lines[at - 2].role in (LineRole.BYLINE, LineRole.AUTHOR)
        and not _headed(lines, at - 2)
    ):
        # the second short line under a headline printed below its byline: a clause there
        # (``当了十几年工会干部，我最大的体会是：职工愿意``), or a line the text after plainly
        # completes (``当了十几年工`` + ``会干部，…``), is the story's cut first line, not a
        # subtitle (which is one phrase, or opens with ——)
        if after is None or after.role is not LineRole.TEXT or k.startswith(("——", "--")):
            return False
        return _CLAUSE_MARK.search(k) is not None or _runs_on(line, after)
    if (
        before is not None
        and before.role is LineRole.SHORT
        and after is not None
        and after.role is LineRole.TEXT
        and not line.heading
        and not k.startswith(("——", "--"))
        and _completes(line, after)
    ):
        # the last of a headline group's lines, and the text under it plainly goes on with
        # it (a common word across the break, lower punctuation): the cut first line of the
        # story's first paragraph, not a subtitle (``…普遍建立职`` + ``工技能等级…``)
        return True
    if before is None or before.role in (LineRole.COLUMN, LineRole.SHORT):
        return False
    if before.role in TEXT_FOLLOWS:
        # a headline here would head nothing: the story's own opening came before it ...
        if after is None or after.role is LineRole.SHORT or after.role in OPENINGS:
            return False
        # ... unless that opening is a byline printed above its headline (``□刘冰`` over a
        # commentary's title): no headline stands before the byline, and the short line is
        # one phrase (no clause: ``提高技能人才待遇，是吸引`` is a cut sentence) that does not
        # run on into the text after it
        if (
            before.role in (LineRole.BYLINE, LineRole.AUTHOR)
            and not _headed(lines, at - 1)
            and not _CLAUSE_MARK.search(k)
        ):
            return after.role is LineRole.TEXT and _runs_on(line, after)
        return True
    open_before = before.role in (LineRole.TEXT, LineRole.DATELINE) and not ends_sentence(before.text)
    if open_before and (starts_lower(line.text) or crossing_word(before.text, line.text)):
        return True  # it completes the sentence (and here the word) the line before left open
    if not open_before and (after is None or after.role not in _HEADLINE_NEIGHBOURS):
        # after a finished story with nothing that opens a story below: the headline of that
        # story when it began with its dateline or byline and no headline (printed after its
        # text); a piece of a paragraph otherwise
        if _clauses(k) or len(k) > SUBHEAD_MAX or not end_side(line.text)[1]:
            return True  # clauses, a sentence's length, a cut word: no headline
        return _headed_story_above(lines, at)
    if after is None:
        return True
    if after.role is LineRole.TEXT:
        if before.role is LineRole.TEXT and _CLAUSE_MARK.search(line.key) and len(line.key) > LONG_SUBHEAD:
            return True  # clauses, and longer than a subhead: a paragraph's first line
        if _FRAGMENT_OPENING.match(after.text) and not line.heading:
            return True  # the text after only ends the sentence this line leaves open
        return word_freq(crossing_word(line.text, after.text)) >= COMMON_WORD
    if after.role is LineRole.JUMP_FROM:
        # the continued part of a story may carry its headline again over the jump line
        # (``大国工匠的“绝活”是怎样炼成的`` over ``（上接第1版）``): one phrase; a line with
        # clauses there is the end of the text before it
        return _CLAUSE_MARK.search(k) is not None
    return after.role not in OPENINGS and after.role is not LineRole.SHORT
