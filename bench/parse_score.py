"""Score the parser on generated pages it has never seen (and on the annotated seed pages).

Lays out N new pages from the annotated corpus in ``tests/pagegen/`` (seeded, so the same
options always give the same pages), parses each with ``articles.parsing.parse_page`` and
scores it by the metrics of ``shared/parsing/score.py``; also counts *silent errors*
(items that are wrong while the parse gave no warning for them) and *needless flags*
(items that are right while the parse flagged them for review: fewer silent errors bought
by flagging everything would show here).

Usage::

    .venv/bin/python bench/parse_score.py                    # 2,000 pages from seed 0
    .venv/bin/python bench/parse_score.py --pages 5000 --seed 1000
    .venv/bin/python bench/parse_score.py -v                 # and the worst misses
    .venv/bin/python bench/parse_score.py -v 2 --show 40     # every kind of miss, 40 examples
    .venv/bin/python bench/parse_score.py --page 17          # print generated page 17 and its misses
    .venv/bin/python bench/parse_score.py --plain --pages 500  # items printed whole, no perturbation
    .venv/bin/python bench/parse_score.py --corpus heldout   # pages of the held-out corpus

The held-out corpus (``tests/pagegen/heldout/``) holds other stories than the main one: its
score says whether a rule fits the paper or only the main corpus. Check rules on it; never
tune on its misses.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pagegen.corpus import CORPORA, load_corpus  # noqa: E402
from tests.pagegen.evaluate import evaluate, evaluate_seed_pages, score_generated  # noqa: E402
from tests.pagegen.generator import Layout, make_page  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000, help="how many pages to generate (default 2000)")
    ap.add_argument(
        "--seed", type=int, default=0, help="seed of the first page (pages use seed, seed+1, ...)"
    )
    ap.add_argument(
        "-v", "--verbosity", type=int, nargs="?", const=1, default=0, help="1: worst misses; 2: all kinds"
    )
    ap.add_argument("--plain", action="store_true", help="no perturbation: items whole, one after the other")
    ap.add_argument("--show", type=int, default=15, help="how many misses to list with -v")
    ap.add_argument(
        "--page", type=int, help="print this one generated page, its expected result and its misses"
    )
    ap.add_argument(
        "--corpus", choices=sorted(CORPORA), default="main", help="which annotated corpus (default main)"
    )
    ns = ap.parse_args(argv)
    corpus = load_corpus(CORPORA[ns.corpus])

    if ns.page is not None:
        page = make_page(ns.page, corpus=corpus)
        print(page.text)
        print("perturbations:", sorted(page.perturbations))
        ps = score_generated(page, corpus)
        print(f"needless flags (right items flagged for review): {ps.needless_flags}")
        for m in ps.misses:
            print(("SILENT " if m.silent else "flagged ") + f"{m.kind} {m.item}: {', '.join(m.failed)}")
            for d in m.detail:
                print("    ", d)
        return 0

    started = time.perf_counter()
    by_perturbation: dict = {}
    layout = Layout.plain() if ns.plain else None
    seeds = range(ns.seed, ns.seed + ns.pages)
    result = evaluate(seeds, layout, by_perturbation=by_perturbation, corpus=corpus)
    elapsed = time.perf_counter() - started
    print(f"generated pages ({ns.corpus} corpus): {ns.pages} (seeds {ns.seed}..{seeds[-1]}), {elapsed:.1f} s")
    for line in result.report():
        print(line)
    seeds = evaluate_seed_pages()
    if seeds is not None:
        print(f"seed pages (annotated, {seeds.pages}): parse-score {seeds.score:.1f}, ", end="")
        print(f"silent errors {seeds.silent_errors}, needless flags {seeds.needless_flags}")

    print(
        "\nby perturbation (pages that have it): pages, parse-score, silent errors and needless "
        "flags per page"
    )
    for name, r in sorted(by_perturbation.items(), key=lambda kv: kv[1].score):
        print(
            f"  {name:26s} {r.pages:6d} {r.score:6.1f} {r.silent_errors / r.pages:6.2f} "
            f"{r.needless_flags / r.pages:6.2f}"
        )

    if ns.verbosity:
        by_check = Counter()
        silent_by_check = Counter()
        for m in result.misses:
            for f in m.failed:
                by_check[(m.kind, f)] += 1
                if m.silent:
                    silent_by_check[(m.kind, f)] += 1
        print("\nmisses by check (kind, check: all / silent):")
        for (kind, check), n in by_check.most_common():
            print(f"  {kind:14s} {check:16s} {n:6d} / {silent_by_check[(kind, check)]}")
        by_item = Counter(m.item for m in result.misses if m.kind in ("article", "photo"))
        print("\nitems most often wrong:")
        for item, n in by_item.most_common(ns.show):
            print(f"  {item:6s} {n}")
        print("\nexamples of silent misses:")
        shown: Counter = Counter()
        for m in result.misses:
            if not m.silent:
                continue
            sig = (m.kind, tuple(m.failed))
            if ns.verbosity < 2 and shown[sig] >= 2:
                continue
            shown[sig] += 1
            print(f"  [{m.page}] {m.kind} {m.item}: {', '.join(m.failed)}")
            for d in m.detail[:3]:
                print(f"      {d}")
            if sum(shown.values()) >= ns.show:
                break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
