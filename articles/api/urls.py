from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.register("issues", views.IssueViewSet)
router.register("pages", views.PageViewSet)
router.register("articles", views.ArticleViewSet)
router.register("photos", views.PhotoViewSet)
router.register("people", views.PersonViewSet)
router.register("columns", views.ColumnViewSet)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from a URL of its own (no inline
    # script), so the docs run under the Content-Security-Policy.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
