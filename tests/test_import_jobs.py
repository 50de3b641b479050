"""import_pages --jobs, and kill -9 in the middle of an import (on PostgreSQL with --jobs 2):
no page is half written, no visible article is missing from the search index, and running
the import again completes it. A real ``manage.py import_pages`` process is killed, on
SQLite and PostgreSQL."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.importer.jobs import deal_by_issue
from articles.importer.plan import Placement, make_plan
from articles.importer.runs import read_page
from articles.models import Article, ImportRun, Page
from articles.parsing import parse_page

from .test_import import ROOT, SEEDS, _database_url_for_subprocesses, _manage

pytestmark = pytest.mark.django_db(transaction=True)

DAYS = 12  # 60 pages: long enough to be killed between two commits


def _archive(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    manifest = []
    for day in range(DAYS):
        for n, seed in enumerate(seeds, start=1):
            name = f"d{day:02d}_{n}.txt"
            (folder / name).write_bytes(seed.read_bytes())
            manifest.append(
                f'[files."{name}"]\ndate = "2001-{1 + day // 28:02d}-{1 + day % 28:02d}"\npage = {n}\n'
            )
    (folder / "manifest.toml").write_text("\n".join(manifest), encoding="utf-8")
    return folder, len(seeds)


class Database:
    """Plain SQL on the subprocesses' database, fast enough to poll."""

    def __init__(self, url):
        self.url = url

    def rows(self, sql):
        if self.url.startswith("sqlite"):
            conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30)
            try:
                return conn.execute(sql).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as conn:
            return conn.execute(sql).fetchall()

    def indexed_ids(self):
        if self.url.startswith("sqlite"):
            return {r[0] for r in self.rows("SELECT article_id FROM articles_searchkey")}
        return {r[0] for r in self.rows("SELECT DISTINCT article_id FROM articles_searchdoc")}


def _expected(db, articles_of):
    """page id -> how many articles its file holds, for the pages in the database."""
    rows = db.rows(
        "SELECT p.id, i.date, p.number FROM articles_page p JOIN articles_issue i ON i.id = p.issue_id"
    )
    return {page_id: articles_of[(str(date), number)] for page_id, date, number in rows}


def _check_consistent(db, per_page):
    """Every committed page holds all its articles, each of them indexed."""
    pages = db.rows(
        "SELECT p.id, (SELECT count(*) FROM articles_article a WHERE a.page_id = p.id), "
        "(SELECT count(*) FROM articles_pagesource s WHERE s.page_id = p.id) FROM articles_page p"
    )
    for page_id, articles, sources in pages:
        assert sources == 1, f"page {page_id} without its source"
        assert articles == per_page[page_id], f"page {page_id} half written"
    articles = {r[0] for r in db.rows("SELECT id FROM articles_article")}
    assert articles == db.indexed_ids()
    return len(pages)


def test_kill_9_mid_import_leaves_whole_searchable_pages_and_a_rerun_completes(tmp_path):
    folder, n_seeds = _archive(tmp_path)
    url, drop = _database_url_for_subprocesses(tmp_path)
    try:
        migrate = _manage(url, "migrate", "--noinput", "-v0")
        assert migrate.wait(timeout=180) == 0, migrate.stderr.read()
        articles_of = {
            (spec.issue_date.isoformat(), spec.page_number): len(parse_page(read_page(spec)[1]).articles)
            for spec in make_plan([folder], Placement()).specs
        }
        total = len(articles_of)
        db = Database(url)

        jobs = ["--jobs", "2"] if connection.vendor == "postgresql" else []
        env = {**os.environ, "DATABASE_URL": url, "NEWSROOM_IMPORT_BATCH_PAGES": "4"}
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "import_pages", *jobs, str(folder)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        committed = 0
        while committed < 4 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            committed = db.rows("SELECT count(*) FROM articles_pagesource")[0][0]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        time.sleep(0.5)  # the workers die with the import (PR_SET_PDEATHSIG)

        per_page = _expected(db, articles_of)
        written = _check_consistent(db, per_page)
        assert 0 < written < total, f"not killed midway ({written} of {total} pages)"

        again = _manage(url, "import_pages", *jobs, str(folder))
        out, err = again.communicate(timeout=600)
        assert again.returncode == 0, err
        per_page = _expected(db, articles_of)
        assert _check_consistent(db, per_page) == total == DAYS * n_seeds
        assert f"{total - written} created" in out.strip().splitlines()[-1]
    finally:
        drop()


def test_jobs_must_be_positive_and_need_postgresql():
    with pytest.raises(CommandError, match="--jobs must be at least 1"):
        call_command("import_pages", str(SEEDS), "--jobs", "0")
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="--jobs needs PostgreSQL: sqlite has one writer at a time"):
            call_command("import_pages", str(SEEDS), "--jobs", "2")
        assert not Article.objects.exists()
    else:  # two forked processes, whole issues each
        call_command("import_pages", str(SEEDS), "--jobs", "2", stdout=StringIO())
        assert Page.objects.count() == len(list(SEEDS.glob("*.txt")))
        assert ImportRun.objects.get().options["jobs"] == 2


def test_pages_are_dealt_out_by_whole_issues():
    specs = make_plan([SEEDS], Placement()).specs
    shares = deal_by_issue(specs * 1, 2)
    dates = [{s.issue_date for s in share} for share in shares]
    assert sum(len(share) for share in shares) == len(specs)
    assert not dates[0] & dates[1] if len(dates) == 2 else len(dates) == 1
