"""Benchmark the reader site with gunicorn over a large generated archive.

What it does (everything lives under bench/out/, which git ignores):

1. a fresh SQLite database ``bench/out/site.sqlite3``, migrated, filled by
   ``bench/archive.py``'s ``build_archive`` with ``--articles`` published articles
   (default 100,000) made from the seed pages' text;
2. a settings module ``bench/out/bench_settings.py`` that is the product's settings plus
   a bench-only URL ``/_bench/hello/`` (a hello-world view on the same server and
   middleware), and ``collectstatic`` into bench/out/staticfiles;
   ``ANALYZE`` gives SQLite's planner its statistics (as ``PRAGMA optimize`` would);
3. gunicorn with 1 sync worker on 127.0.0.1, ``DJANGO_DEBUG=0`` and a throwaway secret;
4. ``wrk -t1 -c8 -d10s`` against the home, issue, page, article, column and person
   pages, each right after a run of the hello-world view (so each page's share is of a
   hello-world measured under the same load of the machine), first with the page cache
   as configured and then with the cache off (``--no-uncached`` skips that run), printing
   a markdown table of requests per second, 95th-percentile latency and the CPU time per
   request: the gunicorn worker's (user + system, from /proc) plus, on PostgreSQL, the
   server backends' serving it. The CPU share (hello-world's CPU per request over the
   page's) does not move with what else runs on the machine; the req/s share does.

Run it (takes a few minutes)::

    .venv/bin/python bench/site.py                 # 100,000 articles
    .venv/bin/python bench/site.py --reuse         # keep the database from the last run
    .venv/bin/python bench/site.py --articles 200000 --duration 20

Needs ``wrk`` (``make bench-setup`` installs it with apt-get).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DB = OUT / "site.sqlite3"
PYTHON = sys.executable

SETTINGS = '''\
"""Benchmark settings: the product's settings plus a hello-world URL (written by bench/site.py)."""

