"""Fixing the import's segmentation: merge articles, split an article, and the body text format.

The admin actions are thin shells over these functions; each runs in one
transaction and marks the resulting article(s) as edited by ``user``, so a later
re-import keeps them.

Body text convention (the admin's 正文 box, documented in docs/editing.md):

- a blank line separates paragraphs; lines without a blank line between them stay
  in one paragraph (the line break is kept);
- a line starting with ``## `` is a subhead (one line; it also ends the paragraph
  before it);
- a line starting with a backslash is taken literally after that one backslash:
  ``\\## …`` is a paragraph line that really starts with ``## ``, and a lone ``\\``
  keeps an empty line inside a paragraph. In a subhead, ``\\n`` is a line break
  and ``\\\\`` a backslash.

``body_to_text`` and ``text_to_body`` are exact inverses for every body whose
texts contain no carriage return.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import reversion
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from reversion.models import Version

from .models import Address, Article, BlockType, Byline, Page, Photo, PhotoCredit

SUBHEAD_PREFIX = "## "
ESCAPE = "\\"
CONTINUATION_PREFIX = "（续）"


class EditingError(ValueError):
    """An edit that cannot be made; the message is shown to the editor."""


class ArticleGone(EditingError):
    """The article no longer exists (a re-import or another editor removed it)."""

    def __init__(self, pk):
        super().__init__(
            f"这篇稿件（编号 {pk}）已不存在：可能已被重新导入或其他编辑删除、合并。你的修改没有保存，"
            "请回到稿件列表重新打开。"
        )
        self.pk = pk


class StaleVersion(EditingError):
    """Someone saved the article after the editor loaded it (``expected`` is what they loaded)."""

    def __init__(self, article: Article, expected: int):
        super().__init__(
            f"这篇稿件在你打开后已被修改过（你打开的是第 {expected} 版，现在是第 {article.version} 版）。"
            "你的修改没有保存。"
        )
        self.article = article
        self.expected = expected


# --- the edit service: one locking rule, one record of every edit -----------------------------

#: Fields of an article kept in a revision (the edit trail and ``version`` are not content).
REVISION_EXCLUDE = ("version", "edited", "edited_at", "edited_by", "created_at", "updated_at")

reversion.register(Article, follow=("bylines", "photos"), exclude=REVISION_EXCLUDE)
reversion.register(Byline)
reversion.register(Photo, follow=("credits",), exclude=("created_at", "updated_at"))
reversion.register(PhotoCredit)

IMPORTED_STATE = "导入时的版本"


def lock_page(page_id: int) -> None:
    """Lock a page row for this transaction: every writer of a page's content does this first.

    On PostgreSQL ``SELECT … FOR UPDATE`` waits for any other writer of the page (an import,
    an editor); SQLite's IMMEDIATE transactions already take the database's write lock at
    their start (the ``FOR UPDATE`` is then a plain read).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_page() needs a transaction")
    list(Page.objects.select_for_update().filter(pk=page_id).values_list("pk", flat=True))


def lock_article(pk, *, expected_version: int | None = None) -> Article:
    """The article as it is now, with its page locked for this transaction.

    Raises :class:`ArticleGone` if it no longer exists, :class:`StaleVersion` if it changed
    since the editor loaded ``expected_version``. Before the first edit of an article that
    has no revision yet (as imported), its current state is kept as a revision.
    """
    page_id = Article.objects.filter(pk=pk).values_list("page_id", flat=True).first()
    if page_id is None:
        raise ArticleGone(pk)
    lock_page(page_id)
    article = Article.objects.select_related("page__issue").filter(pk=pk, page_id=page_id).first()
    if article is None:  # removed (or moved) while we waited for the lock
        raise ArticleGone(pk)
    if expected_version is not None and article.version != expected_version:
        raise StaleVersion(article, expected_version)
    keep_first_revision(article)
    return article


def keep_first_revision(article: Article) -> None:
    """An article with no revision yet (as the import wrote it) gets one of its current state.

    The import itself keeps no revisions (it would double its cost); the first edit, merge,
    split or re-import that changes the article saves the state it started from.
    """
    if not Version.objects.get_for_object(article).exists():
        with reversion.create_revision(manage_manually=True):
            reversion.set_comment(IMPORTED_STATE)
            reversion.add_to_revision(article)


