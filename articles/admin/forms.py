"""Forms and form fields of the editors' workspace."""

from __future__ import annotations

import json
import re

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import cached_property
from django.utils.html import format_html

from ..editing import body_to_text, text_to_body
from ..images import ALLOWED_FORMATS, refresh_dimensions, refresh_thumbnail, validate_photo_upload
from ..models import Article, Byline, Column, Person, Photo, PhotoCredit, Role
from ..parsing.credits import parse_people

#: Roles a credit line can name (the byline role words; 摄影 and 作者 are implied, not written).
CREDIT_ROLES = {r.value for r in Role} - {Role.PHOTOGRAPHER.value, Role.AUTHOR.value, Role.UNKNOWN.value}

BODY_HELP = (
    "正文书写约定：空一行分段；以“## ”（两个井号加一个空格）开头的一行是小标题；"
    "同一段内不空行的换行会原样保留。若某段确实以“## ”开头，请在行首加反斜杠写成“\\## ”。"
    "详见 docs/editing.md。"
)


class BodyField(forms.CharField):
    """Article.body (a list of paragraph/subhead blocks) edited as plain text; see articles.editing."""

    def __init__(self, **kwargs):
        kwargs.setdefault("strip", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 24, "class": "nr-body vLargeTextField"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return body_to_text(value) if isinstance(value, list) else value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return text_to_body(super().to_python(value))


class SplitDateTimeWithSeconds(AdminSplitDateTime):
    """The admin's date + time widget, showing seconds so an unchanged time stays unchanged."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[1].format = "%H:%M:%S"


def _snapshot(values: dict) -> str:
    return json.dumps(values, ensure_ascii=False, default=lambda o: o.isoformat())


class ArticleForm(forms.ModelForm):
    """The article form; it carries the version (and field values) it was loaded with.

    Saving over a newer version (another editor, the API or a re-import saved meanwhile)
    does not overwrite: the form comes back with :attr:`conflict`, what changed meanwhile
    field by field, and the editor may re-apply their own changes (only the fields they
    changed are written, on top of the newer version).
    """

    body = BodyField(label="正文", required=False, help_text=BODY_HELP)
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    loaded_state = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    REAPPLY = "_reapply"
    MODEL_FIELDS = frozenset(f.name for f in Article._meta.concrete_fields)

    class Meta:
        model = Article
        fields = (
            "page",
            "position",
            "column",
            "kicker",
            "title",
            "subtitle",
            "dateline",
            "body",
            "editor_note",
            "reading_tip",
            "source_note",
            "continued_from_page",
            "continued_to_page",
            "continued_from",
            "status",
            "published_at",
            "needs_review",
        )
        widgets = {"published_at": SplitDateTimeWithSeconds}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict: list[dict] | None = None
        self.loaded: dict = {}
        self.edited_fields = [n for n in self.fields if n in self.MODEL_FIELDS]
        if self.instance.pk is None:
            return
        if not self.is_bound:
            self.initial["loaded_version"] = self.instance.version
            self.initial["loaded_state"] = _snapshot(
                {name: self.initial.get(name) for name in self.edited_fields}
            )
            return
        try:
            raw = json.loads(self.data.get("loaded_state") or "{}")
        except ValueError:
            raw = {}
        for name, value in raw.items():
            if name in self.edited_fields:
                self.loaded[name] = Article._meta.get_field(name).to_python(value)
        # What the editor changed is measured from what they loaded, not from the newer version.
        self.initial.update(self.loaded)

    @cached_property
    def changed_data(self):
        return [name for name in super().changed_data if name not in ("loaded_version", "loaded_state")]

    def clean(self):
        cleaned = super().clean()
        loaded_version = cleaned.get("loaded_version")
        current = self.instance.version
        stale = self.instance.pk and loaded_version is not None and loaded_version != current
        if stale and self.data.get(self.REAPPLY) != str(current):
            self.conflict = self._describe_conflict(cleaned)
            raise forms.ValidationError(
                f"保存前有人修改了这篇稿件（你打开的是第 {loaded_version} 版，现在是第 {current} 版），"
                "你的修改没有保存。下面列出期间的改动；核对后可以重新应用你的修改。",
                code="conflict",
            )
        page, position = cleaned.get("page"), cleaned.get("position")
        if page is not None and position is not None:
            taken = Article.objects.filter(page=page, position=position).exclude(pk=self.instance.pk).first()
            if taken is not None:
                self.add_error(
                    "position",
                    f"{page.label}已有第 {position} 篇稿件“{taken.title}”，请换一个版内顺序。",
                )
        return cleaned

    def _describe_conflict(self, cleaned) -> list[dict]:
        """Each field changed meanwhile or by the editor: as loaded, as saved meanwhile, theirs."""
        now = forms.models.model_to_dict(Article.objects.get(pk=self.instance.pk), fields=self.edited_fields)
        rows = []
        for name in self.edited_fields:
            field = self.fields[name]
            loaded = self.loaded.get(name, now.get(name))
            mine = cleaned.get(name, loaded)
            mine = getattr(mine, "pk", mine)
            # Measured as the form measures it (from what was loaded, as the widget shows it:
            # a time without its microseconds), not by comparing raw values.
            i_changed = name in self.changed_data
            if loaded == now.get(name) and not i_changed:
                continue
            rows.append(
                {
                    "label": field.label,
                    "loaded": self._show(name, loaded),
                    "theirs": self._show(name, now.get(name)),
                    "mine": self._show(name, mine),
                    "they_changed": loaded != now.get(name),
                    "i_changed": i_changed,
                }
            )
        if not rows:
            rows.append(
                {"label": "署名、配图", "loaded": "", "theirs": "（期间有修改）", "mine": "",
                 "they_changed": True, "i_changed": False}
            )  # fmt: skip
        return rows

    def _show(self, name, value) -> str:
        if value in (None, ""):
            return "（空）"
        if name == "body":
            return body_to_text(value)
        field = self.fields[name]
        if isinstance(field, forms.ModelChoiceField):
            obj = field.queryset.filter(pk=value).first()
            return str(obj) if obj is not None else str(value)
        choices = dict(getattr(field, "choices", ()) or ())
        return str(choices.get(value, value))

    def clean_continued_from(self):
        value = self.cleaned_data.get("continued_from")
        if value is not None and self.instance.pk and value.pk == self.instance.pk:
            raise forms.ValidationError("一篇稿件不能是它自己的续篇。")
        return value


class PhotoImageField(forms.ImageField):
    """An image upload checked by articles.images (content, format, size), saved with the right extension."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        fmt = validate_photo_upload(upload)
        stem = upload.name.rsplit(".", 1)[0] if "." in upload.name else upload.name
        upload.name = f"{stem}.{ALLOWED_FORMATS[fmt]}"
        return super().to_python(upload)


class PhotoForm(forms.ModelForm):
    """A photo with a checked upload; the thumbnail is remade whenever the image changes."""

    image = PhotoImageField(
        label="图片文件",
        required=False,
        help_text="只接受 JPEG、PNG、WebP 图片，最大 %s MB。"
        % (settings.NEWSROOM_PHOTO_MAX_BYTES // (1024 * 1024)),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f"image/{f.lower()}" for f in ALLOWED_FORMATS)}
        ),
    )

    class Meta:
        model = Photo
        fields = ("page", "article", "position", "image", "title", "caption", "agency")

    def save(self, commit=True):
        photo = super().save(commit=False)
        if "image" in self.changed_data:
            if photo.image and isinstance(getattr(photo.image, "file", None), UploadedFile):
                refresh_dimensions(photo)
                refresh_thumbnail(photo)
            elif not photo.image:
                photo.thumbnail = None
                photo.width = photo.height = None
        if commit:
            photo.save()
            self._save_m2m()
        return photo


CREDITS_HELP = (
    "与署名相同的写法：身份词在前，适用于其后的每个姓名，直到下一个身份词，"
    "如“本报通讯员 杨长武”“记者 张三 通讯员 李四”；末尾的“摄”可写可不写。留空表示没有摄影署名。"
)


def credits_to_text(credits) -> str:
    """A photo's credits in the byline convention: names without a role first, then by role."""
    plain = [c.person.name for c in credits if c.role not in CREDIT_ROLES]
    parts, last_role = [" ".join(plain)] if plain else [], None
    for c in credits:
        if c.role in CREDIT_ROLES:
            parts.append(c.person.name if c.role == last_role else f"{c.role} {c.person.name}")
            last_role = c.role
    return " ".join(parts)


def text_to_credits(text: str) -> list[tuple[str, str]]:
    """``[(name, role), …]`` from the byline convention; a ValidationError names what is not."""
    text = text.strip()
    if text.endswith("摄"):
        text = text[:-1].rstrip()
    if not text:
        return []
    people = parse_people(text)
    if not people:
        raise forms.ValidationError(f"无法识别的摄影署名：“{text}”。{CREDITS_HELP}")
    credits, seen = [], set()
    for person in people:
        role = person.role.value if person.role.value in CREDIT_ROLES else ""
        if person.name not in seen:
            seen.add(person.name)
            credits.append((person.name, role))
    return credits


class LoadedRowForm(forms.Form):
    """A row of an inline on the article form (a byline, a photo) that carries the values it was
    loaded with, so that what the editor changed is measured from what they saw.

    A row the editor did not touch is then never written back, whatever someone saved to it
    meanwhile (the article form's own fields work the same way; see :class:`ArticleForm`).
    Concrete forms call :meth:`remember_loaded` at the end of ``__init__``.
    """

    loaded_row = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    def remember_loaded(self) -> None:
        if self.instance.pk is None:
            return
        # A file field counts as changed only when a new file is posted: nothing to remember.
        watched = [
            name
            for name, field in self.fields.items()
            if name != "loaded_row" and not isinstance(field, forms.FileField)
        ]
        if not self.is_bound:
            values = {name: self.initial.get(name) for name in watched}
            values[LOADED_LABEL] = str(self.instance)
            self.initial["loaded_row"] = _snapshot(values)
            return
        loaded = loaded_row_values(self.data.get(self.add_prefix("loaded_row")))
        self.initial.update({name: value for name, value in loaded.items() if name in watched})

    @cached_property
    def changed_data(self):
        return [name for name in super().changed_data if name != "loaded_row"]


#: The key of a row's label (``str(row)`` when it was loaded) in its ``loaded_row`` snapshot.
LOADED_LABEL = "__label__"


def loaded_row_values(raw: str | None) -> dict:
    """A ``loaded_row`` snapshot as a dict (empty when missing or not ours)."""
    try:
        values = json.loads(raw or "{}")
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


class BylineForm(LoadedRowForm, forms.ModelForm):
    class Meta:
        model = Byline
        fields = ("person", "role", "order")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.remember_loaded()


class ArticlePhotoForm(LoadedRowForm, PhotoForm):
    """A photo on its article's form, its credits edited as one line of text (PhotoCredit rows)."""

    credits_text = forms.CharField(label="摄影署名", required=False, max_length=200, help_text=CREDITS_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            credits = self.instance.credits.select_related("person").order_by("order", "pk")
            self.initial.setdefault("credits_text", credits_to_text(list(credits)))
        self.remember_loaded()

    def clean_credits_text(self):
        self.parsed_credits = text_to_credits(self.cleaned_data.get("credits_text") or "")
        return self.cleaned_data["credits_text"]

    def _save_m2m(self):
        super()._save_m2m()
        if "credits_text" in self.changed_data:
            photo = self.instance
            photo.credits.all().delete()
            for order, (name, role) in enumerate(self.parsed_credits):
                person, _ = Person.objects.get_or_create(name=name, affiliation="")
                PhotoCredit.objects.create(photo=photo, person=person, role=role, order=order)


def thumbnail_html(photo: Photo | None):
    if photo is None or not photo.pk:
        return "—"
    if photo.thumbnail:
        return format_html('<img src="{}" alt="{}" class="nr-thumb">', photo.thumbnail.url, str(photo))
    if photo.image:
        return format_html('<img src="{}" alt="{}" class="nr-thumb">', photo.image.url, str(photo))
    return "（无图片文件）"


class SplitForm(forms.Form):
    block = forms.TypedChoiceField(label="拆分点", coerce=int, widget=forms.RadioSelect)
    title = forms.CharField(
        label="新稿件标题", max_length=300, help_text="拆出的后半部分作为新稿件，使用这个标题。"
    )

    def __init__(self, *args, article: Article, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].choices = [(i, f"第 {i + 1} 段之前") for i in range(1, len(article.body or []))]
        self.fields["block"].error_messages["required"] = "请选择从哪一段开始拆出新稿件。"


class ColumnForm(forms.ModelForm):
    class Meta:
        model = Column
        fields = ("name", "slug", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False  # Column.save() makes one from the name's pinyin


def reconcile_rows(
    data, files, prefix: str, current_rows, form_class, noun: str, parent_field: str, parent_pk
):
    """An inline's posted rows brought in line with the rows that exist now.

    Rows can change between loading the form and saving it: a re-import of the page
    replaces an article's bylines, another editor removes a photo or adds one. Django would
    refuse the save with a hidden-field error the editor cannot fix (a vanished row), or
    leave out of the form what was added. Instead, in a copy of the posted data:

    - a row that no longer exists is dropped: silently if the editor had not changed it (or
      had deleted it), since nothing of theirs is lost; a change they made to it cannot be
      applied and is named in the returned notes;
    - a row that exists but was not posted is added as loaded now, unchanged, so the form
      shows what is there and a save leaves it as it is.

    Returns ``(data, files, notes)``; the data is the posted data itself when nothing differs.
    """
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", ""))
        initial = int(data.get(f"{prefix}-INITIAL_FORMS", ""))
    except ValueError:
        return data, files, []  # the formset's management-form check reports it
    current = {str(row.pk): row for row in current_rows}
    kept, extra, posted, notes = [], [], set(), []
    for i in range(total):
        row_pk = data.get(f"{prefix}-{i}-id", "")
        if i >= initial:
            extra.append(i)
        elif row_pk in current and row_pk not in posted:
            kept.append(i)
            posted.add(row_pk)
        else:
            note = _vanished_row_note(data, files, prefix, i, form_class, noun)
            if note:
                notes.append(note)
    missing = [row for pk, row in current.items() if pk not in posted]
    if len(kept) + len(extra) == total and not missing:
        return data, files, notes
    out_data, out_files = data.copy(), files.copy() if files is not None else None
    row_key = re.compile(rf"^{re.escape(prefix)}-(\d+)-(.+)$")
    for mapping in (out_data, out_files):
        for key in list(mapping.keys() if mapping is not None else []):
            if row_key.match(key):
                del mapping[key]
    new_index = {old: new for new, old in enumerate(kept)}
    new_index.update({old: len(kept) + len(missing) + n for n, old in enumerate(extra)})
    for source, target in ((data, out_data), (files, out_files)):
        for key in source or ():
            m = row_key.match(key)
            if m and int(m[1]) in new_index:
                target.setlist(f"{prefix}-{new_index[int(m[1])]}-{m[2]}", source.getlist(key))
    for n, row in enumerate(missing):
        row_prefix = f"{prefix}-{len(kept) + n}"
        form = form_class(instance=row, prefix=row_prefix)
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field, forms.FileField) or value is None or value is False:
                continue
            out_data[f"{row_prefix}-{name}"] = "on" if value is True else str(value)
        out_data[f"{row_prefix}-id"] = str(row.pk)
        out_data[f"{row_prefix}-{parent_field}"] = str(parent_pk)
    out_data[f"{prefix}-TOTAL_FORMS"] = str(len(kept) + len(missing) + len(extra))
    out_data[f"{prefix}-INITIAL_FORMS"] = str(len(kept) + len(missing))
    return out_data, out_files, notes


def _vanished_row_note(data, files, prefix: str, i: int, form_class, noun: str) -> str | None:
    """What to tell the editor about posted row ``i`` whose object is gone (None: nothing)."""
    loaded = loaded_row_values(data.get(f"{prefix}-{i}-loaded_row"))
    form = form_class(data=data, files=files, prefix=f"{prefix}-{i}")
    form.initial.update({k: v for k, v in loaded.items() if k != LOADED_LABEL})
    deleted = data.get(f"{prefix}-{i}-DELETE", "") not in ("", "false", "False", "0")
    if deleted or not form.changed_data:
        return None
    label = loaded.get(LOADED_LABEL) or f"#{data.get(f'{prefix}-{i}-id', '')}"
    return (
        f"你对{noun}“{label}”的修改没有应用：你打开稿件之后，这条{noun}已被删除或替换"
        "（例如重新导入了本版）。请核对现在的内容后重新修改。"
    )
