"""Build a large synthetic archive from the seed pages, fast, for benchmarks.

``build_archive(articles)`` fills the *current* Django database with published issues,
pages, articles, bylines, photos and photo credits made from the seed pages' real
Chinese text (paragraphs, short lines as titles, the people named in the bylines), then
indexes the new articles for search. Everything is written with ``bulk_create`` in
batches, so 200,000 articles take a few minutes on a small machine.

Command line (sets up Django itself)::

    python bench/archive.py --articles 200000 --database-url sqlite:///bench/out/bench.sqlite3
    python bench/archive.py --articles 200000 --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench

The database is migrated first; a missing PostgreSQL database is created.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COLUMNS = [
    ("主席之声", "zhu-xi-zhi-sheng"),
    ("工会博览", "gong-hui-bo-lan"),
    ("履职手记", "lu-zhi-shou-ji"),
    ("新闻特写", "xin-wen-te-xie"),
    ("劳模风采", "lao-mo-feng-cai"),
    ("维权在线", "wei-quan-zai-xian"),
    ("一线视角", "yi-xian-shi-jiao"),
]
PAGE_NAMES = ["要闻", "工会新闻", "新闻", "评论", "产经", "视点", "文化", "职工生活"]
# People named in the seed pages' bylines (extended by what the regex below finds).
KNOWN_PEOPLE = [
    "马学礼", "李丹青", "邹偶然", "夏同军", "李丰", "张玺", "崔晓雪", "彭冰", "柳姗姗",
    "官思妍", "郑莉", "刘友婷", "钱培坚", "田国全", "杨长武",
]  # fmt: skip
_BYLINE_NAME = re.compile(r"(?:记者|通讯员|实习生)\s*([\u4e00-\u9fff]{2,3})(?=[）)\s、,，])")
_MARKUP = re.compile(r"^[#*\s]+|[*]+")


def load_seed_text(seed_dir: Path) -> tuple[list[str], list[str], list[str]]:
    """Paragraphs, title-like short lines and people's names from the seed pages."""
    paragraphs: list[str] = []
    titles: list[str] = []
    people = list(KNOWN_PEOPLE)
    for path in sorted(Path(seed_dir).glob("*.txt")):
        raw = path.read_bytes()
        text = raw.decode("utf-8", errors="replace")
        for name in _BYLINE_NAME.findall(text):
            if name not in people:
                people.append(name)
        for line in text.splitlines():
            line = _MARKUP.sub("", line).strip()
            if not line or "\ufffd" in line:
                continue
            if 6 <= len(line) <= 30 and not line.endswith(("。", "，", ",", "：", ":")):
                titles.append(line)
            elif len(line) >= 30:
                paragraphs.append(line)
    if not paragraphs or not titles:
        raise ValueError(f"no usable text in {seed_dir}")
    return paragraphs, titles, people


