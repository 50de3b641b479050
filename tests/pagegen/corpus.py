"""The annotated corpus of the page generator: stories and news photos as printed, each
with what an editor marks up on it (the same annotation as ``shared/parsing/examples``).

The data lives in ``corpus/*.toml``; ``heldout/*.toml`` is a second corpus of other
stories, kept apart so that a rule can be checked on text it was not tuned on
(``load_corpus(HELDOUT_DIR)``, ``bench/parse_score.py --corpus heldout``). Both are written
for this project (see the header of ``corpus/news.toml`` for the fields).
``load_corpus()`` reads one into ``Story`` and ``Photo`` records; ``Story.gold()`` /
``Photo.gold()`` give the expected annotation of the item as it stands in the corpus,
before any layout.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
# stories no rule was tuned on: to check that a rule generalises (never to tune on)
HELDOUT_DIR = Path(__file__).resolve().parent / "heldout"
# the annotated seed pages' own articles (drafted by ``from_pages.py``): pages that lay them
# out anew, the other kind of page the import is judged on
SEEDLIKE_DIR = Path(__file__).resolve().parent / "seedlike"
CORPORA = {"main": CORPUS_DIR, "heldout": HELDOUT_DIR, "seedlike": SEEDLIKE_DIR}
SUBHEAD_MARK = "§"  # a body line starting with it is a subhead
SNIPPET = 12  # characters of a body opening / closing / note the annotation asks for
TIP_LABELS = ("阅读提示", "阅 读 提 示")
ROLES = ("记者", "通讯员", "实习生", "见习记者", "特约记者", "特约通讯员")


def norm(text: str | None) -> str:
    """The comparison form of score.py: NFKC, no spaces, no markdown, no outer dashes."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if not ch.isspace() and ch not in "#*").strip("—-")


def opening(text: str, n: int = SNIPPET) -> str:
    """The first ``n`` characters of ``text`` (comparison form)."""
    return norm(text)[:n]


def closing(text: str, n: int = SNIPPET) -> str:
    return norm(text)[-n:]


@dataclass(frozen=True)
class Story:
    """One article as the paper prints it, with its annotation."""

    id: str
    title: str
    body: tuple[str, ...]  # paragraphs; SUBHEAD_MARK + text is a subhead
    column: str = ""  # printed column line: 【主席之声】, 新闻特写, a box banner
    column_gold: str = ""
    column_optional: bool = False  # an editor also accepts no column (the line read as a kicker)
    kicker: str = ""
    subtitle: str = ""
    byline_line: str = ""  # a line of its own under the headline
    lead: str = ""  # dateline (+ bracketed bylines) opening the first paragraph
    dateline: str = ""
    bylines: tuple[tuple[str, str], ...] = ()  # (role, name); role "" = any
    editor_note: str = ""
    reading_tip: str = ""
    tail: str = ""  # end-of-piece byline closing the last paragraph
    source: str = ""
    jump_from: int | None = None
    jump_to: int | None = None
    alt_headlines: tuple[tuple[str, str, str], ...] = ()
    same_line_headline: bool = False  # kicker and title printed on one line
    # the annotation lists every reading of the headline an editor accepts (alt_headlines):
    # none is added for two lines without a dash
    headlines_as_annotated: bool = False
    box: str = ""  # id of the brief box the story belongs to

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body if not p.startswith(SUBHEAD_MARK)]

    @property
    def subheads(self) -> list[str]:
        return [p[len(SUBHEAD_MARK) :] for p in self.body if p.startswith(SUBHEAD_MARK)]

    def first_paragraph_text(self) -> str:
        """The first paragraph without its lead (what the body must open with)."""
        first = self.paragraphs[0]
        if self.lead and first.startswith(self.lead):
            first = first[len(self.lead) :]
        return first.lstrip()

    def gold(self) -> dict:
        """The annotation, in the form of ``examples/expected.json``."""
        headlines = [[self.kicker, self.title, self.subtitle]]
        headlines += [list(h) for h in self.alt_headlines]
        # two headline lines with no dash to say which is which: an editor reads them
        # either as kicker + title or as title + subtitle
        if self.kicker and self.title and not self.subtitle and not self.kicker.endswith("——"):
            other = ["", self.kicker, self.title]
        elif self.title and self.subtitle and not self.kicker and not self.subtitle.startswith("——"):
            other = [self.title, self.subtitle, ""]
        else:
            other = None
        if other and other not in headlines and not (self.same_line_headline or self.headlines_as_annotated):
            headlines.append(other)
        g: dict = {
            "id": self.id,
            "headlines": headlines,
            "bylines": [[role or None, name] for role, name in self.bylines],
            "body_start": opening(self.first_paragraph_text()),
            "body_end": closing(self.paragraphs[-1]),
        }
        column = self.column_gold or self.column.strip("【】")
        if column:
            g["column"] = [column, None] if self.column_optional else [column]
        if self.dateline:
            g["dateline"] = [self.dateline]
        if self.subheads:
            g["subheads"] = list(self.subheads)
        if self.editor_note:
            g["editor_note"] = opening(self.editor_note)
        if self.reading_tip:
            g["reading_tip"] = opening(self.reading_tip)
        if self.source:
            g["source_note"] = self.source
        if self.jump_from is not None:
            g["continued_from_page"] = self.jump_from
        return g