def record_edit(
    article: Article, user=None, message: str | list = "", *, added: bool = False, mark: bool = True
) -> Article:
    """Record an editor's change to ``article`` (already saved): the one place for it.

    Marks the article edited (so a re-import keeps it) by ``user`` now, keeps a revision of
    what it is now (fields, bylines, photos, photo credits) with who and when, and writes the
    admin history entry (LogEntry). Call it inside the edit's transaction, after the change.
    ``message`` is the history text (a string, or the admin's change-message list).
    """
    now = timezone.now()
    if mark:
        article.edited = True
        article.edited_at = now
        if user is not None and getattr(user, "is_authenticated", False):
            article.edited_by = user
        fields = ["edited", "edited_at", "edited_by"]
        Article.objects.filter(pk=article.pk).update(
            **{f: getattr(article, f) for f in fields}, updated_at=now
        )
    current = Article.objects.get(pk=article.pk)
    with reversion.create_revision(manage_manually=True):
        if user is not None and getattr(user, "is_authenticated", False):
            reversion.set_user(user)
        reversion.set_comment(_comment(message))
        reversion.add_to_revision(current)
    if user is not None and getattr(user, "is_authenticated", False):
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[current],
            action_flag=ADDITION if added else CHANGE,
            change_message=message,
            single_object=True,
        )
    return current


def _json_message(message: list) -> str:
    import json

    return json.dumps(message, ensure_ascii=False)


def _comment(message) -> str:
    if isinstance(message, str):
        return message
    entry = LogEntry(change_message=_json_message(message))
    return entry.get_change_message()


# --- the body as text -------------------------------------------------------------------------


def _escape_subhead(text: str) -> str:
    return text.replace(ESCAPE, ESCAPE * 2).replace("\n", ESCAPE + "n")


