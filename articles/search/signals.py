"""Keep the search index in step with every save and delete (admin, API, shell).

Bulk writers that bypass signals (``bulk_create``, the page importer) call
``articles.search.reindex_articles(ids)`` themselves. ``QuerySet.update()`` of status
fields (publish / unpublish) changes no indexed text and needs nothing.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from articles.models import Article, Byline, Issue, Page, Person, Photo, PhotoCredit

from . import index, reindex_articles


def _previous(sender, instance, field: str):
    """The value ``field`` has in the database before this save (None for a new row)."""
    if instance.pk is None:
        return None
    return sender.objects.filter(pk=instance.pk).values_list(field, flat=True).first()


@receiver(post_save, sender=Article, dispatch_uid="search_article_saved")
def article_saved(sender, instance, **kwargs):
    reindex_articles([instance.pk])


@receiver(post_delete, sender=Article, dispatch_uid="search_article_deleted")
def article_deleted(sender, instance, **kwargs):
    if index.supported():
        index.write({}, stale_ids=[instance.pk])


@receiver(pre_save, sender=Byline, dispatch_uid="search_byline_moving")
@receiver(pre_save, sender=Photo, dispatch_uid="search_photo_moving")
def remember_article(sender, instance, **kwargs):
    """A byline or photo moved to another article: the old article loses text too."""
    instance._search_old_article_id = _previous(sender, instance, "article_id")


@receiver(post_save, sender=Byline, dispatch_uid="search_byline_saved")
@receiver(post_delete, sender=Byline, dispatch_uid="search_byline_deleted")
@receiver(post_save, sender=Photo, dispatch_uid="search_photo_saved")
@receiver(post_delete, sender=Photo, dispatch_uid="search_photo_deleted")
def credit_or_photo_changed(sender, instance, **kwargs):
    ids = {instance.article_id, getattr(instance, "_search_old_article_id", None)}
    reindex_articles(i for i in ids if i is not None)


@receiver(post_save, sender=PhotoCredit, dispatch_uid="search_photocredit_saved")
@receiver(post_delete, sender=PhotoCredit, dispatch_uid="search_photocredit_deleted")
def photo_credit_changed(sender, instance, **kwargs):
    article_id = Photo.objects.filter(pk=instance.photo_id).values_list("article_id", flat=True).first()
    if article_id is not None:
        reindex_articles([article_id])


@receiver(pre_save, sender=Person, dispatch_uid="search_person_renaming")
def remember_name(sender, instance, **kwargs):
    instance._search_old_name = _previous(sender, instance, "name")


@receiver(post_save, sender=Person, dispatch_uid="search_person_renamed")
def person_renamed(sender, instance, created, **kwargs):
    if created or getattr(instance, "_search_old_name", None) == instance.name:
        return
    ids = set(Byline.objects.filter(person=instance).values_list("article_id", flat=True))
    ids |= set(
        PhotoCredit.objects.filter(person=instance, photo__article__isnull=False).values_list(
            "photo__article_id", flat=True
        )
    )
    reindex_articles(ids)


@receiver(pre_save, sender=Issue, dispatch_uid="search_issue_redating")
def remember_date(sender, instance, **kwargs):
    instance._search_old_date = _previous(sender, instance, "date")


@receiver(post_save, sender=Issue, dispatch_uid="search_issue_redated")
def issue_redated(sender, instance, created, **kwargs):
    """Results are ordered by issue date, which the index keeps: follow a corrected date."""
    if not created and getattr(instance, "_search_old_date", None) != instance.date:
        reindex_articles(Article.objects.filter(page__issue=instance).values_list("pk", flat=True))


@receiver(pre_save, sender=Page, dispatch_uid="search_page_moving")
def remember_issue(sender, instance, **kwargs):
    instance._search_old_issue_id = _previous(sender, instance, "issue_id")


@receiver(post_save, sender=Page, dispatch_uid="search_page_moved")
def page_moved(sender, instance, created, **kwargs):
    if not created and getattr(instance, "_search_old_issue_id", None) != instance.issue_id:
        reindex_articles(Article.objects.filter(page=instance).values_list("pk", flat=True))
