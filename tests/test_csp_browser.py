"""A Content-Security-Policy that the site, the admin and the API docs (Swagger UI) pass
with no violation in Debian's Chromium (issue 14 item 8).

Every page is loaded (and the admin's forms and Swagger UI used a little) with a listener
for ``securitypolicyviolation`` events and the console's CSP errors; there must be none,
and the policy must be the strict one (no 'unsafe-inline', no 'unsafe-eval').
"""

from __future__ import annotations

import datetime

import pytest

from articles.models import Article, Role

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture
def paper(db):
    issue = factories.IssueFactory(date=datetime.date(2020, 10, 23))
    page = factories.PageFactory(issue=issue, number=3, name="工会新闻")
    art = factories.ArticleFactory(
        page=page,
        position=1,
        kicker="宁夏回族自治区党委、政府出台意见",
        title="建立联席会议制度加强和改进产业工人队伍思想政治工作",
        column=factories.ColumnFactory(name="主席之声"),
    )
    factories.BylineFactory(article=art, person=factories.PersonFactory(name="马学礼"), role=Role.REPORTER)
    factories.PhotoFactory(page=page, article=art, position=1, title="为劳动者留影")
    factories.ArticleFactory(
        page=page, position=2, title="草稿", status=Article.Status.DRAFT, published_at=None
    )
    return art


@pytest.fixture
def watched(browser):
    """A page that records CSP violations (events and console errors)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.add_init_script(COLLECT)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.console_errors = []
    page.on(
        "console",
        lambda m: (
            page.console_errors.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    yield page
    context.close()


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe" not in policy, (url, policy)
    page.wait_for_load_state("networkidle")


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp") + page.console_errors


def test_the_reader_site_runs_under_the_policy(live_server, watched, paper):
    for path in [
        "/",
        paper.page.issue.get_absolute_url(),
        paper.page.get_absolute_url(),
        paper.get_absolute_url(),
        "/columns/",
        paper.column.get_absolute_url(),
        paper.bylines.get().person.get_absolute_url(),
        "/search/?q=工会",
        "/archive/",
    ]:
        _visit(watched, live_server.url + path)
        assert _violations(watched) == [], path
    # The reader's own script runs: the font-size buttons set the text scale.
    _visit(watched, live_server.url + paper.get_absolute_url())
    watched.locator("button[data-font-step='1']").click()
    scale = "getComputedStyle(document.documentElement).getPropertyValue('--font-scale')"
    assert watched.evaluate(scale).strip() == "1.125"
    assert _violations(watched) == []


def test_the_admin_runs_under_the_policy(live_server, watched, paper, django_user_model):
    django_user_model.objects.create_superuser("chief", password="chief-pass-2020")
    _visit(watched, live_server.url + "/admin/login/")
    watched.fill("#id_username", "chief")
    watched.fill("#id_password", "chief-pass-2020")
    watched.click("input[type=submit]")
    watched.wait_for_url(live_server.url + "/admin/")
    photo = paper.photos.get()
    for path in [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/?queue=review",
        f"/admin/articles/article/{paper.pk}/change/",
        "/admin/articles/article/add/",
        f"/admin/articles/photo/{photo.pk}/change/",
        "/admin/articles/person/",
        "/admin/articles/importrun/",
        "/admin/auth/user/add/",
        # The browsable API as staff see it: with its write forms and their tabs.
        "/api/v1/articles/",
        f"/api/v1/articles/{paper.pk}/",
    ]:
        _visit(watched, live_server.url + path)
        assert _violations(watched) == [], path
    # The admin's scripts run: the date shortcuts and the collapsible fieldsets.
    _visit(watched, f"{live_server.url}/admin/articles/article/{paper.pk}/change/")
    watched.click("input[name=_continue]")
    watched.wait_for_load_state("networkidle")
    assert _violations(watched) == []


def test_the_api_docs_run_under_the_policy(live_server, watched, paper):
    _visit(watched, live_server.url + "/api/docs/")
    watched.wait_for_selector(".swagger-ui .info .title")
    assert "newsroom API" in watched.locator(".swagger-ui .info .title").inner_text()
    # Open an operation, try it out, execute it: Swagger UI fetches the API.
    watched.locator(".opblock-summary-path", has_text="/api/v1/articles/").first.click()
    watched.get_by_role("button", name="Try it out").click()
    watched.get_by_role("button", name="Execute").click()
    watched.wait_for_selector(".responses-table .response-col_status")
    assert _violations(watched) == []
    # The browsable API (HTML), its root and a filtered list with the filters button.
    for path in (
        "/api/v1/",
        "/api/v1/articles/",
        "/api/v1/articles/?q=工会",
        f"/api/v1/articles/{paper.pk}/",
    ):
        _visit(watched, live_server.url + path)
        assert _violations(watched) == [], path
