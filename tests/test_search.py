"""Chinese full-text search: query parsing, exact matching, ranking, highlighting, the index
following every change, and the rebuild command. Runs on SQLite and on PostgreSQL."""

import datetime
import random
import unicodedata
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.core.paginator import Paginator
from django.db import connection, transaction

from articles.filters import ArticleFilter
from articles.models import Article, Byline, Issue, Page, Person, Photo
from articles.search import (
    SearchQueryError,
    highlight,
    parse_query,
    rebuild_index,
    reindex_articles,
    search_articles,
    snippet,
)
from articles.search import index as search_index

from . import factories

pytestmark = pytest.mark.django_db


def found(q, queryset=None):
    return list(search_articles(queryset if queryset is not None else Article.objects.all(), q))


def titles(q, queryset=None):
    return [a.title for a in found(q, queryset)]


def make(title, body="", day=1, page=1, kicker="", subtitle="", status=Article.Status.PUBLISHED, **kw):
    issue, _ = Issue.objects.get_or_create(date=datetime.date(2020, 10, day))
    pg, _ = Page.objects.get_or_create(issue=issue, number=page)
    return factories.ArticleFactory(
        page=pg,
        title=title,
        kicker=kicker,
        subtitle=subtitle,
        body=[{"type": "paragraph", "text": body}] if body else [],
        status=status,
        published_at=None if status == Article.Status.DRAFT else kw.pop("published_at", None) or _past(),
        **kw,
    )


def _past():
    from django.utils import timezone

    return timezone.now() - datetime.timedelta(days=1)


