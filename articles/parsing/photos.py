"""Stage 4a — news photos: title, caption, credit and agency found among the page's lines.

A photo group ends with its credit line; the caption is the text before it (up to a blank-line
boundary), the title a short line before the caption or, printed after it, a lone short line
right after the credit.  The lines a photo takes are left out of the articles.
"""

from __future__ import annotations

from .lines import PHOTO_COLUMNS, Line, LineRole
from .model import ParsedPhoto
from .sentences import looks_unfinished
from .text import ends_sentence, starts_lower
from .words import crossing_word

SECTION_GAP = 2  # a run of this many blank lines separates a photo group from articles
MAX_CAPTION_LINES = 2
_CAPTION_ROLES = (LineRole.TEXT, LineRole.SHORT)
_OPENINGS = (LineRole.DATELINE, LineRole.BYLINE, LineRole.AUTHOR, LineRole.TIP, LineRole.EDITOR_NOTE)
PHOTO_TITLE_MAX = 20  # a photo title is a short phrase: 检修“电力动脉”, 金秋采棉忙
# a line after one of these belongs to the text or headline there, not to a photo
_HOLDS_NEXT_LINE = frozenset(
    {
        LineRole.REGION,
        LineRole.BYLINE,
        LineRole.AUTHOR,
        LineRole.EDITOR_NOTE,
        LineRole.TIP,
        LineRole.JUMP_FROM,
        LineRole.COLUMN,
        LineRole.BANNER,
    }
)
_CLAUSE_MARKS = "，,；;：:"


def find_photos(lines: list[Line]) -> tuple[list[ParsedPhoto], set[int]]:
    """The page's photos in page order, and the positions (in ``lines``) of the lines they use."""
    photos: list[ParsedPhoto] = []
    used: set[int] = set()
    for at, line in enumerate(lines):
        if line.role is not LineRole.CREDIT or at in used:
            continue
        own_caption = bool(line.caption)
        start = _caption_start(lines, at, own_caption)
        start = max(start, max(used) + 1 if used else 0)
        nxt = at + 1 if at + 1 < len(lines) and lines[at + 1].role is not LineRole.AGENCY else at + 2
        resumed = lines[nxt] if nxt < len(lines) else None  # the text the photo interrupts
        title_first = own_caption and start == at and at >= 1 and at - 1 not in used
        if title_first and _title_before(lines, at - 1, used, resumed):
            start = at - 1  # the caption closes with its credit; the title is the line before
        group = lines[start:at]
        first_short = bool(group) and group[0].role is LineRole.SHORT
        if (
            first_short
            and (len(group) >= 2 or own_caption)
            and not _title_before(lines, start, used, resumed)
        ):
            start += 1  # a cut body line or a headline line, not this photo's title
            group = group[1:]
        photo = ParsedPhoto(credits=list(line.credits), agency=line.agency)
        parts = [g.text for g in group]
        if own_caption:
            parts.append(line.caption)
        if len(parts) >= 2 and group and group[0].role is LineRole.SHORT:
            photo.title = parts.pop(0)
        photo.caption = "\n".join(parts)
        if start >= 1 and start - 1 not in used and _photo_column(lines[start - 1]):
            start -= 1  # the label over the photos is the photos' (no story takes it as its column)
        used.update(range(start, at + 1))
        end = at
        if at + 1 < len(lines) and lines[at + 1].role is LineRole.AGENCY:
            photo.agency = photo.agency or lines[at + 1].text
            used.add(at + 1)
            end = at + 1
        if not photo.title:
            _title_after(lines, end, photo, used)
        if not photo.caption:
            photo.warnings.append("未找到图片说明")
        if not photo.title:
            photo.warnings.append("未找到图片标题")
        photos.append(photo)
    return photos, used


