"""Shared fixtures. Area-specific fixtures live in the test file that uses them."""

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from articles.models import Article

from . import factories
from .servers import free_port, wait_for_port

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Logging test users in should not cost a second of key stretching each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a per-test folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def article(db) -> Article:
    """A published article with a reporter's byline, on page 3 of 2020-10-23."""
    page = factories.PageFactory(
        issue=factories.IssueFactory(date=datetime.date(2020, 10, 23)), number=3, name="工会新闻"
    )
    art = factories.ArticleFactory(page=page, position=1, title="工会进企宣讲扶贫政策")
    factories.BylineFactory(article=art, person=factories.PersonFactory(name="马学礼"))
    return art


@pytest.fixture
def draft_article(db) -> Article:
    page = factories.PageFactory(
        issue=factories.IssueFactory(date=datetime.date(2020, 10, 24)), number=1, name="要闻"
    )
    return factories.ArticleFactory(
        page=page, position=1, title="尚未发布的稿件", status=Article.Status.DRAFT, published_at=None
    )


@pytest.fixture
def editor(db, django_user_model):
    """A staff user in the 编辑 (editor) group."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", password="編輯-pass-2020", is_staff=True)
    group = Group.objects.filter(name="编辑").first()
    if group is not None:
        user.groups.add(group)
    return user


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser).

    Skipped where Chromium is not installed, except in CI, where it must be.
    """
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it with apt-get")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own on a free port (the test may stop it)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: .ci/run installs it with apt-get")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, proc, 10)
    except Exception:
        proc.kill()
        raise
    proc.url = f"redis://127.0.0.1:{port}/0"
    yield proc
    proc.kill()
    proc.wait()