def build_archive(
    articles: int,
    *,
    seed_dir: Path = ROOT / "seeds",
    end: datetime.date | None = None,
    per_page: int = 8,
    pages_per_issue: int = 8,
    batch: int = 5000,
    seed: int = 20201023,
    index: bool = True,
    progress=None,
) -> dict:
    """Add ``articles`` published articles to the current database; returns counts and timings.

    Issue dates run back from ``end`` (default: yesterday, so every generated article is
    already published and readers see the newest ones; dates already taken are skipped),
    oldest first in the database, like a real archive that grew day by day. Each issue has
    ``pages_per_issue`` pages of ``per_page`` articles. ``progress`` is an optional
    callable receiving a line of text after each batch.
    """
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, Byline, Column, Issue, Page, Person, Photo, PhotoCredit, Role
    from articles.search import reindex_articles

    rng = random.Random(seed)
    paragraphs, titles, names = load_seed_text(Path(seed_dir))
    started = time.monotonic()

    columns = []
    for name, slug in COLUMNS:
        column = Column.objects.filter(name=name).first()
        if column is None:
            column = Column.objects.create(name=name, slug=slug)
        columns.append(column)
    people = []
    for name in names:
        person, _ = Person.objects.get_or_create(name=name, affiliation="")
        people.append(person)

    per_issue = per_page * pages_per_issue
    n_issues = math.ceil(articles / per_issue)
    taken = set(Issue.objects.values_list("date", flat=True))
    day = end or (timezone.localdate() - datetime.timedelta(days=1))
    dates = []
    while len(dates) < n_issues:
        if day not in taken:
            dates.append(day)
        day -= datetime.timedelta(days=1)
    dates.reverse()

    roles = [Role.REPORTER, Role.REPORTER, Role.CORRESPONDENT, Role.INTERN]
    counts = {"issues": 0, "pages": 0, "articles": 0, "bylines": 0, "photos": 0, "photo_credits": 0}
    new_ids: list[int] = []
    issues_per_batch = max(1, batch // per_issue)
    remaining = articles
    tz = timezone.get_current_timezone()

    for first in range(0, len(dates), issues_per_batch):
        chunk_dates = dates[first : first + issues_per_batch]
        with transaction.atomic():
            issues = Issue.objects.bulk_create([Issue(date=d) for d in chunk_dates])
            pages = Page.objects.bulk_create(
                [
                    Page(issue=issue, number=n, name=PAGE_NAMES[(n - 1) % len(PAGE_NAMES)])
                    for issue in issues
                    for n in range(1, pages_per_issue + 1)
                ]
            )
            new_articles = []
            for page in pages:
                published = datetime.datetime.combine(page.issue.date, datetime.time(6, 0), tzinfo=tz)
                for position in range(1, per_page + 1):
                    if remaining - len(new_articles) <= 0:
                        break
                    new_articles.append(_make_article(rng, page, position, published, paragraphs, titles))
            for art in new_articles:
                art.column = rng.choice(columns) if rng.random() < 0.3 else None
            Article.objects.bulk_create(new_articles, batch_size=1000)

            bylines, photos = [], []
            for art in new_articles:
                for order, person in enumerate(rng.sample(people, rng.choice((1, 1, 2, 3)))):
                    bylines.append(Byline(article=art, person=person, role=rng.choice(roles), order=order))
                if art.position == 1:
                    photos.append(
                        Photo(
                            page=art.page,
                            article=art if rng.random() < 0.7 else None,
                            position=1,
                            title=rng.choice(titles),
                            caption=rng.choice(paragraphs)[:120],
                        )
                    )
            Byline.objects.bulk_create(bylines, batch_size=2000)
            Photo.objects.bulk_create(photos, batch_size=1000)
            credits = [
                PhotoCredit(photo=photo, person=rng.choice(people), role=Role.PHOTOGRAPHER)
                for photo in photos
            ]
            PhotoCredit.objects.bulk_create(credits, batch_size=2000)
            ids = [a.pk for a in new_articles]
            if index:
                reindex_articles(ids)
        new_ids.extend(ids)
        remaining -= len(new_articles)
        counts["issues"] += len(issues)
        counts["pages"] += len(pages)
        counts["articles"] += len(new_articles)
        counts["bylines"] += len(bylines)
        counts["photos"] += len(photos)
        counts["photo_credits"] += len(credits)
        if progress:
            progress(f"{counts['articles']:>8} articles  {time.monotonic() - started:7.1f} s")
        if remaining <= 0:
            break

    counts["seconds"] = round(time.monotonic() - started, 1)
    counts["first_date"] = dates[0].isoformat() if dates else None
    counts["last_date"] = dates[-1].isoformat() if dates else None
    return counts


def copy_archive(copies: int, progress=None) -> dict:
    """Copy every issue (with its pages, articles, bylines, photos, credits) ``copies`` times,
    each copy dated before the last: a big archive in minutes instead of hours.

    ``INSERT … SELECT`` per table inside the database, ids shifted by a multiple of each
    table's largest id and issue dates (and publication times) moved back by a multiple of
    the span of dates the archive covers; people and columns are shared. Meant for a fresh
    archive that :func:`build_archive` wrote (contiguous ids, one issue per day); the text
    repeats, which the reader-site and cache benches do not mind (the search bench does:
    build its archive without copies). The copies' derived columns are copied too (the
    print-order copies moved back with their dates): the change path is not told about
    rows nobody has seen, so nothing of the page cache needs making stale.
    """
    from django.db import connection, transaction
    from django.db.models import Max, Min

    from articles.models import Article, Byline, Issue, Page, Photo, PhotoCredit

    started = time.monotonic()
    first, last = (Issue.objects.aggregate(a=Min("date"), b=Max("date"))[k] for k in ("a", "b"))
    if first is None or copies < 1:
        return {"copies": 0}
    span = (last - first).days + 1
    models = [Issue, Page, Article, Byline, Photo, PhotoCredit]
    top = {m: m._base_manager.aggregate(n=Max("pk"))["n"] or 0 for m in models}
    postgres = connection.vendor == "postgresql"
    q = connection.ops.quote_name
    shifted_dates = {
        (Issue, "date"),
        (Article, "published_at"),
        (Article, "issue_date"),
        (Byline, "issue_date"),
        (PhotoCredit, "issue_date"),
    }

    def shift(column: str, days: int, is_date: bool) -> str:
        if postgres:
            return f"{q(column)} - {days}" if is_date else f"{q(column)} - interval '{days} days'"
        fn = "date" if is_date else "strftime"
        if is_date:
            return f"{fn}({q(column)}, '-{days} days')"
        return f"strftime('%%Y-%%m-%%d %%H:%%M:%%f', {q(column)}, '-{days} days')"  # %% : a parameter style

    for k in range(1, copies + 1):
        with transaction.atomic():
            for model in models:
                columns, exprs = [], []
                for f in model._meta.concrete_fields:
                    col = f.column
                    columns.append(q(col))
                    target = f.related_model if f.is_relation else (model if f.primary_key else None)
                    if target in top:
                        exprs.append(f"{q(col)} + {k * top[target]}")
                    elif (model, f.name) in shifted_dates:
                        exprs.append(shift(col, k * span, f.get_internal_type() == "DateField"))
                    else:
                        exprs.append(q(col))
                table = q(model._meta.db_table)
                pk = q(model._meta.pk.column)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(exprs)} "
                        f"FROM {table} WHERE {pk} <= %s",
                        [top[model]],
                    )
        if progress:
            progress(f"copy {k}/{copies}  {time.monotonic() - started:7.1f} s")
    if postgres:
        with connection.cursor() as cursor:
            for model in models:
                table, pk = model._meta.db_table, model._meta.pk.column
                top_id = f"(SELECT MAX({q(pk)}) FROM {q(table)})"
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{pk}'), {top_id})")
    return {
        "copies": copies,
        "articles": Article._base_manager.count(),
        "first_date": (first - datetime.timedelta(days=copies * span)).isoformat(),
        "seconds": round(time.monotonic() - started, 1),
    }


