"""JSON shapes of the paper's content.

Lists stay light: an article list leaves out ``body`` unless ``?expand=body``. Staff-only
fields (review flags, import warnings, edit trail) are left out for everyone else. Both
kinds are listed in ``Meta.optional_fields`` so the OpenAPI schema does not require them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..editing import lock_page, record_edit
from ..models import (
    Article,
    BlockType,
    Byline,
    Column,
    Issue,
    Page,
    Person,
    Photo,
    PhotoCredit,
    Role,
    sees_drafts,
)
from .history import field_labels


def _request(serializer):
    return serializer.context.get("request")


def _absolute(serializer, path: str | None) -> str | None:
    if not path:
        return None
    request = _request(serializer)
    return request.build_absolute_uri(path) if request is not None else path


def _require(attrs: dict, names: dict) -> None:
    """Nested items are complete even inside a PATCH (DRF would skip missing fields there)."""
    missing = {field: ["该字段是必填项。"] for source, field in names.items() if source not in attrs}
    if missing:
        raise serializers.ValidationError(missing, code="required")


def _viewer_is_staff(serializer) -> bool:
    request = _request(serializer)
    return request is not None and sees_drafts(request.user)


class PublicUrlMixin:
    """``public_url``: where a reader finds the object on the site."""

    @extend_schema_field(OpenApiTypes.URI)
    def get_public_url(self, obj) -> str:
        return _absolute(self, obj.get_absolute_url())


# --- small summaries used inside other objects -------------------------------------------


class PersonSummarySerializer(PublicUrlMixin, serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail")
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "url", "name", "affiliation", "public_url"]


class ColumnSummarySerializer(PublicUrlMixin, serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:column-detail")
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Column
        fields = ["id", "url", "name", "slug", "public_url"]


class PageSummarySerializer(PublicUrlMixin, serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:page-detail")
    issue_date = serializers.DateField(source="issue.date", read_only=True)
    label = serializers.CharField(read_only=True, help_text="版次，如 03版")
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Page
        fields = ["id", "url", "issue_date", "number", "name", "label", "public_url"]


class ArticlePublicUrlMixin:
    """An article's page on the site; null while readers cannot see it."""

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_public_url(self, article) -> str | None:
        return _absolute(self, article.get_absolute_url()) if article.is_published else None


