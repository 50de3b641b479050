"""URL map: the reader site at /, the editors' admin at /admin/, the API at /api/.

Uploaded files are served by :func:`articles.media.media` in every mode (it checks that
the request may see the photo a file belongs to).
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles.media import media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("articles.api.urls")),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media, name="media"),
    path("", include("articles.urls")),
]
