"""The change path: what content a transaction changed, announced once, just before it commits.

Every write to the paper's content — a model ``save()`` or ``delete()``, a content
queryset's ``update()`` / ``bulk_create()`` / ``bulk_update()`` (they send
:data:`articles.models.content_changed` with the rows they wrote), whoever makes it (admin,
API, editing functions, the importer, a shell) — is collected into one :class:`ChangeSet`
per database connection and transaction. Once per transaction, inside it and just before
it commits (the before-commit hook of our database backends, :mod:`newsroom.db.base`),
the change set is resolved (a photo credit means its photo's article; a renamed person
means every article they are credited on; a redated issue or a moved page means the
articles on it) and sent as one signal::

    changes_committing.send(sender=ChangeSet, changes=changes, using=alias)

Receivers write in the same transaction, so what they write commits or rolls back with
the content: the search index (:mod:`articles.search.signals`), the page cache
(:mod:`articles.cache`) and ``Article.version`` (bumped here). A receiver that raises rolls
the whole transaction back. Writers never call the index or the cache themselves.

When the flush happens:

- in a transaction: in ``commit()``, before the real commit;
- in autocommit mode (no transaction): right after the write, in a transaction of its own;
- in pytest-django's wrapping test transaction: when the outermost atomic block that is
  not the test's own ends, and right after a bare write in the test body (as autocommit).

A rolled-back transaction drops its changes. Savepoints rolled back inside a transaction
leave their changes in the set: receivers read the committed state, so doing an article
too many costs a little time and is never wrong.

Code that writes content with raw SQL calls :func:`record` with the ids it wrote, or
:func:`record_created` with the rows it created (the importer's fast path: nothing read back).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from newsroom.db.base import before_commit, in_test_transaction_only

from .models import (
    Article,
    Byline,
    Column,
    Issue,
    Page,
    PageSource,
    Person,
    Photo,
    PhotoCredit,
    content_changed,
)

changes_committing = Signal()
"""Sent once per transaction that changed content, inside it, just before it commits:
``changes`` (a :class:`ChangeSet`), ``using`` (the database alias)."""

CONTENT_MODELS = (Issue, Page, PageSource, Article, Byline, Column, Person, Photo, PhotoCredit)

#: the ChangeSet attribute collecting each model's own ids (None: the row has no set of its own)
OWN = {
    Issue: "issues",
    Page: "pages",
    PageSource: None,
    Article: "articles",
    Byline: None,
    Column: "columns",
    Person: "people",
    Photo: "photos",
    PhotoCredit: None,
}
#: foreign keys whose targets are touched by a change to the row: attname -> ChangeSet attribute
POINTS_TO = {
    Issue: {},
    Page: {"issue_id": "issues"},
    PageSource: {"page_id": "pages"},
    Article: {"page_id": "pages", "column_id": "columns"},
    Byline: {"article_id": "articles", "person_id": "people"},
    Column: {},
    Person: {},
    Photo: {"page_id": "pages", "article_id": "articles"},
    PhotoCredit: {"photo_id": "photos", "person_id": "people"},
}
#: fields whose change on an existing row reaches every article under it -> ChangeSet attribute
FANS_OUT = {
    Article: (("page_id", "column_id", "status", "published_at"), "republished"),
    Issue: (("date",), "redated_issues"),
    Page: (("issue_id", "number"), "moved_pages"),
    Person: (("name", "affiliation"), "renamed_people"),
}


@dataclass
class ChangeSet:
    """What one transaction changed, by kind of row (ids; deleted rows included).

    ``articles`` are the articles whose own row or whose bylines, photos or photo credits
    changed, plus (after :meth:`resolve`) every article a renamed person, a redated issue or
    a moved page reaches: exactly what the search index must redo. The other sets hold the
    rows written and the rows they point to (an article's page and column, a byline's
    person, a photo's page and article ...), for the page cache's freshness.
    """

    articles: set[int] = field(default_factory=set)
    pages: set[int] = field(default_factory=set)
    issues: set[int] = field(default_factory=set)
    columns: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)
    photos: set[int] = field(default_factory=set)
    renamed_people: set[int] = field(default_factory=set)
    redated_issues: set[int] = field(default_factory=set)
    moved_pages: set[int] = field(default_factory=set)
    #: articles created, deleted, published, unpublished, rescheduled or moved (page, column):
    #: the lists of dates, pages and columns readers see may change
    republished: set[int] = field(default_factory=set)
    models: set[type] = field(default_factory=set)
    #: indexed text a writer already holds for articles it has just written (article id ->
    #: ``articles.search.document(...)``), so the search index need not read them back;
    #: any later change that may touch an article's indexed text drops its document
    documents: dict[int, tuple] = field(default_factory=dict)
    #: articles created in this transaction (a save or ``bulk_create`` that inserted them,
    #: :func:`record_created`) and not written since: new, so their ``version`` needs no bump
    created_articles: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.models)

    def provide_documents(self, docs: dict[int, tuple]) -> None:
        """The indexed text of these articles as they now stand (see ``documents``)."""
        self.documents.update(docs)

    def _drop_documents(self, model, pk, before, after) -> None:
        if model is Article:
            self.documents.pop(pk, None)
        elif model in (Byline, Photo):
            for values in (before, after):
                if values and values.get("article_id") is not None:
                    self.documents.pop(values["article_id"], None)
        elif model is PhotoCredit or (model in FANS_OUT and _fans_out(model, before, after)):
            self.documents.clear()  # reaches articles through rows not at hand: read them back

    def add(self, model, pk, before: dict | None, after: dict | None) -> None:
        """Record one written row: its id, what it pointed to before and after the write."""
        self.models.add(model)
        if self.documents:
            self._drop_documents(model, pk, before, after)
        if model is Article and self.created_articles:
            self.created_articles.discard(pk)
        own = OWN.get(model)
        if own and pk is not None:
            getattr(self, own).add(pk)
        for attname, kind in POINTS_TO.get(model, {}).items():
            for values in (before, after):
                value = values.get(attname) if values else None
                if value is not None:
                    getattr(self, kind).add(value)
        if model is Article and pk is not None and not (before and after):
            self.republished.add(pk)  # created or deleted
        fans = FANS_OUT.get(model)
        if fans and pk is not None and before and after:
            names, kind = fans
            if any(name in before and before[name] != after.get(name) for name in names):
                getattr(self, kind).add(pk)

    def resolve(self, using: str = "default") -> ChangeSet:
        """Add the articles reached through photos, renamed people, redated issues, moved pages."""
        articles = Article._base_manager.using(using)
        if self.photos:
            self.articles |= set(
                Photo._base_manager.using(using)
                .filter(pk__in=self.photos, article__isnull=False)
                .values_list("article_id", flat=True)
            )
        if self.renamed_people:
            people = self.renamed_people
            bylines = Byline._base_manager.using(using).filter(person__in=people)
            self.articles |= set(bylines.values_list("article_id", flat=True))
            self.articles |= set(
                PhotoCredit._base_manager.using(using)
                .filter(person__in=people, photo__article__isnull=False)
                .values_list("photo__article_id", flat=True)
            )
        if self.redated_issues:
            found = articles.filter(page__issue__in=self.redated_issues).values_list("pk", flat=True)
            self.articles |= set(found)
        if self.moved_pages:
            self.articles |= set(articles.filter(page__in=self.moved_pages).values_list("pk", flat=True))
        return self


def _fans_out(model, before: dict | None, after: dict | None) -> bool:
    """Whether this change of an existing row reaches every article under it."""
    names, _ = FANS_OUT[model]
    if not before or not after:
        return False
    return any(name in before and before[name] != after.get(name) for name in names)


# --- collecting ---------------------------------------------------------------------------------

_PENDING = "_newsroom_changes"
_FLUSHING = "_newsroom_changes_flushing"


def pending(using: str = "default") -> ChangeSet | None:
    """The changes collected so far in this connection's transaction (None: nothing yet)."""
    return getattr(connections[using], _PENDING, None)


def provide_documents(docs: dict[int, tuple], using: str = "default") -> None:
    """A writer holds the indexed text of articles it has just written in this transaction:
    the search index takes it from here instead of reading the rows back. Call it after
    the last write of those articles, their bylines and photos."""
    if docs:
        _changes(connections[using]).provide_documents(docs)


def _changes(connection) -> ChangeSet:
    changes = getattr(connection, _PENDING, None)
    if changes is None:
        changes = ChangeSet()
        setattr(connection, _PENDING, changes)
    return changes


def _values(instance) -> dict:
    return {name: getattr(instance, name, None) for name in type(instance).CHANGE_FIELDS}


def _record_instance(instance, *, deleted: bool = False, created: bool = False) -> None:
    model = type(instance)
    connection = connections[instance._state.db or "default"]
    before = getattr(instance, "_change_loaded", None)
    after = _values(instance)
    if deleted:  # a deleted row points where it pointed; nothing is renamed
        _changes(connection).add(model, instance.pk, None, after)
        if before:
            _changes(connection).add(model, instance.pk, None, before)
    else:
        _changes(connection).add(model, instance.pk, before, after)
        instance._change_loaded = after  # the next save compares with what this one wrote
        if created and model is Article:
            _changes(connection).created_articles.add(instance.pk)
    _after_record(connection)


def record(model, ids: Iterable[int], using: str = "default") -> None:
    """For raw-SQL writers: these rows of ``model`` changed (their foreign keys are read now)."""
    connection = connections[using]
    changes = _changes(connection)
    fields = model.CHANGE_FIELDS
    ids = list(ids)
    found = {r["pk"]: r for r in model._base_manager.using(using).filter(pk__in=ids).values("pk", *fields)}
    for pk in ids:
        changes.add(model, pk, None, found.get(pk))
    _after_record(connection)


def record_created(model, rows: Iterable[dict], using: str = "default") -> None:
    """For raw-SQL writers that hold what they wrote: these rows of ``model`` were just
    created, each a dict with ``pk`` and the model's ``CHANGE_FIELDS`` (nothing is read back)."""
    connection = connections[using]
    changes = _changes(connection)
    fields = model.CHANGE_FIELDS
    add = changes.add
    created = []
    for row in rows:
        add(model, row["pk"], None, {name: row.get(name) for name in fields})
        created.append(row["pk"])
    if model is Article:
        changes.created_articles.update(created)
    _after_record(connection)


def _after_record(connection) -> None:
    if getattr(connection, _FLUSHING, False):
        return  # a receiver wrote content: the flush loop takes it next round
    if not connection.in_atomic_block and connection.get_autocommit():
        with transaction.atomic(using=connection.alias):  # autocommit: flush now, atomically
            flush(connection)
    elif in_test_transaction_only(connection):
        with transaction.atomic(using=connection.alias):  # a bare write in a test body
            flush(connection)


def _saved(sender, instance, created=False, **kwargs):
    _record_instance(instance, created=created)


def _deleted(sender, instance, **kwargs):
    _record_instance(instance, deleted=True)


for _model in CONTENT_MODELS:  # per model: other models keep Django's fast deletes
    post_save.connect(_saved, sender=_model, dispatch_uid=f"changes-save-{_model.__name__}")
    post_delete.connect(_deleted, sender=_model, dispatch_uid=f"changes-delete-{_model.__name__}")


@receiver(content_changed, dispatch_uid="changes-bulk")
def _bulk_written(sender, using, objs=None, rows=None, created=False, **kwargs):
    if sender not in OWN:
        return
    connection = connections[using]
    changes = _changes(connection)
    changes.models.add(sender)
    for obj in objs or ():
        after = _values(obj)
        changes.add(sender, obj.pk, getattr(obj, "_change_loaded", None), after)
        obj._change_loaded = after
    if created and sender is Article:
        changes.created_articles.update(obj.pk for obj in objs or () if obj.pk is not None)
    for before, after in rows or ():
        changes.add(sender, before["pk"], before, after)
    _after_record(connection)


# --- flushing -----------------------------------------------------------------------------------

MAX_ROUNDS = 5


def flush(connection) -> None:
    """Send the collected changes (the before-commit hook); again while receivers add more."""
    if getattr(connection, _FLUSHING, False) or not getattr(connection, _PENDING, None):
        return
    setattr(connection, _FLUSHING, True)
    try:
        # An atomic block (no savepoint) around the receivers: inside commit() Django is
        # between blocks, and receivers may use transaction.on_commit().
        with transaction.atomic(using=connection.alias, savepoint=False):
            for _ in range(MAX_ROUNDS):
                changes = getattr(connection, _PENDING, None)
                setattr(connection, _PENDING, None)
                if not changes:
                    return
                changes.resolve(connection.alias)
                changes_committing.send(sender=ChangeSet, changes=changes, using=connection.alias)
            raise RuntimeError(f"changes_committing receivers kept changing content ({MAX_ROUNDS} rounds)")
    finally:
        setattr(connection, _FLUSHING, False)


def discard(connection) -> None:
    """The transaction rolled back: its changes never happened."""
    setattr(connection, _PENDING, None)


before_commit(flush, on_rollback=discard)


@receiver(changes_committing, dispatch_uid="changes-article-version")
def keep_article_rows(sender, changes, using, **kwargs):
    """What the articles' rows keep about what changed, written here and only here.

    - ``Article.version`` goes up once per transaction that changed the article (or its
      bylines, photos, credits) — unless the transaction created it (a new article is at
      its first version, whatever else the transaction did to it);
    - ``Article.issue_date`` / ``page_number`` (and the same copies on its bylines, with its
      position) are set from its page and issue: the newest-first lists sort on them. A new
      article, a moved article, a redated issue or a renumbered or moved page (the change
      set holds every article they reach) is set right in the same transaction;
    - the same for photo credits (their photo's date, page and position: a person's photos).

    Every writer gets this whatever door it came in by: model saves, the content
    querysets' bulk writes and raw-SQL writers that call :func:`record` or
    :func:`record_created`. A copy that is already right is only read, never written
    again: a raw-SQL writer creating rows (the importer) may write the copies with them,
    and they are then checked here at the cost of a read. Plain querysets: these writes
    are not content changes.
    """
    _keep_photo_credit_rows(changes, using)
    if not changes.articles:
        return
    ids = list(changes.articles)
    new = changes.created_articles & changes.articles
    articles = Article._base_manager.using(using)
    pages = Page._base_manager.using(using).filter(pk=OuterRef("page_id")).order_by()
    issue_date, page_number = Subquery(pages.values("issue__date")[:1]), Subquery(pages.values("number")[:1])
    changed = [pk for pk in ids if pk not in new]
    if changed:
        articles.filter(pk__in=changed).update(
            version=F("version") + 1, issue_date=issue_date, page_number=page_number
        )
    if new:
        articles.filter(pk__in=list(new)).filter(
            _differs("issue_date", issue_date) | _differs("page_number", page_number)
        ).update(issue_date=issue_date, page_number=page_number)
    # On each person's first byline of the article only (a person credited twice, in two
    # roles, is listed once on their page); their other bylines keep no copy.
    bylines = Byline._base_manager.using(using).filter(article_id__in=ids)
    placed = Article._base_manager.using(using).filter(pk=OuterRef("article_id")).order_by()
    copies = {name: Subquery(placed.values(name)[:1]) for name in ("issue_date", "page_number", "position")}
    bylines.filter(first_of_person()).filter(_differs_any(copies)).update(**copies)
    bylines.exclude(first_of_person()).exclude(issue_date=None).update(
        issue_date=None, page_number=None, position=None
    )


def _differs(name: str, value) -> Q:
    """The row's ``name`` is empty or not ``value`` (which is never empty here)."""
    return Q(**{f"{name}__isnull": True}) | ~Q(**{name: value})


def _differs_any(values: dict) -> Q:
    q = Q()
    for name, value in values.items():
        q |= _differs(name, value)
    return q


def _keep_photo_credit_rows(changes, using: str) -> None:
    """Each photo credit's copy of its photo's issue date, page number and position (a
    person's photos, newest first): for the photos written, their credits, and the photos
    on a moved page or a redated issue; a copy already right is only read."""
    photos = Photo._base_manager.using(using).order_by()
    ids = set(changes.photos)
    if changes.moved_pages:
        ids |= set(photos.filter(page__in=changes.moved_pages).values_list("pk", flat=True))
    if changes.redated_issues:
        ids |= set(photos.filter(page__issue__in=changes.redated_issues).values_list("pk", flat=True))
    if not ids:
        return
    placed = photos.filter(pk=OuterRef("photo_id"))
    copies = {
        "issue_date": Subquery(placed.values("page__issue__date")[:1]),
        "page_number": Subquery(placed.values("page__number")[:1]),
        "position": Subquery(placed.values("position")[:1]),
    }
    credits = PhotoCredit._base_manager.using(using).filter(photo_id__in=ids)
    credits.filter(_differs_any(copies)).update(**copies)


def first_of_person() -> Q:
    """A byline that is its person's first on its article (by ``order``, then id)."""
    earlier = Byline._base_manager.filter(
        Q(order__lt=OuterRef("order")) | Q(order=OuterRef("order"), pk__lt=OuterRef("pk")),
        article_id=OuterRef("article_id"),
        person_id=OuterRef("person_id"),
    )
    return ~Q(Exists(earlier))