def index_rows(article_id):
    """How many index rows an article has (0 once deleted)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT count(*) FROM {search_index.SQLITE_TABLE} WHERE rowid IN "
                f"(SELECT sort_key FROM {search_index.SQLITE_KEYS} WHERE article_id = %s)",
                [article_id],
            )
        else:
            cursor.execute(
                f"SELECT count(*) FROM {search_index.PG_TABLE} WHERE article_id = %s", [article_id]
            )
        return cursor.fetchone()[0]


def _index_dump():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT rowid, head, body FROM {search_index.SQLITE_TABLE} ORDER BY rowid")
        else:
            cursor.execute(
                f"SELECT article_id, sort_key, head, body, doc::text FROM {search_index.PG_TABLE} "
                "ORDER BY article_id"
            )
        return cursor.fetchall()


# --- the query -------------------------------------------------------------------------------


class TestParseQuery:
    def test_terms_are_separated_by_spaces_including_ideographic_space(self):
        assert parse_query("工会  职工\u3000马学礼") == ["工会", "职工", "马学礼"]

    def test_quoted_phrase_is_one_term_with_ascii_or_chinese_quotes(self):
        assert parse_query('"新时代 新思想" 工会') == ["新时代 新思想", "工会"]
        assert parse_query("“新就业形态劳动者” 天津") == ["新就业形态劳动者", "天津"]

    @pytest.mark.parametrize("q", ["", "   ", '""'])
    def test_empty_query_is_refused(self, q):
        with pytest.raises(SearchQueryError, match="请输入要搜索的词语"):
            parse_query(q)

    @pytest.mark.parametrize("q", ["工", "工会 会", '"工 "'])
    def test_one_character_term_is_refused_with_the_term_named(self, q):
        with pytest.raises(SearchQueryError, match="至少需要两个字") as exc:
            parse_query(q)
        assert "太短" in str(exc.value)

    def test_too_long_and_too_many_terms_are_refused(self):
        with pytest.raises(SearchQueryError, match="最多 50 个字"):
            parse_query("工" * 51)
        with pytest.raises(SearchQueryError, match="一次最多搜索 8 个词"):
            parse_query(" ".join(f"词{i}" for i in range(9)))

    def test_site_and_api_filter_reports_a_short_query_as_a_form_error(self):
        f = ArticleFilter(data={"q": "工"}, queryset=Article.objects.all())
        assert not f.is_valid()
        assert "至少需要两个字" in f.errors["q"][0]


# --- matching ----------------------------------------------------------------------------------


class TestMatching:
    def test_two_character_word_in_every_indexed_field(self):
        make("标题里有工会二字", day=1)
        make("引题", kicker="工会引题", day=2)
        make("副题", subtitle="说说工会", day=3)
        make("正文", body="记者近日从总工会获悉。", day=4)
        with_caption = make("图片说明", day=5)
        factories.PhotoFactory(page=with_caption.page, article=with_caption, caption="工会干部在现场")
        make("无关稿件", body="职工书屋建起来了。", day=6)
        assert set(titles("工会")) == {"副题", "图片说明", "引题", "正文", "标题里有工会二字"}

    def test_bylines_and_photo_credits_are_searchable_by_name(self, article):
        other = make("另一篇", day=2)
        photo = factories.PhotoFactory(page=other.page, article=other)
        factories.PhotoCreditFactory(photo=photo, person=factories.PersonFactory(name="杨长武"))
        assert titles("马学礼") == [article.title]
        assert titles("杨长武") == ["另一篇"]

    def test_two_character_term_is_found_where_trigram_search_fails(self):
        make("职工", day=1)  # the whole field is the two-character word
        assert titles("职工") == ["职工"]

    def test_all_terms_must_match_in_any_field(self):
        make("工会干部进千企", body="职工书屋", day=1)
        make("工会干部", body="其他内容", day=2)
        assert titles("工会 职工") == ["工会干部进千企"]

    def test_phrase_matches_only_as_a_contiguous_substring(self):
        make("新就业形态劳动者温暖行动", day=1)
        make("新就业的形态与劳动者", day=2)
        assert titles("新就业形态劳动者") == ["新就业形态劳动者温暖行动"]
        assert titles('"形态劳动"') == ["新就业形态劳动者温暖行动"]

    def test_a_term_never_spans_two_fields_or_two_paragraphs(self):
        art = make("会议召开", kicker="全国总工", day=1)
        art.body = [{"type": "paragraph", "text": "第一段说工"}, {"type": "paragraph", "text": "会议"}]
        art.save()
        assert titles("总工会") == []
        assert titles("说工会") == []
        assert titles("会议") == ["会议召开"]

    def test_latin_digits_and_width_are_folded(self):
        make("ＰＴＡ家长会", day=1)
        make("2020年工作总结", day=2)
        make("PTAs and more", day=3)
        assert set(titles("pta")) == {"PTAs and more", "ＰＴＡ家长会"}
        assert titles("２０２０年") == ["2020年工作总结"]
        assert titles("0年") == ["2020年工作总结"]

    def test_stray_ocr_spaces_do_not_break_a_word(self):
        make("吉林", body="吉 林省暨长春市服务月启动。", day=1)
        make("天 津", day=2)
        assert titles("林省") == ["吉林"]
        assert titles("天津") == ["天 津"]

    def test_terms_spanning_punctuation_match_the_punctuation_exactly(self):
        make("“中国梦·劳动美”主题宣传", day=1)
        make("中国梦，劳动美", day=2)
        assert titles("中国梦·劳动美") == ["“中国梦·劳动美”主题宣传"]
        assert titles("梦，劳") == ["中国梦，劳动美"]

    def test_sql_wildcards_and_fts_syntax_are_plain_text(self):
        make("100%满意", day=1)
        make("工会 AND 职工 NEAR", day=2)
        make("普通稿件", body='含有"引号"和*星号', day=3)
        assert titles("0%") == ["100%满意"]
        assert titles('"D 职"') == ["工会 AND 职工 NEAR"]
        assert titles("号*") == []
        assert titles("和*星") == ["普通稿件"]
        assert titles("_%") == []


def _fold(text):
    """The reference definition: per-character NFKC, lower case, whitespace dropped."""
    return "".join("".join(unicodedata.normalize("NFKC", c).lower().split()) for c in text if not c.isspace())


ALPHABET = [*list("工会职马学礼新就业形态劳动者，。·“”（）"), "PTA", "pta", "2020", "年", " ", "Ａ", "-", "%"]


def _random_text(rng, n):
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def test_results_equal_a_substring_scan_for_many_generated_queries():
    """Property: for every query, the index finds exactly the articles whose indexed text
    contains every term (per block, folded), and orders head hits first, then newest."""
    rng = random.Random(1023)
    people = [factories.PersonFactory(name=n) for n in ("马学礼", "郑莉", "刘友婷", "PTA会长")]
    truth_blocks = {}
    for i in range(40):
        art = make(
            _random_text(rng, rng.randint(3, 12)),
            day=1 + i % 28,
            page=1 + i // 28,
            kicker=_random_text(rng, rng.randint(0, 6)),
        )
        art.body = [{"type": "paragraph", "text": _random_text(rng, rng.randint(5, 40))} for _ in range(2)]
        art.save()
        byline_people = rng.sample(people, rng.randint(0, 2))
        for person in byline_people:
            Byline.objects.create(article=art, person=person)
        captions = []
        if rng.random() < 0.4:
            photo = factories.PhotoFactory(
                page=art.page, article=art, title="", caption=_random_text(rng, rng.randint(5, 20))
            )
            captions.append(photo.caption)
        head = [art.kicker, art.title, art.subtitle]
        body = [b["text"] for b in art.body] + captions + [p.name for p in byline_people]
        truth_blocks[art.pk] = ([_fold(b) for b in head], [_fold(b) for b in head + body])

    queries = []
    all_text = [b for head, full in truth_blocks.values() for b in full if len(b) >= 2]
    for _ in range(120):
        block = rng.choice(all_text)
        n = rng.randint(2, min(5, len(block)))
        start = rng.randint(0, len(block) - n)
        queries.append(block[start : start + n])
    queries += ["".join(rng.choice("工会职马学礼，·") for _ in range(rng.randint(2, 4))) for _ in range(40)]
    queries += ["马学礼", "pta", "2020年", "PTA会长", "20", "会。", "·劳"]
    multi = [f"{rng.choice(queries)} {rng.choice(queries)}" for _ in range(40)]
    queries = [q for q in queries if '"' not in q and "“" not in q and "”" not in q]
    multi = [q for q in multi if '"' not in q and "“" not in q and "”" not in q]

    checked = nonempty = 0
    for q in queries + multi:
        try:
            terms = parse_query(q)
        except SearchQueryError:
            continue
        folded = [_fold(t) for t in terms]
        expected = {
            pk for pk, (_, full) in truth_blocks.items() if all(any(t in b for b in full) for t in folded)
        }
        results = found(q)
        assert {a.pk for a in results} == expected, q
        keys = [
            (
                -sum(any(t in b for b in truth_blocks[a.pk][0]) for t in folded),
                -a.page.issue.date.toordinal(),
                a.page.number,
                a.position,
            )
            for a in results
        ]
        assert keys == sorted(keys), q
        checked += 1
        nonempty += bool(expected)
    assert checked > 150 and nonempty > 100


# --- ranking and composition ---------------------------------------------------------------------


class TestRankingAndFilters:
    def test_title_hits_rank_above_body_hits_then_newer_first(self):
        make("旧标题工会", day=1)
        make("新的正文命中", body="工会工作", day=20)
        make("新标题工会", day=10)
        make("更旧的正文命中", body="工会", day=2)
        assert titles("工会") == ["新标题工会", "旧标题工会", "新的正文命中", "更旧的正文命中"]

    def test_more_terms_in_the_head_rank_higher(self):
        make("工会", body="职工", day=9)
        make("工会职工", day=1)
        assert titles("工会 职工") == ["工会职工", "工会"]

    def test_composes_with_published_filters_count_and_pagination(self):
        col = factories.ColumnFactory(name="主席之声")
        for day in range(1, 8):
            make(f"工会第{day}篇", day=day, column=col if day % 2 else None)
        make("草稿里的工会", day=9, status=Article.Status.DRAFT)
        qs = search_articles(Article.objects.published(), "工会")
        assert qs.count() == 7
        assert "草稿里的工会" in titles("工会")  # the admin searches drafts too
        in_column = qs.filter(column=col)
        assert [a.title for a in in_column] == ["工会第7篇", "工会第5篇", "工会第3篇", "工会第1篇"]
        page2 = Paginator(qs, 3).page(2)
        assert [a.title for a in page2] == ["工会第4篇", "工会第3篇", "工会第2篇"]

    def test_ranking_work_is_capped_to_the_newest_matches(self, monkeypatch):
        monkeypatch.setattr(search_index, "WINDOW", 3)
        for day in range(1, 6):
            make(f"正文{day}", body="工会", day=day)
        make("最旧的标题命中工会", day=10).page.issue.__class__.objects.filter(
            date=datetime.date(2020, 10, 10)
        ).update(date=datetime.date(2019, 1, 1))
        reindex_articles(Article.objects.values_list("pk", flat=True))
        # Five body hits and one (oldest) title hit: only the newest three are searched.
        assert titles("工会") == ["正文5", "正文4", "正文3"]
        monkeypatch.setattr(search_index, "WINDOW", 100)
        assert titles("工会")[0] == "最旧的标题命中工会"

    def test_a_date_range_reaches_matches_older_than_the_window(self, monkeypatch):
        monkeypatch.setattr(search_index, "WINDOW", 2)
        for day in range(1, 7):
            make(f"工会{day}", day=day)
        assert titles("工会") == ["工会6", "工会5"]
        qs = search_articles(
            Article.objects.all(),
            "工会",
            date_after=datetime.date(2020, 10, 2),
            date_before=datetime.date(2020, 10, 3),
        )
        assert [a.title for a in qs] == ["工会3", "工会2"]

    def test_the_window_is_the_newest_matches_across_months_and_years(self, monkeypatch):
        """PostgreSQL reads the window in date slices (months, then years, then everything
        older): whatever the density, the results are the newest WINDOW matches."""
        monkeypatch.setattr(search_index, "WINDOW", 4)
        start = datetime.date(1998, 11, 5)
        expected_common, expected_rare = [], []
        for n in range(30):
            day = start + datetime.timedelta(days=47 * n)  # a new month almost every time
            issue = Issue.objects.create(date=day)
            pg = Page.objects.create(issue=issue, number=1)
            rare = n in (0, 2, 3, 17, 29 - 25)
            art = factories.ArticleFactory(
                page=pg,
                title=f"稿{n}",
                body=[{"type": "paragraph", "text": "职工" + ("罕见词" if rare else "")}],
            )
            expected_common.append((day, art.title))
            if rare:
                expected_rare.append((day, art.title))
        newest = [t for _, t in sorted(expected_common, reverse=True)[:4]]
        assert titles("职工") == newest
        assert titles("罕见词") == [t for _, t in sorted(expected_rare, reverse=True)[:4]]
        qs = search_articles(
            Article.objects.all(),
            "职工",
            date_after=start,
            date_before=start + datetime.timedelta(days=47 * 9),
        )
        assert [a.title for a in qs] == ["稿9", "稿8", "稿7", "稿6"]
        assert titles("无此词语") == []

    def test_a_dense_term_reads_the_months_its_window_needs_not_eight(self, monkeypatch):
        """PostgreSQL: the newest month may hold a single day's issue; the next slice is
        sized from the matches per day read (here 1 a day, 30 wanted: two months), not per
        month (which asked for eight, each row of them fetched before the newest are kept)."""
        if connection.vendor != "postgresql":
            pytest.skip("the date slices are PostgreSQL's")
        monkeypatch.setattr(search_index, "WINDOW", 30)
        newest = datetime.date(2020, 12, 1)
        for n in range(400):
            day = newest - datetime.timedelta(days=n)
            pg = Page.objects.create(issue=Issue.objects.create(date=day), number=1)
            factories.ArticleFactory(page=pg, title=f"稿{n}", body=[{"type": "paragraph", "text": "工会"}])
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert titles("工会") == [f"稿{n}" for n in range(30)]
        months = sum(q["sql"].count("~m") for q in ctx.captured_queries)
        assert months <= 3, [q["sql"][-200:] for q in ctx.captured_queries]

    def test_early_in_a_month_the_first_slice_reaches_into_the_month_before(self, monkeypatch):
        """PostgreSQL: a newest month of one day's issue is read with the month before it,
        so the window of a term found once a day is one slice, not a day and then a guess."""
        if connection.vendor != "postgresql":
            pytest.skip("the date slices are PostgreSQL's")
        monkeypatch.setattr(search_index, "WINDOW", 25)
        newest = datetime.date(2020, 12, 1)
        for n in range(90):
            day = newest - datetime.timedelta(days=n)
            pg = Page.objects.create(issue=Issue.objects.create(date=day), number=1)
            factories.ArticleFactory(page=pg, title=f"稿{n}", body=[{"type": "paragraph", "text": "工会"}])
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert titles("工会") == [f"稿{n}" for n in range(25)]
        slices = [q["sql"] for q in ctx.captured_queries if "~m" in q["sql"]]
        assert len(slices) == 1 and "~m202011" in slices[0] and "~m202012" in slices[0], slices

    def test_every_page_of_results_is_the_slice_of_the_whole_ranked_list(self):
        """PostgreSQL finds a page's ids first and fetches only those rows whole; every
        slice, filtered or not, is the same as slicing the whole list (ties on date, page
        and position, head hits, drafts and other columns left out)."""
        col = factories.ColumnFactory(name="维权在线")
        rng = random.Random(7)
        slots = rng.sample([(d, p, n) for d in range(1, 6) for p in range(1, 4) for n in range(1, 5)], 40)
        for n, (day, page, position) in enumerate(slots):  # created out of print order
            head = rng.random() < 0.2
            make(
                f"稿{n}" + ("工会" if head else ""),
                body="职工工会" if not head or rng.random() < 0.5 else "",
                day=day,
                page=page,
                position=position,
                column=col if rng.random() < 0.4 else None,
                status=Article.Status.DRAFT if rng.random() < 0.1 else Article.Status.PUBLISHED,
            )
        for base in (Article.objects.published(), Article.objects.all(), Article.objects.filter(column=col)):
            qs = search_articles(base.with_page().with_bylines(), "工会")
            whole = [a.pk for a in search_articles(base, "工会")]
            assert len(whole) > 20
            for lo, hi in [(0, 20), (0, 1), (5, 12), (20, 40), (len(whole) - 3, len(whole) + 5)]:
                assert [a.pk for a in qs[lo:hi]] == whole[lo:hi]
            assert [a.pk for a in Paginator(qs, 7).page(2)] == whole[7:14]
            first = qs[:3]
            assert [a.page.issue.date for a in first] == [a.issue_date for a in first]  # prefetched

    def test_a_page_of_results_fetches_whole_rows_for_that_page_only(self):
        if connection.vendor != "postgresql":
            pytest.skip("SQLite ranks FTS5 rowids")
        for n in range(5):
            make(f"工会{n}", day=n + 1)
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert len(search_articles(Article.objects.published(), "工会")[:2]) == 2
        rows, _, page = ctx.captured_queries[-1]["sql"].partition(' IN (SELECT U0."id" ')
        assert rows.startswith('SELECT "articles_article"."id"') and "LIMIT 2)" in page

    def test_a_corrected_issue_date_reorders_results(self):
        make("甲稿工会", day=1)
        make("乙稿工会", day=2)
        assert titles("工会") == ["乙稿工会", "甲稿工会"]
        issue = Issue.objects.get(date=datetime.date(2020, 10, 1))
        issue.date = datetime.date(2020, 10, 3)
        issue.save()
        assert titles("工会") == ["甲稿工会", "乙稿工会"]

    def test_date_and_page_filters_follow_a_corrected_issue_date_and_a_renumbered_page(self):
        art = make("工会改期稿", day=1)
        make("工会他稿", day=2)

        def run(**params):
            f = ArticleFilter(data=params, queryset=Article.objects.published())
            assert f.is_valid(), f.errors
            return [x.title for x in f.qs]

        assert run(date="2020-10-01") == ["工会改期稿"]
        issue, page = art.page.issue, art.page
        issue.date = datetime.date(2020, 9, 30)
        issue.save()
        page.number = 7
        page.save()
        assert run(date="2020-10-01") == []
        assert run(date="2020-09-30") == ["工会改期稿"]
        assert run(q="工会", date_before="2020-09-30") == ["工会改期稿"]
        assert run(page=7) == ["工会改期稿"]

    def test_article_filter_combines_q_with_column_dates_and_person(self):
        col = factories.ColumnFactory(name="工会博览")
        zheng = factories.PersonFactory(name="郑莉")
        a = make("工会博览会开幕", day=5, column=col)
        Byline.objects.create(article=a, person=zheng, role="记者")
        Byline.objects.create(article=a, person=factories.PersonFactory(name="刘友婷"), role="通讯员")
        b = make("工会会员大会", day=15)
        Byline.objects.create(article=b, person=zheng, role="记者")
        make("工会换届", day=25)
        qs = Article.objects.published()

        def run(**params):
            f = ArticleFilter(data={"q": "工会", **params}, queryset=qs)
            assert f.is_valid(), f.errors
            return [x.title for x in f.qs]

        assert run() == ["工会换届", "工会会员大会", "工会博览会开幕"]
        assert run(column=col.slug) == ["工会博览会开幕"]
        assert run(date_after="2020-10-10", date_before="2020-10-20") == ["工会会员大会"]
        assert run(person=zheng.pk) == ["工会会员大会", "工会博览会开幕"]
        assert run(person=zheng.pk, role="记者", date_before="2020-10-10") == ["工会博览会开幕"]


# --- highlighting -------------------------------------------------------------------------------


class TestHighlight:
    def test_marks_every_match_and_escapes_the_rest(self):
        html = highlight("<b>工会</b>&职工会", ["工会"])
        assert html == "&lt;b&gt;<mark>工会</mark>&lt;/b&gt;&amp;职<mark>工会</mark>"

    def test_marked_text_is_escaped_too(self):
        assert highlight("a<b>c", ["<b>"]) == "a<mark>&lt;b&gt;</mark>c"

    def test_matches_like_the_index_across_width_case_and_stray_spaces(self):
        assert highlight("天 津ＰＴＡ", ["天津", "pta"]) == "<mark>天 津ＰＴＡ</mark>"
        assert highlight("吉 林省", ["林省"]) == "吉 <mark>林省</mark>"

    def test_overlapping_terms_are_merged(self):
        assert highlight("劳动竞赛", ["劳动", "动竞"]) == "<mark>劳动竞</mark>赛"

    def test_snippet_centres_on_the_first_match_with_ellipses(self):
        text = "甲" * 100 + "新就业形态劳动者" + "乙" * 100
        html = snippet(text, ["劳动者"], width=40)
        assert html.startswith("…") and html.endswith("…")
        assert "<mark>劳动者</mark>" in html
        assert len(html.replace("<mark>", "").replace("</mark>", "")) == 42

    def test_snippet_without_a_match_starts_at_the_beginning(self):
        assert snippet("<短文>", ["工会"]) == "&lt;短文&gt;"


# --- the index follows every change --------------------------------------------------------------


class TestIndexFollowsChanges:
    def test_editing_title_and_body_updates_the_index(self, article):
        article.title = "职工书屋建设"
        article.body = [{"type": "paragraph", "text": "劳动竞赛如火如荼"}]
        article.save()
        assert titles("职工书屋") == ["职工书屋建设"]
        assert titles("劳动竞赛") == ["职工书屋建设"]
        assert titles("扶贫政策") == []

    def test_bylines_added_removed_and_people_renamed(self, article):
        person = factories.PersonFactory(name="钱培坚")
        byline = Byline.objects.create(article=article, person=person, role="通讯员")
        assert titles("钱培坚") == [article.title]
        person.name = "钱培健"
        person.save()
        assert titles("钱培坚") == []
        assert titles("钱培健") == [article.title]
        byline.delete()
        assert titles("钱培健") == []

    def test_byline_moved_to_another_article_reindexes_both(self, article):
        other = make("另一篇稿件", day=3)
        byline = Byline.objects.get(article=article)
        byline.article = other
        byline.save()
        assert titles("马学礼") == ["另一篇稿件"]

    def test_photo_captions_and_credits_added_edited_moved_deleted(self, article):
        photo = factories.PhotoFactory(page=article.page, article=article, caption="检修现场")
        assert titles("检修现场") == [article.title]
        factories.PhotoCreditFactory(photo=photo, person=factories.PersonFactory(name="杨长武"))
        assert titles("杨长武") == [article.title]
        photo.caption = "摄影协会会员"
        photo.save()
        assert titles("检修现场") == []
        assert titles("摄影协会") == [article.title]
        other = make("另一篇", day=3)
        photo.article = other
        photo.save()
        assert titles("摄影协会") == ["另一篇"]
        photo.delete()
        assert titles("摄影协会") == []
        assert titles("杨长武") == []

    def test_deleting_an_article_or_its_page_removes_its_index_rows(self, article):
        pk = article.pk
        assert index_rows(pk) == 1
        article.delete()
        assert index_rows(pk) == 0
        other = make("整版删除", day=4)
        other.page.delete()
        assert index_rows(other.pk) == 0
        assert titles("整版删除") == []

    def test_bulk_writes_are_indexed_too(self):
        page = factories.PageFactory()
        created = Article.objects.bulk_create(
            [
                Article(
                    page=page,
                    position=9,
                    title="批量导入的工会稿件",
                    status="published",
                    published_at=_past(),
                )
            ]
        )
        assert titles("批量导入") == ["批量导入的工会稿件"]  # bulk_create is on the change path
        Article.objects.filter(pk=created[0].pk).update(title="批量改过的工会稿件")
        assert titles("批量改过") == ["批量改过的工会稿件"]
        assert titles("批量导入") == []
        Article.objects.filter(pk=created[0].pk).delete()
        assert index_rows(created[0].pk) == 0
        assert reindex_articles([created[0].pk]) == 0

    def test_a_rolled_back_edit_leaves_the_index_as_it_was(self, article):
        with pytest.raises(RuntimeError), transaction.atomic():
            article.title = "回滚的标题"
            article.save()
            raise RuntimeError
        assert titles("回滚") == []
        assert titles("扶贫政策") == ["工会进企宣讲扶贫政策"]

    def test_import_indexes_the_imported_pages(self, seeds_dir):
        seed = sorted(seeds_dir.glob("*.txt"))[0]
        call_command(
            "import_pages", str(seed), "--date", "2020-10-23", "--page", "3", "--publish", stdout=StringIO()
        )
        assert Article.objects.exists()
        hits = found("马学礼")
        assert any(b.person.name == "马学礼" for a in hits for b in a.bylines.all())
        assert any("产业工人" in a.title for a in found("产业工人"))

    def test_the_importer_indexes_exactly_what_a_rebuild_would(self, seeds_dir):
        """The importer hands the text it wrote to the index (no re-reads): same rows."""
        call_command("import_pages", str(seeds_dir), "--publish", stdout=StringIO())
        assert Article.objects.count() > 20
        imported = _index_dump()
        rebuild_index()
        assert _index_dump() == imported

    def test_edits_after_the_import_in_its_transaction_are_what_gets_indexed(self, seeds_dir):
        """The importer's own documents are dropped when a later write changes the text."""
        with transaction.atomic():
            call_command("import_pages", str(seeds_dir), "--publish", stdout=StringIO())
            art = Article.objects.order_by("pk").first()
            art.title = "改过的标题独有词"
            art.save()
            person = Byline.objects.order_by("pk").first().person
            person.name = "新名字独有"
            person.save()
        assert titles("改过的标题独有词") == ["改过的标题独有词"]
        assert found("新名字独有")
        imported = _index_dump()
        rebuild_index()
        assert _index_dump() == imported

    def test_a_very_long_article_is_matched_everywhere(self):
        # Far beyond what a tsvector could hold with positions (16383, 256 per lexeme).
        filler = "工会职工" * 5000
        art = make("长文", day=1)
        art.body = [{"type": "paragraph", "text": filler + "劳动竞赛" + filler + "末尾独有词"}]
        art.save()
        assert titles("劳动竞赛") == ["长文"]
        assert titles("末尾独有词") == ["长文"]
        assert titles("职工工会职工工会职") == ["长文"]
        assert titles("职工职工") == []