def _caption_start(lines: list[Line], credit_at: int, own_caption: bool) -> int:
    """Position of the first line of the photo group that ends with the credit at ``credit_at``."""
    if own_caption and lines[credit_at].gap >= SECTION_GAP:
        return credit_at
    i = credit_at - 1
    taken = 0
    while i >= 0 and lines[i].role in _CAPTION_ROLES and taken <= MAX_CAPTION_LINES:
        taken += 1
        if lines[i].gap >= SECTION_GAP:
            return i
        i -= 1
    if i < 0 and taken:
        return 0  # the top of the page is a boundary too
    # no blank-line boundary: caption is the line before the credit, title the short one before
    if own_caption:
        return credit_at
    before = credit_at - 1
    if before < 0 or lines[before].role is not LineRole.TEXT:
        return credit_at
    if before >= 1 and lines[before - 1].role is LineRole.SHORT:
        return before - 1
    return before


def _cut_piece(line: Line) -> bool:
    """A short line that is a piece of a cut paragraph (an open quote, a clause mark)."""
    k = line.key
    return (
        k.count("“") != k.count("”") or any(m in k for m in _CLAUSE_MARKS) or looks_unfinished(line.text, k)
    )


def _reads_as_photo_title(line: Line) -> bool:
    """A short whole phrase: not long, not a cut body line (unfinished, several clauses,
    an open quote, a trailing ……)."""
    k = line.key
    if line.role is not LineRole.SHORT or len(k) > PHOTO_TITLE_MAX or looks_unfinished(line.text, k):
        return False
    if k.count("“") != k.count("”") or "……" in k or k.endswith("…"):
        return False
    return sum(k.count(m) for m in _CLAUSE_MARKS) == 0


def _title_before(lines: list[Line], i: int, used: set[int], resumed: Line | None = None) -> bool:
    """Whether the short line at ``i``, right before a caption, is that photo's title: it
    reads as one, and does not belong to what stands before it (a headline group, the text
    under a subhead or byline, a sentence it completes).  ``resumed``: the line after the
    photo's credit; a short line before the title that it completes (服务中|心1个…) is a cut
    body line, not the end of a headline group."""
    line = lines[i]
    if not _reads_as_photo_title(line):
        return False
    if i == 0 or i - 1 in used:  # the top of the page, or another photo's last line
        return True
    before = lines[i - 1]
    if before.role in _HOLDS_NEXT_LINE and not _photo_column(before):
        return False
    if before.role is LineRole.SHORT:
        # the last line of a headline group, unless that line is a cut body line
        return (
            _cut_piece(before)
            or (i >= 2 and lines[i - 2].role in _HOLDS_NEXT_LINE)
            or (resumed is not None and _goes_on(before, resumed))
        )
    if before.role in (LineRole.TEXT, LineRole.DATELINE) and not ends_sentence(before.text):
        return not (starts_lower(line.text) or crossing_word(before.text, line.text))
    return True


def _photo_column(line: Line) -> bool:
    """The label over a section of news photos (图片新闻): it heads photos, not a story."""
    return line.role is LineRole.COLUMN and line.label in PHOTO_COLUMNS


def _goes_on(line: Line, after: Line) -> bool:
    """``after`` (a text line) completes the open ``line``: lower punctuation, or a word
    across the break."""
    if after.role is not LineRole.TEXT or ends_sentence(line.text):
        return False
    return starts_lower(after.text) or bool(crossing_word(line.text, after.text))


def _title_after(lines: list[Line], end: int, photo: ParsedPhoto, used: set[int]) -> None:
    """A photo title printed after the caption: the short line right after the credit of a
    photo that has no title yet, when it reads as one — unless it heads the text after it
    (a headline right before a dateline or byline is that story's, and so is the first line
    of a headline group)."""
    i = end + 1
    if i >= len(lines) or not _reads_as_photo_title(lines[i]):
        return
    after = lines[i + 1] if i + 1 < len(lines) else None
    if after is not None and after.role in _OPENINGS:
        return
    photo.title = lines[i].text
    used.add(i)
