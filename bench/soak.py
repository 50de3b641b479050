"""Soak: readers, an editor and a re-importer on one PostgreSQL database at once.

What it does (a fresh database of its own, dropped at the end unless ``--keep``):

1. creates the database (``--database``, default ``newsroom_soak`` on the local
   PostgreSQL), migrates it, imports the seed pages published, and makes an editor
   account with the 编辑 group's permissions;
2. starts gunicorn (``--workers``, default 2) with debug off on 127.0.0.1 (``--port``);
3. for ``--seconds`` (default 60), all at once:
   - ``--readers`` threads (default 4) fetch reader pages and API reads in a loop (home,
     issue, page, article, column, person, search, feeds, API lists and details);
   - one editor PATCHes article titles through the API (HTTP Basic), one after another,
     each title unique, and remembers every title the server said it saved;
   - one re-importer runs ``import_pages`` on the seed pages again and again, each time
     with a changed file (so every run re-parses and rewrites the pages, keeping the
     articles editors changed);
4. stops everything and reports: requests served and per second, responses by status,
   server errors (5xx; target 0), edits saved, edits refused with a message (4xx), and
   **edits lost** (target 0): saved titles that the database no longer holds.

Run it (about 90 s)::

    .venv/bin/python bench/soak.py
    .venv/bin/python bench/soak.py --seconds 120 --readers 8 --workers 4

Only 127.0.0.1 is contacted; every loop is bounded by ``--seconds``.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, wait_for_port  # noqa: E402

SEEDS = ROOT / "seeds"
PYTHON = sys.executable
PASSWORD = "soak-editor-pass-2020"

SETUP = (
    f"PASSWORD = {PASSWORD!r}\n"
    """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from articles.models import Article, Column, Person
user = get_user_model().objects.create_user("soak", password=PASSWORD, is_staff=True)
group = Group.objects.filter(name="编辑").first()
if group is not None:
    user.groups.add(group)
user.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "change_article"]))
articles = list(Article.objects.published().select_related("page__issue").order_by("pk"))
print(json.dumps({
    "articles": [[a.pk, a.get_absolute_url()] for a in articles],
    "pages": sorted({a.page.get_absolute_url() for a in articles}),
    "issues": sorted({a.page.issue.get_absolute_url() for a in articles}),
    "columns": [c.get_absolute_url() for c in Column.objects.published()],
    "people": [p.get_absolute_url() for p in Person.objects.published()[:20]],
}))
"""
)

CHECK = """
import json, sys
from articles.models import Article
saved = json.loads(sys.stdin.read())
titles = dict(Article.objects.filter(pk__in=[int(k) for k in saved]).values_list("pk", "title"))
print(json.dumps({k: titles.get(int(k)) for k in saved}))
"""


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def postgres(url_base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{url_base}/postgres", autocommit=True) as conn:
        conn.execute(sql)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.failures: Counter = Counter()  # connection errors

    def add(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1

    def error(self, what: str) -> None:
        with self.lock:
            self.failures[what] += 1


def request(conn_holder: list, port: int, method: str, path: str, body=None, headers=None) -> int:
    """One request on a kept-alive connection (reopened when the server closed it)."""
    for attempt in range(2):
        if conn_holder[0] is None:
            conn_holder[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn = conn_holder[0]
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            response.read()
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn_holder[0] = None
            return response.status
        except (http.client.HTTPException, OSError):
            conn.close()
            conn_holder[0] = None
            if attempt:
                raise
    raise AssertionError("unreachable")


def current_articles(port: int) -> list[tuple[int, str]]:
    """The published articles now (a re-import replaces unedited ones with new ids)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/api/v1/articles/?page_size=100")
        data = json.loads(conn.getresponse().read())
    finally:
        conn.close()
    return [(a["id"], urllib.parse.urlsplit(a["public_url"]).path) for a in data["results"]]


