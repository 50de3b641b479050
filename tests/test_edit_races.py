"""Races between a re-import and editors, with real processes: nothing is lost, nothing is
reported as saved and then dropped (issue 14, item 1). Runs on SQLite and PostgreSQL.

Every actor is a separate Python process on one shared database: the importer pauses inside
its transaction (a ``changes_committing`` receiver, just before the commit, holding the
page's lock) until the test lets it go; meanwhile an editor saves through the API or the
admin and has to wait for the lock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_import import _database_url_for_subprocesses

STORY_A = "职工书屋建设走深走实"
STORY_B = "劳动竞赛如火如荼"


def page_text(a_body: str | None, b_body: str = "本报讯（记者郑莉）各地开展劳动竞赛。") -> str:
    parts = []
    if a_body is not None:
        parts.append(f"{STORY_A}\n\n本报讯（记者马学礼）{a_body}\n")
    parts.append(f"{STORY_B}\n\n{b_body}\n")
    return "\n\n" + "\n\n".join(parts)


IMPORT = """
import os, pathlib, time
from articles.changes import changes_committing
from django.core.management import call_command
hold, go = pathlib.Path(os.environ["RACE_HOLD"]), pathlib.Path(os.environ["RACE_GO"])
def pause(sender, **kwargs):
    hold.touch()
    for _ in range(1200):
        if go.exists():
            return
        time.sleep(0.05)
    raise SystemExit("never released")
if hold.name != "-":
    changes_committing.connect(pause, weak=False)
call_command("import_pages", os.environ["RACE_FILE"], "--date", os.environ["RACE_DATE"], "--page",
             os.environ["RACE_PAGE"], "--publish", verbosity=0)
print("IMPORTED")
"""

SETUP_USER = """
from django.contrib.auth.models import Group, User
user, _ = User.objects.get_or_create(username="race-editor", defaults={"is_staff": True})
user.groups.add(Group.objects.get(name="编辑"))
print("USER")
"""

API_PATCH = """
import json, os, pathlib, time
from django.contrib.auth.models import User
from rest_framework.test import APIClient
from articles.models import Article
pk = Article.objects.get(page__number=int(os.environ["RACE_PAGE"]), title=os.environ["RACE_TITLE"]).pk
api = APIClient()
api.force_authenticate(User.objects.get(username="race-editor"))
pathlib.Path(os.environ["RACE_LOADED"]).touch()
go = pathlib.Path(os.environ["RACE_POST"])
while not go.exists():
    time.sleep(0.05)
response = api.patch(f"/api/v1/articles/{pk}/", {"subtitle": "编辑加的副题"}, format="json")
print(json.dumps({"pk": pk, "status": response.status_code, "body": response.json()}, ensure_ascii=False))
"""

ADMIN_POST = """
import json, os, pathlib, time
from django.contrib.auth.models import User
from django.test import Client
from articles.models import Article
from tests.test_admin import form_data
article = Article.objects.get(page__number=int(os.environ["RACE_PAGE"]), title=os.environ["RACE_TITLE"])
url = f"/admin/articles/article/{article.pk}/change/"
client = Client()
client.force_login(User.objects.get(username="race-editor"))
data = form_data(client.get(url))
data["subtitle"] = "编辑加的副题"
pathlib.Path(os.environ["RACE_LOADED"]).touch()
go = pathlib.Path(os.environ["RACE_POST"])
while not go.exists():
    time.sleep(0.05)
response = client.post(url, data)
html = response.content.decode()
out = {"pk": article.pk, "status": response.status_code, "conflict": "保存冲突" in html,
       "location": response.get("Location", "")}
if out["conflict"] and os.environ.get("RACE_REAPPLY"):
    data["_reapply"] = str(Article.objects.get(pk=article.pk).version)
    again = client.post(url, data)
    out["reapplied"] = again.status_code