import os

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
STATIC_ROOT = {static_root!r}
if os.environ.get("BENCH_NO_CACHE") == "1":
    CACHES = {{
        "default": {{"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
        "pages": {{"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
    }}
'''

URLS = '''\
"""Benchmark URLs: /_bench/hello/ beside the product's URLs (written by bench/site.py)."""

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as product_urlpatterns


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("_bench/hello/", hello), *product_urlpatterns]
'''

# wrk prints this line when the run is done: requests/s, p95 latency (ms), errors, requests.
WRK_REPORT = """\
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %.1f %.2f %d %d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(95) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout, summary.requests))
end
"""


DATABASE_URL = f"sqlite:///{DB}"


def env_for(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": DATABASE_URL,
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": os.pathsep.join([str(OUT), str(ROOT)]),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-" + os.urandom(24).hex(),
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_LOG_LEVEL": "ERROR",
            # One PostgreSQL connection (and backend) for the whole run, whose CPU is counted.
            "DATABASE_CONN_MAX_AGE": "3600",
        }
    )
    env.update(extra or {})
    return env


def write_support_files() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_settings.py").write_text(SETTINGS.format(static_root=str(OUT / "staticfiles")))
    (OUT / "bench_urls.py").write_text(URLS)
    (OUT / "report.lua").write_text(WRK_REPORT)


def build_database(articles: int, index: bool) -> None:
    """Fresh database with ``articles`` published articles (in a child process)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    code = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT / "bench")!r})
        from archive import build_archive, setup_django
        setup_django(None)
        print(build_archive({articles}, index={index!r}, progress=print), flush=True)
        """
    )
    subprocess.run([PYTHON, "-c", code], env=env_for(), cwd=ROOT, check=True)


def analyze() -> None:
    """Give SQLite's query planner statistics, as ``PRAGMA optimize`` does in a deployment.

    Without them SQLite takes the (status, published_at) index, which matches nearly every
    article, for lookups by page or issue and reads the whole table.
    """
    code = (
        "import django; django.setup(); from django.db import connection as c; c.cursor().execute('ANALYZE')"
    )
    subprocess.run([PYTHON, "-c", code], env=env_for(), cwd=ROOT, check=True)


def count_articles() -> int:
    code = "import django; django.setup(); from articles.models import Article as A; print(A.objects.count())"
    out = subprocess.run(
        [PYTHON, "-c", code], env=env_for(), cwd=ROOT, check=True, capture_output=True, text=True
    )
    return int(out.stdout.strip())


def collectstatic() -> None:
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        env=env_for(),
        cwd=ROOT,
        check=True,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pick_urls() -> dict[str, str]:
    """One URL per page type, from the middle of the archive (not the newest issue)."""
    code = textwrap.dedent(
        """
        import django
        django.setup()
        from django.db.models import Count
        from articles.models import Article, Byline, Column
        arts = Article.objects.published().select_related("page__issue").order_by("pk")
        art = arts[arts.count() // 2]
        column = Column.objects.annotate(n=Count("articles")).order_by("-n").first()
        people = Byline.objects.values("person").annotate(n=Count("pk")).order_by("n")
        person = people[len(people) // 2]["person"]
        print("home /")
        print("issue", art.page.issue.get_absolute_url())
        print("page", art.page.get_absolute_url())
        print("article", art.get_absolute_url())
        print("column", column.get_absolute_url())
        print("person", f"/people/{person}/")
        """
    )
    out = subprocess.run(
        [PYTHON, "-c", code], env=env_for(), cwd=ROOT, check=True, capture_output=True, text=True
    )
    urls = {"hello-world": "/_bench/hello/"}
    urls.update(line.split(" ", 1) for line in out.stdout.strip().splitlines())
    return urls


def start_gunicorn(port: int, extra_env: dict[str, str]) -> subprocess.Popen:
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    proc = subprocess.Popen(
        [
            gunicorn,
            "newsroom.wsgi:application",
            "--workers=1",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        env=env_for(extra_env),
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_bench/hello/", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def check(port: int, urls: dict[str, str]) -> None:
    for name, url in urls.items():
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=30) as r:
            if r.status != 200:
                raise RuntimeError(f"{name} {url}: HTTP {r.status}")


def drain(port: int, seconds: float = 120) -> None:
    """Wait until the server has worked off requests wrk gave up on (timeouts of a slow page),
    so they do not slow the next page's run: until hello-world answers within 50 ms."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_bench/hello/", timeout=seconds):
            pass
        if time.monotonic() - started < 0.05:
            return


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def server_pids(proc: subprocess.Popen) -> list[int]:
    """The gunicorn worker(s) under the master ``proc``, and on PostgreSQL the backends
    connected to the bench database (the worker's connection: CONN_MAX_AGE keeps it)."""
    pids = []
    for task in Path(f"/proc/{proc.pid}/task").iterdir():
        pids += [int(p) for p in (task / "children").read_text().split()]
    if DATABASE_URL.startswith("postgres"):
        import dj_database_url
        import psycopg

        cfg = dj_database_url.parse(DATABASE_URL)
        with psycopg.connect(
            dbname=cfg["NAME"], user=cfg["USER"], host=cfg["HOST"] or None, port=cfg["PORT"] or None
        ) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        pids += [pid for (pid,) in rows]
    return pids


def wrk_report(port: int, url: str, duration: int, connections: int, script: str) -> list[str]:
    """Run wrk against ``url`` with the Lua ``script`` in bench/out/ and return the fields of
    the ``BENCH …`` line the script prints when done (bench/cache.py uses it too)."""
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout=10s",
            "-s",
            str(OUT / script),
            f"http://127.0.0.1:{port}{url}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    m = re.search(r"^BENCH (.*)$", out, re.M)
    if not m:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    return m.group(1).split()


def run_wrk(port: int, url: str, duration: int, connections: int, pids: list[int]) -> tuple:
    """requests/s, p95 ms, errors and CPU ms per request of ``pids``."""
    cpu_before = cpu_seconds(pids)
    rps, p95, errors, requests = wrk_report(port, url, duration, connections, "report.lua")
    cpu = cpu_seconds(pids) - cpu_before
    return float(rps), float(p95), int(errors), 1000 * cpu / max(int(requests), 1)


def measure(urls, duration, connections, extra_env) -> dict[str, tuple]:
    """Each page's (req/s, p95 ms, errors, CPU ms/request) and the hello-world run just
    before it."""
    port = free_port()
    proc = start_gunicorn(port, extra_env)
    try:
        check(port, urls)  # every page answers 200 (and the cache is warm)
        results = {}
        for name, url in urls.items():
            if name == "hello-world":
                continue
            hello = run_wrk(port, urls["hello-world"], duration, connections, server_pids(proc))
            drain(port)
            results[name] = (run_wrk(port, url, duration, connections, server_pids(proc)), hello)
            drain(port)
        return results
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pages", help="only these page types, e.g. home,issue")
    parser.add_argument("--reuse", action="store_true", help="keep bench/out/site.sqlite3 if it exists")
    parser.add_argument("--index", action="store_true", help="also build the search index (slower)")
    parser.add_argument("--no-uncached", action="store_true", help="skip the run with the page cache off")
    parser.add_argument("--no-cached", action="store_true", help="skip the run with the page cache on")
    parser.add_argument(
        "--database-url", help="measure an archive already built there (bench/archive.py), e.g. PostgreSQL"
    )
    args = parser.parse_args(argv)
    global DATABASE_URL
    if args.database_url:
        DATABASE_URL = args.database_url
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (make bench-setup)")

    write_support_files()
    if not args.database_url and not (args.reuse and DB.exists()):
        print(f"== building an archive of {args.articles:,} articles in {DB}", flush=True)
        build_database(args.articles, args.index)
    if not args.database_url:
        analyze()
    collectstatic()
    urls = pick_urls()
    if args.pages:
        wanted = {"hello-world", *args.pages.split(",")}
        urls = {name: url for name, url in urls.items() if name in wanted}
    print("== pages:", ", ".join(f"{k} {v}" for k, v in urls.items()), flush=True)

    runs = {}
    if not args.no_cached:
        runs["cached"] = measure(urls, args.duration, args.connections, {"BENCH_NO_CACHE": "0"})
    if not args.no_uncached:
        runs["uncached"] = measure(urls, args.duration, args.connections, {"BENCH_NO_CACHE": "1"})

    print()
    print(
        f"gunicorn 1 sync worker, `wrk -t1 -c{args.connections} -d{args.duration}s` on 127.0.0.1, "
        f"{'PostgreSQL' if DATABASE_URL.startswith('postgres') else 'SQLite'}, "
        f"{count_articles():,} articles; load average {os.getloadavg()[0]:.1f} at the end"
    )
    print(
        "(req/s share: of the hello-world run just before the page; CPU: the worker's"
        + (" + PostgreSQL's" if DATABASE_URL.startswith("postgres") else "")
        + " CPU ms per request, share = hello-world's over the page's)"
    )
    for mode, label in (("cached", "page cache on"), ("uncached", "page cache off")):
        if mode not in runs:
            continue
        print()
        print(f"{label}:")
        print()
        print(
            "| page | URL | req/s | p95 ms | hello-world req/s | share of hello-world "
            "| CPU ms/req | hello-world CPU ms/req | CPU share |"
        )
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, ((rps, p95, errors, cpu), (h_rps, _, h_err, h_cpu)) in runs[mode].items():
            row = (
                f"| {name} | `{urls[name]}` | {rps:,.0f} | {p95:.1f} | {h_rps:,.0f} | {rps / h_rps:.1%} "
                f"| {cpu:.2f} | {h_cpu:.2f} | {h_cpu / cpu:.1%} |"
            )
            if errors + h_err:
                row += f" ({errors + h_err} errors)"
            print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
