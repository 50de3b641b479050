"""Uploaded files (photos, their thumbnails and renditions), served with the site's visibility.

Every file under ``MEDIA_URL`` belongs to a photo: the original (``Photo.image``), the
admin's thumbnail (``Photo.thumbnail``) or a reader rendition
(``photos/renditions/<photo id>/…``, :mod:`articles.images`). A file is served only if the
request may see that photo (:meth:`PhotoQuerySet.visible_to`: readers see photos of
published articles; staff see drafts too), in every mode, debug included. Anything else
is a 404, whether or not the file exists, so a draft's files cannot be found by guessing.

Renditions have content-hashed names and are cached by browsers and proxies for a year
when readers may see them; originals and thumbnails briefly; staff-only files never.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe
from django.views.static import serve

from .models import Photo

RENDITION = re.compile(r"^photos/renditions/(?P<pk>[0-9]+)/[^/]+$")


def photo_for_file(path: str, user) -> Photo | None:
    """The photo ``path`` (relative to MEDIA_ROOT) belongs to, if ``user`` may see it."""
    photos = Photo.objects.visible_to(user)
    match = RENDITION.match(path)
    if match:
        return photos.filter(pk=int(match["pk"])).first()
    if not path.startswith("photos/"):
        return None
    return photos.filter(Q(image=path) | Q(thumbnail=path)).first()


@require_safe
def media(request, path: str):
    photo = photo_for_file(path, request.user)
    if photo is None:
        raise Http404("没有这个文件")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_vary_headers(response, ("Cookie",))
    if not Photo.objects.published().filter(pk=photo.pk).exists():
        patch_cache_control(response, private=True, no_store=True)
    elif RENDITION.match(path):
        patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=3600)
    return response