# --- the rebuild command ------------------------------------------------------------------------


class TestRebuildCommand:
    def _wipe(self):
        search_index.clear()

    def test_rebuilds_a_wiped_index(self, article):
        self._wipe()
        assert titles("马学礼") == []
        out = StringIO()
        call_command("rebuild_search_index", stdout=out)
        assert "Indexed 1 articles" in out.getvalue()
        assert titles("马学礼") == [article.title]

    def test_dry_run_reports_and_changes_nothing(self, article):
        self._wipe()
        out = StringIO()
        call_command("rebuild_search_index", "--dry-run", stdout=out)
        assert "would index 1 articles (index now holds 0)" in out.getvalue()
        assert titles("马学礼") == []

    def test_batch_size_and_verbosity_report_progress(self, article):
        make("第二篇工会稿", day=2)
        make("第三篇工会稿", day=3)
        self._wipe()
        out = StringIO()
        call_command("rebuild_search_index", "--batch-size", "2", verbosity=2, stdout=out)
        assert "2/3" in out.getvalue() and "3/3" in out.getvalue()
        assert len(titles("工会")) == 3

    def test_quiet_run_prints_nothing(self, article):
        out = StringIO()
        call_command("rebuild_search_index", verbosity=0, stdout=out)
        assert out.getvalue() == ""
        assert titles("马学礼") == [article.title]

    def test_bad_batch_size_is_a_command_error(self):
        with pytest.raises(CommandError, match="--batch-size must be at least 1"):
            call_command("rebuild_search_index", "--batch-size", "0")

    def test_rebuild_index_drops_rows_of_articles_deleted_behind_its_back(self, article):
        gone = article.pk + 1000
        search_index.write({gone: (None, ["孤儿稿件"], [])}, stale_ids=[])  # as if deleted with raw SQL
        assert index_rows(gone) == 1
        assert rebuild_index() == 1
        assert index_rows(gone) == 0
        assert titles("马学礼") == [article.title]


