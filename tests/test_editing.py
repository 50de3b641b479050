"""Fixing segmentation (merge, split) and the body's text convention, without the admin."""

import datetime
import random

import pytest
from django.utils import timezone

from articles.editing import (
    EditingError,
    body_to_text,
    default_split_title,
    merge_articles,
    split_article,
    text_to_body,
)
from articles.models import Article, Byline, Photo, Role

from .factories import (
    ArticleFactory,
    BylineFactory,
    ColumnFactory,
    IssueFactory,
    PageFactory,
    PersonFactory,
    PhotoFactory,
)


def P(text):
    return {"type": "paragraph", "text": text}


def S(text):
    return {"type": "subhead", "text": text}


# --- the body as text -------------------------------------------------------------------------


def test_body_text_convention_reads_as_an_editor_would_type_it():
    text = "　　第一段第一行\n第一段第二行\n\n## 园区执勤发现“新动向”\n第二段紧跟小标题\n\n\n第三段"
    assert text_to_body(text) == [
        P("　　第一段第一行\n第一段第二行"),
        S("园区执勤发现“新动向”"),
        P("第二段紧跟小标题"),
        P("第三段"),
    ]


def test_body_is_shown_with_blank_lines_between_blocks_and_subheads_marked():
    body = [P("记者近日获悉。"), S("小标题"), P("该《意见》具有特点。")]
    assert body_to_text(body) == "记者近日获悉。\n\n## 小标题\n\n该《意见》具有特点。"


def test_windows_line_endings_from_the_browser_are_read_like_unix_ones():
    assert text_to_body("一段\r\n\r\n## 小标题\r\n二段\r\n") == [P("一段"), S("小标题"), P("二段")]


def test_an_empty_box_is_an_empty_body():
    assert text_to_body("") == []
    assert text_to_body("\n\n  \n") == []
    assert body_to_text([]) == ""


@pytest.mark.parametrize(
    "body",
    [
        [P("## 不是小标题"), P("\\以反斜杠开头")],
        [P(""), P("   "), P("　　")],
        [P("段内\n\n空行"), P("段内\n## 井号行")],
        [S("两行\n小标题"), S("含\\n和\\\\的小标题"), S("")],
        [S("## 井号开头的小标题"), P("##紧贴井号"), P("#")],
        [P(" 首尾空格 "), S(" 小标题空格 ")],
    ],
)
def test_awkward_bodies_survive_the_text_box_unchanged(body):
    assert text_to_body(body_to_text(body)) == body


def test_any_body_survives_the_text_box_unchanged():
    alphabet = ["工", "会", "职", "\n", " ", "　", "#", "## ", "\\", "\\n", "“", "”", "a"]
    rng = random.Random(20201023)
    for _ in range(2000):
        body = [
            {
                "type": rng.choice(["paragraph", "subhead"]),
                "text": "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))),
            }
            for _ in range(rng.randint(0, 5))
        ]
        assert text_to_body(body_to_text(body)) == body, body


# --- merge ------------------------------------------------------------------------------------


@pytest.fixture
def page(db):
    return PageFactory(issue=IssueFactory(date=datetime.date(2020, 10, 23)), number=3)


def test_merge_joins_articles_of_a_page_in_page_order_keeping_all_text(page):
    later = ArticleFactory(
        page=page,
        position=3,
        kicker="",
        title="园区执勤发现新动向",
        subtitle="副题文字",
        body=[P("后一部分正文。")],
        reading_tip="阅读提示二",
        source_note="来源:《工人日报》",
        continued_to_page=4,
        status=Article.Status.DRAFT,
        published_at=None,
        warnings=["结尾不完整：…"],
        needs_review=True,
    )
    first = ArticleFactory(
        page=page,
        position=1,
        title="工会进企宣讲扶贫政策",
        body=[P("前一部分正文。")],
        reading_tip="阅读提示一",
        status=Article.Status.DRAFT,
        published_at=None,
    )
    bystander = ArticleFactory(page=page, position=2, title="不参与合并")

    merged = merge_articles([later, first], user=None)

    assert merged.pk == first.pk
    merged.refresh_from_db()
    assert merged.title == "工会进企宣讲扶贫政策"
    assert merged.body == [P("前一部分正文。"), S("园区执勤发现新动向"), S("副题文字"), P("后一部分正文。")]
    assert merged.reading_tip == "阅读提示一\n\n阅读提示二"
    assert merged.source_note == "来源:《工人日报》"
    assert merged.continued_to_page == 4
    assert merged.warnings == ["结尾不完整：…"]
    assert merged.needs_review is True
    assert merged.edited is True
    assert not Article.objects.filter(pk=later.pk).exists()
    assert Article.objects.get(pk=bystander.pk).position == 2


