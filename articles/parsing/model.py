"""The records the parser hands out (the loader writes them). No Django imports here.

A ``ParsedPage`` is everything the parser recovered from one OCR'd page file;
``to_dict()`` on its parts gives the page-JSON printed by
``import_pages --dry-run --format json``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class BlockType(StrEnum):
    """What a block of article body text is (a ``str``: compares and serialises as its value)."""

    PARAGRAPH = "paragraph"
    SUBHEAD = "subhead"


@dataclass
class Credit:
    """A person named on an article (byline) or a photo (credit)."""

    name: str
    role: str = ""  # 记者, 通讯员, 实习生, 见习记者, 特约记者, 特约通讯员, 作者, "" when unknown
    affiliation: str = ""


@dataclass
class Block:
    """One paragraph or subhead of an article's body."""

    type: BlockType
    text: str


@dataclass
class ParsedArticle:
    title: str = ""
    kicker: str = ""
    subtitle: str = ""
    column: str | None = None
    dateline: str = ""
    bylines: list[Credit] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    editor_note: str = ""
    reading_tip: str = ""
    source_note: str = ""
    continued_from_page: int | None = None
    continued_to_page: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return bool(self.warnings)

    @property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.type is BlockType.PARAGRAPH]

    def to_dict(self) -> dict:
        return {
            "column": self.column,
            "kicker": self.kicker,
            "title": self.title,
            "subtitle": self.subtitle,
            "dateline": self.dateline,
            "bylines": [asdict(c) for c in self.bylines],
            "blocks": [{"type": str(b.type), "text": b.text} for b in self.blocks],
            "editor_note": self.editor_note,
            "reading_tip": self.reading_tip,
            "source_note": self.source_note,
            "continued_from_page": self.continued_from_page,
            "continued_to_page": self.continued_to_page,
            "needs_review": self.needs_review,
            "warnings": list(self.warnings),
        }


@dataclass
class ParsedPhoto:
    title: str = ""
    caption: str = ""
    credits: list[Credit] = field(default_factory=list)
    agency: str = ""
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "caption": self.caption,
            "credits": [{"name": c.name, "role": c.role} for c in self.credits],
            "agency": self.agency,
            "warnings": list(self.warnings),
        }


@dataclass
class ParsedPage:
    """One page as parsed. Articles and photos are in reading (page) order."""

    articles: list[ParsedArticle] = field(default_factory=list)
    photos: list[ParsedPhoto] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # page-level: e.g. advertising seen