def reader(port: int, urls: list[str], stop: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    holder = [None]
    articles: list[tuple[int, str]] = []
    n = 0
    while time.monotonic() < stop:
        n += 1
        if n % 40 == 1:
            try:
                articles = current_articles(port) or articles
                tally.add(200)
            except (http.client.HTTPException, OSError, ValueError) as exc:
                tally.error(type(exc).__name__)
        if articles and rng.random() < 0.5:
            pk, url = rng.choice(articles)
            path = rng.choice([url, f"/api/v1/articles/{pk}/"])
        else:
            path = rng.choice(urls)
        try:
            tally.add(request(holder, port, "GET", urllib.parse.quote(path, safe="/?=&")))
        except (http.client.HTTPException, OSError) as exc:
            tally.error(type(exc).__name__)


def editor(port: int, articles: list[int], stop: float, tally: Tally, saved: dict, log: list) -> None:
    token = base64.b64encode(f"soak:{PASSWORD}".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json"}
    holder = [None]
    n = 0
    rng = random.Random(7)
    while time.monotonic() < stop:
        n += 1
        if n % 5 == 1:  # edit what exists now (and, often, what was edited before: it is kept)
            try:
                fresh = [pk for pk, _ in current_articles(port)]
                articles = fresh + [int(k) for k in saved] or articles
            except (http.client.HTTPException, OSError, ValueError) as exc:
                tally.error(type(exc).__name__)
        pk = rng.choice(articles)
        title = f"编辑改过的标题 第{n}次"
        body = json.dumps({"title": title}, ensure_ascii=False).encode()
        try:
            status = request(holder, port, "PATCH", f"/api/v1/articles/{pk}/", body, headers)
        except (http.client.HTTPException, OSError) as exc:
            tally.error(type(exc).__name__)
            continue
        tally.add(status)
        log.append(status)
        if status == 200:
            saved[str(pk)] = title


def reimporter(env: dict, folder: Path, stop: float, runs: Counter) -> None:
    originals = {p.name: p.read_bytes() for p in folder.glob("*.txt")}
    n = 0
    while time.monotonic() < stop:
        n += 1
        for name, data in originals.items():  # a changed file: the page is re-parsed and rewritten
            (folder / name).write_bytes(data + f"\n（第{n}次重新导入）\n".encode())
        result = subprocess.run(
            [PYTHON, "manage.py", "import_pages", "--publish", "-v0", str(folder)],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        runs["ok" if result.returncode == 0 else "failed"] += 1
        if result.returncode != 0:
            runs["last error: " + (result.stderr.strip().splitlines() or ["?"])[-1][:200]] = 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8170)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="newsroom_soak")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="newsroom-soak-"))
    folder = work / "pages"
    shutil.copytree(SEEDS, folder)
    url = f"{args.server}/{args.database}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    env.update(
        DATABASE_URL=url,
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY="soak-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(work / "static"),
        DJANGO_MEDIA_ROOT=str(work / "media"),
        NEWSROOM_VAR_DIR=str(work / "var"),
        NEWSROOM_ANON_THROTTLE="1000000/minute",  # the readers are the load, not abuse
    )
    postgres(args.server, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    postgres(args.server, f'CREATE DATABASE "{args.database}"')
    proc = None
    try:
        print("setting up: migrate, collectstatic, import the seed pages …", file=sys.stderr)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "import_pages", "--publish", "-v0", str(folder))
        paper = json.loads(manage(env, "shell", stdin=SETUP).strip().splitlines()[-1])
        article_ids = [pk for pk, _ in paper["articles"]]
        urls = (
            ["/", "/archive/", "/columns/", "/search/?q=工会", "/search/?q=职工", "/feeds/latest/rss/",
             "/api/v1/articles/", "/api/v1/articles/?q=工会", "/api/v1/pages/", "/api/v1/issues/"]
            + paper["pages"] + paper["issues"] + paper["columns"] + paper["people"]
        )  # fmt: skip

        port = free_port(args.port)
        log_file = open(work / "gunicorn.log", "w")  # noqa: SIM115  closed with the server
        proc = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "newsroom.wsgi:application", "--workers",
             str(args.workers), "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT, env={**env, "DJANGO_LOG_LEVEL": "ERROR"}, stderr=log_file,
            start_new_session=True,
        )  # fmt: skip
        wait_for_port(port, proc)
        time.sleep(2)  # let the workers load the application

        print(f"soak: {args.seconds:.0f} s, {args.readers} readers, 1 editor, 1 re-importer, "
              f"{args.workers} gunicorn workers, PostgreSQL …", file=sys.stderr)  # fmt: skip
        tally, edits, saved, runs = Tally(), Tally(), {}, Counter()
        edit_log: list[int] = []
        stop = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=reader, args=(port, urls, stop, tally, i)) for i in range(args.readers)
        ]
        threads.append(
            threading.Thread(target=editor, args=(port, article_ids, stop, edits, saved, edit_log))
        )
        threads.append(threading.Thread(target=reimporter, args=(env, folder, stop, runs)))
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started

        final = json.loads(
            manage(env, "shell", "-c", CHECK, stdin=json.dumps(saved)).strip().splitlines()[-1]
        )
        lost = {pk: (title, final.get(pk)) for pk, title in saved.items() if final.get(pk) != title}
        served = sum(tally.statuses.values())
        server_errors = sum(n for s, n in tally.statuses.items() if s >= 500) + sum(
            n for s, n in edits.statuses.items() if s >= 500
        )
        print()
        print(f"| measure ({args.seconds:.0f} s, PostgreSQL, {args.workers} workers) | value |")
        print("| --- | ---: |")
        print(f"| reader requests served | {served:,} ({served / elapsed:,.0f}/s) |")
        print(f"| reader responses by status | {dict(sorted(tally.statuses.items()))} |")
        print(f"| editor responses by status | {dict(sorted(edits.statuses.items()))} |")
        print(f"| connection errors | {sum(tally.failures.values()) + sum(edits.failures.values())} |")
        print(f"| edits sent / saved (200) | {len(edit_log)} / {edit_log.count(200)} |")
        print(f"| edits refused with a message (4xx) | {sum(1 for s in edit_log if 400 <= s < 500)} |")
        print(f"| re-imports completed / failed | {runs['ok']} / {runs['failed']} |")
        print(f"| **server errors (5xx)** (target 0) | **{server_errors}** |")
        print(f"| **edits lost** (target 0) | **{len(lost)}** of {len(saved)} articles edited |")
        for key in runs:
            if key.startswith("last error"):
                print(f"\nre-import {key}")
        for pk, (title, now) in list(lost.items())[:5]:
            print(f"lost: article {pk}: saved “{title}”, database has {now!r}")
        if server_errors:
            errors = [line for line in (work / "gunicorn.log").read_text().splitlines() if "Error" in line]
            print("\nserver errors logged (last lines):", *errors[-6:], sep="\n  ")
        return 0 if not server_errors and not lost else 1
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        if not args.keep:
            postgres(args.server, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
