"""Insert many new rows of several models in a few statements: the importer's fast path.

The ORM's ``bulk_create`` builds a model instance, prepares every field and sends a signal
per call; for a batch of fresh pages (about 25 rows each over 8 tables) that cost more than
parsing them. :class:`NewRows` collects plain rows instead (attribute name -> Python value,
the model's defaults for what is left out) and writes each table with one statement:
``executemany`` on SQLite, ``COPY`` on PostgreSQL. Ids are allocated beforehand
(:func:`allocate_ids`), so children can point at their parents before anything is written.

This writes past the ORM: whoever uses it tells the change path what it wrote
(:func:`articles.changes.record_created`).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.db import connection, models
from django.utils import timezone

_PLANS: dict[tuple[str, type], list] = {}


def _plan(model: type[models.Model]) -> list[tuple[str, str, Callable | None, Callable | None]]:
    """Per concrete field: (attname, column, default (None: the primary key, given or left to
    the database), to-database converter (None: the value as it is))."""
    key = (connection.vendor, model)
    if key not in _PLANS:
        ops = connection.ops
        plan = []
        for f in model._meta.concrete_fields:
            if isinstance(f, models.JSONField):
                prep = _json  # what JSONField stores (no encoder set on our fields), as UTF-8
            elif connection.vendor == "sqlite" and isinstance(f, models.DateTimeField):
                prep = ops.adapt_datetimefield_value
            elif connection.vendor == "sqlite" and isinstance(f, models.DateField):
                prep = ops.adapt_datefield_value
            elif isinstance(
                f, (models.CharField, models.TextField, models.IntegerField, models.BooleanField)
            ):
                prep = None
            elif isinstance(f, (models.DateTimeField, models.DateField)):
                prep = None  # psycopg adapts dates and aware datetimes itself
            elif f.is_relation:
                prep = None
            else:
                prep = _generic(f)
            if f.primary_key:
                default = None
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = timezone.now
            else:
                default = f.get_default
            plan.append((f.attname, f.column, default, prep))
        _PLANS[key] = plan
    return _PLANS[key]


def _json(value) -> str:
    """JSON as JSONField stores it, but with the text as UTF-8 rather than ``\\uXXXX``
    escapes (the same value read back): half the bytes of Chinese text to write (SQLite)
    or send and parse (PostgreSQL)."""
    return json.dumps(value, ensure_ascii=False)


def _generic(field) -> Callable:
    return lambda value: field.get_db_prep_save(value, connection)


def allocate_ids(counts: dict[type[models.Model], int]) -> dict[type[models.Model], list[int]]:
    """Fresh primary keys for ``counts[model]`` new rows of each model, in one or two queries.

    PostgreSQL: taken from each table's sequence (never handed out twice). SQLite: the ids
    after the highest ever used (``sqlite_sequence``, as AUTOINCREMENT does, so an id of
    a deleted row is never reused); safe because an import's transaction holds SQLite's
    write lock (IMMEDIATE) from its start, so nobody else inserts meanwhile.
    """
    counts = {m: n for m, n in counts.items() if n}
    if not counts:
        return {}
    out: dict[type[models.Model], list[int]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            parts, params = [], []
            for model, n in counts.items():
                parts.append(
                    "(SELECT array_agg(nextval(pg_get_serial_sequence(%s, %s))) FROM generate_series(1, %s))"
                )
                params += [model._meta.db_table, model._meta.pk.column, n]
            cursor.execute("SELECT " + ", ".join(parts), params)
            for model, ids in zip(counts, cursor.fetchone(), strict=True):
                out[model] = sorted(ids)
        else:
            for model, n in counts.items():
                table, pk = model._meta.db_table, model._meta.pk.column
                cursor.execute(
                    f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                    f'coalesce((SELECT max("{pk}") FROM "{table}"), 0))',
                    [table],
                )
                start = cursor.fetchone()[0]
                out[model] = list(range(start + 1, start + n + 1))
    return out


class NewRows:
    """New rows, by model, written with one statement per table (:meth:`write`)."""

    def __init__(self) -> None:
        self.rows: dict[type[models.Model], list[dict]] = {}

    def add(self, model: type[models.Model], **values) -> dict:
        """One new row (attribute names, e.g. ``page_id``); returns its dict (fill in later)."""
        self.rows.setdefault(model, []).append(values)
        return values

    def write(self, order: list[type[models.Model]], ignore_conflicts=frozenset()) -> None:
        """Insert every row, table by table in ``order`` (parents before children); rows of
        the models in ``ignore_conflicts`` that would break a unique constraint are skipped."""
        with connection.cursor() as cursor:
            for model in order:
                rows = self.rows.get(model)
                if rows:
                    _insert(cursor, model, rows, model in ignore_conflicts)


def _insert(cursor, model, rows: list[dict], ignore_conflicts: bool = False) -> None:
    plan = _plan(model)
    # Columns: every field a row gives, and every other field but an auto primary key.
    given = set().union(*(row.keys() for row in rows))
    fields = [p for p in plan if p[0] in given or p[2] is not None]
    tuples = []
    done: dict = {}  # converted values by (field, value): the batch's rows share their times
    for row in rows:
        values = []
        for attname, _, default, prep in fields:
            value = row[attname] if attname in row else default()
            if prep is not None and value is not None:
                if isinstance(value, (dict, list)):
                    value = prep(value)
                else:
                    key = (attname, value)
                    converted = done.get(key)
                    if converted is None:
                        converted = done[key] = prep(value)
                    value = converted
            values.append(value)
        tuples.append(values)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(p[1]) for p in fields)
    marks = ", ".join(["%s"] * len(fields))
    if ignore_conflicts:  # no COPY: it cannot skip a row
        sql = "INSERT OR IGNORE" if connection.vendor == "sqlite" else "INSERT"
        tail = " ON CONFLICT DO NOTHING" if connection.vendor == "postgresql" else ""
        cursor.executemany(f"{sql} INTO {table} ({columns}) VALUES ({marks}){tail}", tuples)
    elif connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for values in tuples:
                copy.write_row(values)
    else:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuples)
