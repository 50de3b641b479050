"""Stage 2 — blocks: the page's lines grouped into the units the later stages place.

A run of short lines (no final punctuation) is one :class:`ShortRun`: a headline group,
a subhead, or body lines the OCR cut short, decided with what comes before and after it.
Every other line is a block of its own.  Lines a photo took are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lines import Line, LineRole


@dataclass(slots=True)
class ShortRun:
    """Consecutive short lines, and the line after them (``None`` at the end of the page)."""

    lines: list[Line]
    after: Line | None


def page_blocks(lines: list[Line], taken: set[int]) -> list[Line | ShortRun]:
    """The lines not in ``taken`` (positions in ``lines``), short lines grouped into runs."""
    kept = [line for i, line in enumerate(lines) if i not in taken] if taken else lines
    out: list[Line | ShortRun] = []
    i, n = 0, len(kept)
    while i < n:
        line = kept[i]
        if line.role is not LineRole.SHORT:
            out.append(line)
            i += 1
            continue
        j = i + 1
        while j < n and kept[j].role is LineRole.SHORT:
            j += 1
        out.append(ShortRun(kept[i:j], kept[j] if j < n else None))
        i = j
    return out