@dataclass(frozen=True)
class Photo:
    """One news photo: title, caption, credit lines as printed, and its annotation."""

    id: str
    title: str
    caption: str
    credit: tuple[str, ...]
    credits: tuple[str, ...] = ()
    agency: str = ""
    inline_credit: bool = False  # the credit closes the caption's last line

    def gold(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "caption_start": opening(self.caption),
            "credits": list(self.credits),
            "agency": self.agency,
        }


@dataclass(frozen=True)
class Box:
    """A banner (信息快递, 新闻速递) over short briefs, each an article of its own."""

    id: str
    banner: str
    stories: tuple[Story, ...]


@dataclass(frozen=True)
class Corpus:
    stories: tuple[Story, ...]  # stand-alone stories
    boxes: tuple[Box, ...]
    photos: tuple[Photo, ...]
    all_stories: tuple[Story, ...] = field(default=())  # stand-alone and boxed

    def story(self, story_id: str) -> Story:
        return next(s for s in self.all_stories if s.id == story_id)

    def photo(self, photo_id: str) -> Photo:
        return next(p for p in self.photos if p.id == photo_id)


_STORY_FIELDS = set(Story.__dataclass_fields__)
_PHOTO_FIELDS = set(Photo.__dataclass_fields__)


def _story(raw: dict, box: str = "", banner: str = "") -> Story:
    unknown = set(raw) - _STORY_FIELDS
    if unknown:
        raise ValueError(f"story {raw.get('id')}: unknown fields {sorted(unknown)}")
    data = dict(raw)
    data["body"] = tuple(data["body"])
    data["bylines"] = tuple(tuple(b) for b in data.get("bylines", ()))
    data["alt_headlines"] = tuple(tuple(h) for h in data.get("alt_headlines", ()))
    if box:
        data["box"] = box
        data["column_gold"] = banner
    return Story(**data)


def _photo(raw: dict) -> Photo:
    unknown = set(raw) - _PHOTO_FIELDS
    if unknown:
        raise ValueError(f"photo {raw.get('id')}: unknown fields {sorted(unknown)}")
    data = dict(raw)
    data["credit"] = tuple(data["credit"])
    data["credits"] = tuple(data.get("credits", ()))
    return Photo(**data)


@cache
def load_corpus(directory: Path = CORPUS_DIR) -> Corpus:
    stories: list[Story] = []
    boxes: list[Box] = []
    photos: list[Photo] = []
    for path in sorted(directory.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        stories += [_story(raw) for raw in data.get("article", [])]
        for raw in data.get("box", []):
            briefs = tuple(_story(a, box=raw["id"], banner=raw["banner"]) for a in raw["article"])
            boxes.append(Box(id=raw["id"], banner=raw["banner"], stories=briefs))
        photos += [_photo(raw) for raw in data.get("photo", [])]
    everything = tuple(stories) + tuple(s for b in boxes for s in b.stories)
    ids = [s.id for s in everything] + [p.id for p in photos]
    if len(ids) != len(set(ids)):
        raise ValueError("corpus ids are not unique")
    return Corpus(stories=tuple(stories), boxes=tuple(boxes), photos=tuple(photos), all_stories=everything)