def test_person_fixture_name_is_indexed_once_per_article(article):
    """A byline saved twice is not indexed twice (the index row is replaced)."""
    b = Byline.objects.get(article=article)
    b.save()
    b.save()
    assert index_rows(article.pk) == 1
    assert Person.objects.filter(name="马学礼").count() == 1
    assert Photo.objects.count() == 0


def test_the_shared_filter_passes_its_date_range_to_the_search_window(db, monkeypatch):
    """Readers filtering a common word by date reach matches older than the newest window."""
    from articles.filters import ArticleFilter

    monkeypatch.setattr(search_index, "WINDOW", 2)
    for day in range(1, 7):
        make(f"工会{day}", day=day)
    params = {"q": "工会", "date_after": "2020-10-02", "date_before": "2020-10-03"}
    found = ArticleFilter(params, queryset=Article.objects.all()).qs
    assert [a.title for a in found] == ["工会3", "工会2"]
    one_day = ArticleFilter({"q": "工会", "date": "2020-10-01"}, queryset=Article.objects.all()).qs
    assert [a.title for a in one_day] == ["工会1"]


def test_long_paragraphs_with_wide_and_unusual_characters_are_found_exactly():
    """The index's pair text is built fast for long blocks (one translate, pairs interleaved
    in UTF-32); it must equal the pairs of the folded text for every kind of character."""
    from articles.search.text import fold, pair_text, pairs, token

    filler = "职工劳动者，" * 800  # a paragraph of 4,800 characters: past every fast-path size
    samples = [
        "ＰＴＡ会长（马学礼）说：“2020年😀就业形态㈱变了。”",
        "a b\u3000c\td" * 7,
        "𠀀𠀁工会" * 6,
        filler + "末尾😀笑脸",
        "短",
        "",
        "两字",
    ]
    for text in samples:
        assert pair_text(text) == " ".join(token(p) for p in pairs(fold(text))), text[:20]
    make("长文", body=filler + "中间的😀笑脸与（株）㈱" + filler)
    make("别的", body="笑脸" + filler)
    assert titles("😀笑脸") == ["长文"]
    assert titles("(株)(株)") == ["长文"]
    assert set(titles("动者，职工")) == {"别的", "长文"}