print(json.dumps(out, ensure_ascii=False))
"""

READ = """
import json, os
from articles.models import Article
rows = [
    {"pk": a.pk, "title": a.title, "subtitle": a.subtitle, "edited": a.edited, "body": a.body_text,
     "bylines": [b.person.name for b in a.bylines.all()]}
    for a in Article.objects.filter(page__number=int(os.environ["RACE_PAGE"])).order_by("position")
]
print(json.dumps(rows, ensure_ascii=False))
"""


class Shared:
    """One migrated database the processes share (created once for this module)."""

    def __init__(self, url: str, tmp: Path):
        self.url, self.tmp = url, tmp

    def start(self, code: str, **env) -> subprocess.Popen:
        environment = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            **{f"RACE_{k.upper()}": str(v) for k, v in env.items()},
        }
        return subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, code: str, **env) -> str:
        proc = self.start(code, **env)
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err[-3000:]
        return out.strip().splitlines()[-1]

    def import_page(self, page: int, text: str, name: str) -> None:
        path = self.tmp / name
        path.write_text(text, encoding="utf-8")
        assert (
            self.run(IMPORT, file=path, page=page, date=f"2021-05-{page:02d}", hold="-", go="-") == "IMPORTED"
        )

    def articles(self, page: int) -> list[dict]:
        return json.loads(self.run(READ, page=page))


@pytest.fixture(scope="module")
def shared(tmp_path_factory, django_db_blocker):
    tmp = tmp_path_factory.mktemp("races")
    with django_db_blocker.unblock():
        url, drop = _database_url_for_subprocesses(tmp)
    try:
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrate.returncode == 0, migrate.stderr
        db = Shared(url, tmp)
        assert db.run(SETUP_USER) == "USER"
        yield db
    finally:
        drop()


def wait_for(path: Path, proc: subprocess.Popen, what: str) -> None:
    for _ in range(1200):
        if path.exists():
            return
        if proc.poll() is not None:
            raise AssertionError(f"{what} ended early: {proc.stderr.read()[-3000:]}")
        time.sleep(0.05)
    raise AssertionError(f"{what} never got there")


def race(shared: Shared, page: int, editor_code: str, new_text: str, **editor_env) -> dict:
    """The editor loads the article, the re-import takes the page's lock, the editor saves
    (and must wait), the re-import commits; returns what the editor was told."""
    tag = f"p{page}-{time.monotonic_ns()}"
    loaded, post = shared.tmp / f"{tag}.loaded", shared.tmp / f"{tag}.post"
    hold, go = shared.tmp / f"{tag}.hold", shared.tmp / f"{tag}.go"
    editor = shared.start(editor_code, page=page, title=STORY_A, loaded=loaded, post=post, **editor_env)
    wait_for(loaded, editor, "the editor")
    path = shared.tmp / f"{tag}.txt"
    path.write_text(new_text, encoding="utf-8")
    importer = shared.start(IMPORT, file=path, page=page, date=f"2021-05-{page:02d}", hold=hold, go=go)
    wait_for(hold, importer, "the re-import")  # inside its transaction, page locked
    post.touch()  # the editor saves now and has to wait for the lock
    time.sleep(1.0)
    assert editor.poll() is None, "the editor's save did not wait for the re-import's lock"
    go.touch()
    out, err = importer.communicate(timeout=180)
    assert importer.returncode == 0 and "IMPORTED" in out, err[-3000:]
    out, err = editor.communicate(timeout=180)
    assert editor.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_api_save_during_a_reimport_that_keeps_the_article_lands_and_survives(shared):
    shared.import_page(11, page_text("第一稿。"), "api-keep-1.txt")
    told = race(shared, 11, API_PATCH, page_text("改过的第二稿。"))
    assert told["status"] == 200, told
    (story, _) = shared.articles(11)
    assert story["pk"] == told["pk"]  # the re-import updated the row in place
    assert story["subtitle"] == "编辑加的副题" and "改过的第二稿" in story["body"] and story["edited"]
    shared.import_page(11, page_text("第三稿。"), "api-keep-3.txt")  # a later re-import keeps the edit
    (story, _) = shared.articles(11)
    assert story["subtitle"] == "编辑加的副题" and "第三稿" not in story["body"]


@pytest.mark.django_db(transaction=True)
def test_api_save_to_an_article_the_reimport_removes_is_refused_not_reported_saved(shared):
    shared.import_page(12, page_text("第一稿。"), "api-gone-1.txt")
    told = race(shared, 12, API_PATCH, page_text(None))
    assert told["status"] == 404, told
    assert "已不存在" in told["body"]["errors"][0]["message"]
    rows = shared.articles(12)
    assert [r["title"] for r in rows] == [STORY_B]  # not resurrected, nothing half-written


@pytest.mark.django_db(transaction=True)
def test_admin_save_during_a_reimport_shows_the_conflict_and_reapplying_keeps_both(shared):
    shared.import_page(13, page_text("第一稿。"), "admin-keep-1.txt")
    told = race(shared, 13, ADMIN_POST, page_text("改过的第二稿。"), reapply=1)
    assert told["status"] == 200 and told["conflict"], told  # not "成功修改": the form came back
    assert told["reapplied"] == 302
    (story, _) = shared.articles(13)
    assert story["subtitle"] == "编辑加的副题" and "改过的第二稿" in story["body"]


@pytest.mark.django_db(transaction=True)
def test_admin_save_to_an_article_the_reimport_removes_is_refused(shared):
    shared.import_page(14, page_text("第一稿。"), "admin-gone-1.txt")
    told = race(shared, 14, ADMIN_POST, page_text(None))
    assert told["status"] == 302 and "/change/" not in told["location"], told  # the admin's “不存在”
    assert [r["title"] for r in shared.articles(14)] == [STORY_B]