def _unescape_subhead(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == ESCAPE and i + 1 < len(text) and text[i + 1] in (ESCAPE, "n"):
            out.append("\n" if text[i + 1] == "n" else ESCAPE)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _paragraph_line(line: str) -> str:
    if not line.strip() or line.startswith((ESCAPE, SUBHEAD_PREFIX)):
        return ESCAPE + line
    return line


def body_to_text(body: list[dict] | None) -> str:
    """The body as the editor sees it in the 正文 box."""
    chunks = []
    for block in body or []:
        text = str(block.get("text", ""))
        if block.get("type") == BlockType.SUBHEAD:
            chunks.append(SUBHEAD_PREFIX + _escape_subhead(text))
        else:
            chunks.append("\n".join(_paragraph_line(line) for line in text.split("\n")))
    return "\n\n".join(chunks)


def text_to_body(text: str) -> list[dict]:
    """Parse the 正文 box back into blocks (see the module docstring for the convention)."""
    blocks: list[dict] = []
    paragraph: list[str] | None = None

    def end_paragraph():
        nonlocal paragraph
        if paragraph is not None:
            blocks.append({"type": BlockType.PARAGRAPH.value, "text": "\n".join(paragraph)})
            paragraph = None

    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.startswith(SUBHEAD_PREFIX):
            end_paragraph()
            blocks.append({"type": BlockType.SUBHEAD.value, "text": _unescape_subhead(line[3:])})
        elif not line.strip():
            end_paragraph()
        else:
            if line.startswith(ESCAPE):
                line = line[1:]
            if paragraph is None:
                paragraph = []
            paragraph.append(line)
    end_paragraph()
    return blocks


# --- merge ------------------------------------------------------------------------------------


def _join_distinct(values: Iterable[str], sep: str) -> str:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return sep.join(seen)


@transaction.atomic
def merge_articles(articles: Iterable[Article], user=None) -> Article:
    """Merge articles of one page into the first of them (in page order); the others are deleted.

    Nothing is lost: the later articles' headlines become subheads followed by their
    body blocks; notes are joined; bylines (without duplicates) and photos move to
    the merged article; its continuation links come from the first and last parts.
    The merged article is published if any part was, and needs review if any part did.
    The parts' addresses (their ids, their printed positions) redirect to it.
    """
    ids = {a.pk for a in articles}
    for page_id in sorted(set(Article.objects.filter(pk__in=ids).values_list("page_id", flat=True))):
        lock_page(page_id)
    parts = list(Article.objects.filter(pk__in=ids).order_by("position"))
    if len(parts) < 2:
        raise EditingError("请至少选择两篇稿件才能合并。")
    if len({a.page_id for a in parts}) > 1:
        pages = "、".join(sorted({str(a.page) for a in parts}))
        raise EditingError(f"只能合并同一版面的稿件，所选稿件分属不同版面：{pages}。")
    for part in parts:
        keep_first_revision(part)
    message = "合并了稿件：" + "、".join(f"“{a.title}”（第{a.position}篇）" for a in parts) + "。"

    first, rest = parts[0], parts[1:]
    body = list(first.body or [])
    for part in rest:
        for heading in (part.kicker, part.title, part.subtitle):
            if heading.strip():
                body.append({"type": BlockType.SUBHEAD.value, "text": heading})
        if part.dateline and part.dateline != first.dateline:
            body.append({"type": BlockType.PARAGRAPH.value, "text": part.dateline})
        body.extend(part.body or [])
    first.body = body
    first.dateline = first.dateline or next((p.dateline for p in rest if p.dateline), "")
    first.column_id = first.column_id or next((p.column_id for p in rest if p.column_id), None)
    first.editor_note = _join_distinct((p.editor_note for p in parts), "\n\n")
    first.reading_tip = _join_distinct((p.reading_tip for p in parts), "\n\n")
    source_note = _join_distinct((p.source_note for p in parts), "；")
    if len(source_note) <= Article._meta.get_field("source_note").max_length:
        first.source_note = source_note
    else:  # too long for the field: keep the first, the others stay in the body
        first.source_note = next(p.source_note for p in parts if p.source_note)
        body.extend(
            {"type": BlockType.PARAGRAPH.value, "text": p.source_note}
            for p in parts
            if p.source_note and p.source_note != first.source_note
        )
    if first.continued_from_page is None:
        first.continued_from_page = next(
            (p.continued_from_page for p in rest if p.continued_from_page is not None), None
        )
    first.continued_to_page = next(
        (p.continued_to_page for p in reversed(parts) if p.continued_to_page is not None), None
    )
    first.warnings = [w for p in parts for w in (p.warnings or [])]
    first.needs_review = any(p.needs_review for p in parts)
    published = [p for p in parts if p.status == Article.Status.PUBLISHED]
    if published:
        first.status = Article.Status.PUBLISHED
        times = [p.published_at for p in published if p.published_at]
        first.published_at = min(times) if times else None  # None: Article.save() sets now

    # Continuation links are one-to-one: detach them from the parts before re-attaching.
    rest_ids = [p.pk for p in rest]
    continued_from_id = first.continued_from_id or next(
        (p.continued_from_id for p in rest if p.continued_from_id and p.continued_from_id != first.pk), None
    )
    if continued_from_id in rest_ids:
        continued_from_id = None
    continuation = (
        Article.objects.filter(continued_from_id__in=rest_ids).exclude(pk__in=[first.pk, *rest_ids]).first()
    )
    Article.objects.filter(pk__in=rest_ids).update(continued_from=None)
    Article.objects.filter(continued_from_id__in=rest_ids).update(continued_from=None)
    first.continued_from_id = continued_from_id

    # Bylines: the later parts' people follow the first's, skipping repeats.
    existing = set(first.bylines.values_list("person_id", "role"))
    order = (first.bylines.aggregate(m=Max("order"))["m"] or 0) + 1
    for byline in Byline.objects.filter(article__in=rest).order_by("article__position", "order", "pk"):
        key = (byline.person_id, byline.role)
        if key in existing:
            continue
        existing.add(key)
        Byline.objects.create(article=first, person_id=byline.person_id, role=byline.role, order=order)
        order += 1
    Photo.objects.filter(article__in=rest).update(article=first)
    # Every address that served a merged-away part leads to the merged article (301).
    Address.objects.move_to(first, rest)

    Article.objects.filter(pk__in=rest_ids).delete()
    first.save()
    if continuation is not None and not Article.objects.filter(continued_from=first).exists():
        continuation.continued_from = first
        continuation.save(update_fields=["continued_from"])
    return record_edit(first, user, message)


# --- split ------------------------------------------------------------------------------------


def default_split_title(article: Article, block_index: int) -> str:
    """The title suggested for the new article: the subhead it starts with, or （续）+ title."""
    body = article.body or []
    if 0 <= block_index < len(body) and body[block_index].get("type") == BlockType.SUBHEAD:
        text = str(body[block_index].get("text", "")).strip()
        if text:
            return text
    return CONTINUATION_PREFIX + article.title


def _free_position_after(article: Article) -> int:
    """Make position ``article.position + 1`` free on the page, moving later articles down one.

    Only the run of articles directly after this one moves (until the first gap), so as few
    public addresses change as possible; they move last-first to keep positions unique.
    """
    taken = set(Article.objects.filter(page_id=article.page_id).values_list("position", flat=True))
    wanted = article.position + 1
    end = wanted
    while end in taken:
        end += 1
    movers = Article.objects.filter(page_id=article.page_id, position__gte=wanted, position__lt=end)
    for mover in movers.order_by("-position"):
        mover.position += 1
        mover.save(update_fields=["position"])
    return wanted


@transaction.atomic
def split_article(article: Article, block_index: int, user=None, title: str = "") -> Article:
    """Split ``article`` before body block ``block_index``; returns the new, later article.

    The new article comes right after the original on the page, takes the blocks from
    ``block_index`` on and the end-of-article fields (source note, 下转 page); it keeps
    the column and publication state. Bylines and photos stay with the original.
    """
    article = lock_article(article.pk)
    body = list(article.body or [])
    if not 1 <= block_index < len(body):
        raise EditingError(
            f"无法在第 {block_index + 1} 段处拆分：拆分点必须在第 2 段到第 {len(body)} 段之间"
            "（拆分后两篇稿件都要有正文）。"
            if len(body) >= 2
            else "这篇稿件的正文不足两段，无法拆分。"
        )
    title = (title or "").strip() or default_split_title(article, block_index)
    max_length = Article._meta.get_field("title").max_length
    if len(title) > max_length:
        raise EditingError(f"新稿件的标题太长（{len(title)} 字），最多 {max_length} 字。")

    position = _free_position_after(article)
    new = Article(
        page_id=article.page_id,
        position=position,
        column_id=article.column_id,
        title=title,
        body=body[block_index:],
        source_note=article.source_note,
        continued_to_page=article.continued_to_page,
        status=article.status,
        published_at=article.published_at,
    )
    new.save()
    article.body = body[:block_index]
    article.source_note = ""
    article.continued_to_page = None
    article.save()
    record_edit(article, user, f"拆分了稿件：第 {block_index + 1} 段起成为新稿件“{new.title}”。")
    return record_edit(new, user, f"由“{article.title}”拆分而来。", added=True)


# --- revisions: what an article was, the difference between two, restoring one ----------------

#: the fields a revision diff shows, in form order, with the editors' labels
DIFF_FIELDS = (
    "kicker",
    "title",
    "subtitle",
    "dateline",
    "column_id",
    "editor_note",
    "reading_tip",
    "source_note",
    "status",
    "published_at",
    "needs_review",
    "position",
)


def article_versions(article: Article):
    """The article's revisions, newest first (with who and when)."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def revision_snapshot(version: Version) -> dict:
    """A revision of an article as an editor reads it: fields, body text, bylines, photos."""
    from .models import Column, Person

    data = version.field_dict
    pk = int(version.object_id)
    others = list(version.revision.version_set.select_related("content_type"))
    bylines = sorted(
        (
            v.field_dict
            for v in others
            if v.content_type.model == "byline" and v.field_dict["article_id"] == pk
        ),
        key=lambda d: (d["order"], d["id"]),
    )
    photos = sorted(
        (
            v.field_dict
            for v in others
            if v.content_type.model == "photo" and v.field_dict["article_id"] == pk
        ),
        key=lambda d: d["position"],
    )
    photo_ids = {p["id"] for p in photos}
    credits = sorted(
        (
            v.field_dict
            for v in others
            if v.content_type.model == "photocredit" and v.field_dict["photo_id"] in photo_ids
        ),
        key=lambda d: (d["order"], d["id"]),
    )
    people = Person.objects.in_bulk({d["person_id"] for d in (*bylines, *credits)})

    def person(d) -> str:
        p = people.get(d["person_id"])
        return f"{d['role']}{p.name if p else '（已删除的人物）'}"

    fields = {}
    for name in DIFF_FIELDS:
        value = data.get(name)
        if name == "column_id":
            column = Column.objects.filter(pk=value).first() if value else None
            value = str(column) if column else ""
        elif name == "status":
            value = Article.Status(value).label if value in Article.Status.values else value
        elif name == "needs_review":
            value = "是" if value else "否"
        elif name == "published_at" and value:
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
        fields[name] = "" if value is None else str(value)
    return {
        "fields": fields,
        "body": body_to_text(data.get("body")),
        "bylines": [person(d) for d in bylines],
        "photos": [
            " ".join(x for x in (p["title"], p["caption"]) if x)
            + (
                "（" + "、".join(person(c) for c in credits if c["photo_id"] == p["id"]) + "）"
                if any(c["photo_id"] == p["id"] for c in credits)
                else ""
            )
            for p in photos
        ],
    }


def diff_revisions(old: Version, new: Version) -> dict:
    """What changed from ``old`` to ``new``: changed fields, body lines (kept/removed/added),
    bylines and photos. Plain text throughout; templates escape it."""
    a, b = revision_snapshot(old), revision_snapshot(new)
    labels = {f.attname: str(f.verbose_name) for f in Article._meta.concrete_fields}
    fields = [
        {"label": labels.get(name, name), "old": a["fields"][name], "new": b["fields"][name]}
        for name in DIFF_FIELDS
        if a["fields"][name] != b["fields"][name]
    ]
    return {
        "fields": fields,
        "body": _line_diff(a["body"].split("\n"), b["body"].split("\n")),
        "body_changed": a["body"] != b["body"],
        "bylines": _line_diff(a["bylines"], b["bylines"]),
        "bylines_changed": a["bylines"] != b["bylines"],
        "photos": _line_diff(a["photos"], b["photos"]),
        "photos_changed": a["photos"] != b["photos"],
    }


def _line_diff(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """(op, line) with op ' ' kept, '-' removed, '+' added."""
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend((" ", line) for line in old[i1:i2])
        else:
            out.extend(("-", line) for line in old[i1:i2])
            out.extend(("+", line) for line in new[j1:j2])
    return out


@transaction.atomic
def restore_revision(article_pk, version_id, user=None) -> Article:
    """Bring the article back to a revision: its fields, body, bylines, photos and photo credits.

    Photos attached to the article since then are detached (they stay on the page); photos
    of the revision that were deleted since are recreated. The restore is an edit like any
    other (a new revision, the history names it).
    """
    article = lock_article(article_pk)
    version = article_versions(article).filter(pk=version_id).first()
    if version is None:
        raise EditingError("没有找到要恢复的版本。")
    revision = version.revision
    data = version.field_dict
    others = list(revision.version_set.select_related("content_type"))
    position = data.get("position")
    if Article.objects.filter(page_id=data.get("page_id"), position=position).exclude(pk=article.pk).exists():
        raise EditingError(
            f"无法恢复：该版面第 {position} 篇的位置已被另一篇稿件占用，请先调整那篇稿件的版内顺序。"
        )
    for name, value in data.items():
        if name != "id":
            setattr(article, name, value)
    article.save()

    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article_id=article.pk, person_id=d["person_id"], role=d["role"], order=d["order"])
        for d in (v.field_dict for v in others if v.content_type.model == "byline")
        if d["article_id"] == article.pk
    )
    photo_data = [v.field_dict for v in others if v.content_type.model == "photo"]
    photo_data = [d for d in photo_data if d["article_id"] == article.pk]
    restored = []
    for d in photo_data:
        photo = Photo.objects.filter(pk=d["id"]).first() or Photo(pk=d["id"])
        for name, value in d.items():
            if name != "id":
                setattr(photo, name, value)
        if Photo.objects.filter(page_id=photo.page_id, position=photo.position).exclude(pk=photo.pk).exists():
            top = Photo.objects.filter(page_id=photo.page_id).aggregate(m=Max("position"))["m"] or 0
            photo.position = top + 1
        photo.save()
        restored.append(photo.pk)
        PhotoCredit.objects.filter(photo_id=photo.pk).delete()
        PhotoCredit.objects.bulk_create(
            PhotoCredit(photo_id=photo.pk, person_id=c["person_id"], role=c["role"], order=c["order"])
            for c in (v.field_dict for v in others if v.content_type.model == "photocredit")
            if c["photo_id"] == photo.pk
        )
    Photo.objects.filter(article_id=article.pk).exclude(pk__in=restored).update(article=None)
    when = timezone.localtime(revision.date_created).strftime("%Y-%m-%d %H:%M:%S")
    return record_edit(article, user, f"恢复到 {when} 的版本（{revision.comment or '无说明'}）。")
