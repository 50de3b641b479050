"""No lost edits in the admin: a stale save shows what changed meanwhile; re-applying loses nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from reversion.models import Version

from articles.models import Article

from .test_admin import change_url, form_data, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(editor, django_user_model):
    from django.contrib.auth.models import Group

    other = django_user_model.objects.create_user("editor-b", password="x", is_staff=True)
    other.groups.add(Group.objects.get(name="编辑"))
    a, b = Client(), Client()
    a.force_login(editor)
    b.force_login(other)
    return a, b


def test_a_stale_save_shows_the_conflict_and_reapplying_keeps_both_edits(article, two_editors):
    a, b = two_editors
    form_a = form_data(a.get(change_url(article)))
    form_b = form_data(b.get(change_url(article)))
    form_a["title"] = "A 改的主题"
    assert a.post(change_url(article), form_a).status_code == 302
    form_b["subtitle"] = "B 加的副题"
    response = b.post(change_url(article), form_b)
    assert response.status_code == 200  # not saved: the form comes back
    html = response.content.decode()
    assert "保存冲突" in html and "A 改的主题" in html and "B 加的副题" in html
    article.refresh_from_db()
    assert (article.title, article.subtitle) == ("A 改的主题", "")
    conflict = {row["label"]: row for row in response.context["adminform"].form.conflict}
    assert conflict["主题"]["they_changed"] and not conflict["主题"]["i_changed"]
    assert conflict["副题"]["i_changed"] and not conflict["副题"]["they_changed"]
    # B re-applies: only B's change is written, A's title stays
    form_b["_reapply"] = str(article.version)
    assert b.post(change_url(article), form_b).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.subtitle) == ("A 改的主题", "B 加的副题")


def test_a_byline_change_meanwhile_is_a_conflict_too(article, two_editors):
    _a, b = two_editors
    form_b = form_data(b.get(change_url(article)))
    article.bylines.all().delete()  # someone else (the API, another form) changed the bylines
    form_b["title"] = "B 的主题"
    form_b["bylines-TOTAL_FORMS"] = "0"
    form_b["bylines-INITIAL_FORMS"] = "0"
    response = b.post(change_url(article), form_b)
    assert response.status_code == 200 and "保存冲突" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "工会进企宣讲扶贫政策"


def test_saving_an_article_a_reimport_removed_is_refused_clearly(article, two_editors):
    a, _ = two_editors
    form_a = form_data(a.get(change_url(article)))
    pk = article.pk
    Article.objects.filter(pk=pk).delete()
    form_a["title"] = "不会保存"
    response = a.post(change_url(article), form_a, follow=True)
    assert not Article.objects.filter(pk=pk).exists()
    assert any("不存在" in m for m in messages_of(response))


def test_the_conflict_text_is_escaped(article, two_editors):
    _a, b = two_editors
    form_b = form_data(b.get(change_url(article)))
    Article.objects.filter(pk=article.pk).update(subtitle="<script>alert(1)</script>")
    form_b["title"] = "B 的主题"
    html = b.post(change_url(article), form_b).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_admin_save_keeps_a_revision_with_who(article, two_editors, editor):
    a, _ = two_editors
    form_a = form_data(a.get(change_url(article)))
    form_a["title"] = "有版本记录的主题"
    assert a.post(change_url(article), form_a).status_code == 302
    versions = list(Version.objects.get_for_object(article))
    assert versions[0].revision.user == editor and versions[0].field_dict["title"] == "有版本记录的主题"
    assert versions[-1].revision.comment == "导入时的版本"
    assert versions[-1].field_dict["title"] == "工会进企宣讲扶贫政策"


def _replace_bylines_as_a_reimport_does(article, *names):
    """Delete the article's bylines and create new rows (new ids), as a re-import of its page does."""
    from .factories import BylineFactory, PersonFactory

    article.bylines.all().delete()
    for order, name in enumerate(names):
        BylineFactory(article=article, person=PersonFactory(name=name), order=order)


def test_reapplying_over_bylines_replaced_meanwhile_saves_my_title_and_keeps_their_bylines(
    article, two_editors
):
    _a, b = two_editors
    form_b = form_data(b.get(change_url(article)))  # B's form holds the old byline's id
    _replace_bylines_as_a_reimport_does(article, "王新", "李明")
    form_b["title"] = "B 改的主题"
    response = b.post(change_url(article), form_b)
    assert response.status_code == 200 and "保存冲突" in response.content.decode()
    form = response.context["adminform"].form
    # the form shows the bylines there are now, not the one that is gone
    shown = form_data(response)
    rows = int(shown["bylines-TOTAL_FORMS"])
    ids = sorted(int(shown[f"bylines-{i}-id"]) for i in range(rows))
    assert ids == sorted(article.bylines.values_list("pk", flat=True))
    form_b["_reapply"] = str(Article.objects.get(pk=article.pk).version)
    response = b.post(change_url(article), form_b, follow=True)
    assert response.redirect_chain, response.context["errors"] if response.context else response
    article.refresh_from_db()
    assert article.title == "B 改的主题"
    assert [bl.person.name for bl in article.bylines.order_by("order")] == ["王新", "李明"]
    assert form.conflict  # the conflict was shown before the re-apply


