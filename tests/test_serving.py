"""The production start from the README: ``make serve`` on a fresh database with nothing but
defaults (debug off, gunicorn with two workers), as a real server on a free port."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from .conftest import ROOT, SEEDS
from .servers import free_port, wait_for_port

SHELL_SETUP = """
import io, datetime
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from articles.images import refresh_dimensions, refresh_thumbnail
from articles.models import Article, Issue, Page, Photo
from django.contrib.auth import get_user_model
issue = Issue.objects.create(date=datetime.date(2020, 10, 23))
page = Page.objects.create(issue=issue, number=3, name="工会新闻")
art = Article.objects.create(page=page, position=1, title="开门见山的标题", status="published",
                             body=[{"type": "paragraph", "text": "正文第一段。"}])
photo = Photo(page=page, article=art, position=1, title="检修现场")
out = io.BytesIO(); Image.new("RGB", (1800, 1200), (20, 120, 60)).save(out, "JPEG")
photo.image = SimpleUploadedFile("现场.jpg", out.getvalue(), content_type="image/jpeg")
refresh_dimensions(photo); refresh_thumbnail(photo); photo.save()
get_user_model().objects.create_superuser("chief", password="chief-pass-2020")
print(art.pk)
"""


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


class Server:
    def __init__(self, port: int, env: dict):
        self.port, self.env = port, env

    def get(self, path: str, headers: dict | None = None):
        # Behind the TLS proxy the production settings expect, which says so in a header.
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            headers={"X-Forwarded-Proto": "https", "Connection": "close", **(headers or {})},
        )
        try:
            with OPENER.open(request, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def text(self, path: str) -> str:
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return body.decode()

    def manage(self, *args, stdin: str | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``make serve`` with default settings (no DJANGO_* variable at all) on a fresh SQLite
    database; WORKERS=2. Paths point into the test's folder. One server for this module."""
    tmp_path = tmp_path_factory.mktemp("serve")
    if not (ROOT / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("needs the project's virtualenv (make install)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        NEWSROOM_VAR_DIR=str(tmp_path / "var"),
        GUNICORN_LOG_LEVEL="warning",
    )
    port = free_port()
    proc = subprocess.Popen(
        ["make", "-s", "serve", f"PORT={port}", "WORKERS=2"],
        cwd=ROOT,
        env={**env, "MAKEFLAGS": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_for_port(port, proc, 120)
        server = Server(port, env)
        server.tmp_path = tmp_path
        server.article_id = int(server.manage("shell", stdin=SHELL_SETUP).split()[-1])
        yield server
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    assert b"Traceback" not in proc.stderr.read()


def test_make_serve_serves_pages_static_files_and_photo_renditions(server):
    assert (server.tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0  # made, kept private

    status, headers, body = server.get("/", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    home = gzip.decompress(body).decode()
    assert "开门见山的标题" in home and "public" in headers["Cache-Control"]

    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home).group(1)  # hashed name
    status, headers, body = server.get(css, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in headers["Cache-Control"] and b"--red" in gzip.decompress(body)
    status, headers, _ = server.get("/favicon.ico")
    assert status == 302 and server.get(headers["Location"])[0] == 200

    article = server.text(f"/articles/{server.article_id}/")
    rendition = re.search(r'<img src="(/media/photos/renditions/[^"]+\.jpg)"', article).group(1)
    status, headers, body = server.get(rendition)
    assert status == 200 and headers["Content-Type"] == "image/jpeg" and body[:2] == b"\xff\xd8"
    webp = re.search(r'srcset="(/media/photos/renditions/[^" ]+\.webp) 480w', article).group(1)
    assert server.get(webp)[1]["Content-Type"] == "image/webp"

    status, _, body = server.get("/admin/login/")
    assert status == 200 and "csrfmiddlewaretoken" in body.decode()  # the admin works too
    assert server.get(f"/api/v1/articles/{server.article_id}/")[0] == 200
    assert server.get("/", {"X-Forwarded-Proto": "http"})[0] == 301  # plain HTTP goes to HTTPS


def test_two_workers_show_a_command_line_import_and_an_edit_through_either(server):
    url = f"/articles/{server.article_id}/"
    for _ in range(6):  # both workers have the page and the home page cached
        assert "开门见山的标题" in server.text(url)
        assert "2020年10月23日" in server.text("/")

    seed = str(SEEDS / "001_e80f7a4e58440405.txt")
    server.manage("import_pages", seed, "--date", "2020-10-24", "--page", "1", "--publish")
    for _ in range(6):
        assert "2020年10月24日" in server.text("/")

    auth = base64.b64encode(b"chief:chief-pass-2020").decode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/api/v1/articles/{server.article_id}/",
        data=json.dumps({"title": "工人们改过的标题"}).encode(),
        method="PATCH",
        headers={
            "Authorization": f"Basic {auth}",
            "Content-Type": "application/json",
            "X-Forwarded-Proto": "https",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.status == 200
    for _ in range(6):
        body = server.text(url)
        assert "工人们改过的标题" in body and "开门见山的标题" not in body
