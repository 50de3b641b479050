"""Parse generated pages (or the seed pages) with the real parser and score them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from articles.parsing import ParsedPage, parse_page

from .corpus import Corpus, load_corpus, norm
from .generator import GeneratedPage, Kind, Layout, make_page
from .scoring import PageScore, Result, coverage, score_page

ROOT = Path(__file__).resolve().parents[2]
SHARED_PARSING = ROOT.parent / "shared" / "parsing"


def page_json(parsed: ParsedPage) -> dict:
    """The page-JSON of ``import_pages --dry-run --format json`` (without the placement)."""
    return {
        "articles": [a.to_dict() for a in parsed.articles],
        "photos": [p.to_dict() for p in parsed.photos],
        "warnings": list(parsed.warnings),
    }


def score_generated(page: GeneratedPage, corpus: Corpus | None = None) -> PageScore:
    parse = page_json(parse_page(page.text))
    ps = score_page(parse, page.gold, page.text, name=f"seed {page.seed}")
    ps.text_lost = article_text_lost(page, parse, corpus)
    return ps


def evaluate(
    seeds: Iterable[int],
    layout: Layout | None = None,
    by_perturbation: dict | None = None,
    corpus: Corpus | None = None,
) -> Result:
    """Score the pages of ``seeds`` (laid out from ``corpus``, the main corpus by default);
    with ``by_perturbation`` (a dict), also a Result per perturbation over the pages that
    have it (and ``"none"`` for pages with none)."""
    result = Result()
    for seed in seeds:
        page = make_page(seed, layout, corpus)
        ps = score_generated(page, corpus)
        result.add(ps)
        if by_perturbation is not None:
            for p in sorted(page.perturbations) or ["none"]:
                by_perturbation.setdefault(str(p), Result()).add(ps)
    return result


def evaluate_seed_pages(gold_path: Path | None = None, seeds_dir: Path | None = None) -> Result | None:
    """The seed pages that have an annotation in ``shared/parsing/examples`` (None when the
    shared folder is not there)."""
    gold_path = gold_path or SHARED_PARSING / "examples" / "expected.json"
    seeds_dir = seeds_dir or ROOT / "seeds"
    if not gold_path.exists():
        return None
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    result = Result()
    for name, g in gold.items():
        text = (seeds_dir / name).read_text(encoding="utf-8")
        result.add(score_page(page_json(parse_page(text)), g, text, name=name))
    return result


def article_text_lost(page: GeneratedPage, parse: dict, corpus: Corpus | None = None) -> int:
    """Characters of the page's article text (paragraphs without their lead and end-of-piece
    byline, subheads, notes, tips) that are nowhere in the parse: the coverage rule of
    score.py (every character inside an 8-gram found in the parse) on article text only."""
    stories = {s.id: s for s in (corpus or load_corpus()).all_stories}
    lines = []
    for u in page.units:
        if u.kind not in (Kind.PARAGRAPH, Kind.SUBHEAD, Kind.NOTE, Kind.TIP):
            continue
        text, story = norm(u.text), stories[u.owner]
        if story.lead and text.startswith(norm(story.lead)):
            text = text[len(norm(story.lead)) :]
        if story.tail and text.endswith(norm(story.tail)):
            text = text[: -len(norm(story.tail))]
        if u.kind is Kind.NOTE:
            text = text.removeprefix(norm("【编者按】"))
        lines.append(text)
    covered, total = coverage("\n".join(lines), parse)
    return total - covered