def test_reapplying_does_not_put_back_a_byline_someone_changed_meanwhile(article, two_editors):
    from .factories import PersonFactory

    a, b = two_editors
    form_a = form_data(a.get(change_url(article)))
    form_b = form_data(b.get(change_url(article)))
    # A moves the byline to another person; B only fixes the subtitle
    form_a["bylines-0-person"] = str(PersonFactory(name="赵强").pk)
    assert a.post(change_url(article), form_a).status_code == 302
    form_b["subtitle"] = "B 的副题"
    assert b.post(change_url(article), form_b).status_code == 200  # conflict
    form_b["_reapply"] = str(Article.objects.get(pk=article.pk).version)
    assert b.post(change_url(article), form_b).status_code == 302
    article.refresh_from_db()
    assert article.subtitle == "B 的副题"
    assert [bl.person.name for bl in article.bylines.all()] == ["赵强"]


def test_my_change_to_a_byline_removed_meanwhile_is_reported_not_silently_dropped(article, two_editors):
    _a, b = two_editors
    form_b = form_data(b.get(change_url(article)))
    _replace_bylines_as_a_reimport_does(article, "王新")
    form_b["title"] = "B 改的主题"
    form_b["bylines-0-role"] = "通讯员"  # B changed the byline that no longer exists
    assert b.post(change_url(article), form_b).status_code == 200  # conflict
    form_b["_reapply"] = str(Article.objects.get(pk=article.pk).version)
    response = b.post(change_url(article), form_b, follow=True)
    article.refresh_from_db()
    assert article.title == "B 改的主题"
    assert [(bl.person.name, bl.role) for bl in article.bylines.all()] == [("王新", "记者")]
    assert any("马学礼" in m and "没有应用" in m for m in messages_of(response)), messages_of(response)


def test_a_byline_i_added_is_kept_when_reapplying(article, two_editors):
    from .factories import PersonFactory

    _a, b = two_editors
    form_b = form_data(b.get(change_url(article)))
    _replace_bylines_as_a_reimport_does(article, "王新")
    extra = PersonFactory(name="孙悦")
    total = int(form_b["bylines-TOTAL_FORMS"])
    form_b.update(
        {
            "bylines-TOTAL_FORMS": str(total + 1),
            f"bylines-{total}-person": str(extra.pk),
            f"bylines-{total}-role": "通讯员",
            f"bylines-{total}-order": "5",
            f"bylines-{total}-article": str(article.pk),
        }
    )
    assert b.post(change_url(article), form_b).status_code == 200  # conflict
    form_b["_reapply"] = str(Article.objects.get(pk=article.pk).version)
    assert b.post(change_url(article), form_b).status_code == 302
    names = sorted(bl.person.name for bl in Article.objects.get(pk=article.pk).bylines.all())
    assert names == ["孙悦", "王新"]


def test_a_photo_removed_meanwhile_does_not_block_my_save(article, two_editors):
    from .factories import PhotoFactory

    photo = PhotoFactory(page=article.page, article=article)
    _a, b = two_editors
    form_b = form_data(b.get(change_url(article)))
    photo.delete()  # another editor took the photo off the page
    form_b["title"] = "B 改的主题"
    assert b.post(change_url(article), form_b).status_code == 200  # conflict
    form_b["_reapply"] = str(Article.objects.get(pk=article.pk).version)
    assert b.post(change_url(article), form_b).status_code == 302
    article.refresh_from_db()
    assert article.title == "B 改的主题" and not article.photos.exists()


def test_reapplying_from_the_conflict_page_keeps_bylines_added_meanwhile(article, two_editors):
    from .factories import BylineFactory, PersonFactory

    _a, b = two_editors
    form_b = form_data(b.get(change_url(article)))
    BylineFactory(article=article, person=PersonFactory(name="李明"), order=1)  # added meanwhile
    form_b["title"] = "B 改的主题"
    response = b.post(change_url(article), form_b)
    assert response.status_code == 200  # conflict
    again = form_data(response)  # what the browser posts when B clicks 重新应用
    again["_reapply"] = str(Article.objects.get(pk=article.pk).version)
    assert b.post(change_url(article), again).status_code == 302
    article.refresh_from_db()
    assert article.title == "B 改的主题"
    assert sorted(bl.person.name for bl in article.bylines.all()) == ["李明", "马学礼"]
