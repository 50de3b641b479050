"""Page-cache hit ratio while an editor saves one article per second.

Readers are replayed over a large archive (the one bench/site.py or bench/archive.py built)
against gunicorn with production settings; readers favour the newest issues and the home
page, with a long tail of old articles, columns, people and archive months. While they
read, an editor process saves one randomly chosen article per second through the ORM (the
same change path as the admin: freshness rows bumped in the saving transaction). Every
reader response says whether it came from the page cache (``X-Newsroom-Cache``), so the
bench reports the hit ratio, requests per second and latency, first with no edits and then
with the editor at work.

Run it (after ``bench/site.py`` has built ``bench/out/site.sqlite3``)::

    .venv/bin/python bench/cache.py                                  # SQLite, 2 workers
    .venv/bin/python bench/cache.py --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench
    .venv/bin/python bench/cache.py --cache-url redis://127.0.0.1:6379/5 --workers 4

Needs ``wrk`` (``make bench-setup``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable

_spec = importlib.util.spec_from_file_location("bench_site", ROOT / "bench" / "site.py")
bench_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_site)

WRK_SCRIPT = """\
local urls = {}
for line in io.lines("%(urls)s") do urls[#urls + 1] = line end
local threads = {}
setup = function(thread) threads[#threads + 1] = thread end
init = function(args) i = math.random(#urls); hits = 0; misses = 0; other = 0 end
request = function()
  i = i %% #urls + 1
  return wrk.format("GET", urls[i])
end
response = function(status, headers, body)
  local c = headers["X-Newsroom-Cache"]
  if c == "hit" then hits = hits + 1 elseif c == "miss" then misses = misses + 1 else other = other + 1 end
end
done = function(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); m = m + t:get("misses"); o = o + t:get("other") end
  local e = summary.errors
  io.write(string.format("BENCH %%d %%d %%d %%.1f %%.2f %%.2f %%d\\n", h, m, o,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
"""

PICK_URLS = """
import random, sys
import django
django.setup()
from django.db.models import Max
from articles.models import Article, Byline, Column, Issue, Page
rng = random.Random(7)
recent = list(Issue.objects.order_by("-date")[:60])
urls = [("/", 300.0)]
for rank, issue in enumerate(recent, start=1):
    urls.append((issue.get_absolute_url(), 20.0 / rank))
    for page in Page.objects.published().filter(issue=issue).order_by("number"):
        urls.append((f"/pages/{page.pk}/", 8.0 / rank))
    for pk in Article.objects.filter(page__issue=issue).values_list("pk", flat=True):
        urls.append((f"/articles/{pk}/", 4.0 / rank))
top = Article.objects.aggregate(m=Max("pk"))["m"]
for pk in rng.sample(range(1, top + 1), int(sys.argv[1])):  # the long tail of the archive
    urls.append((f"/articles/{pk}/", 0.05))
for slug in Column.objects.values_list("slug", flat=True):
    urls.append((f"/columns/{slug}/", 3.0))
urls.append(("/columns/", 3.0))
for person in Byline.objects.values_list("person", flat=True).distinct()[:100]:
    urls.append((f"/people/{person}/", 0.5))
for issue in Issue.objects.order_by("date")[::30][:200]:
    urls.append((f"/archive/{issue.date.year}/{issue.date.month:02d}/", 0.2))
urls += [("/archive/", 2.0), ("/feeds/latest/rss/", 5.0), ("/sitemap.xml", 0.5)]
for url, weight in urls:
    print(weight, url)
"""

EDITOR = """
import random, sys, time
import django
django.setup()
from django.db.models import Max
from articles.models import Article
rng = random.Random(11)
top = Article.objects.aggregate(m=Max("pk"))["m"]
end = time.monotonic() + float(sys.argv[1])
edits = 0
next_at = time.monotonic()
while time.monotonic() < end:
    article = Article.objects.filter(pk__gte=rng.randint(1, top)).order_by("pk").first()
    if article is not None:
        article.title = (article.title[:-1] if article.title.endswith("·") else article.title + "·")
        article.save()
        edits += 1
    next_at += 1.0
    time.sleep(max(0.0, next_at - time.monotonic()))
print("EDITS", edits, flush=True)
"""


def env_for(database_url: str, cache_url: str | None) -> dict[str, str]:
    env = bench_site.env_for({"DATABASE_URL": database_url, "BENCH_NO_CACHE": "0", "DJANGO_HTTPS": "0"})
    env.pop("DJANGO_CACHE_URL", None)
    env["NEWSROOM_VAR_DIR"] = str(OUT / "var")
    if cache_url:
        env["DJANGO_CACHE_URL"] = cache_url
    return env


def start_gunicorn(port: int, env: dict, workers: int) -> subprocess.Popen:
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    proc = subprocess.Popen(
        [
            gunicorn,
            "newsroom.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_bench/hello/", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def wrk(port: int, seconds: int, connections: int) -> dict:
    fields = bench_site.wrk_report(port, "", seconds, connections, "cache.lua")
    hits, misses, other = (int(x) for x in fields[:3])
    return {
        "hits": hits,
        "misses": misses,
        "other": other,
        "rps": float(fields[3]),
        "p50": float(fields[4]),
        "p95": float(fields[5]),
        "errors": int(fields[6]),
        "ratio": hits / max(1, hits + misses),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{bench_site.DB}")
    parser.add_argument("--cache-url", help="DJANGO_CACHE_URL (default: the product's default)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--warmup",
        type=int,
        default=240,
        help="seconds of reading before measuring (enough for every URL but the tail to be read once)",
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds of each measured phase")
    parser.add_argument("--requests", type=int, default=200_000, help="length of the replayed sequence")
    parser.add_argument("--tail", type=int, default=500, help="old articles read now and then")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (make bench-setup)")

    bench_site.write_support_files()
    env = env_for(args.database_url, args.cache_url)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    picked = subprocess.run(
        [PYTHON, "-c", PICK_URLS, str(args.tail)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    weighted = [line.split(" ", 1) for line in picked if line.strip()]
    urls, weights = [u for _, u in weighted], [float(w) for w, _ in weighted]
    sequence = random.Random(3).choices(urls, weights=weights, k=args.requests)
    (OUT / "cache-urls.txt").write_text("\n".join(sequence) + "\n")
    (OUT / "cache.lua").write_text(WRK_SCRIPT % {"urls": OUT / "cache-urls.txt"})
    print(f"== {len(urls):,} distinct URLs, {args.requests:,} requests replayed", flush=True)

    port = bench_site.free_port()
    proc = start_gunicorn(port, env, args.workers)
    try:
        warm = wrk(port, args.warmup, args.connections)
        quiet = wrk(port, args.duration, args.connections)
        editor = subprocess.Popen(
            [PYTHON, "-c", EDITOR, str(args.duration + 1)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        busy = wrk(port, args.duration, args.connections)
        edits = int(re.search(r"EDITS (\d+)", editor.communicate(timeout=60)[0])[1])
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

    where = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    cache = args.cache_url or "default cache set-up (pages in each worker's memory)"
    print()
    print(f"gunicorn {args.workers} sync workers, {where}, {cache}; `wrk -t1 -c{args.connections}`")
    print(f"replaying {args.requests:,} requests over {len(urls):,} URLs, {args.duration} s a phase")
    print(f"after {args.warmup} s of warm-up; load average {os.getloadavg()[0]:.1f}")
    print()
    print("| phase | requests/s | hit ratio | p50 ms | p95 ms | edits | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    phases = (
        ("warm-up (not counted)", warm, 0),
        ("readers only", quiet, 0),
        ("readers + 1 edit/s", busy, edits),
    )
    for name, run, n in phases:
        print(
            f"| {name} | {run['rps']:,.0f} | {run['ratio']:.1%} | {run['p50']:.1f} | {run['p95']:.1f} "
            f"| {n} | {run['errors']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
