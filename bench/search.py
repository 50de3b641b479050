"""Search benchmark: the bigram index against a plain LIKE scan, on SQLite and PostgreSQL.

Builds (or reuses) an archive of ``--articles`` generated articles (bench/archive.py) in
``bench/out/bench.sqlite3`` and in the PostgreSQL database ``newsroom_bench``, then runs
each query class many times through ``search_articles(Article.objects.published(), q)``
— the first page of 20, ranked, and the total count a paginator asks for — and through
a LIKE scan of the same fields, and prints a markdown table of median and 95th
percentile times in milliseconds. "结果数" is what ``search_articles`` returns: at most
the newest 2,000 matches (the ranking window).

    python bench/search.py                      # both databases, 200,000 articles
    python bench/search.py --only sqlite --articles 50000 --repeat 30
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/other python bench/search.py --only postgresql

A request's cost is timed: ``search_articles()`` reads the window from the index (once),
then the first 20 rows, or the count. The load average of the machine before and after
each database's run is printed under the table. On a shared machine wall-clock times
follow the load, so the last column is what does not: the mean CPU milliseconds of one
first-page request, this process plus its PostgreSQL backend (read from /proc; the
client's alone when the server is elsewhere), index / LIKE.

Each database is benchmarked in a fresh process (Django is configured once per process).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DATABASES = {
    "sqlite": os.environ.get("BENCH_SQLITE_URL", f"sqlite:///{OUT / 'bench.sqlite3'}"),
    "postgresql": os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench"),
}
QUERIES = {
    "2 字": ["工会", "职工", "劳动", "书屋", "维权", "企业"],
    "4 字": ["劳动竞赛", "产业工人", "思想政治", "职工书屋", "技能提升"],
    "人名": ["马学礼", "邹偶然", "夏同军", "崔晓雪"],
    "多词": ["工会 职工", "产业工人 宁夏", "劳模 工匠 宣讲", "工会 马学礼"],
    "短语": ["新就业形态劳动者", '"中国梦·劳动美"', "“百名工会干部进千企”"],
    "无命中": ["马斯克", "区块链", "量子计算机"],
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run_one(name: str, url: str, articles: int, repeat: int, like_repeat: int) -> dict:
    """In this process: build the archive if needed, then time every query class."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from archive import build_archive, setup_django

    setup_django(url)
    from django.db import connection, reset_queries
    from django.db.models import Q, TextField
    from django.db.models.functions import Cast

    from articles.models import Article
    from articles.search import parse_query, search_articles

    have = Article.objects.count()
    if have < articles:
        print(f"[{name}] building {articles - have} articles …", file=sys.stderr)
        print(f"[{name}] {build_archive(articles - have)}", file=sys.stderr)
    if connection.vendor == "postgresql" and not os.environ.get("BENCH_NO_VACUUM"):
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Article.objects.count()

    def like(q):
        # A LIKE scan of the same fields. SQLite stores JSON with \uXXXX escapes, so the
        # body is matched against the escaped term there.
        qs = Article.objects.published().annotate(bench_body=Cast("body", TextField()))
        for term in parse_query(q):
            body_term = json.dumps(term)[1:-1] if connection.vendor == "sqlite" else term
            qs = qs.filter(
                Q(title__contains=term)
                | Q(kicker__contains=term)
                | Q(subtitle__contains=term)
                | Q(bench_body__contains=body_term)
            )
        return qs.order_by("-page__issue__date", "page__number", "position")

    backend_stat = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend_stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
        if not backend_stat.exists():  # the server is on another machine: client CPU only
            backend_stat = None
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu_seconds():
        """CPU time of this process and of its database backend (robust to the machine's load)."""
        cpu = time.process_time()
        if backend_stat is not None:
            fields = backend_stat.read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        return cpu

    def timed(fn, n, cpu=None):
        times = []
        started = cpu_seconds()
        for _ in range(n):
            reset_queries()
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        if cpu is not None:
            cpu.append((cpu_seconds() - started) * 1000 / n)
        return times

    rows = []

    def first_page(q):  # what the search page does: read the window, rank, fetch 20 and theirs
        return list(search_articles(Article.objects.published().with_page().with_bylines(), q)[:20])

    def count_of(q):  # what its paginator adds: the window again, and the count
        return search_articles(Article.objects.published(), q).count()

    load_before = os.getloadavg()
    for label, queries in QUERIES.items():
        page, count, scan, scan_count, hits, page_cpu, scan_cpu = [], [], [], [], [], [], []
        for q in queries:
            qs = search_articles(Article.objects.published(), q)
            first_page(q)  # warm the cache
            page += timed(lambda q=q: first_page(q), repeat, page_cpu)
            count += timed(lambda q=q: count_of(q), max(3, repeat // 4))
            scan_hits = []
            if like_repeat:  # --like-repeat 0: no LIKE scans (they take minutes at 1.5 million)
                scan += timed(lambda q=q: list(like(q)[:20]), like_repeat, scan_cpu)
                scan_count += timed(lambda q=q, out=scan_hits: out.append(like(q).count()), like_repeat)
            hits.append(f"{qs.count()}/{scan_hits[-1] if scan_hits else '?'}")
        rows.append(
            {
                "class": label,
                "queries": " ".join(queries),
                "matches": " ".join(hits),
                "page_median": statistics.median(page),
                "page_p95": percentile(page, 95),
                "count_median": statistics.median(count),
                "count_p95": percentile(count, 95),
                "like_median": statistics.median(scan) if scan else float("nan"),
                "like_p95": percentile(scan, 95) if scan else float("nan"),
                "like_count_median": statistics.median(scan_count) if scan else float("nan"),
                "like_count_p95": percentile(scan_count, 95) if scan else float("nan"),
                "page_cpu": statistics.mean(page_cpu),
                "like_cpu": statistics.mean(scan_cpu) if scan_cpu else float("nan"),
            }
        )
    load = f"{load_before[0]:.1f} → {os.getloadavg()[0]:.1f}"
    return {"database": name, "articles": total, "rows": rows, "load": load}


def table(results: list[dict]) -> str:
    lines = [
        "| 数据库 | 查询类别 | 结果数/LIKE 命中数 | 前 20 条 中位数 | 前 20 条 p95 | 计数 中位数 | 计数 p95 "
        "| LIKE 前 20 条 中位数 | LIKE 前 20 条 p95 | LIKE 计数 中位数 | LIKE 计数 p95 "
        "| p95 倍数 前 20 / 计数 | CPU 前 20 条 索引 / LIKE |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        for r in result["rows"]:
            lines.append(
                f"| {result['database']} ({result['articles']:,}) | {r['class']} | {r['matches']} "
                f"| {r['page_median']:.1f} | {r['page_p95']:.1f} | {r['count_median']:.1f} "
                f"| {r['count_p95']:.1f} | {r['like_median']:.0f} | {r['like_p95']:.0f} "
                f"| {r['like_count_median']:.0f} | {r['like_count_p95']:.0f} "
                f"| {r['like_p95'] / r['page_p95']:.0f}× / {r['like_count_p95'] / r['count_p95']:.0f}× "
                f"| {r['page_cpu']:.1f} / {r['like_cpu']:.0f} |"
            )
    loads = ", ".join(f"{r['database']}: load average {r['load']}" for r in results)
    return "\n".join(lines) + f"\n\n({loads}; 2 cores)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per query (index)")
    parser.add_argument("--like-repeat", type=int, default=3, help="timed runs per query (LIKE scan)")
    parser.add_argument("--only", choices=sorted(DATABASES), help="benchmark one database only")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        result = run_one(args.worker, DATABASES[args.worker], args.articles, args.repeat, args.like_repeat)
        print(json.dumps(result))
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for name in [args.only] if args.only else list(DATABASES):
        cmd = [
            sys.executable,
            __file__,
            "--worker",
            name,
            "--articles",
            str(args.articles),
            "--repeat",
            str(args.repeat),
            "--like-repeat",
            str(args.like_repeat),
        ]
        env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "bench", "DATABASE_CONN_MAX_AGE": "0"}
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        sys.stderr.write(proc.stderr)
        if proc.returncode:
            print(f"{name}: benchmark failed", file=sys.stderr)
            return proc.returncode
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(table(results))
    (OUT / "search.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
