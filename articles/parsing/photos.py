"""Finding news photos (title, caption, credit, agency) among the lines of a page."""

from __future__ import annotations

from .lines import Line
from .model import ParsedPhoto

SECTION_GAP = 2  # a run of this many blank lines separates a photo group from articles
MAX_CAPTION_LINES = 2
_AFTER_TITLE_OK = {"column", "editor_note", "ad", "jump_from", "jump_to", "credit"}


def _caption_start(lines: list[Line], credit_at: int, own_caption: bool) -> int:
    """Index of the first line of the photo group that ends with the credit at ``credit_at``."""
    if own_caption and lines[credit_at].gap >= SECTION_GAP:
        return credit_at
    i = credit_at - 1
    taken = 0
    while i >= 0 and lines[i].kind in ("text", "short") and taken <= MAX_CAPTION_LINES:
        taken += 1
        if lines[i].gap >= SECTION_GAP:
            return i
        i -= 1
    if i < 0 and taken:
        return 0  # the top of the page is a boundary too
    # no blank-line boundary: caption is the line before the credit, title the short one before
    if own_caption:
        return credit_at
    prev = credit_at - 1
    if prev < 0 or lines[prev].kind != "text":
        return credit_at
    if prev >= 1 and lines[prev - 1].kind == "short":
        return prev - 1
    return prev


def find_photos(lines: list[Line]) -> tuple[list[tuple[int, ParsedPhoto]], set[int]]:
    """Photo groups on the page: (position of first line, photo) and the line positions used."""
    photos: list[tuple[int, ParsedPhoto]] = []
    used: set[int] = set()
    for c, line in enumerate(lines):
        if line.kind != "credit" or c in used:
            continue
        own = bool(line.data["caption"])
        start = _caption_start(lines, c, own)
        start = max(start, max(used) + 1 if used else 0)
        group = lines[start:c]
        photo = ParsedPhoto(credits=list(line.data["credits"]), agency=line.data["agency"])
        parts = [g.text for g in group]
        if own:
            parts.append(line.data["caption"])
        if len(parts) >= 2 and group and group[0].kind == "short":
            photo.title = parts.pop(0)
        photo.caption = "\n".join(parts)
        used.update(range(start, c + 1))
        end = c
        if c + 1 < len(lines) and lines[c + 1].kind == "agency":
            photo.agency = photo.agency or lines[c + 1].text
            used.add(c + 1)
            end = c + 1
        if not photo.title:
            _title_after(lines, end, photo, used)
        if not photo.caption:
            photo.warnings.append("未找到图片说明")
        if not photo.title:
            photo.warnings.append("未找到图片标题")
        photos.append((start, photo))
    return photos, used


def _title_after(lines: list[Line], end: int, photo: ParsedPhoto, used: set[int]) -> None:
    """A photo title printed after the caption: a lone short line set off by blank lines."""
    i = end + 1
    if i >= len(lines) or lines[i].kind != "short" or lines[i].gap < SECTION_GAP:
        return
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    if nxt is None or nxt.kind in _AFTER_TITLE_OK or nxt.gap >= SECTION_GAP:
        photo.title = lines[i].text
        used.add(i)
