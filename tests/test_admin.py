"""The editors' workspace in the admin: lists, filters, the article form, actions, permissions.

Forms are submitted the way a browser would: the change page is fetched, its form's
current values are read from the HTML, a few are changed, and the whole form is posted.
"""

import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, Column, ImportRun, Issue, Person, Photo
from articles.roles import EDITOR_GROUP

from .factories import (
    ArticleFactory,
    BylineFactory,
    ColumnFactory,
    IssueFactory,
    PageFactory,
    PageSourceFactory,
    PersonFactory,
    PhotoCreditFactory,
    PhotoFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


def change_url(obj):
    return reverse(f"admin:articles_{obj._meta.model_name}_change", args=[obj.pk])


# --- reading forms as a browser does ----------------------------------------------------------


class _FormReader(HTMLParser):
    """The fields a browser would submit from the form with the given id."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None
        self._select_first = None
        self._select_chosen = False

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = a["name"], None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._add(self._select, value)
                self._select_chosen = True

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._add(self._select, self._select_first)
            self._select = None


def form_data(response, form_id="article_form") -> dict:
    assert response.status_code == 200, response.status_code
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.data, f"no form {form_id!r} on the page"
    return {k: v if len(v) > 1 else v[0] for k, v in reader.data.items()}


def image_file(name="photo.jpg", fmt="JPEG", size=(800, 600)):
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def page3(db):
    page = PageFactory(issue=IssueFactory(date=datetime.date(2020, 10, 21)), number=3, name="工会新闻")
    PageSourceFactory(page=page, text="工会进企宣讲扶贫政策\n<script>alert(1)</script> 本报讯 记者近日获悉。")
    return page


@pytest.fixture
def draft(page3):
    article = ArticleFactory(
        page=page3,
        position=1,
        title="工会进企宣讲扶贫政策",
        status=Article.Status.DRAFT,
        published_at=None,
        needs_review=True,
        warnings=["结尾不完整：…<b>粗体</b>"],
    )
    BylineFactory(article=article, person=PersonFactory(name="马学礼"))
    return article


def action(client, name, articles, **extra):
    data = {"action": name, "_selected_action": [a.pk for a in articles], "index": 0, **extra}
    return client.post(CHANGELIST, data, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# --- who may enter ----------------------------------------------------------------------------


def test_migrations_create_the_editor_group_with_content_permissions_only():
    group = Group.objects.get(name=EDITOR_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_article", "add_article", "change_issue", "add_column", "view_pagesource"} <= codenames
    assert {"view_importrun", "add_photo", "change_byline", "delete_byline"} <= codenames
    assert "delete_issue" not in codenames
    assert "change_importrun" not in codenames
    assert not group.permissions.filter(content_type__app_label="auth").exists()


def test_someone_not_staff_cannot_reach_the_admin(client, django_user_model, draft):
    user = django_user_model.objects.create_user("reader", password="x-long-password-1")
    client.force_login(user)
    for url in ("/admin/", CHANGELIST, change_url(draft)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    action(client, "publish_selected", [draft])
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_editor_cannot_manage_users_or_delete_issues(editor_client, page3):
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    issue = page3.issue
    assert editor_client.get(reverse("admin:articles_issue_delete", args=[issue.pk])).status_code == 403
    response = editor_client.post(
        "/admin/articles/issue/", {"action": "delete_selected", "_selected_action": [issue.pk], "index": 0}
    )
    assert Issue.objects.filter(pk=issue.pk).exists()
    assert response.status_code in (200, 302)


def test_staff_without_the_group_cannot_change_articles(client, django_user_model, draft):
    user = django_user_model.objects.create_user("intern", is_staff=True)
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 403


def test_admin_is_in_chinese_and_titled_for_the_paper(editor_client):
    response = editor_client.get("/admin/")
    html = response.content.decode()
    assert "工人日报 编辑部" in html
    assert 'lang="zh-hans"' in html
    assert "稿件" in html and "导入记录" in html
    assert "用户" not in html  # no user management for editors


# --- the article list -------------------------------------------------------------------------


def list_titles(response):
    return [a.title for a in response.context["cl"].result_list]


def test_article_list_shows_the_columns_editors_need(editor_client, draft):
    draft.column = ColumnFactory(name="工会博览")
    draft.save()
    html = editor_client.get(CHANGELIST).content.decode()
    for text in ("主题", "栏目", "日期·版次", "状态", "审核", "待审核", "最后修改", "工会博览", "03版·1"):
        assert text in html


def test_article_list_is_newest_issue_first_then_page_then_position(editor_client):
    old = PageFactory(issue=IssueFactory(date=datetime.date(2020, 10, 20)), number=1)
    new = IssueFactory(date=datetime.date(2020, 10, 23))
    p1, p2 = PageFactory(issue=new, number=1), PageFactory(issue=new, number=2)
    ArticleFactory(page=old, position=1, title="旧报")
    ArticleFactory(page=p2, position=1, title="二版一")
    ArticleFactory(page=p1, position=2, title="一版二")
    ArticleFactory(page=p1, position=1, title="一版一")
    assert list_titles(editor_client.get(CHANGELIST)) == ["一版一", "一版二", "二版一", "旧报"]


@pytest.fixture
def varied(db):
    """Four articles differing in column, status, review flag, page and date."""
    issue = IssueFactory(date=datetime.date(2020, 10, 23))
    p1, p3 = PageFactory(issue=issue, number=1), PageFactory(issue=issue, number=3)
    earlier = PageFactory(issue=IssueFactory(date=datetime.date(2019, 5, 1)), number=3)
    column = ColumnFactory(name="主席之声")
    return {
        "a": ArticleFactory(page=p1, position=1, title="要闻甲", column=column),
        "b": ArticleFactory(
            page=p3,
            position=1,
            title="工会乙",
            status=Article.Status.DRAFT,
            published_at=None,
            needs_review=True,
        ),
        "c": ArticleFactory(page=p3, position=2, title="工会丙", needs_review=True),
        "d": ArticleFactory(
            page=earlier, position=1, title="去年丁", status=Article.Status.DRAFT, published_at=None
        ),
        "column": column,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=draft", {"工会乙", "去年丁"}),
        ("status__exact=published", {"要闻甲", "工会丙"}),
        ("needs_review__exact=1", {"工会乙", "工会丙"}),
        ("needs_review__exact=0", {"要闻甲", "去年丁"}),
        ("page_number=3", {"工会乙", "工会丙", "去年丁"}),
        ("page_number=1", {"要闻甲"}),
        ("page__issue__date__year=2019", {"去年丁"}),
        (
            "page__issue__date__year=2020&page__issue__date__month=10&page__issue__date__day=23",
            {"要闻甲", "工会乙", "工会丙"},
        ),
        ("edited__exact=1", set()),
        ("queue=review", {"工会乙", "工会丙", "去年丁"}),
        ("state=draft", {"去年丁"}),
        ("state=review", {"工会乙"}),
        ("state=published", {"要闻甲", "工会丙"}),
        ("state=scheduled", set()),
    ],
)
def test_article_list_filters(editor_client, varied, query, expected):
    response = editor_client.get(f"{CHANGELIST}?{query}")
    assert response.status_code == 200
    assert set(list_titles(response)) == expected


def test_column_filter(editor_client, varied):
    response = editor_client.get(f"{CHANGELIST}?column__id__exact={varied['column'].pk}")
    assert list_titles(response) == ["要闻甲"]
    assert "主席之声" in response.content.decode()


def test_page_filter_offers_the_printed_page_numbers(editor_client, varied):
    html = editor_client.get(CHANGELIST).content.decode()
    assert "第01版" in html and "第03版" in html


def test_a_bad_filter_value_is_not_a_server_error(editor_client, varied):
    response = editor_client.get(f"{CHANGELIST}?page_number=三")
    assert response.status_code == 302
    assert "e=1" in response["Location"]


def test_review_queue_puts_articles_needing_review_first(editor_client, varied):
    response = editor_client.get(f"{CHANGELIST}?queue=review")
    titles = list_titles(response)
    assert titles[:2] == ["工会乙", "工会丙"]
    assert titles[2:] == ["去年丁"]
    html = editor_client.get(CHANGELIST).content.decode()
    assert "审核队列（2 篇待审核）" in html


def test_search_finds_chinese_text_in_title_body_and_bylines(editor_client, page3):
    a = ArticleFactory(
        page=page3,
        position=1,
        title="职工书屋开放",
        body=[{"type": "paragraph", "text": "劳模工匠走进车间。"}],
    )
    b = ArticleFactory(page=page3, position=2, title="别的稿件", kicker="引题里有职工书屋")
    c = ArticleFactory(page=page3, position=3, title="第三篇")
    BylineFactory(article=c, person=PersonFactory(name="钱培坚"))
    assert set(list_titles(editor_client.get(CHANGELIST, {"q": "职工书屋"}))) == {a.title, b.title}
    assert list_titles(editor_client.get(CHANGELIST, {"q": "工匠"})) == [a.title]
    assert list_titles(editor_client.get(CHANGELIST, {"q": "钱培坚"})) == [c.title]
    assert list_titles(editor_client.get(CHANGELIST, {"q": "没有这个词"})) == []


def test_a_refused_search_shows_a_message_not_an_error(editor_client, draft):
    response = editor_client.get(CHANGELIST, {"q": "工"})
    assert response.status_code == 200
    assert list_titles(response) == []
    assert any("至少需要两个字" in m for m in messages_of(response))


# --- the article form -------------------------------------------------------------------------


def test_article_form_shows_the_ocr_source_escaped_beside_the_form(editor_client, draft):
    html = editor_client.get(change_url(draft)).content.decode()
    assert "版面原文（只读）" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert "<mark>工会进企宣讲扶贫政策</mark>" in html  # the title located in the source


def test_article_form_groups_everything_an_editor_fixes(editor_client, draft):
    response = editor_client.get(change_url(draft))
    html = response.content.decode()
    for label in (
        "标题",
        "引题",
        "副题",
        "栏目",
        "正文",
        "编者按",
        "阅读提示",
        "来源",
        "上接版次",
        "下转版次",
        "署名",
        "配图",
    ):
        assert label in html, label
    # the import's warnings, escaped, at the top
    assert "导入提示（请核对）" in html and "结尾不完整：…&lt;b&gt;粗体&lt;/b&gt;" in html
    # column autocomplete with "add another", bylines with a person autocomplete
    assert 'data-field-name="column"' in html and 'id="add_id_column"' in html
    assert 'name="bylines-0-person"' in html
    # the body as text, with the convention explained
    data = form_data(response)
    assert (
        data["body"] == "记者近日从宁夏回族自治区总工会获悉，职工队伍建设取得新进展。\n\n"
        "## 园区执勤发现“新动向”\n\n"
        "该《意见》具有强化党的领导、突出职工特点等特点。"
    )
    assert "空一行分段" in html
    assert "拆分稿件" in html
    assert "在站点上查看" not in html  # a draft is not on the site yet


def test_published_article_form_links_to_the_public_page(editor_client, article):
    html = editor_client.get(change_url(article)).content.decode()
    assert "在站点上查看" in html
    assert f'href="{article.get_absolute_url()}" class="viewsitelink"' in html


def test_editor_fixes_headline_and_body_and_it_is_marked_edited(editor_client, editor, draft):
    data = form_data(editor_client.get(change_url(draft)))
    data["title"] = "工会进企宣讲扶贫政策（修订）"
    data["kicker"] = "脱贫攻坚"
    data["body"] = "第一段。\n第一段第二行。\n\n## 新小标题\n第二段。"
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.title == "工会进企宣讲扶贫政策（修订）" and draft.kicker == "脱贫攻坚"
    assert draft.body == [
        {"type": "paragraph", "text": "第一段。\n第一段第二行。"},
        {"type": "subhead", "text": "新小标题"},
        {"type": "paragraph", "text": "第二段。"},
    ]
    assert draft.edited and draft.edited_by == editor and draft.edited_at is not None
    entry = LogEntry.objects.get(object_id=str(draft.pk), action_flag=CHANGE)
    assert entry.user == editor
    assert "主题" in entry.get_change_message() and "正文" in entry.get_change_message()


def test_saving_an_unchanged_form_does_not_mark_the_article_edited(editor_client, article):
    data = form_data(editor_client.get(change_url(article)))
    published_at = article.published_at
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.edited is False
    assert article.published_at.replace(microsecond=0) == published_at.replace(microsecond=0)


def test_changing_only_a_byline_marks_the_article_edited(editor_client, editor, draft):
    data = form_data(editor_client.get(change_url(draft)))
    data["bylines-0-role"] = "通讯员"
    assert editor_client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.bylines.get().role == "通讯员"
    assert draft.edited and draft.edited_by == editor


def test_editor_adds_a_byline_with_a_new_order(editor_client, draft):
    zheng = PersonFactory(name="郑莉")
    data = form_data(editor_client.get(change_url(draft)))
    data.update(
        {
            "bylines-TOTAL_FORMS": "2",
            "bylines-1-person": zheng.pk,
            "bylines-1-role": "通讯员",
            "bylines-1-order": "1",
        }
    )
    assert editor_client.post(change_url(draft), data).status_code == 302
    assert [str(b) for b in draft.bylines.order_by("order")] == ["记者马学礼", "通讯员郑莉"]


def test_a_bad_position_is_a_form_error_not_a_crash(editor_client, draft):
    ArticleFactory(page=draft.page, position=2, title="第二篇")
    data = form_data(editor_client.get(change_url(draft)))
    data["position"] = "2"
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "03版已有第 2 篇稿件“第二篇”，请换一个版内顺序。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.position == 1


def test_editor_uploads_a_photo_and_gets_a_thumbnail(editor_client, draft):
    other = PhotoFactory(page=draft.page, position=1)
    data = form_data(editor_client.get(change_url(draft)))
    data.update(
        {"photos-TOTAL_FORMS": "1", "photos-0-title": "为劳动者留影", "photos-0-caption": "检修现场。"}
    )
    data["photos-0-image"] = image_file("现场.jpg")
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 302
    photo = draft.photos.get()
    assert photo.page == draft.page and photo.position == other.position + 1
    assert photo.image.name.endswith(".jpg") and photo.thumbnail.name.endswith("_thumb.jpg")
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) <= 480
    draft.refresh_from_db()
    assert draft.edited
    assert 'class="nr-thumb"' in editor_client.get(change_url(draft)).content.decode()


def test_a_fake_image_is_refused_with_a_message(editor_client, draft):
    data = form_data(editor_client.get(change_url(draft)))
    data.update({"photos-TOTAL_FORMS": "1", "photos-0-title": "假图"})
    data["photos-0-image"] = SimpleUploadedFile("fake.jpg", "文字而已".encode(), content_type="image/jpeg")
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "“fake.jpg”不是有效的图片文件" in response.content.decode()
    assert not Photo.objects.exists()
    draft.refresh_from_db()
    assert not draft.edited


def test_a_photo_too_large_is_refused(editor_client, draft, settings):
    settings.NEWSROOM_PHOTO_MAX_BYTES = 1000
    data = form_data(editor_client.get(change_url(draft)))
    data.update({"photos-TOTAL_FORMS": "1", "photos-0-image": image_file("big.png", "PNG", (900, 900))})
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "超过了" in response.content.decode()
    assert not Photo.objects.exists()


def test_editor_adds_a_new_column_from_the_article_form_popup(editor_client):
    response = editor_client.post(
        "/admin/articles/column/add/?_to_field=id&_popup=1",
        {"name": "履职手记", "slug": "", "description": "", "_popup": "1", "_to_field": "id"},
    )
    assert response.status_code == 200
    column = Column.objects.get(name="履职手记")
    assert column.slug == "lv-zhi-shou-ji"  # from the pinyin (ü written v)


def test_column_autocomplete_finds_columns_by_chinese_name(editor_client, draft):
    ColumnFactory(name="工会博览")
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "column", "term": "博览"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["工会博览"]


# --- actions ----------------------------------------------------------------------------------


def test_editor_publishes_and_the_article_goes_public(editor_client, editor, client, draft):
    response = action(editor_client, "publish_selected", [draft])
    assert "已发布 1 篇稿件。" in messages_of(response)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED and draft.published_at <= timezone.now()
    assert draft.edited and draft.edited_by == editor
    assert LogEntry.objects.filter(
        object_id=str(draft.pk), change_message="发布了稿件。", user=editor
    ).exists()
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_publishing_reports_articles_already_published(editor_client, article, draft):
    response = action(editor_client, "publish_selected", [article, draft])
    assert messages_of(response) == ["已发布 1 篇稿件。另有 1 篇原本就是已发布状态。"]


def test_unpublish_takes_an_article_off_the_site(editor_client, client, article):
    response = action(editor_client, "unpublish_selected", [article])
    assert "已撤回 1 篇稿件" in messages_of(response)[0]
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.edited
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_mark_reviewed_clears_the_flag_and_counts_as_an_edit(editor_client, editor, draft):
    response = action(editor_client, "mark_reviewed", [draft])
    assert "已将 1 篇稿件标记为已审核。" in messages_of(response)
    draft.refresh_from_db()
    assert draft.needs_review is False and draft.edited and draft.edited_by == editor
    assert draft.warnings  # kept for reference
    assert LogEntry.objects.filter(object_id=str(draft.pk), change_message="标记为已审核。").exists()


def test_merge_asks_for_confirmation_then_merges_in_page_order(editor_client, editor, draft):
    second = ArticleFactory(
        page=draft.page, position=2, title="被切开的后半", body=[{"type": "paragraph", "text": "后半正文。"}]
    )
    PhotoFactory(page=draft.page, article=second)
    response = action(editor_client, "merge_selected", [second, draft])
    html = response.content.decode()
    assert "确认合并" in html and "被切开的后半" in html
    assert Article.objects.filter(pk=second.pk).exists()  # nothing happens before confirming

    response = editor_client.post(
        CHANGELIST,
        {"action": "merge_selected", "_selected_action": [draft.pk, second.pk], "confirm": "yes"},
        follow=True,
    )
    assert any("已把 2 篇稿件合并为" in m for m in messages_of(response))
    assert response.redirect_chain[-1][0] == change_url(draft)  # lands on the merged article
    assert response.context["original"] == draft
    assert not Article.objects.filter(pk=second.pk).exists()
    draft.refresh_from_db()
    assert draft.body[-2:] == [
        {"type": "subhead", "text": "被切开的后半"},
        {"type": "paragraph", "text": "后半正文。"},
    ]
    assert draft.photos.count() == 1 and draft.edited_by == editor
    assert LogEntry.objects.filter(object_id=str(draft.pk), change_message__startswith="合并了稿件").exists()


def test_merge_refuses_articles_of_different_pages(editor_client, draft, article):
    response = action(editor_client, "merge_selected", [draft, article], confirm="yes")
    assert any("只能合并同一版面的稿件" in m for m in messages_of(response))
    assert Article.objects.filter(pk__in=[draft.pk, article.pk]).count() == 2


def test_merge_needs_two_articles(editor_client, draft):
    response = action(editor_client, "merge_selected", [draft], confirm="yes")
    assert messages_of(response) == ["请至少选择两篇稿件才能合并。"]


def test_split_action_opens_the_split_page_for_one_article(editor_client, draft, article):
    response = action(editor_client, "split_selected", [draft])
    assert response.redirect_chain[-1][0] == reverse("admin:articles_article_split", args=[draft.pk])
    assert "从这里拆分" in response.content.decode()
    response = action(editor_client, "split_selected", [draft, article])
    assert messages_of(response) == ["拆分时请只选择一篇稿件。"]


def test_editor_splits_an_article_at_a_chosen_paragraph_with_a_new_title(editor_client, editor, draft):
    url = reverse("admin:articles_article_split", args=[draft.pk])
    html = editor_client.get(url).content.decode()
    assert html.count('name="block"') == 2  # a cut point before every block but the first
    assert "园区执勤发现“新动向”" in html
    response = editor_client.post(url, {"block": "1", "title": "园区执勤有新动向"}, follow=True)
    assert any("后半部分成为新稿件" in m for m in messages_of(response))
    draft.refresh_from_db()
    new = Article.objects.get(page=draft.page, position=2)
    assert new.title == "园区执勤有新动向" and len(new.body) == 2 and len(draft.body) == 1
    assert new.edited_by == editor and draft.edited_by == editor
    assert LogEntry.objects.filter(object_id=str(draft.pk), change_message__startswith="拆分了稿件").exists()
    assert LogEntry.objects.filter(object_id=str(new.pk), change_message__startswith="由").exists()


def test_split_without_a_chosen_paragraph_says_what_is_missing(editor_client, draft):
    url = reverse("admin:articles_article_split", args=[draft.pk])
    response = editor_client.post(url, {"title": "新题"})
    assert response.status_code == 200
    assert "请选择从哪一段开始拆出新稿件。" in response.content.decode()
    assert Article.objects.filter(page=draft.page).count() == 1


def test_an_article_of_one_paragraph_cannot_be_split(editor_client, page3):
    one = ArticleFactory(page=page3, position=1, body=[{"type": "paragraph", "text": "只有一段。"}])
    response = editor_client.get(reverse("admin:articles_article_split", args=[one.pk]), follow=True)
    assert "这篇稿件的正文不足两段，无法拆分。" in messages_of(response)


def test_split_page_is_closed_to_users_who_cannot_change_articles(client, django_user_model, draft):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(
        *Group.objects.get(name=EDITOR_GROUP).permissions.filter(codename="view_article")
    )
    client.force_login(viewer)
    url = reverse("admin:articles_article_split", args=[draft.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"block": "1", "title": "x"}).status_code == 403
    action(client, "publish_selected", [draft])
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_history_shows_who_changed_what(editor_client, editor, draft):
    action(editor_client, "mark_reviewed", [draft])
    action(editor_client, "publish_selected", [draft])
    html = editor_client.get(reverse("admin:articles_article_history", args=[draft.pk])).content.decode()
    assert "标记为已审核。" in html and "发布了稿件。" in html and "editor" in html


# --- the other models -------------------------------------------------------------------------


def test_issue_page_lists_its_pages_inline(editor_client, page3):
    PageFactory(issue=page3.issue, number=1, name="要闻")
    ArticleFactory(page=page3, position=1)
    html = editor_client.get(change_url(page3.issue)).content.decode()
    assert "要闻" in html and "工会新闻" in html
    listing = editor_client.get("/admin/articles/issue/").content.decode()
    assert "版数" in listing and "稿件数" in listing


def test_page_shows_articles_and_photos_in_page_order_and_the_source_read_only(editor_client, page3):
    ArticleFactory(page=page3, position=2, title="第二篇稿件")
    ArticleFactory(page=page3, position=1, title="第一篇稿件")
    PhotoFactory(page=page3, position=2, title="图二")
    PhotoFactory(page=page3, position=1, title="图一")
    html = editor_client.get(change_url(page3)).content.decode()
    assert html.index("第一篇稿件") < html.index("第二篇稿件")
    assert html.index('value="图一"') < html.index('value="图二"')
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)</script>" not in html
    assert 'name="source_text"' not in html  # read-only, not a form field


def test_moving_a_photo_to_an_article_on_the_page_form_marks_that_article_edited(
    editor_client, editor, draft
):
    photo = PhotoFactory(page=draft.page, position=1, title="独立图片")
    data = form_data(editor_client.get(change_url(draft.page)), form_id="page_form")
    data["photos-0-article"] = str(draft.pk)
    data["photos-0-caption"] = "改过的图片说明"
    response = editor_client.post(change_url(draft.page), data)
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.article == draft and photo.caption == "改过的图片说明"
    draft.refresh_from_db()
    assert draft.edited and draft.edited_by == editor


def test_people_list_counts_articles_and_photos(editor_client, draft):
    ma = draft.bylines.get().person
    PhotoCreditFactory(photo=PhotoFactory(page=draft.page), person=ma)
    response = editor_client.get("/admin/articles/person/")
    row = next(p for p in response.context["cl"].result_list if p.pk == ma.pk)
    assert (row.n_articles, row.n_photos) == (1, 1)
    assert "稿件数" in response.content.decode() and "图片数" in response.content.decode()


def test_people_search_by_name(editor_client, draft):
    PersonFactory(name="郑莉")
    response = editor_client.get("/admin/articles/person/", {"q": "马学"})
    assert [p.name for p in response.context["cl"].result_list] == ["马学礼"]


def test_import_runs_are_read_only(editor_client, admin_client):
    run = ImportRun.objects.create(
        status=ImportRun.Result.PARTIAL, counts={"articles": 12}, errors=["第3版：编码无法识别"]
    )
    for c in (editor_client, admin_client):
        html = c.get(change_url(run)).content.decode()
        assert "第3版：编码无法识别" in html
        assert 'name="_save"' not in html
        assert c.get("/admin/articles/importrun/add/").status_code == 403
        assert c.post(change_url(run), {"status": "failed"}).status_code == 403
    run.refresh_from_db()
    assert run.status == ImportRun.Result.PARTIAL
    assert "部分失败" in editor_client.get("/admin/articles/importrun/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/",
        "/admin/articles/issue/",
        "/admin/articles/page/",
        "/admin/articles/person/",
        "/admin/articles/column/",
        "/admin/articles/photo/",
        "/admin/articles/pagesource/",
        "/admin/articles/importrun/",
        "/admin/articles/article/add/",
        "/admin/articles/photo/add/",
    ],
)
def test_every_editor_page_opens(editor_client, draft, url):
    PhotoFactory(page=draft.page, article=draft)
    assert editor_client.get(url).status_code == 200


def test_photo_admin_upload_marks_its_article_edited(editor_client, draft):
    photo = PhotoFactory(page=draft.page, article=draft, position=1)
    data = form_data(editor_client.get(change_url(photo)), form_id="photo_form")
    data["image"] = image_file("新图.webp", "WEBP")
    assert editor_client.post(change_url(photo), data).status_code == 302
    photo.refresh_from_db()
    assert photo.image.name.endswith(".webp") and photo.thumbnail
    draft.refresh_from_db()
    assert draft.edited


# --- create_editor ----------------------------------------------------------------------------


def test_create_editor_makes_a_staff_account_in_the_group(django_user_model, client, draft):
    out = io.StringIO()
    call_command("create_editor", "wang", "--password", "编辑部-2020-good", stdout=out)
    user = django_user_model.objects.get(username="wang")
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=EDITOR_GROUP).exists()
    assert "wang" in out.getvalue()
    assert client.login(username="wang", password="编辑部-2020-good")
    assert client.get(change_url(draft)).status_code == 200


def test_create_editor_dry_run_changes_nothing(django_user_model):
    out = io.StringIO()
    call_command("create_editor", "wang", "--dry-run", stdout=out)
    assert "Would create" in out.getvalue()
    assert not django_user_model.objects.filter(username="wang").exists()
    call_command(
        "create_editor", "li", "--dry-run", "--password", "another-long-pw-9", verbosity=0, stdout=out
    )
    assert not django_user_model.objects.filter(username="li").exists()


def test_create_editor_refuses_an_existing_user_and_a_weak_password(django_user_model, editor):
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_editor", "editor", "--password", "编辑部-2020-good")
    with pytest.raises(CommandError, match="password was refused"):
        call_command("create_editor", "zhang", "--password", "123")
    assert not django_user_model.objects.filter(username="zhang").exists()


def test_create_editor_update_makes_an_existing_user_an_editor(django_user_model):
    user = django_user_model.objects.create_user("zhao")
    call_command("create_editor", "zhao", "--update", verbosity=0)
    user.refresh_from_db()
    assert user.is_staff and user.groups.filter(name=EDITOR_GROUP).exists()


# --- states, preview, photo credits -----------------------------------------------------------


def test_editors_see_draft_review_scheduled_and_published_with_its_time(editor_client, varied):
    later = timezone.now() + datetime.timedelta(days=2)
    Article.objects.filter(pk=varied["a"].pk).update(published_at=later)
    response = editor_client.get(CHANGELIST)
    html = response.content.decode()
    states = dict(
        re.findall(r'<th class="field-title"><a [^>]*>([^<]+)</a></th>.*?nr-state-\w+">([^<]+)<', html, re.S)
    )
    assert states == {"要闻甲": "定时", "工会乙": "待审", "工会丙": "已发布", "去年丁": "草稿"}
    assert timezone.localtime(later).strftime("%m-%d %H:%M") in html
    assert set(list_titles(editor_client.get(f"{CHANGELIST}?state=scheduled"))) == {"要闻甲"}
    form = editor_client.get(change_url(varied["a"])).content.decode()
    assert "当前状态" in form and "nr-state-scheduled" in form
    assert editor_client.get(f"{CHANGELIST}?state=nonsense").status_code in (200, 302)  # the admin's ?e=1


def test_a_draft_has_a_preview_link_for_staff_only_never_cached(editor_client, draft):
    from django.test import Client

    form = editor_client.get(change_url(draft)).content.decode()
    assert f'<a class="nr-preview" href="{draft.get_absolute_url()}"' in form and "预览（仅编辑可见）" in form
    assert 'class="viewsitelink"' not in form  # no “在站点上查看” to a page readers cannot see
    preview = editor_client.get(draft.get_absolute_url())
    assert preview.status_code == 200 and "草稿预览" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    assert Client().get(draft.get_absolute_url()).status_code == 404  # a reader, even after the preview


def test_photo_credits_are_edited_on_the_article_form(editor_client, editor, draft):
    photo = PhotoFactory(page=draft.page, article=draft, position=1, title="检修现场")
    PhotoCreditFactory(photo=photo, person=PersonFactory(name="杨长武"), role="通讯员")
    response = editor_client.get(change_url(draft))
    data = form_data(response)
    assert data["photos-0-credits_text"] == "通讯员 杨长武"
    data["photos-0-credits_text"] = "本报记者 张三 李四 通讯员 杨长武 摄"
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 302
    credits = [(c.person.name, c.role) for c in photo.credits.order_by("order")]
    assert credits == [("张三", "记者"), ("李四", "记者"), ("杨长武", "通讯员")]
    assert Person.objects.filter(name="杨长武").count() == 1  # the same person, not a new one
    draft.refresh_from_db()
    assert draft.edited and draft.edited_by == editor
    assert (
        form_data(editor_client.get(change_url(draft)))["photos-0-credits_text"]
        == "记者 张三 李四 通讯员 杨长武"
    )


def test_a_credit_line_that_is_no_credit_is_a_form_error(editor_client, draft):
    photo = PhotoFactory(page=draft.page, article=draft, position=1)
    PhotoCreditFactory(photo=photo, person=PersonFactory(name="杨长武"))
    data = form_data(editor_client.get(change_url(draft)))
    data["photos-0-credits_text"] = "这不是一个署名而是一句话"
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "无法识别的摄影署名" in response.content.decode()
    assert [c.person.name for c in photo.credits.all()] == ["杨长武"]  # nothing written
    data["photos-0-credits_text"] = ""
    assert editor_client.post(change_url(draft), data).status_code == 302
    assert not photo.credits.exists()
