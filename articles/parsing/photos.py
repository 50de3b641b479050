"""Stage 4a — news photos: title, caption, credit and agency found among the page's lines.

A photo group ends with its credit line; the caption is the text before it (up to a blank-line
boundary), the title a short line before the caption or, printed after it, a lone short line
right after the credit.  The lines a photo takes are left out of the articles.
"""

from __future__ import annotations

from .lines import Line, LineRole
from .model import ParsedPhoto

SECTION_GAP = 2  # a run of this many blank lines separates a photo group from articles
MAX_CAPTION_LINES = 2
_CAPTION_ROLES = (LineRole.TEXT, LineRole.SHORT)
_OPENINGS = (LineRole.DATELINE, LineRole.BYLINE, LineRole.AUTHOR, LineRole.TIP, LineRole.EDITOR_NOTE)


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
        group = lines[start:at]
        photo = ParsedPhoto(credits=list(line.credits), agency=line.agency)
        parts = [g.text for g in group]
        if own_caption:
            parts.append(line.caption)
        if len(parts) >= 2 and group and group[0].role is LineRole.SHORT:
            photo.title = parts.pop(0)
        photo.caption = "\n".join(parts)
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


def _title_after(lines: list[Line], end: int, photo: ParsedPhoto, used: set[int]) -> None:
    """A photo title printed after the caption: the short line right after the credit of a
    photo that has no title yet — unless it alone heads the text after it (a headline right
    before a dateline or byline is that story's)."""
    i = end + 1
    if i >= len(lines) or lines[i].role is not LineRole.SHORT:
        return
    after = lines[i + 1] if i + 1 < len(lines) else None
    if after is not None and after.role in _OPENINGS:
        return
    photo.title = lines[i].text
    used.add(i)
