"""Querysets compiled to SQL once per process, then run with other values.

Building and compiling a Django queryset costs more than running it on an indexed
archive: a reader page's half-dozen lookups spent most of their time in the ORM, not in
the database. :class:`Prepared` keeps the ORM as the one place a query is written (the
visibility rules of ``published()`` and friends included) and pays for it once:

    PAGE_ROWS = Prepared(
        lambda issue_id: Page.objects.filter(issue_id=issue_id).values("pk", "number"),
        samples=((1,), (2,)),
    )
    PAGE_ROWS.rows(issue.pk)      # [{"pk": …, "number": …}, …]

The first call on a database (and for each ``shape``) compiles the queryset built from
both sample argument tuples, and once more from the first: the SQL text must be the same
each time. Each parameter that differs between the samples is an argument's (converted as
the ORM converted the sample: as is, or as the backend stores a date or datetime); one
that differs between two builds from the same samples is the current time
(``timezone.now()`` in a rule such as ``published()``), taken afresh on every run; the rest
are constants. Anything else (an argument that changes the SQL text, an unknown
conversion) is refused when the query is first compiled, never guessed at.

``shape`` (keyword arguments) selects a variant of the query whose SQL differs, such as
whether the reader sees drafts, or a page's slice: each is compiled once.
Rows come back as dicts (``values()`` names) with the ORM's converters applied.

On PostgreSQL the server, too, does the work once: :func:`together` runs each query as a
*prepared statement* of its connection (psycopg's server-side binding, ``prepare=True``),
so the backend parses it once per connection instead of on every request, and — as our
backend opens its connections with ``plan_cache_mode = force_generic_plan``, which only
prepared statements obey, and only these queries are prepared — plans it once too. Measured
at 1,000,000 articles, that was most of the backend's CPU: a reader page's queries ran in
0.1–0.5 ms each but were planned in 0.2–1 ms each. PostgreSQL's own choice (``auto``) kept
re-planning the newest-first lists, whose ``published_at <= now`` it cannot estimate without
the value; their generic plans are the same index walks (the keys are ids, dates and slugs).
"""

from __future__ import annotations

import contextlib
import datetime
import time
from collections.abc import Callable

from django.db import connections, router
from django.db.models import QuerySet
from django.utils import timezone

#: Compiled shapes kept per query (a list's slices are shapes: a crawler walking every
#: page of a long list must not grow a worker without bound); the oldest goes first.
MAX_PLANS = 256


class PreparedQueryError(ValueError):
    """A queryset that cannot be prepared (its SQL depends on the arguments' values)."""


class _Plan:
    def __init__(self, sql, compiler, names, slots):
        self.sql, self.compiler, self.names, self.slots = sql, compiler, names, slots
        # The ORM's converters of the selected columns, found once (results_iter() would
        # look them up for every run); a composite column keeps the ORM's own path.
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        self.composite = compiler.has_composite_fields(fields)
        self.converters = compiler.get_converters(fields)


def _compile(qs: QuerySet, using: str):
    compiler = qs.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    return sql, tuple(params), compiler


