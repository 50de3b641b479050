"""The reader website."""

from django.urls import path

from . import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:year>/<int:month>/<int:day>/", views.issue, name="issue"),
    path("<int:year>/<int:month>/<int:day>/<int:number>/", views.page, name="page"),
    path(
        "<int:year>/<int:month>/<int:day>/<int:number>/<int:position>/",
        views.article,
        name="article",
    ),
    path("columns/<slug:slug>/", views.column, name="column"),
    path("people/<int:pk>/", views.person, name="person"),
]
