"""Replaced or deleted photos leave no files behind (issue 14 item 8): the old upload,
its thumbnail and its renditions are removed once the change commits, never before (a
rolled-back change keeps them) and never while another photo still names them."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from articles.images import refresh_dimensions, refresh_thumbnail

from . import factories

pytestmark = pytest.mark.django_db


def _jpeg(name: str, color) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (1000, 700), color).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _set_image(photo, upload) -> None:
    photo.image = upload
    refresh_dimensions(photo)
    refresh_thumbnail(photo)
    photo.save()


def _files(photo) -> set[str]:
    """Every stored file of the photo: upload, thumbnail, renditions."""
    names = {photo.image.name, photo.thumbnail.name}
    folder = f"photos/renditions/{photo.pk}"
    if default_storage.exists(folder):
        names |= {f"{folder}/{f}" for f in default_storage.listdir(folder)[1]}
    return {n for n in names if n}


@pytest.fixture
def photo(db, django_capture_on_commit_callbacks):
    photo = factories.PhotoFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _set_image(photo, _jpeg("现场.jpg", (20, 120, 60)))
    return photo


def test_a_replaced_image_leaves_no_old_files(photo, django_capture_on_commit_callbacks):
    old = _files(photo)
    assert len(old) >= 3 and all(default_storage.exists(n) for n in old)
    with django_capture_on_commit_callbacks(execute=True):
        _set_image(photo, _jpeg("新图.jpg", (200, 30, 30)))
    new = _files(photo)
    assert not old & new
    assert not any(default_storage.exists(n) for n in old)
    assert all(default_storage.exists(n) for n in new)


def test_a_deleted_photo_leaves_no_files(photo, django_capture_on_commit_callbacks):
    old = _files(photo)
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert not any(default_storage.exists(n) for n in old)


def test_a_photo_deleted_with_its_page_leaves_no_files(photo, django_capture_on_commit_callbacks):
    old = _files(photo)
    with django_capture_on_commit_callbacks(execute=True):
        photo.page.issue.delete()
    assert not any(default_storage.exists(n) for n in old)


def test_files_stay_until_the_change_commits(photo, django_capture_on_commit_callbacks):
    old = _files(photo)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        photo.delete()
        raise RuntimeError("rolled back")
    assert all(default_storage.exists(n) for n in old)


def test_a_file_another_photo_still_names_is_kept(photo, django_capture_on_commit_callbacks):
    twin = factories.PhotoFactory(page=photo.page, image=photo.image.name)
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert default_storage.exists(twin.image.name)
