"""Score parsed pages against an expected annotation, with the metrics of
``shared/parsing/score.py``, and count *silent errors*: items that are wrong while the
parse raised no warning for them (the article not ``needs_review``, the photo without
warnings), so no editor is told.

The metric code follows score.py rule for rule (``tests/test_generated_pages.py`` checks
that both give the same figures on the seed pages); it is kept here rather than imported
so that it can say, item by item, what went wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .corpus import norm

METRICS = (
    "articles_found",
    "photos_found",
    "no_false_items",
    "headline_exact",
    "bylines",
    "column",
    "dateline",
    "body_start",
    "body_end",
    "subheads",
    "contains",
    "editor_note",
    "reading_tip",
    "source_note",
    "continued_from",
    "photo_fields",
    "joins",
    "coverage",
)


def _blocks(a: dict) -> list[tuple[str, str]]:
    out = []
    for b in a.get("blocks") or []:
        if isinstance(b, str):
            out.append(("paragraph", b))
        else:
            out.append((b.get("type", "paragraph"), b.get("text", "")))
    return out


def body_text(a: dict) -> str:
    return norm("".join(t for _, t in _blocks(a)))


def paragraphs(a: dict) -> list[str]:
    return [norm(t) for k, t in _blocks(a) if k != "subhead" and norm(t)]


def headline(a: dict) -> tuple[str, str, str]:
    return tuple(norm(a.get(k)) for k in ("kicker", "title", "subtitle"))


def match_headline(pred, alts) -> bool:
    return any(all(g == "*" or norm(g) == p for g, p in zip(alt, pred, strict=False)) for alt in alts)


def article_matches(a: dict, g: dict) -> bool:
    _, t, _ = headline(a)
    titles = {norm(alt[1]) for alt in g["headlines"] if alt[1] != "*"}
    if t and t in titles:
        return True
    paras = paragraphs(a)
    if g.get("body_start") and paras and paras[0].startswith(norm(g["body_start"])):
        return True
    if g.get("contains"):
        body = body_text(a)
        if all(norm(c) in body for c in g["contains"]):
            return True
    return False


def all_strings(page: dict) -> list[str]:
    parts = []
    for a in page.get("articles", []):
        parts += [a.get(k) or "" for k in ("column", "kicker", "title", "subtitle", "dateline")]
        for b in a.get("bylines") or []:
            parts += [b.get("affiliation") or "", b.get("role") or "", b.get("name") or ""]
        parts += [t for _, t in _blocks(a)]
        parts += [a.get("editor_note") or "", a.get("reading_tip") or "", a.get("source_note") or ""]
    for p in page.get("photos", []):
        parts += [p.get("title") or "", p.get("caption") or "", p.get("agency") or ""]
        for c in p.get("credits") or []:
            parts += [c.get("role") or "", c.get("name") or ""]
    return [norm(x) for x in parts if norm(x)]


def coverage(source_text: str, page: dict) -> tuple[int, int]:
    """Characters of the source (comparison form) that are inside some 8-gram of the parse."""
    out = "\x00".join(all_strings(page))
    total = covered = 0
    for line in source_text.splitlines():
        s = norm(line)
        if not s:
            continue
        n = min(8, len(s))
        grams = {i for i in range(len(s) - n + 1) if s[i : i + n] in out}
        for ci in range(len(s)):
            total += 1
            if any(g in grams for g in range(max(0, ci - n + 1), min(ci, len(s) - n) + 1)):
                covered += 1
    return covered, total


def byline_f1(a: dict, g: dict) -> float:
    pb = [(norm(b.get("role")), norm(b.get("name"))) for b in a.get("bylines") or []]
    gb = [(norm(r) if r else None, norm(n)) for r, n in g["bylines"]]
    matched = 0
    pool = list(pb)
    for r, n in gb:
        for j, (pr, pn) in enumerate(pool):
            if pn == n and (r is None or pr == r):
                matched += 1
                pool.pop(j)
                break
    if not gb and not pb:
        return 1.0
    prec = matched / len(pb) if pb else 0.0
    rec = matched / len(gb) if gb else 0.0
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


@dataclass
class Tally:
    hits: dict[str, float] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, ok: bool | float, n: int = 1) -> None:
        # like score.py: a number counts as it is (a share, or characters), a truth value as 0/1
        value = ok if isinstance(ok, (int, float)) and not isinstance(ok, bool) else int(bool(ok))
        self.hits[key] = self.hits.get(key, 0) + value
        self.totals[key] = self.totals.get(key, 0) + n

    def rate(self, key: str) -> float:
        t = self.totals.get(key, 0)
        return self.hits.get(key, 0) / t if t else 1.0

    def merge(self, other: Tally) -> None:
        for k, t in other.totals.items():
            self.totals[k] = self.totals.get(k, 0) + t
            self.hits[k] = self.hits.get(k, 0) + other.hits.get(k, 0)

    def score(self) -> float:
        return sum(self.rate(k) for k in METRICS) / len(METRICS) * 100


@dataclass
class Miss:
    """One wrong item: what it is, which checks failed, and whether the parse flagged it."""

    page: str
    item: str  # corpus id, or a description of an extra item
    kind: str  # "article" | "photo" | "extra article" | "extra photo"
    failed: list[str]
    flagged: bool
    detail: list[str] = field(default_factory=list)

    @property
    def silent(self) -> bool:
        return not self.flagged


@dataclass
class PageScore:
    tally: Tally
    misses: list[Miss]
    false_items: int
    gold_items: int
    text_lost: int = 0  # characters of article text nowhere in the parse (set by the caller)
    needless_flags: int = 0  # items flagged for review that were in fact right


def _flagged_article(a: dict) -> bool:
    return bool(a.get("needs_review") or a.get("warnings"))


def score_page(parse: dict, gold: dict, source_text: str, name: str = "") -> PageScore:
    """Score one parsed page (a page-JSON dict: articles, photos) against its annotation."""
    t = Tally()
    misses: list[Miss] = []
    preds = list(parse.get("articles", []))
    used: set[int] = set()
    needless = 0
    page_flagged = bool(parse.get("warnings"))
    for ga in gold["articles"]:
        gid = ga.get("id", ga["headlines"][0][1])
        hit = next((i for i, a in enumerate(preds) if i not in used and article_matches(a, ga)), None)
        t.add("articles_found", hit is not None)
        if hit is None:
            for key in ("headline_exact", "bylines", "body_start", "body_end"):
                t.add(key, False)
            for key in ("subheads", "contains"):
                if ga.get(key):
                    t.add(key, False, len(ga[key]))
            for key in (
                "editor_note",
                "reading_tip",
                "source_note",
                "column",
                "dateline",
                "continued_from_page",
            ):
                if key in ga:
                    t.add(key.replace("_page", ""), False)
            # where did its text go? flagged only if the article holding its opening is
            start = norm(ga.get("body_start"))
            holders = [a for a in preds if start and start in body_text(a)]
            flagged = any(_flagged_article(a) for a in holders) if holders else page_flagged
            misses.append(Miss(name, gid, "article", ["not found"], flagged, [str(ga["headlines"][0])]))
            continue
        used.add(hit)
        a = preds[hit]
        failed: list[str] = []
        detail: list[str] = []

        def check(key: str, ok, n: int = 1, why: str = "", failed=failed, detail=detail) -> None:
            t.add(key, ok, n)
            if float(ok) < 1:
                failed.append(key)
                if why:
                    detail.append(why)

        ok = match_headline(headline(a), ga["headlines"])
        check("headline_exact", ok, why=f"headline {headline(a)} want {ga['headlines'][0]}")
        f1 = byline_f1(a, ga)
        check(
            "bylines",
            f1,
            why=f"bylines {[(b.get('role'), b.get('name')) for b in a.get('bylines') or []]} "
            f"want {ga['bylines']}",
        )
        if "column" in ga:
            want = [norm(c) if c else "" for c in ga["column"]]
            check(
                "column", norm(a.get("column")) in want, why=f"column {a.get('column')!r} want {ga['column']}"
            )
        if "dateline" in ga:
            ok = norm(a.get("dateline")) in [norm(d) for d in ga["dateline"]]
            check("dateline", ok, why=f"dateline {a.get('dateline')!r} want {ga['dateline']}")
        paras = paragraphs(a)
        if ga.get("body_start"):
            ok = bool(paras) and paras[0].startswith(norm(ga["body_start"]))
            check(
                "body_start", ok, why=f"body_start {paras[0][:20] if paras else None} want {ga['body_start']}"
            )
        if ga.get("body_end"):
            ok = bool(paras) and paras[-1].endswith(norm(ga["body_end"]))
            check("body_end", ok, why=f"body_end {paras[-1][-20:] if paras else None} want {ga['body_end']}")
        subs = [norm(x) for k, x in _blocks(a) if k == "subhead"]
        for sh in ga.get("subheads", []):
            check("subheads", norm(sh) in subs, why=f"subhead {sh}")
        body = body_text(a)
        for c in ga.get("contains", []):
            check("contains", norm(c) in body, why=f"contains {c}")
        for key in ("editor_note", "reading_tip"):
            if ga.get(key):
                ok = norm(a.get(key)).startswith(norm(ga[key]))
                check(key, ok, why=f"{key} {(a.get(key) or '')[:20]!r} want {ga[key]}")
        if ga.get("source_note"):
            check("source_note", norm(ga["source_note"]) in norm(a.get("source_note")), why="source_note")
        if "continued_from_page" in ga:
            ok = a.get("continued_from_page") == ga["continued_from_page"]
            check("continued_from", ok, why=f"continued_from {a.get('continued_from_page')}")
        if ga.get("truncated") and not _flagged_article(a):
            # its end is not on the page: a parse that does not say so misleads the editor
            failed.append("truncation unflagged")
        if failed:
            misses.append(Miss(name, gid, "article", failed, _flagged_article(a), detail))
        elif _flagged_article(a) and not ga.get("truncated"):
            needless += 1
    fp = 0
    for i, a in enumerate(preds):
        if i not in used:
            fp += 1
            desc = f"{headline(a)} {paragraphs(a)[:1]}"[:80]
            misses.append(Miss(name, desc, "extra article", ["false item"], _flagged_article(a)))

    pp = list(parse.get("photos", []))
    pused: set[int] = set()
    for gp in gold["photos"]:
        gid = gp.get("id", gp["title"])
        hit = None
        for i, p in enumerate(pp):
            if i in pused:
                continue
            if norm(p.get("title")) == norm(gp["title"]) or norm(p.get("caption")).startswith(
                norm(gp["caption_start"])
            ):
                hit = i
                break
        t.add("photos_found", hit is not None)
        if hit is None:
            t.add("photo_fields", False, 4)
            start = norm(gp["caption_start"])
            holders = [a for a in preds if start in body_text(a) or start in norm(a.get("title"))]
            flagged = any(_flagged_article(a) for a in holders) if holders else page_flagged
            misses.append(Miss(name, gid, "photo", ["not found"], flagged, [gp["title"]]))
            continue
        pused.add(hit)
        p = pp[hit]
        names = sorted(norm(c.get("name")) for c in p.get("credits") or [])
        checks = {
            "photo title": norm(p.get("title")) == norm(gp["title"]),
            "photo caption": norm(p.get("caption")).startswith(norm(gp["caption_start"])),
            "photo credits": names == sorted(norm(n) for n in gp["credits"]),
            "photo agency": norm(gp.get("agency")) in norm(p.get("agency")) if gp.get("agency") else True,
        }
        for ok in checks.values():
            t.add("photo_fields", ok)
        failed = [k for k, ok in checks.items() if not ok]
        if failed:
            detail = [
                f"title {p.get('title')!r} credits {names} agency {p.get('agency')!r} "
                f"want {gp['title']!r} {gp['credits']} {gp.get('agency')!r}"
            ]
            misses.append(Miss(name, gid, "photo", failed, bool(p.get("warnings")), detail))
        elif p.get("warnings"):
            needless += 1
    for i, p in enumerate(pp):
        if i not in pused:
            fp += 1
            desc = f"{p.get('title')} {(p.get('caption') or '')[:30]}"
            misses.append(Miss(name, desc, "extra photo", ["false item"], bool(p.get("warnings"))))

    allparas = [x for a in preds for x in paragraphs(a)]
    allparas += [norm(a.get(k)) for a in preds for k in ("editor_note", "reading_tip")]
    for j in gold["joins"]:
        t.add("joins", any(norm(j) in x for x in allparas))
    c, n = coverage(source_text, parse)
    t.add("coverage", c, n)
    return PageScore(t, misses, fp, len(gold["articles"]) + len(gold["photos"]), needless_flags=needless)


@dataclass
class Result:
    """Scores of many pages together."""

    tally: Tally = field(default_factory=Tally)
    misses: list[Miss] = field(default_factory=list)
    false_items: int = 0
    gold_items: int = 0
    pages: int = 0
    text_lost: int = 0
    needless_flags: int = 0

    def add(self, ps: PageScore) -> None:
        self.needless_flags += ps.needless_flags
        self.tally.merge(ps.tally)
        self.misses += ps.misses
        self.false_items += ps.false_items
        self.gold_items += ps.gold_items
        self.text_lost += ps.text_lost
        self.pages += 1

    def final_tally(self) -> Tally:
        t = Tally(dict(self.tally.hits), dict(self.tally.totals))
        t.hits["no_false_items"] = max(0, self.gold_items - self.false_items)
        t.totals["no_false_items"] = self.gold_items
        return t

    @property
    def score(self) -> float:
        return self.final_tally().score()

    @property
    def silent_errors(self) -> int:
        return sum(1 for m in self.misses if m.silent)

    def report(self) -> list[str]:
        t = self.final_tally()
        lines = []
        for k in METRICS:
            h, n = t.hits.get(k, 0), t.totals.get(k, 0)
            figure = f"{h:.1f}" if isinstance(h, float) and not float(h).is_integer() else f"{int(h)}"
            lines.append(f"{k:16s} {t.rate(k) * 100:6.1f}%  ({figure}/{n})")
        lines.append(f"false_items      {self.false_items}")
        lines.append(f"wrong items      {len(self.misses)} of {self.gold_items + self.false_items}")
        lines.append(f"silent errors    {self.silent_errors}")
        lines.append(f"needless flags   {self.needless_flags} right items flagged for review")
        lines.append(f"text lost        {self.text_lost} characters of article text")
        lines.append(f"parse-score: {t.score():.1f}")
        return lines
