"""Draft a generator corpus from real page files and their annotation.

The judge of the import lays out the seed pages' own articles in new ways (paragraphs cut
elsewhere, continuations after other stories, headlines moved, other punctuation widths).
To measure that kind of page, this turns page files into corpus entries: each article's
text comes from the parse (paragraphs rejoined), its printed parts (the lead with its
dateline and bracketed bylines, a byline line, a column line, photo credit lines) are taken
from the page text as printed, and its annotation from ``expected.json`` (the form of
``shared/parsing/examples``): an article or photo the annotation does not match is left
out, so nothing the parser got wrong becomes the expected result.

    .venv/bin/python -m tests.pagegen.from_pages --expected ../shared/parsing/examples/expected.json \\
        seeds/ > tests/pagegen/seedlike/seeds.toml

The output is a draft to read before it is committed (``tests/pagegen/seedlike/``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from articles.parsing import decode_page, parse_page
from articles.parsing.credits import parse_byline_line, parse_photo_credit, split_caption_credit
from articles.parsing.model import ParsedArticle, ParsedPhoto

from .corpus import norm


def _toml(value) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], str) and sum(len(v) for v in value) > 60:
            return "[\n" + "".join(f"  {_toml(v)},\n" for v in value) + "]"
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(value)


def _entry(table: str, fields: dict) -> str:
    lines = [f"[[{table}]]"]
    lines += [f"{k} = {_toml(v)}" for k, v in fields.items() if v not in ("", None, (), [])]
    return "\n".join(lines) + "\n"


def _printed_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _lead(lines: list[str], body_start: str) -> str:
    """What stands before the first paragraph's text on its printed line (the dateline and
    its brackets), as printed."""
    probe = body_start[:8]
    for line in lines:
        at = line.find(probe)
        if at > 0:
            return line[:at]
    return ""


def _byline_line(lines: list[str], names: set[str]) -> str:
    for line in lines:
        byline = parse_byline_line(line.strip("*# "))
        if byline is not None and {p.name for p in byline.people} == names:
            return line.strip("*# ")
    return ""


def _matches(article: ParsedArticle, gold: dict) -> bool:
    """The parse of this article is what the annotation says (headline, body ends)."""
    heads = [[norm(h) for h in group] for group in gold.get("headlines", [])]
    mine = [norm(article.kicker), norm(article.title), norm(article.subtitle)]
    paragraphs = [b.text for b in article.blocks if b.type == "paragraph"]
    if not paragraphs or mine not in heads:
        return False
    return norm(paragraphs[0]).startswith(norm(gold["body_start"])) and norm(paragraphs[-1]).endswith(
        norm(gold["body_end"])
    )


def story_fields(article: ParsedArticle, gold: dict, lines: list[str], ident: str) -> dict:
    body = [("§" + b.text) if b.type == "subhead" else b.text for b in article.blocks]
    paragraphs = [b.text for b in article.blocks if b.type == "paragraph"]
    lead = _lead(lines, paragraphs[0]) if article.dateline else ""
    names = {c.name for c in article.bylines}
    in_lead = bool(lead) and all(n in norm(lead) for n in names)
    byline_line = "" if in_lead or not names else _byline_line(lines, names)
    if lead:
        body[body.index(paragraphs[0])] = lead + paragraphs[0]
    column = article.column or ""
    if column and f"【{column}】" in "".join(lines):
        column = f"【{column}】"
    kicker = article.kicker
    if kicker and any(line.startswith(kicker) and line.rstrip().endswith(("——", "--")) for line in lines):
        kicker = next(line for line in lines if line.startswith(kicker)).rstrip()  # as printed: ——
    alternatives = [tuple(h) for h in gold.get("headlines", [])[1:]]
    return {
        "id": ident,
        "column": column,
        "kicker": kicker,
        "title": article.title,
        "subtitle": article.subtitle,
        "alt_headlines": [list(h) for h in alternatives],
        "headlines_as_annotated": True,
        "byline_line": byline_line,
        "lead": lead,
        "dateline": article.dateline,
        "bylines": [[c.role, c.name] for c in article.bylines],
        "editor_note": article.editor_note,
        "reading_tip": article.reading_tip,
        "source": article.source_note,
        "jump_from": article.continued_from_page,
        "jump_to": article.continued_to_page,
        "body": body,
    }


def photo_fields(photo: ParsedPhoto, lines: list[str], ident: str) -> dict:
    names = [c.name for c in photo.credits]
    printed = next((line for line in lines if line.endswith("摄") and all(n in line for n in names)), "")
    inline = parse_photo_credit(printed) is None and split_caption_credit(printed) is not None
    if inline:  # the credit closes the caption's last line: keep only the credit's own text
        caption_part, _ = split_caption_credit(printed)
        printed = printed[len(caption_part) :].strip()
    credit = [printed] if printed else []
    if photo.agency and photo.agency not in printed:
        credit += [line for line in lines if line == photo.agency][:1]
    return {
        "id": ident,
        "title": photo.title,
        "caption": photo.caption.replace("\n", ""),
        "credit": credit,
        "credits": names,
        "agency": photo.agency,
        "inline_credit": inline,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="+", type=Path, help="page files, or folders of them")
    ap.add_argument("--expected", type=Path, required=True, help="annotation (expected.json form)")
    ap.add_argument("--prefix", default="s", help="id prefix of the entries")
    ns = ap.parse_args(argv)
    expected = json.loads(ns.expected.read_text(encoding="utf-8"))
    files = [f for p in ns.pages for f in (sorted(p.glob("*.txt")) if p.is_dir() else [p])]
    out: list[str] = []
    n = 0
    for path in files:
        gold = expected.get(path.name)
        if gold is None:
            continue  # no annotation: nothing to check the parse against
        text = decode_page(path.read_bytes())
        lines = _printed_lines(text)
        parsed = parse_page(text)
        for article in parsed.articles:
            match = next((g for g in gold["articles"] if _matches(article, g)), None)
            if match is None:
                print(f"{path.name}: left out {article.title!r} (not as annotated)", file=sys.stderr)
                continue
            n += 1
            out.append(_entry("article", story_fields(article, match, lines, f"{ns.prefix}{n:02d}")))
        for photo in parsed.photos:
            match = next(
                (
                    g
                    for g in gold.get("photos", [])
                    if norm(photo.caption).startswith(norm(g.get("caption_start")))
                ),
                None,
            )
            if match is None or norm(match.get("title")) != norm(photo.title):
                print(f"{path.name}: left out photo {photo.title!r} (not as annotated)", file=sys.stderr)
                continue
            n += 1
            out.append(_entry("photo", photo_fields(photo, lines, f"{ns.prefix}p{n:02d}")))
    sys.stdout.write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