def _make_article(rng, page, position, published, paragraphs, titles):
    from articles.models import Article, BlockType

    body = []
    for i in range(rng.choice((1, 2, 2, 3, 4))):
        if i and rng.random() < 0.15:
            body.append({"type": BlockType.SUBHEAD, "text": rng.choice(titles)})
        body.append({"type": BlockType.PARAGRAPH, "text": rng.choice(paragraphs)})
    title = rng.choice(titles)
    if rng.random() < 0.5:
        title = f"{title}（{page.issue.date.year}）"
    return Article(
        page=page,
        position=position,
        kicker=rng.choice(titles) if rng.random() < 0.25 else "",
        title=title[:300],
        subtitle=rng.choice(titles) if rng.random() < 0.2 else "",
        dateline="本报讯",
        body=body,
        status=Article.Status.PUBLISHED,
        published_at=published,
    )


def setup_django(database_url: str | None) -> None:
    """Point Django at ``database_url`` (creating a missing PostgreSQL database) and migrate."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        if database_url.startswith(("postgres://", "postgresql://")):
            _create_postgres_database(database_url)
        elif database_url.startswith("sqlite:///"):
            Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _create_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    admin = {
        "dbname": "postgres",
        "user": cfg["USER"],
        "host": cfg["HOST"] or None,
        "port": cfg["PORT"] or None,
    }
    if cfg.get("PASSWORD"):
        admin["password"] = cfg["PASSWORD"]
    with psycopg.connect(**admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE \"{cfg['NAME']}\" ENCODING 'UTF8' TEMPLATE template0")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build a synthetic archive from the seed pages.")
    parser.add_argument("--articles", type=int, default=200_000, help="how many articles to add")
    parser.add_argument("--database-url", help="target database (default: DATABASE_URL or db.sqlite3)")
    parser.add_argument("--seed-dir", type=Path, default=ROOT / "seeds")
    parser.add_argument(
        "--end", type=datetime.date.fromisoformat, default=None, help="newest issue date (default: yesterday)"
    )
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument(
        "--copies",
        type=int,
        default=0,
        help="then copy the archive this many times, each copy dated before the last "
        "(--articles 125000 --copies 7: 1,000,000 articles; see copy_archive)",
    )
    parser.add_argument("--no-index", action="store_true", help="no search index (site benches need none)")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    if args.copies < 0:
        parser.error("--copies must be 0 or more")
    setup_django(args.database_url)
    if args.no_index or args.copies:
        from articles.changes import changes_committing

        changes_committing.disconnect(dispatch_uid="search-index")
    result = build_archive(
        args.articles,
        seed_dir=args.seed_dir,
        end=args.end,
        batch=args.batch,
        index=not (args.no_index or args.copies),
        progress=print,
    )
    print(result)
    if args.copies:
        print(copy_archive(args.copies, progress=print))
    return 0


if __name__ == "__main__":
    sys.exit(main())