class Prepared:
    """A ``values()`` queryset built by ``build(*args, **shape)``, compiled once per
    database and shape, run by :meth:`rows` with new arguments."""

    def __init__(self, build: Callable[..., QuerySet], samples: tuple[tuple, tuple]):
        first, second = samples
        if len(first) != len(second) or any(a == b for a, b in zip(first, second, strict=True)):
            raise PreparedQueryError("the two samples must differ in every argument")
        self.build = build
        self.samples = (tuple(first), tuple(second))
        self._plans: dict[tuple, _Plan] = {}
        self._model = None

    # ------------------------------------------------------------ preparing

    def _conversions(self, connection) -> list[Callable]:
        ops = connection.ops
        return [
            lambda v: v,
            lambda v: ops.adapt_datefield_value(v) if isinstance(v, datetime.date) else None,
            lambda v: ops.adapt_datetimefield_value(v) if isinstance(v, datetime.datetime) else None,
            str,
        ]

    def _plan(self, using: str, shape: dict) -> _Plan:
        connection = connections[using]
        first, second = self.samples
        qs = self.build(*first, **shape).using(using)
        query = qs.query
        if query.values_select == () and not query.annotation_select:
            raise PreparedQueryError("build() must return a values() queryset")
        sql, base, compiler = _compile(qs, using)
        time.sleep(0.001)  # so that timezone.now() is another value in the second build
        again_sql, again, _ = _compile(self.build(*first, **shape).using(using), using)
        if again_sql != sql:
            raise PreparedQueryError("the SQL changes from one build to the next")
        slots: list[tuple] = []
        for value, other in zip(base, again, strict=True):
            if value == other:
                slots.append(("const", value))
            elif isinstance(value, datetime.datetime) or _looks_like_datetime(value):
                slots.append(("now",))
            else:
                raise PreparedQueryError(f"a parameter changes by itself: {value!r}")
        conversions = self._conversions(connection)
        for k in range(len(first)):
            args = list(first)
            args[k] = second[k]
            other_sql, params, _ = _compile(self.build(*args, **shape).using(using), using)
            if other_sql != sql:
                raise PreparedQueryError(f"argument {k} changes the SQL text, not only its parameters")
            for i, (value, other) in enumerate(zip(base, params, strict=True)):
                if slots[i][0] == "now" or value == other:
                    continue
                convert = next(
                    (c for c in conversions if c(first[k]) == value and c(second[k]) == other), None
                )
                if convert is None:
                    raise PreparedQueryError(f"argument {k}: cannot tell how {first[k]!r} became {value!r}")
                slots[i] = ("arg", k, convert)
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        return _Plan(sql, compiler, names, slots)

    # ------------------------------------------------------------ running

    def rows(self, *args, using: str | None = None, **shape) -> list[dict]:
        """The rows of ``build(*args, **shape)``, as ``values()`` would give them."""
        return together(self.call(*args, using=using, **shape))[0]

    def call(self, *args, using: str | None = None, **shape) -> Call:
        """The query with these arguments, to run with others by :func:`together`."""
        if using is None:
            if self._model is None:
                self._model = self.build(*self.samples[0], **shape).model
            using = router.db_for_read(self._model)
        key = (using, tuple(sorted(shape.items())))
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) >= MAX_PLANS:
                del self._plans[next(iter(self._plans))]
            plan = self._plans[key] = self._plan(using, shape)
        return Call(using, plan, args)


class Call:
    """A prepared query with its arguments, not yet run."""

    def __init__(self, using: str, plan: _Plan, args: tuple):
        self.using, self.plan, self.args = using, plan, args

    def params(self, now) -> list:
        params = []
        for slot in self.plan.slots:
            kind = slot[0]
            if kind == "const":
                params.append(slot[1])
            elif kind == "arg":
                params.append(slot[2](self.args[slot[1]]))
            else:
                params.append(now)
        return params

    def convert(self, found) -> list[dict]:
        plan = self.plan
        names = plan.names
        if plan.composite:
            rows = plan.compiler.results_iter(results=[found])
        elif plan.converters:
            rows = plan.compiler.apply_converters(found, plan.converters)
        else:
            rows = found
        return [dict(zip(names, row, strict=True)) for row in rows]


def together(*calls: Call) -> list[list[dict]]:
    """Run prepared queries of one database and return their rows, in order: on
    PostgreSQL in one round trip (psycopg's pipeline mode: sent together, answered
    together), each a prepared statement of the connection (see the module docstring);
    elsewhere one after the other. Each still counts as a query (Django's cursor runs
    it); they see the same current time."""
    if not calls:
        return []
    using = calls[0].using
    if any(c.using != using for c in calls):
        raise ValueError("together() runs queries of one database")
    connection = connections[using]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    cursors = []
    try:
        connection.ensure_connection()
        pipeline = (
            connection.connection.pipeline()
            if connection.vendor == "postgresql"
            and len(calls) > 1
            and hasattr(connection.connection, "pipeline")
            else contextlib.nullcontext()
        )
        # Our PostgreSQL backend's cursor that runs each query as a prepared statement.
        make_cursor = getattr(connection, "preparing_cursor", connection.cursor)
        with connection.wrap_database_errors, pipeline:
            for c in calls:
                cursor = make_cursor()
                cursors.append(cursor)
                cursor.execute(c.plan.sql, c.params(now))
            results = [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()
    return [c.convert(found) for c, found in zip(calls, results, strict=True)]


def _looks_like_datetime(value) -> bool:
    """A datetime as SQLite's backend passes it: ``2026-12-01 15:00:00.123456``."""
    if not isinstance(value, str) or len(value) < 19:
        return False
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
