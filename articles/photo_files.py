"""Uploaded photo files follow their rows: a replaced or deleted photo's upload, thumbnail
and renditions are removed from storage once the change has committed.

``pre_save`` notes the names the row held; ``post_save`` and ``post_delete`` schedule the
removal with ``transaction.on_commit``, so a rolled-back change keeps its files, and a
file another photo still names is kept. Renditions live in ``photos/renditions/<id>/``;
those not made from the current image are removed with the rest.
"""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .images import RENDITION_WIDTHS
from .models import Photo

log = logging.getLogger(__name__)
RENDITIONS = [f"rendition_{w}{kind}" for w in RENDITION_WIDTHS for kind in ("", "_webp")]


def _names(photo: Photo) -> set[str]:
    return {n for n in (photo.image.name, photo.thumbnail.name) if n}


def _renditions(photo: Photo) -> set[str]:
    if not photo.image:
        return set()
    return {getattr(photo, attr).name for attr in RENDITIONS}


@receiver(pre_save, sender=Photo, dispatch_uid="photo_files_before")
def _remember_files(sender, instance: Photo, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    old = Photo.objects.filter(pk=instance.pk).values_list("image", "thumbnail").first()
    instance._stored_files = {n for n in old or () if n}


@receiver(post_save, sender=Photo, dispatch_uid="photo_files_after_save")
def _drop_replaced_files(sender, instance: Photo, raw=False, using="default", **kwargs):
    gone = getattr(instance, "_stored_files", set()) - _names(instance)
    instance._stored_files = _names(instance)
    if gone:
        keep, pk = _renditions(instance), instance.pk
        transaction.on_commit(lambda: remove_files(pk, gone, keep), using=using)


@receiver(post_delete, sender=Photo, dispatch_uid="photo_files_after_delete")
def _drop_deleted_files(sender, instance: Photo, using="default", **kwargs):
    names, pk = _names(instance), instance.pk  # Django clears instance.pk after the delete
    transaction.on_commit(lambda: remove_files(pk, names, set()), using=using)


def remove_files(photo_id: int, names: set[str], keep_renditions: set[str]) -> None:
    """Delete ``names`` no photo names any more, and the photo's renditions not in ``keep``."""
    if names:
        still = Photo.objects.filter(Q(image__in=names) | Q(thumbnail__in=names)).values_list(
            "image", "thumbnail"
        )
        names = names - {n for pair in still for n in pair}
    folder = f"photos/renditions/{photo_id}"
    try:
        stale = {f"{folder}/{f}" for f in default_storage.listdir(folder)[1]} - keep_renditions
    except FileNotFoundError:
        stale = set()
    for name in names | stale:
        try:
            default_storage.delete(name)
        except OSError as exc:  # a file already gone, or a read-only store: say so, go on
            log.warning("photo %s: could not remove %s (%s)", photo_id, name, exc)
