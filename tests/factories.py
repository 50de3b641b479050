"""factory_boy factories for the paper's models (realistic Chinese content)."""

import datetime

import factory
from django.utils import timezone

from articles.models import (
    Article,
    Byline,
    Column,
    Issue,
    Page,
    PageSource,
    Person,
    Photo,
    PhotoCredit,
    Role,
)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    date = factory.Sequence(lambda n: datetime.date(2020, 10, 23) - datetime.timedelta(days=n))


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    issue = factory.SubFactory(IssueFactory)
    number = factory.Sequence(lambda n: n % 8 + 1)
    name = "工会新闻"


class PageSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PageSource

    page = factory.SubFactory(PageFactory)
    filename = factory.Sequence(lambda n: f"{n:03d}_page.txt")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    text = "本报讯（记者马学礼）记者近日从宁夏回族自治区总工会获悉。"


class ColumnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Column
        django_get_or_create = ("name",)

    name = factory.Iterator(["主席之声", "工会博览", "履职手记", "新闻特写"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("name", "affiliation")

    name = factory.Iterator(["马学礼", "郑莉", "刘友婷", "钱培坚", "邹偶然", "田国全"])
    affiliation = ""


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article; pass status=Article.Status.DRAFT for a draft."""

    class Meta:
        model = Article

    page = factory.SubFactory(PageFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"工会进企宣讲扶贫政策之{n}")
    dateline = "本报讯"
    body = factory.LazyFunction(
        lambda: [
            {"type": "paragraph", "text": "记者近日从宁夏回族自治区总工会获悉，职工队伍建设取得新进展。"},
            {"type": "subhead", "text": "园区执勤发现“新动向”"},
            {"type": "paragraph", "text": "该《意见》具有强化党的领导、突出职工特点等特点。"},
        ]
    )
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)
    role = Role.REPORTER
    order = 0


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    page = factory.SubFactory(PageFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = "为劳动者留影"
    caption = "10月21日，仪化摄影协会组织会员深入检修现场，为检修存影。"


class PhotoCreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhotoCredit

    photo = factory.SubFactory(PhotoFactory)
    person = factory.SubFactory(PersonFactory, name="杨长武")
    role = Role.CORRESPONDENT
