"""The parser on pages it has never seen: pages laid out by tests/pagegen from the annotated
corpus (fixed seeds, so every run parses the same pages), scored like shared/parsing/score.py.

The floors below are what the parser achieves today; raise them as it improves (the bars of
issue 10: parse-score >= 95, every article and photo found, no text lost, no silent error).
The generator and the scorer are tested here too: a plain page's expected result is the
corpus annotation, every perturbation really happens and keeps every character, and the
scorer gives the figures of score.py on the annotated seed pages.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import unicodedata
from collections import Counter

import pytest

from articles.parsing import parse_page
from tests.pagegen.corpus import CORPUS_DIR, HELDOUT_DIR, SEEDLIKE_DIR, load_corpus, norm
from tests.pagegen.evaluate import ROOT, SHARED_PARSING, evaluate, evaluate_seed_pages, page_json
from tests.pagegen.generator import (
    HALF_WIDTH,
    Kind,
    Layout,
    Perturbation,
    credit_break_points,
    make_page,
    plain_page,
    render_box,
    render_photo,
    render_story,
)
from tests.pagegen.scoring import Result, score_page

FIXED_SEEDS = range(1000, 1080)  # the pages CI parses

# what the parser achieves on FIXED_SEEDS today (raise as it improves; the figures are
# printed by `bench/parse_score.py --pages 80 --seed 1000`)
# re-measured when the main corpus gained the round-up f13 (unspaced place subheads), which
# changed every generated page: before, on the old pages, 91.99 / 99.7% / 0 / 45 / 27
# a headline over a jump line (上接第1版) heads the text it leads: 88.98 -> 90.88, articles
# found 99.2% -> 99.7%; three stories it now reads right keep a flag they had when wrong.
# A headline after a signed piece heads the text below: 90.99, silent 65 -> 61 (headless
# signed briefs now right but flagged 未找到标题: needless 32 -> 34)
# Cut body lines no headline line could be, a short phrase over a much longer headline its
# banner or kicker: 91.26, silent 61 -> 55
# A last clause of a word or two, a quantity closing a line, a brief left open over an
# advertisement: 92.00, silent 55 -> 48 (two pages' wrong items now right, still flagged:
# needless 34 -> 36)
# Reading order (a block that cannot open a paragraph, text after a signed piece, long words
# across a break, the holder of a likely rest flagged): 92.67, wrong items 144 -> 135, silent
# 48 -> 47; needless 36 -> 43: far joins now made and right but flagged (按词表拼接) — the
# items right and unflagged rose 365 -> 369
FLOOR_SCORE = 92.67
FLOOR_ARTICLES_FOUND = 0.997
FLOOR_PHOTOS_FOUND = 0.99
MAX_TEXT_LOST = 27  # characters of article text nowhere in the parse, over all fixed pages
MAX_SILENT_ERRORS = 47
# right items flagged for review anyway: fewer silent errors must not be bought by flagging all
MAX_NEEDLESS_FLAGS = 43


@pytest.fixture(scope="module")
def fixed_run() -> Result:
    """The fixed pages parsed and scored (the same figures as
    ``bench/parse_score.py --pages 80 --seed 1000``)."""
    return evaluate(FIXED_SEEDS)


# -- the parser on generated pages --------------------------------------------------------------


def test_generated_pages_score_at_least_todays(fixed_run):
    result = fixed_run
    assert result.score >= FLOOR_SCORE, "\n".join(result.report())


def test_generated_pages_articles_and_photos_found(fixed_run):
    result = fixed_run
    tally = result.final_tally()
    missing = [f"{m.page}: {m.kind} {m.item}" for m in result.misses if m.failed == ["not found"]]
    assert tally.rate("articles_found") >= FLOOR_ARTICLES_FOUND, missing
    assert tally.rate("photos_found") >= FLOOR_PHOTOS_FOUND, missing


def test_generated_pages_lose_no_more_article_text(fixed_run):
    assert fixed_run.text_lost <= MAX_TEXT_LOST


def test_generated_pages_silent_errors_do_not_grow(fixed_run):
    assert fixed_run.silent_errors <= MAX_SILENT_ERRORS, "\n".join(fixed_run.report())


def test_generated_pages_needless_flags_do_not_grow(fixed_run):
    assert fixed_run.needless_flags <= MAX_NEEDLESS_FLAGS, "\n".join(fixed_run.report())


# -- the generator ----------------------------------------------------------------------------


def test_corpus_is_larger_than_the_seeds():
    corpus = load_corpus()
    assert len(corpus.all_stories) >= 40
    assert len(corpus.photos) >= 12


def test_held_out_corpus_shares_no_text_with_the_main_one():
    main, held = load_corpus(CORPUS_DIR), load_corpus(HELDOUT_DIR)
    assert len(held.all_stories) >= 15 and len(held.photos) >= 5
    assert not {s.id for s in main.all_stories} & {s.id for s in held.all_stories}
    main_text = {p for s in main.all_stories for p in (s.title, *s.body)}
    assert not main_text & {p for s in held.all_stories for p in (s.title, *s.body)}
    assert not {p.caption for p in main.photos} & {p.caption for p in held.photos}


@pytest.mark.parametrize(
    "directory", [CORPUS_DIR, HELDOUT_DIR, SEEDLIKE_DIR], ids=["main", "heldout", "seedlike"]
)
def test_plain_page_expects_the_corpus_annotation(directory):
    corpus = load_corpus(directory)
    for story in corpus.stories:
        page = plain_page([story.id], corpus=corpus)
        assert page.gold["articles"] == [story.gold()]
        assert page.gold["joins"] == []
        # every printed part is on the page, in print order
        pos = 0
        for part in (story.column, story.title, story.byline_line, *story.paragraphs, story.source):
            if part:
                found = page.text.find(part, pos)
                assert found >= 0, (story.id, part)
                pos = found
    for box in corpus.boxes:
        page = plain_page([box.id], corpus=corpus)
        assert page.text.count(box.banner) == 1
        assert [g["column"] for g in page.gold["articles"]] == [[box.banner]] * len(box.stories)
    for photo in corpus.photos:
        page = plain_page([], [photo.id], corpus=corpus)
        assert page.gold["photos"] == [photo.gold()]
        assert page.text.index(photo.title) < page.text.index(photo.caption)


def test_the_seed_pages_articles_printed_whole_parse_as_annotated():
    # the seed pages' own articles (tests/pagegen/seedlike, drafted from the seeds and their
    # annotation by from_pages.py) one after the other: the parser reads them as it reads the
    # seeds, so the corpus holds the seeds' forms as printed (a kicker's ——, a credit closing
    # its caption) and their annotation
    corpus = load_corpus(SEEDLIKE_DIR)
    assert len(corpus.stories) >= 10 and len(corpus.photos) >= 3
    result = evaluate(range(40), Layout.plain(), corpus=corpus)
    assert result.score >= 99.5, "\n".join(result.report())
    assert result.silent_errors == 0 and result.text_lost == 0


def test_annotation_of_a_story():
    story = load_corpus().story("n06")
    gold = story.gold()
    assert gold["bylines"] == [["记者", "孙立平"], ["通讯员", "马红霞"], ["实习生", "王一帆"]]
    assert gold["dateline"] == ["本报讯"]
    assert gold["body_start"] == norm("“钱拿到了，可以安心回家")
    assert gold["body_end"] == norm("回经济损失530余万元。")
    # a two-line headline with no dash may be read either way; a dash decides
    assert ["", "", ""] not in load_corpus().story("n12").gold()["headlines"]
    assert len(load_corpus().story("n12").gold()["headlines"]) == 2
    assert len(load_corpus().story("n19").gold()["headlines"]) == 1


def test_plain_layout_perturbs_nothing():
    corpus = load_corpus()
    for seed in range(20):
        page = make_page(seed, Layout.plain())
        assert page.perturbations == set()
        assert page.gold["joins"] == []
        for g in page.gold["articles"]:
            assert g == corpus.story(g["id"]).gold()


def test_same_seed_same_page():
    assert make_page(7).text == make_page(7).text
    assert make_page(7).text != make_page(8).text


def _seed_with(p: Perturbation) -> int:
    for seed in range(300):
        if p in make_page(seed).perturbations:
            return seed
    raise AssertionError(f"no page in 300 has {p}")


def _owners(page) -> list[str]:
    return [u.owner for u in page.units]


def test_each_perturbation_happens():
    corpus = load_corpus()
    for p in Perturbation:
        page = make_page(_seed_with(p))
        units = page.units
        if p is Perturbation.BREAK:
            # a join is text that no paragraph line of the page holds (a headline may repeat
            # a phrase of the body: 计划资助…农民工子女3000名)
            lines = [norm(u.text) for u in units if u.kind is Kind.PARAGRAPH]
            assert page.gold["joins"]
            assert all(not any(j in line for line in lines) for j in page.gold["joins"])
        elif p is Perturbation.CONTINUATION_AFTER_OTHER:
            ok = False
            for i, u in enumerate(units):
                if u.open_end:
                    rest = next(j for j in range(i + 1, len(units)) if units[j].owner == u.owner)
                    ok = ok or any(units[k].owner not in ("", u.owner) for k in range(i + 1, rest))
            assert ok
        elif p is Perturbation.INTERLEAVE:
            # two items' blocks cross: A … B … A … B
            seq = [o for o in _owners(page) if o]
            assert any(_crossing(seq, a, b) for a, b in itertools.permutations(set(seq), 2))
        elif p is Perturbation.BARE_SUBHEADS:
            assert any(line.startswith("#") for line in page.text.splitlines())
            subheads = [u for u in units if u.kind is Kind.SUBHEAD]
            assert subheads and all(not u.text.startswith(("#", "*")) for u in subheads)
        elif p is Perturbation.STRAY_SPACES:
            # a line of paragraph text with spaces the printed paragraph (maybe cut) lacks
            unspaced = [norm(para) for s in corpus.all_stories for para in s.paragraphs if " " not in para]
            spaced = [norm(x) for x in page.text.splitlines() if " " in x.strip() and len(norm(x)) > 8]
            assert any(n in para for n in spaced for para in unspaced)
        elif p is Perturbation.HEADLINE_AFTER_PARAGRAPH:
            assert any(
                u.kind is Kind.TITLE
                and any(v.kind is Kind.PARAGRAPH and v.owner == u.owner for v in units[:i])
                for i, u in enumerate(units)
            )
        elif p is Perturbation.PHOTO_TITLE_AFTER_CAPTION:
            assert any(
                u.kind is Kind.PHOTO_TITLE
                and any(v.kind is Kind.CAPTION and v.owner == u.owner for v in units[:i])
                for i, u in enumerate(units)
            )
        elif p is Perturbation.CREDIT_TWO_LINES:
            pairs = [(a, b) for a, b in itertools.pairwise(units) if a.kind is b.kind is Kind.CREDIT]
            assert any(
                norm(a.text + b.text) == norm(corpus.photo(a.owner).credit[0])
                for a, b in pairs
                if len(corpus.photo(a.owner).credit) == 1
            )
        elif p is Perturbation.HALF_WIDTH:
            assert "，" not in page.text and "," in page.text
        elif p is Perturbation.MIXED_WIDTH:
            assert "，" in page.text and "," in page.text
        elif p is Perturbation.MARKDOWN:
            assert any(line.startswith("#") for line in page.text.splitlines())
        elif p is Perturbation.ADVERTISING:
            assert "广告" in page.text.splitlines()
        elif p is Perturbation.TRUNCATED:
            (rest,) = page.dropped
            cut = next(u for u in units if u.truncated)
            assert cut.text[-1] not in "。！？" and norm(rest) not in norm(page.text)
            g = next(g for g in page.gold["articles"] if g["id"] == cut.owner)
            assert g["truncated"] and norm(cut.text).endswith(g["body_end"])
        elif p is Perturbation.SIGNATURE_OWN_LINE:
            # the names closing a piece on a line of their own, after its last paragraph
            assert any(
                u.kind is Kind.BYLINE and norm(u.text) == norm(corpus.story(u.owner).tail) for u in units
            )
        elif p is Perturbation.BYLINE_ABOVE_HEADLINE:
            assert any(
                u.kind is Kind.BYLINE and any(v.kind is Kind.TITLE and v.owner == u.owner for v in units[i:])
                for i, u in enumerate(units)
            )
        elif p is Perturbation.SPACED_NAMES:
            bylines = [u for u in units if u.kind is Kind.BYLINE]
            assert any(" ".join(name) in u.text for u in bylines for _, name in corpus.story(u.owner).bylines)
        elif p is Perturbation.PHOTO_LABEL:
            labels = [i for i, u in enumerate(units) if u.text == "图片新闻"]
            assert labels and all(units[i + 1].owner == units[i].owner for i in labels)
        else:
            raise AssertionError(f"no check for {p}")


def _crossing(seq: list[str], a: str, b: str) -> bool:
    pair = [o for o in seq if o in (a, b)]
    runs = [o for i, o in enumerate(pair) if i == 0 or pair[i - 1] != o]
    return len(runs) >= 4


def test_interleaving_and_continuations_after_others_are_told_apart():
    """A continuation after another item printed whole (A1 B A2) and two items crossing
    (A1 B1 A2 B2) are different layouts; the bench reports them apart."""
    tags = [make_page(seed).perturbations for seed in range(200)]
    both = {Perturbation.INTERLEAVE, Perturbation.CONTINUATION_AFTER_OTHER}
    assert any(Perturbation.CONTINUATION_AFTER_OTHER in t and Perturbation.INTERLEAVE not in t for t in tags)
    assert any(Perturbation.INTERLEAVE in t and Perturbation.CONTINUATION_AFTER_OTHER not in t for t in tags)
    assert sum(both <= t for t in tags) < sum(bool(both & t) for t in tags)


def test_a_headline_is_moved_after_its_first_paragraph_and_also_further_down():
    """The paper prints a story's dateline and first paragraphs before its headline: the
    generator moves a headline after the first paragraph, and on other pages after a later
    one (down to the story's end), so the bench measures both."""
    depths = set()
    for seed in range(300):
        page = make_page(seed)
        if Perturbation.HEADLINE_AFTER_PARAGRAPH not in page.perturbations:
            continue
        units = page.units
        for i, u in enumerate(units):
            if u.kind is Kind.TITLE:
                # whole paragraphs before it (a cut paragraph's pieces but the last are open)
                whole = [
                    v for v in units[:i] if v.owner == u.owner and v.kind is Kind.PARAGRAPH and not v.open_end
                ]
                if whole:
                    depths.add(min(len(whole), 2))
    assert depths == {1, 2}


def _chars(text: str) -> Counter:
    text = unicodedata.normalize("NFKC", text)
    return Counter(ch for ch in text if not ch.isspace() and ch not in "#*")


def test_perturbations_keep_every_character():
    corpus = load_corpus()
    boxes = {s.id: b for b in corpus.boxes for s in b.stories}
    photos = {p.id: p for p in corpus.photos}
    for seed in range(60):
        page = make_page(seed)
        want = Counter()
        seen_boxes = set()
        for item in page.items:
            if item in photos:
                units = render_photo(photos[item])
            elif item in boxes:
                if boxes[item].id in seen_boxes:
                    continue
                seen_boxes.add(boxes[item].id)
                units = render_box(boxes[item])
            else:
                units = render_story(corpus.story(item))
            want += _chars("".join(u.text for u in units))
        want -= _chars("".join(page.dropped))
        # what a page adds: advertising, and the label over its news photos
        lines = [line for line in page.text.splitlines() if line.strip() not in ("广告", "图片新闻")]
        assert _chars("".join(lines)) == want, seed


def test_credit_break_points():
    line = "本报记者 杨明远 本报通讯员 孙晓东 摄"
    assert [line[:c].strip() for c in credit_break_points(line)] == ["本报记者", "本报记者 杨明远"]
    assert [("张远 摄/中新社")[:c] for c in credit_break_points("张远 摄/中新社")] == ["张远 摄/"]
    assert credit_break_points("视觉中国供图") == []


def test_half_width_keeps_the_comparison_form():
    text = "据介绍，（一）要求：加强管理；是否？是！"
    assert norm(text.translate(HALF_WIDTH)) == norm(text)


# -- the scorer -------------------------------------------------------------------------------


def _article(**fields) -> dict:
    base = {
        "column": None,
        "kicker": "",
        "title": "",
        "subtitle": "",
        "dateline": "",
        "bylines": [],
        "blocks": [],
        "editor_note": "",
        "reading_tip": "",
        "source_note": "",
        "continued_from_page": None,
        "needs_review": False,
        "warnings": [],
    }
    return base | fields


GOLD = {
    "articles": [
        {
            "id": "x",
            "headlines": [["", "职工书屋进班组", ""]],
            "bylines": [["记者", "黄雪琴"]],
            "body_start": "近日，曲靖市总工会",
            "body_end": "评选书香班组。",
            "contains": ["开通电子书屋"],
        }
    ],
    "photos": [],
    "joins": ["开通电子书屋"],
}
SOURCE = "职工书屋进班组\n\n近日，曲靖市总工会开通电子书屋，评选书香班组。\n"


def test_scorer_counts_a_wrong_unflagged_article_as_silent():
    right = _article(
        title="职工书屋进班组",
        bylines=[{"role": "记者", "name": "黄雪琴"}],
        blocks=[{"type": "paragraph", "text": "近日，曲靖市总工会开通电子书屋，评选书香班组。"}],
    )
    ps = score_page({"articles": [right], "photos": []}, GOLD, SOURCE)
    assert ps.misses == [] and ps.tally.score() == 100

    wrong = right | {"bylines": []}
    ps = score_page({"articles": [wrong], "photos": []}, GOLD, SOURCE)
    assert [(m.item, m.failed, m.silent) for m in ps.misses] == [("x", ["bylines"], True)]

    flagged = wrong | {"needs_review": True, "warnings": ["署名存疑"]}
    ps = score_page({"articles": [flagged], "photos": []}, GOLD, SOURCE)
    assert [(m.item, m.silent) for m in ps.misses] == [("x", False)]


def test_scorer_counts_a_right_article_flagged_for_review_as_a_needless_flag():
    right = _article(
        title="职工书屋进班组",
        bylines=[{"role": "记者", "name": "黄雪琴"}],
        blocks=[{"type": "paragraph", "text": "近日，曲靖市总工会开通电子书屋，评选书香班组。"}],
    )
    assert score_page({"articles": [right], "photos": []}, GOLD, SOURCE).needless_flags == 0
    flagged = right | {"needs_review": True, "warnings": ["段落未完"]}
    ps = score_page({"articles": [flagged], "photos": []}, GOLD, SOURCE)
    assert ps.misses == [] and ps.needless_flags == 1
    wrong = flagged | {"bylines": []}  # flagged and wrong: a flag that was needed
    assert score_page({"articles": [wrong], "photos": []}, GOLD, SOURCE).needless_flags == 0


def test_scorer_counts_an_unflagged_extra_item_as_silent():
    right = _article(
        title="职工书屋进班组",
        bylines=[{"role": "记者", "name": "黄雪琴"}],
        blocks=[{"type": "paragraph", "text": "近日，曲靖市总工会开通电子书屋，评选书香班组。"}],
    )
    extra = _article(title="广告")
    ps = score_page({"articles": [right, extra], "photos": []}, GOLD, SOURCE)
    assert [(m.kind, m.silent) for m in ps.misses] == [("extra article", True)]
    assert ps.false_items == 1


def _score_py():
    path = SHARED_PARSING / "score.py"
    if not path.exists():
        pytest.skip("shared/parsing/score.py is not beside the worktree")
    spec = importlib.util.spec_from_file_location("shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scorer_agrees_with_score_py_on_the_seed_pages(capsys):
    score_py = _score_py()
    gold = json.loads((SHARED_PARSING / "examples" / "expected.json").read_text(encoding="utf-8"))
    seeds_dir = ROOT / "seeds"
    pages = []
    for name in gold:
        parsed = parse_page((seeds_dir / name).read_text(encoding="utf-8"))
        pages.append({"source": name, **page_json(parsed)})
    theirs, tally = score_py.score({"pages": pages}, gold, seeds_dir)
    capsys.readouterr()
    ours = evaluate_seed_pages(seeds_dir=seeds_dir)
    assert ours.score == pytest.approx(theirs)
    mine = ours.final_tally()
    for key, (hits, total) in tally.d.items():
        assert (mine.hits.get(key, 0), mine.totals.get(key, 0)) == pytest.approx((hits, total)), key


def _bench():
    spec = importlib.util.spec_from_file_location("parse_score_bench", ROOT / "bench" / "parse_score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_script_prints_the_score_by_metric(capsys):
    bench = _bench()
    assert bench.main(["--pages", "3", "--seed", "5", "-v", "--show", "2"]) == 0
    out = capsys.readouterr().out
    assert "generated pages (main corpus): 3 (seeds 5..7)" in out
    assert "silent errors" in out and "parse-score:" in out and "misses by check" in out
    # the same seeds give the same figures
    bench.main(["--pages", "3", "--seed", "5"])
    again = capsys.readouterr().out
    assert out.split("parse-score:")[1].split()[0] == again.split("parse-score:")[1].split()[0]
    bench.main(["--pages", "2", "--plain"])
    assert "none" in capsys.readouterr().out  # plain pages have no perturbation
    bench.main(["--page", "5"])
    assert make_page(5).text in capsys.readouterr().out
    # the held-out corpus lays out its own stories
    bench.main(["--page", "5", "--corpus", "heldout"])
    assert make_page(5, corpus=load_corpus(HELDOUT_DIR)).text in capsys.readouterr().out
    bench.main(["--pages", "2", "--corpus", "heldout"])
    assert "generated pages (heldout corpus): 2 (seeds 0..1)" in capsys.readouterr().out


def test_scorer_agrees_with_score_py_on_generated_pages(tmp_path, capsys):
    score_py = _score_py()
    gold, pages, ours = {}, [], Result()
    for seed in range(20, 30):
        page = make_page(seed)
        name = f"gen_{seed}.txt"
        (tmp_path / name).write_text(page.text, encoding="utf-8")
        gold[name] = page.gold
        parse = page_json(parse_page(page.text))
        pages.append({"source": name, **parse})
        ours.add(score_page(parse, page.gold, page.text, name=name))
    theirs, tally = score_py.score({"pages": pages}, gold, tmp_path)
    capsys.readouterr()
    assert ours.score == pytest.approx(theirs)
    mine = ours.final_tally()
    for key, (hits, total) in tally.d.items():
        assert (mine.hits.get(key, 0), mine.totals.get(key, 0)) == pytest.approx((hits, total)), key