def test_merge_moves_bylines_without_repeats_and_photos(page, django_user_model):
    user = django_user_model.objects.create_user("wang", is_staff=True)
    a = ArticleFactory(page=page, position=1)
    b = ArticleFactory(page=page, position=2)
    ma, zheng = PersonFactory(name="马学礼"), PersonFactory(name="郑莉")
    BylineFactory(article=a, person=ma, role=Role.REPORTER, order=0)
    BylineFactory(article=b, person=ma, role=Role.REPORTER, order=0)
    BylineFactory(article=b, person=zheng, role=Role.CORRESPONDENT, order=1)
    photo = PhotoFactory(page=page, article=b)

    merged = merge_articles(Article.objects.filter(pk__in=[a.pk, b.pk]), user=user)

    bylines = [(bl.person.name, bl.role) for bl in merged.bylines.order_by("order")]
    assert bylines == [("马学礼", "记者"), ("郑莉", "通讯员")]
    assert Photo.objects.get(pk=photo.pk).article_id == merged.pk
    assert merged.edited_by == user
    assert Byline.objects.filter(article_id=b.pk).count() == 0


def test_merging_a_published_part_keeps_the_text_public(page):
    earlier = timezone.now() - datetime.timedelta(days=2)
    a = ArticleFactory(page=page, position=1, status=Article.Status.DRAFT, published_at=None)
    b = ArticleFactory(page=page, position=2, status=Article.Status.PUBLISHED, published_at=earlier)
    merged = merge_articles([a, b])
    merged.refresh_from_db()
    assert merged.status == Article.Status.PUBLISHED
    assert merged.published_at == earlier


def test_merge_keeps_continuation_links_that_pointed_at_a_merged_part(page):
    a = ArticleFactory(page=page, position=1)
    b = ArticleFactory(page=page, position=2, continued_to_page=5)
    other_page = PageFactory(issue=page.issue, number=5)
    continuation = ArticleFactory(page=other_page, position=1, continued_from=b, continued_from_page=3)
    merged = merge_articles([a, b])
    continuation.refresh_from_db()
    assert continuation.continued_from_id == merged.pk
    assert merged.continued_to_page == 5


def test_merge_refuses_articles_from_different_pages(page):
    a = ArticleFactory(page=page, position=1)
    b = ArticleFactory(page=PageFactory(issue=page.issue, number=4), position=1)
    with pytest.raises(EditingError, match="同一版面"):
        merge_articles([a, b])
    assert Article.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


def test_merge_needs_two_articles(page):
    a = ArticleFactory(page=page, position=1)
    with pytest.raises(EditingError, match="至少选择两篇"):
        merge_articles([a])


# --- split ------------------------------------------------------------------------------------


def test_split_moves_the_later_blocks_into_a_new_article_right_after(page, django_user_model):
    user = django_user_model.objects.create_user("wang", is_staff=True)
    column = ColumnFactory(name="工会博览")
    article = ArticleFactory(
        page=page,
        position=1,
        column=column,
        title="两篇连在一起",
        body=[P("甲一"), P("甲二"), S("乙的标题"), P("乙一")],
        source_note="来源:《工人日报》",
        continued_to_page=6,
    )
    next_one = ArticleFactory(page=page, position=2, title="原来的第二篇")
    far = ArticleFactory(page=page, position=5, title="隔了空位的一篇")

    new = split_article(article, 2, user, title="乙篇标题")

    article.refresh_from_db()
    assert article.body == [P("甲一"), P("甲二")]
    assert new.body == [S("乙的标题"), P("乙一")]
    assert new.title == "乙篇标题"
    assert new.position == 2
    assert new.column == column
    assert new.status == article.status
    assert (new.source_note, new.continued_to_page) == ("来源:《工人日报》", 6)
    assert (article.source_note, article.continued_to_page) == ("", None)
    assert article.edited and new.edited and new.edited_by == user
    assert Article.objects.get(pk=next_one.pk).position == 3
    assert Article.objects.get(pk=far.pk).position == 5  # after a gap nothing needs to move


def test_split_title_defaults_to_the_subhead_it_starts_with_or_a_continuation(page):
    article = ArticleFactory(page=page, position=1, title="原题", body=[P("一"), S("小标题"), P("二")])
    assert default_split_title(article, 1) == "小标题"
    assert default_split_title(article, 2) == "（续）原题"
    new = split_article(article, 2)
    assert new.title == "（续）原题"


@pytest.mark.parametrize("index", [0, 3, -1])
def test_split_point_must_leave_text_on_both_sides(page, index):
    article = ArticleFactory(page=page, position=1, body=[P("一"), P("二"), P("三")])
    with pytest.raises(EditingError, match="拆分点"):
        split_article(article, index)
    article.refresh_from_db()
    assert len(article.body) == 3
    assert Article.objects.filter(page=page).count() == 1


def test_an_article_of_one_paragraph_cannot_be_split(page):
    article = ArticleFactory(page=page, position=1, body=[P("只有一段")])
    with pytest.raises(EditingError, match="不足两段"):
        split_article(article, 1)
