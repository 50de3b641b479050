"""Reader views (scaffolding: the reader-website issue replaces these with real pages)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from .models import Article, Column, Issue, Page, Person


def home(request):
    return HttpResponse("newsroom")


def issue(request, year, month, day):
    obj = get_object_or_404(Issue, date__year=year, date__month=month, date__day=day)
    return HttpResponse(str(obj))


def page(request, year, month, day, number):
    obj = get_object_or_404(Page, issue__date=f"{year:04d}-{month:02d}-{day:02d}", number=number)
    return HttpResponse(str(obj))


def article(request, year, month, day, number, position):
    obj = get_object_or_404(
        Article.objects.published(),
        page__issue__date=f"{year:04d}-{month:02d}-{day:02d}",
        page__number=number,
        position=position,
    )
    return HttpResponse(obj.title)


def column(request, slug):
    return HttpResponse(get_object_or_404(Column, slug=slug).name)


def person(request, pk):
    return HttpResponse(get_object_or_404(Person, pk=pk).name)
