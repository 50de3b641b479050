"""The REST API under /api/v1/: what readers and staff get, every filter, ordering, paging."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from articles.models import Article, Role

from .factories import (
    ArticleFactory,
    BylineFactory,
    ColumnFactory,
    IssueFactory,
    PageFactory,
    PersonFactory,
    PhotoCreditFactory,
    PhotoFactory,
)

pytestmark = pytest.mark.django_db


# --- shared helpers (imported by the other test_api* files) -------------------------------


def build_paper() -> SimpleNamespace:
    """Three issues: two published, one still in draft, with continuations, photos, columns."""
    issue = IssueFactory(date=datetime.date(2020, 10, 23), number=12001)
    p3 = PageFactory(issue=issue, number=3, name="工会新闻")
    p4 = PageFactory(issue=issue, number=4, name="工会博览")
    chair = ColumnFactory(name="主席之声", slug="zhu-xi-zhi-sheng")
    expo = ColumnFactory(name="工会博览", slug="gong-hui-bo-lan")
    draft_column = ColumnFactory(name="履职手记", slug="lv-zhi-shou-ji")
    ma = PersonFactory(name="马学礼")
    zheng = PersonFactory(name="郑莉")
    liu = PersonFactory(name="刘友婷", affiliation="宁夏回族自治区总工会主席")
    qian = PersonFactory(name="钱培坚")  # only on a draft
    yang = PersonFactory(name="杨长武")
    zou = PersonFactory(name="邹偶然")  # only on a draft page's photo

    lead = ArticleFactory(
        page=p3,
        position=1,
        kicker="聚焦职工关切",
        title="工会进企宣讲扶贫政策",
        subtitle="送政策到车间班组",
        dateline="本报讯",
        column=chair,
        editor_note="编者按：职工队伍建设取得新进展。",
        reading_tip="阅读提示：宣讲覆盖三百家企业。",
        source_note="来源：《工人日报》",
        continued_to_page=4,
    )
    BylineFactory(article=lead, person=ma, role=Role.REPORTER, order=0)
    BylineFactory(article=lead, person=zheng, role=Role.CORRESPONDENT, order=1)
    photo = PhotoFactory(page=p3, position=1, article=lead, title="宣讲现场", agency="新华社")
    PhotoCreditFactory(photo=photo, person=yang, role=Role.CORRESPONDENT)

    second = ArticleFactory(page=p3, position=2, title="劳模工匠进校园", column=expo)
    BylineFactory(article=second, person=zheng, role=Role.REPORTER)
    turn = ArticleFactory(
        page=p4, position=1, title="工会进企宣讲扶贫政策（续）", continued_from=lead, continued_from_page=3
    )
    BylineFactory(article=turn, person=ma, role=Role.REPORTER)
    # A draft continuing the continuation: readers must not see the link to it.
    p5 = PageFactory(issue=issue, number=5, name="副刊")
    hidden_turn = ArticleFactory(
        page=p5,
        position=1,
        title="尚未发布的续篇",
        continued_from=turn,
        status=Article.Status.DRAFT,
        published_at=None,
    )

    older = IssueFactory(date=datetime.date(2020, 10, 20))
    o1 = PageFactory(issue=older, number=1, name="要闻")
    voice = ArticleFactory(page=o1, position=1, title="主席谈职工技能提升", column=expo, needs_review=True)
    BylineFactory(article=voice, person=liu, role=Role.AUTHOR)
    standalone = PhotoFactory(page=o1, position=2, title="为劳动者留影", article=None)
    PhotoCreditFactory(photo=standalone, person=yang, role=Role.PHOTOGRAPHER)

    future = IssueFactory(date=datetime.date(2020, 10, 24))
    f1 = PageFactory(issue=future, number=1, name="要闻")
    draft = ArticleFactory(
        page=f1,
        position=1,
        title="尚未发布的稿件",
        column=draft_column,
        status=Article.Status.DRAFT,
        published_at=None,
        needs_review=True,
    )
    BylineFactory(article=draft, person=qian, role=Role.REPORTER)
    draft_photo = PhotoFactory(page=f1, position=2, title="未发布的图片")
    PhotoCreditFactory(photo=draft_photo, person=zou, role=Role.PHOTOGRAPHER)

    return SimpleNamespace(**locals())


def make_user(django_user_model, username="staffer", *perms, is_staff=True):
    user = django_user_model.objects.create_user(username, password="pw-2020-newsroom", is_staff=is_staff)
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def client_for(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content.decode()
    return response.json()["results"]


def titles(response) -> list[str]:
    return [item["title"] for item in results(response)]


def only_error(response, status: int) -> dict:
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status
    assert len(body["errors"]) == 1, body
    return body["errors"][0]


@pytest.fixture
def paper(db):
    return build_paper()


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def staff(django_user_model):
    """Staff who may view articles: they see drafts (staff without it do not)."""
    return client_for(make_user(django_user_model, "staffer", "view_article"))


ARTICLES = "/api/v1/articles/"


# --- articles: what readers see -----------------------------------------------------------


def test_readers_get_published_articles_newest_first_without_bodies(anon, paper):
    response = anon.get(ARTICLES)
    items = results(response)
    assert [i["title"] for i in items] == [
        "工会进企宣讲扶贫政策",
        "劳模工匠进校园",
        "工会进企宣讲扶贫政策（续）",
        "主席谈职工技能提升",
    ]
    assert response.json()["count"] == 4
    assert all("body" not in item for item in items)
    # Staff-only fields never reach readers.
    assert all("needs_review" not in item and "warnings" not in item for item in items)


def test_expand_body_adds_the_blocks_to_the_list(anon, paper):
    items = results(anon.get(ARTICLES, {"expand": "body"}))
    assert items[0]["body"][1] == {"type": "subhead", "text": "园区执勤发现“新动向”"}


def test_an_unknown_expansion_is_refused_by_name(anon, paper):
    error = only_error(anon.get(ARTICLES, {"expand": "body,comments"}), 400)
    assert error["parameter"] == "expand"
    assert "comments" in error["message"]


def test_article_detail_carries_the_whole_story(anon, paper):
    data = anon.get(f"{ARTICLES}{paper.lead.pk}/").json()
    assert (data["kicker"], data["title"], data["subtitle"]) == (
        "聚焦职工关切",
        "工会进企宣讲扶贫政策",
        "送政策到车间班组",
    )
    assert data["headline"] == "聚焦职工关切 工会进企宣讲扶贫政策 送政策到车间班组"
    assert data["column"]["name"] == "主席之声"
    assert data["column"]["slug"] == "zhu-xi-zhi-sheng"
    assert [(b["person"]["name"], b["role"]) for b in data["bylines"]] == [
        ("马学礼", "记者"),
        ("郑莉", "通讯员"),
    ]
    assert [b["type"] for b in data["body"]] == ["paragraph", "subhead", "paragraph"]
    assert data["editor_note"].startswith("编者按")
    assert data["reading_tip"].startswith("阅读提示")
    assert data["source_note"] == "来源：《工人日报》"
    assert data["issue_date"] == "2020-10-23"
    assert (data["page"]["number"], data["page"]["name"], data["page"]["label"]) == (3, "工会新闻", "03版")
    assert data["public_url"] == f"http://testserver/articles/{paper.lead.pk}/"
    photo = data["photos"][0]
    assert (photo["title"], photo["agency"]) == ("宣讲现场", "新华社")
    assert photo["credits"][0]["person"]["name"] == "杨长武"
    assert data["continued_to_page"] == 4
    assert data["continuation"]["continued_in"]["title"] == "工会进企宣讲扶贫政策（续）"
    assert data["continuation"]["continued_in"]["page_number"] == 4
    assert data["continuation"]["continued_from"] is None


def test_a_continuation_to_a_draft_is_hidden_from_readers_but_shown_to_staff(anon, staff, paper):
    url = f"{ARTICLES}{paper.turn.pk}/"
    public = anon.get(url).json()["continuation"]
    assert public["continued_from"]["title"] == "工会进企宣讲扶贫政策"
    assert public["continued_in"] is None
    internal = staff.get(url).json()["continuation"]
    assert internal["continued_in"]["title"] == "尚未发布的续篇"
    assert internal["continued_in"]["public_url"] is None


def test_a_draft_is_not_found_for_readers_and_complete_for_staff(anon, staff, paper):
    url = f"{ARTICLES}{paper.draft.pk}/"
    error = only_error(anon.get(url), 404)
    assert error["code"] == "not_found"
    data = staff.get(url).json()
    assert data["status"] == "draft"
    assert data["public_url"] is None
    assert data["needs_review"] is True
    assert data["edited"] is False


def test_staff_see_drafts_in_the_list(staff, paper):
    assert "尚未发布的稿件" in titles(staff.get(ARTICLES))


# --- article filters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"date": "2020-10-20"}, ["主席谈职工技能提升"]),
        (
            {"date_after": "2020-10-21"},
            ["工会进企宣讲扶贫政策", "劳模工匠进校园", "工会进企宣讲扶贫政策（续）"],
        ),
        ({"date_before": "2020-10-22"}, ["主席谈职工技能提升"]),
        ({"date_after": "2020-10-20", "date_before": "2020-10-20"}, ["主席谈职工技能提升"]),
        ({"page": "4"}, ["工会进企宣讲扶贫政策（续）"]),
        ({"column": "主席之声"}, ["工会进企宣讲扶贫政策"]),
        ({"column": "gong-hui-bo-lan"}, ["劳模工匠进校园", "主席谈职工技能提升"]),
        ({"column": "没有这个栏目"}, []),
        ({"role": "作者"}, ["主席谈职工技能提升"]),
        ({"role": "通讯员"}, ["工会进企宣讲扶贫政策"]),
        ({"q": "劳模工匠"}, ["劳模工匠进校园"]),
        ({"q": "马学礼"}, ["工会进企宣讲扶贫政策", "工会进企宣讲扶贫政策（续）"]),
        (
            {"ordering": "date"},
            ["主席谈职工技能提升", "工会进企宣讲扶贫政策", "劳模工匠进校园", "工会进企宣讲扶贫政策（续）"],
        ),
        (
            {"ordering": "-page,-position"},
            ["工会进企宣讲扶贫政策（续）", "劳模工匠进校园", "工会进企宣讲扶贫政策", "主席谈职工技能提升"],
        ),
    ],
)
def test_article_filters(anon, paper, params, expected):
    assert titles(anon.get(ARTICLES, params)) == expected


def test_search_results_come_best_first_unless_ordered(anon, paper):
    # "扶贫" is in the older lead's title, but only in the newer article's body.
    ArticleFactory(
        page=PageFactory(issue=IssueFactory(date=datetime.date(2020, 10, 30)), number=2),
        title="职工书屋建设提速",
        body=[{"type": "paragraph", "text": "书屋也为扶贫工作提供了资料。"}],
    )
    assert titles(anon.get(ARTICLES, {"q": "扶贫"}))[0] == "工会进企宣讲扶贫政策"
    assert titles(anon.get(ARTICLES, {"q": "扶贫", "ordering": "-date"}))[0] == "职工书屋建设提速"


def test_no_filter_combination_reaches_a_draft(anon, paper):
    for params in [
        {"q": "尚未发布"},
        {"date": "2020-10-24"},
        {"column": "履职手记"},
        {"person": paper.qian.pk},
    ]:
        assert titles(anon.get(ARTICLES, params)) == [], params


def test_filter_by_person(anon, paper):
    assert titles(anon.get(ARTICLES, {"person": paper.zheng.pk})) == [
        "工会进企宣讲扶贫政策",
        "劳模工匠进校园",
    ]
    # The draft's reporter has nothing a reader may see.
    assert titles(anon.get(ARTICLES, {"person": paper.qian.pk})) == []


@pytest.mark.parametrize(
    "params, parameter, words",
    [
        ({"date_after": "2020-13-45"}, "date_after", "有效的日期"),
        ({"date": "昨天"}, "date", "有效的日期"),
        ({"page": "三"}, "page", "整数"),
        ({"page": "3.5"}, "page", "整数"),
        ({"person": "马学礼"}, "person", "整数"),
        ({"person": "1e309"}, "person", "整数"),
        ({"role": "主编"}, "role", "主编"),
        ({"ordering": "title"}, "ordering", "title"),
        ({"q": "工"}, "q", "两个字"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(anon, paper, params, parameter, words):
    error = only_error(anon.get(ARTICLES, params), 400)
    assert error["parameter"] == parameter
    assert error["message"].startswith(f"参数 {parameter}：")
    assert words in error["message"]


def test_the_issue_example_error_reads_well(anon, paper):
    response = anon.get(ARTICLES, {"date_after": "2020-13-45"})
    assert response.json() == {
        "status": 400,
        "errors": [
            {"parameter": "date_after", "code": "invalid", "message": "参数 date_after：输入一个有效的日期。"}
        ],
    }


def test_staff_filter_by_status_and_review_flag(staff, paper):
    assert titles(staff.get(ARTICLES, {"status": "draft"})) == ["尚未发布的稿件", "尚未发布的续篇"]
    assert titles(staff.get(ARTICLES, {"needs_review": "true"})) == ["尚未发布的稿件", "主席谈职工技能提升"]
    assert "主席谈职工技能提升" not in titles(staff.get(ARTICLES, {"needs_review": "false"}))
    error = only_error(staff.get(ARTICLES, {"needs_review": "maybe"}), 400)
    assert error["parameter"] == "needs_review"
    error = only_error(staff.get(ARTICLES, {"status": "deleted"}), 400)
    assert error["parameter"] == "status"


@pytest.mark.parametrize("params", [{"status": "draft"}, {"needs_review": "true"}, {"status": ""}])
def test_readers_cannot_use_staff_filters(anon, paper, params):
    error = only_error(anon.get(ARTICLES, params), 401)
    assert error["parameter"] == next(iter(params))
    assert "工作人员" in error["message"]


def test_a_logged_in_non_staff_user_is_refused_staff_filters(django_user_model, paper):
    reader = client_for(make_user(django_user_model, "reader", is_staff=False))
    error = only_error(reader.get(ARTICLES, {"status": "draft"}), 403)
    assert error["parameter"] == "status"
    # …and sees only published articles.
    assert "尚未发布的稿件" not in titles(reader.get(ARTICLES))


# --- paging -------------------------------------------------------------------------------


def test_page_size_and_result_pages(anon, paper):
    first = anon.get(ARTICLES, {"page_size": 3}).json()
    assert first["count"] == 4
    assert len(first["results"]) == 3
    assert "p=2" in first["next"]
    second = anon.get(ARTICLES, {"page_size": 3, "p": 2}).json()
    assert [i["title"] for i in second["results"]] == ["主席谈职工技能提升"]
    assert second["next"] is None


def test_page_means_the_printed_page_not_the_result_page(anon, paper):
    assert titles(anon.get(ARTICLES, {"page": 3})) == ["工会进企宣讲扶贫政策", "劳模工匠进校园"]


def test_page_size_is_capped(anon, db):
    page = PageFactory()
    ArticleFactory.create_batch(105, page=page)
    data = anon.get(ARTICLES, {"page_size": 1000}).json()
    assert len(data["results"]) == 100
    assert data["count"] == 105


@pytest.mark.parametrize("size", ["abc", "0", "-5"])
def test_a_bad_page_size_is_refused(anon, paper, size):
    error = only_error(anon.get(ARTICLES, {"page_size": size}), 400)
    assert error["parameter"] == "page_size"
    assert size in error["message"]


def test_a_result_page_past_the_end_is_a_404_naming_p(anon, paper):
    error = only_error(anon.get(ARTICLES, {"p": 99}), 404)
    assert error["parameter"] == "p"
    assert "99" in error["message"]


def test_the_article_list_costs_the_same_queries_for_3_or_30_articles(
    anon, db, django_assert_max_num_queries
):
    def make(n):
        for i in range(n):
            art = ArticleFactory(page=PageFactory(), column=ColumnFactory())
            BylineFactory(article=art, person=PersonFactory())
            credit = PhotoCreditFactory(photo=PhotoFactory(page=art.page, article=art))
            assert credit.photo.article == art
            ArticleFactory(page=art.page, continued_from=art, position=art.position + 1000 + i)

    make(2)
    with django_assert_max_num_queries(8) as small:
        assert len(results(anon.get(ARTICLES, {"page_size": 100, "expand": "body"}))) == 4
    make(13)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(results(anon.get(ARTICLES, {"page_size": 100, "expand": "body"}))) == 30


def test_the_staff_list_query_count_is_constant_too(django_user_model, db, django_assert_max_num_queries):
    staff = client_for(make_user(django_user_model, "staffer", "view_article"))
    for _ in range(3):
        BylineFactory(article=ArticleFactory(status=Article.Status.DRAFT, published_at=None))
    with django_assert_max_num_queries(8) as small:
        assert len(results(staff.get(ARTICLES))) == 3
    for _ in range(27):
        BylineFactory(article=ArticleFactory(status=Article.Status.DRAFT, published_at=None))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(results(staff.get(ARTICLES, {"page_size": 100}))) == 30


# --- photos, people, pages, issues, columns ------------------------------------------------


def test_readers_see_photos_of_published_content_only(anon, paper):
    items = results(anon.get("/api/v1/photos/"))
    assert [i["title"] for i in items] == ["宣讲现场", "为劳动者留影"]
    assert items[0]["article"]["title"] == "工会进企宣讲扶贫政策"
    assert items[1]["article"] is None
    assert items[1]["credits"][0]["role"] == "摄影"
    assert only_error(anon.get(f"/api/v1/photos/{paper.draft_photo.pk}/"), 404)["code"] == "not_found"


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"date": "2020-10-20"}, ["为劳动者留影"]),
        ({"date_after": "2020-10-21"}, ["宣讲现场"]),
        ({"date_before": "2020-10-21"}, ["为劳动者留影"]),
        ({"page": 3}, ["宣讲现场"]),
        ({"role": "摄影"}, ["为劳动者留影"]),
    ],
)
def test_photo_filters(anon, paper, params, expected):
    assert titles(anon.get("/api/v1/photos/", params)) == expected


def test_photo_filters_by_person_and_article(anon, paper):
    assert titles(anon.get("/api/v1/photos/", {"person": paper.yang.pk})) == ["宣讲现场", "为劳动者留影"]
    assert titles(anon.get("/api/v1/photos/", {"article": paper.lead.pk})) == ["宣讲现场"]
    assert (
        only_error(anon.get("/api/v1/photos/", {"date_before": "2020-02-30"}), 400)["parameter"]
        == "date_before"
    )


def names(response):
    return [item["name"] for item in results(response)]


def test_readers_see_people_credited_on_published_content(anon, staff, paper):
    assert names(anon.get("/api/v1/people/")) == sorted(["马学礼", "郑莉", "刘友婷", "杨长武"])
    assert "钱培坚" in names(staff.get("/api/v1/people/"))
    assert anon.get(f"/api/v1/people/{paper.qian.pk}/").status_code == 404
    data = anon.get(f"/api/v1/people/{paper.liu.pk}/").json()
    assert data["affiliation"] == "宁夏回族自治区总工会主席"
    assert data["articles_url"].endswith(f"/api/v1/articles/?person={paper.liu.pk}")
    assert titles(anon.get(data["articles_url"])) == ["主席谈职工技能提升"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"name": "马"}, ["马学礼"]),
        ({"role": "通讯员"}, sorted(["郑莉", "杨长武"])),
        ({"role": "作者"}, ["刘友婷"]),
        ({"column": "主席之声"}, sorted(["马学礼", "郑莉"])),
        ({"column": "gong-hui-bo-lan"}, sorted(["郑莉", "刘友婷"])),
        ({"column": "履职手记"}, []),  # only drafts there
    ],
)
def test_people_filters(anon, paper, params, expected):
    assert names(anon.get("/api/v1/people/", params)) == expected


def test_a_role_on_unpublished_work_does_not_show(anon, staff, paper):
    # 马学礼 is visible (published bylines) but photographed only on the draft page.
    PhotoCreditFactory(photo=paper.draft_photo, person=paper.ma, role=Role.PHOTOGRAPHER)
    assert "马学礼" not in names(anon.get("/api/v1/people/", {"role": "摄影"}))
    assert "马学礼" in names(staff.get("/api/v1/people/", {"role": "摄影"}))


def test_people_filter_role_is_checked(anon, paper):
    assert only_error(anon.get("/api/v1/people/", {"role": "总编"}), 400)["parameter"] == "role"


def test_pages_list_and_detail(anon, staff, paper):
    items = results(anon.get("/api/v1/pages/"))
    assert [(i["issue"]["date"], i["label"]) for i in items] == [
        ("2020-10-23", "03版"),
        ("2020-10-23", "04版"),
        ("2020-10-20", "01版"),
    ]
    assert [i["label"] for i in results(anon.get("/api/v1/pages/", {"date": "2020-10-23", "number": 4}))] == [
        "04版"
    ]
    assert [i["name"] for i in results(anon.get("/api/v1/pages/", {"name": "要闻"}))] == ["要闻"]
    detail = anon.get(f"/api/v1/pages/{paper.p3.pk}/").json()
    assert [a["title"] for a in detail["articles"]] == ["工会进企宣讲扶贫政策", "劳模工匠进校园"]
    assert [p["title"] for p in detail["photos"]] == ["宣讲现场"]
    assert anon.get(f"/api/v1/pages/{paper.f1.pk}/").status_code == 404
    assert [a["title"] for a in staff.get(f"/api/v1/pages/{paper.f1.pk}/").json()["articles"]] == [
        "尚未发布的稿件"
    ]
    assert only_error(anon.get("/api/v1/pages/", {"number": "x"}), 400)["parameter"] == "number"


def test_issues_list_and_detail(anon, staff, paper):
    assert [i["date"] for i in results(anon.get("/api/v1/issues/"))] == ["2020-10-23", "2020-10-20"]
    assert [i["date"] for i in results(staff.get("/api/v1/issues/"))] == [
        "2020-10-24",
        "2020-10-23",
        "2020-10-20",
    ]
    assert [i["date"] for i in results(anon.get("/api/v1/issues/", {"date_before": "2020-10-21"}))] == [
        "2020-10-20"
    ]
    assert [i["number"] for i in results(anon.get("/api/v1/issues/", {"number": 12001}))] == [12001]
    detail = anon.get(f"/api/v1/issues/{paper.issue.pk}/").json()
    # Page 5 holds only a draft: readers do not see it.
    assert [p["label"] for p in detail["pages"]] == ["03版", "04版"]
    assert detail["public_url"] == "http://testserver/2020/10/23/"
    assert anon.get(f"/api/v1/issues/{paper.future.pk}/").status_code == 404


def test_columns_with_published_articles(anon, staff, paper):
    assert names(anon.get("/api/v1/columns/")) == sorted(["主席之声", "工会博览"])
    assert "履职手记" in names(staff.get("/api/v1/columns/"))
    data = anon.get(f"/api/v1/columns/{paper.chair.pk}/").json()
    assert titles(anon.get(data["articles_url"])) == ["工会进企宣讲扶贫政策"]


def test_unknown_object_is_a_json_404(anon, db):
    error = only_error(anon.get(f"{ARTICLES}999999/"), 404)
    assert error["message"]


@pytest.mark.parametrize("resource", ["photos", "pages", "issues", "people", "columns"])
def test_other_lists_cost_the_same_queries_for_few_or_many(anon, db, resource, django_assert_max_num_queries):
    def make(n):
        for _ in range(n):
            page = PageFactory(issue=IssueFactory())
            art = ArticleFactory(page=page, column=ColumnFactory(name=f"栏目{page.pk}"))
            BylineFactory(article=art, person=PersonFactory(name=f"记者{page.pk}"))
            PhotoCreditFactory(photo=PhotoFactory(page=page), person=PersonFactory(name=f"摄影{page.pk}"))

    make(2)
    with django_assert_max_num_queries(8) as small:
        assert len(results(anon.get(f"/api/v1/{resource}/", {"page_size": 100}))) >= 2
    make(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(results(anon.get(f"/api/v1/{resource}/", {"page_size": 100}))) >= 22