class ArticleLinkSerializer(ArticlePublicUrlMixin, serializers.HyperlinkedModelSerializer):
    """An article named from elsewhere (a page, a continuation, a photo)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    issue_date = serializers.DateField(source="page.issue.date", read_only=True)
    page_number = serializers.IntegerField(source="page.number", read_only=True)
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["id", "url", "issue_date", "page_number", "position", "title", "public_url"]


class BylineSerializer(serializers.ModelSerializer):
    """A credited person: read as ``person`` (object), written as ``person_id``."""

    person = PersonSummarySerializer(read_only=True)
    person_id = serializers.PrimaryKeyRelatedField(
        source="person", queryset=Person.objects.all(), write_only=True, help_text="人物 ID"
    )
    role = serializers.ChoiceField(choices=Role.choices, required=False, allow_blank=True, default="")
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Byline
        fields = ["person", "person_id", "role", "role_display"]

    def validate(self, attrs):
        _require(attrs, {"person": "person_id"})
        return attrs


class PhotoCreditSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = PhotoCredit
        fields = ["person", "role", "role_display"]


class BlockSerializer(serializers.Serializer):
    """One body block: a paragraph or a subhead."""

    type = serializers.ChoiceField(choices=BlockType.choices, help_text="paragraph 段落 / subhead 小标题")
    text = serializers.CharField(trim_whitespace=True)

    def to_representation(self, instance):
        return {"type": instance.get("type", BlockType.PARAGRAPH), "text": instance.get("text", "")}

    def validate(self, attrs):
        _require(attrs, {"type": "type", "text": "text"})
        return attrs


# --- photos --------------------------------------------------------------------------------


class PhotoSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:photo-detail")
    page = PageSummarySerializer(read_only=True)
    issue_date = serializers.DateField(source="page.issue.date", read_only=True)
    article = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()
    credits = PhotoCreditSerializer(many=True, read_only=True)
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = [
            "id",
            "url",
            "issue_date",
            "page",
            "position",
            "title",
            "caption",
            "agency",
            "credits",
            "image",
            "thumbnail",
            "article",
            "public_url",
        ]

    @extend_schema_field(ArticleLinkSerializer(allow_null=True))
    def get_article(self, photo):
        if photo.article_id is None:
            return None
        return ArticleLinkSerializer(photo.article, context=self.context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_public_url(self, photo) -> str:
        return _absolute(self, photo.get_absolute_url())

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_image(self, photo):
        return _absolute(self, photo.image.url) if photo.image else None

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_thumbnail(self, photo):
        return _absolute(self, photo.thumbnail.url) if photo.thumbnail else None


class ArticlePhotoSerializer(PhotoSerializer):
    """A photo inside its article: no need to repeat the page and the article."""

    class Meta(PhotoSerializer.Meta):
        fields = [f for f in PhotoSerializer.Meta.fields if f not in ("page", "issue_date", "article")]


# --- articles ------------------------------------------------------------------------------


STAFF_ARTICLE_FIELDS = (
    "needs_review",
    "warnings",
    "edited",
    "edited_at",
    "edited_by",
    "created_at",
    "updated_at",
)


class ContinuationSerializer(serializers.Serializer):
    """Cross-page links: the article this one continues, and the one continuing it.

    null when there is none, or when the requester may not see it.
    """

    continued_from = ArticleLinkSerializer(allow_null=True, read_only=True)
    continued_in = ArticleLinkSerializer(allow_null=True, read_only=True)


class ArticleSerializer(ArticlePublicUrlMixin, serializers.HyperlinkedModelSerializer):
    """A story with its headline group, byline, body and where it was printed."""

    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    issue_date = serializers.DateField(source="page.issue.date", read_only=True)
    page = PageSummarySerializer(read_only=True)
    page_id = serializers.PrimaryKeyRelatedField(
        source="page", queryset=Page.objects.all(), write_only=True, help_text="版面 ID（新建时必填）"
    )
    headline = serializers.CharField(read_only=True, help_text="引题、主题、副题连成一行")
    column = ColumnSummarySerializer(read_only=True, allow_null=True)
    column_id = serializers.PrimaryKeyRelatedField(
        source="column",
        queryset=Column.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text="栏目 ID，null 为无栏目",
    )
    bylines = BylineSerializer(many=True, required=False, help_text="署名，按顺序；写入时整体替换")
    body = BlockSerializer(many=True, required=False, help_text="正文块；列表中仅在 ?expand=body 时给出")
    photos = ArticlePhotoSerializer(many=True, read_only=True)
    continuation = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()
    edited_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="最后修改人的用户名"
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "issue_date",
            "page",
            "page_id",
            "position",
            "kicker",
            "title",
            "subtitle",
            "headline",
            "dateline",
            "column",
            "column_id",
            "bylines",
            "editor_note",
            "reading_tip",
            "body",
            "source_note",
            "photos",
            "continued_from_page",
            "continued_to_page",
            "continuation",
            "status",
            "published_at",
            "public_url",
            "version",
            *STAFF_ARTICLE_FIELDS,
        ]
        read_only_fields = [
            "published_at",
            "warnings",
            "edited",
            "edited_at",
            "created_at",
            "updated_at",
            "version",
        ]
        extra_kwargs = {"version": {"help_text": "版本号：稿件（含署名、配图）每次修改后加一；ETag 由它得出"}}
        optional_fields = ["body", *STAFF_ARTICLE_FIELDS]

    def __init__(self, *args, include_body: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.include_body = include_body

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not _viewer_is_staff(self):
            for name in STAFF_ARTICLE_FIELDS:
                data.pop(name, None)
        if not self.include_body:
            data.pop("body", None)
        return data

    @extend_schema_field(ContinuationSerializer)
    def get_continuation(self, article):
        return {
            "continued_from": self._link(article.continued_from),
            "continued_in": self._link(getattr(article, "continued_in", None)),
        }

    def _link(self, other):
        if other is None or not (other.is_published or _viewer_is_staff(self)):
            return None
        return ArticleLinkSerializer(other, context=self.context).data

    def validate_body(self, blocks):
        return [{"type": block["type"], "text": block["text"]} for block in blocks]

    def validate_bylines(self, bylines):
        seen = set()
        for entry in bylines:
            key = (entry["person"].pk, entry.get("role", ""))
            if key in seen:
                raise serializers.ValidationError(f"同一人物以同一身份重复署名：{entry['person'].name}。")
            seen.add(key)
        return bylines

    extra_labels = {"bylines": "署名"}

    def changes(self, instance, validated_data) -> list[str]:
        """The fields this write really changes (a no-op PATCH does not mark the article edited)."""
        names = []
        for name, value in validated_data.items():
            if name == "bylines":
                current = [(b.person_id, b.role) for b in instance.bylines.all()]
                if current != [(entry["person"].pk, entry.get("role", "")) for entry in value]:
                    names.append(name)
            elif name == "body":
                if BlockSerializer(instance.body, many=True).data != value:
                    names.append(name)
            elif getattr(instance, name) != value:
                names.append(name)
        return names

    def create(self, validated_data):
        bylines = validated_data.pop("bylines", None)
        with transaction.atomic():
            lock_page(validated_data["page"].pk)
            article = Article(**validated_data)
            article.save()
            if bylines is not None:
                self._save_bylines(article, bylines)
            return record_edit(article, _request(self).user, [{"added": {}}], added=True)

    def update(self, instance, validated_data):
        """Write only the fields sent that really change; record the edit if there are any.

        The caller holds the page's lock and ``instance`` is the article as it is now.
        """
        self.changed_names = self.changes(instance, validated_data)
        if not self.changed_names:
            return instance
        bylines = validated_data.pop("bylines", None)
        with transaction.atomic():
            fields = [name for name in self.changed_names if name != "bylines"]
            for name in fields:
                setattr(instance, name, validated_data[name])
            if (
                "status" in fields
                and instance.published_at is None
                and instance.status == Article.Status.PUBLISHED
            ):
                fields.append("published_at")
            if fields:
                instance.save(update_fields=[*fields, "updated_at"])
            if bylines is not None and "bylines" in self.changed_names:
                instance.bylines.all().delete()
                self._save_bylines(instance, bylines)
            labels = field_labels(Article, self.changed_names, self.extra_labels)
            return record_edit(instance, _request(self).user, [{"changed": {"fields": labels}}])

    @staticmethod
    def _save_bylines(article, bylines):
        Byline.objects.bulk_create(
            Byline(article=article, person=entry["person"], role=entry.get("role", ""), order=index)
            for index, entry in enumerate(bylines)
        )


# --- pages, issues, columns, people --------------------------------------------------------


class IssueRefSerializer(PublicUrlMixin, serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:issue-detail")
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Issue
        fields = ["id", "url", "date", "number", "public_url"]


class PageSerializer(PublicUrlMixin, serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:page-detail")
    issue = IssueRefSerializer(read_only=True)
    label = serializers.CharField(read_only=True, help_text="版次，如 03版")
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Page
        fields = ["id", "url", "issue", "number", "name", "label", "public_url"]


class PageDetailSerializer(PageSerializer):
    """A page with its articles (titles only) and photos."""

    articles = ArticleLinkSerializer(many=True, read_only=True)
    photos = ArticlePhotoSerializer(many=True, read_only=True)

    class Meta(PageSerializer.Meta):
        fields = [*PageSerializer.Meta.fields, "articles", "photos"]


class IssueSerializer(IssueRefSerializer):
    pages = PageSummarySerializer(many=True, read_only=True)

    class Meta(IssueRefSerializer.Meta):
        fields = [*IssueRefSerializer.Meta.fields, "date_estimated", "pages"]


class ColumnSerializer(PublicUrlMixin, serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:column-detail")
    slug = serializers.SlugField(
        max_length=80, required=False, allow_blank=True, help_text="留空则按拼音生成"
    )
    public_url = serializers.SerializerMethodField()
    articles_url = serializers.SerializerMethodField()

    class Meta:
        model = Column
        fields = ["id", "url", "name", "slug", "description", "public_url", "articles_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_articles_url(self, column) -> str:
        return _absolute(self, reverse("api:article-list") + "?" + urlencode({"column": column.slug}))

    def validate_slug(self, slug):
        if slug and Column.objects.filter(slug=slug).exclude(pk=getattr(self.instance, "pk", None)).exists():
            raise serializers.ValidationError(f"网址名“{slug}”已被其他栏目使用。")
        return slug


class PersonSerializer(PersonSummarySerializer):
    articles_url = serializers.SerializerMethodField()
    photos_url = serializers.SerializerMethodField()

    class Meta(PersonSummarySerializer.Meta):
        fields = [*PersonSummarySerializer.Meta.fields, "articles_url", "photos_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_articles_url(self, person) -> str:
        return _absolute(self, reverse("api:article-list") + f"?person={person.pk}")

    @extend_schema_field(OpenApiTypes.URI)
    def get_photos_url(self, person) -> str:
        return _absolute(self, reverse("api:photo-list") + f"?person={person.pk}")
