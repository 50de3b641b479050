"""The OpenAPI contract: real responses of every endpoint match /api/schema/, and the docs
page is served from our own static files.

The schema is OpenAPI 3.0; responses are checked with ``jsonschema`` after translating
3.0's ``nullable`` into JSON Schema and forbidding properties the schema does not list,
so an undocumented or wrongly typed field fails the test.
"""

from __future__ import annotations

import copy
import re

import jsonschema
import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from .test_api import build_paper, client_for, make_user

pytestmark = pytest.mark.django_db


# --- the validator ------------------------------------------------------------------------


def to_json_schema(node):
    """OpenAPI 3.0 schema object -> JSON Schema (2020-12), recursively."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {
        key: {name: to_json_schema(sub) for name, sub in value.items()}
        if key == "properties"
        else to_json_schema(value)
        for key, value in node.items()
    }
    for keyword in ("readOnly", "writeOnly", "example", "title", "description", "externalDocs", "xml"):
        node.pop(keyword, None)
    if "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        if "type" in node and "enum" not in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


class Contract:
    def __init__(self, document: dict):
        self.document = document
        self.components = {"schemas": to_json_schema(document["components"]["schemas"])}
        self.paths = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", r"[^/]+", path) + "$"), path) for path in document["paths"]
        ]
        self.checked: set[tuple[str, str, str]] = set()

    def template(self, url: str) -> str:
        path = url.split("?")[0]
        matches = [template for pattern, template in self.paths if pattern.match(path)]
        assert matches, f"{path} is not in the schema"
        return matches[0]

    def schema_for(self, method: str, url: str, status: int) -> dict:
        template = self.template(url)
        operation = self.document["paths"][template].get(method.lower())
        assert operation, f"{method} {template} is not in the schema"
        response = operation["responses"].get(str(status))
        assert response, f"{method} {template} does not document status {status}"
        self.checked.add((method.upper(), template, str(status)))
        return response["content"]["application/json"]["schema"]

    def validate(self, method: str, url: str, status: int, payload) -> None:
        schema = {**to_json_schema(self.schema_for(method, url, status)), "components": self.components}
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(
            f"{method} {url} -> {status}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in errors[:10]
        )

    def check(self, api: APIClient, method: str, url: str, data=None, status: int = 200):
        response = (
            getattr(api, method.lower())(url, data, format="json")
            if data
            else getattr(api, method.lower())(url)
        )
        assert response.status_code == status, response.content.decode()
        payload = response.json() if response.content else None
        if payload is not None:
            self.validate(method, url, status, payload)
        return payload


@pytest.fixture
def contract(db) -> Contract:
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.0")
    return Contract(document)


@pytest.fixture
def paper(db):
    return build_paper()


# --- the validator can fail ---------------------------------------------------------------


def test_the_validator_rejects_payloads_that_break_the_schema(contract, paper):
    good = APIClient().get(f"/api/v1/articles/{paper.lead.pk}/").json()
    contract.validate("GET", f"/api/v1/articles/{paper.lead.pk}/", 200, good)

    wrong = []
    missing = copy.deepcopy(good)
    del missing["headline"]
    wrong.append(missing)
    bad_type = copy.deepcopy(good)
    bad_type["position"] = "一"
    wrong.append(bad_type)
    bad_null = copy.deepcopy(good)
    bad_null["title"] = None
    wrong.append(bad_null)
    undocumented = copy.deepcopy(good)
    undocumented["secret"] = "内部"
    wrong.append(undocumented)
    bad_enum = copy.deepcopy(good)
    bad_enum["bylines"][0]["role"] = "主编"
    wrong.append(bad_enum)
    bad_nested = copy.deepcopy(good)
    bad_nested["continuation"]["continued_in"]["page_number"] = "四"
    wrong.append(bad_nested)
    bad_date = copy.deepcopy(good)
    bad_date["issue_date"] = "2020-13-45"
    wrong.append(bad_date)
    for payload in wrong:
        with pytest.raises(AssertionError):
            contract.validate("GET", f"/api/v1/articles/{paper.lead.pk}/", 200, payload)
    # A null continuation target is allowed: the schema says nullable.
    fine = copy.deepcopy(good)
    fine["continuation"]["continued_in"] = None
    contract.validate("GET", f"/api/v1/articles/{paper.lead.pk}/", 200, fine)


def test_the_validator_rejects_an_error_body_of_the_wrong_shape(contract):
    with pytest.raises(AssertionError):
        contract.validate("GET", "/api/v1/articles/", 400, {"detail": "bad"})


# --- every endpoint, as readers and as staff ----------------------------------------------


RESOURCES = ["issues", "pages", "articles", "photos", "people", "columns"]


def test_every_read_endpoint_matches_the_schema(contract, paper, django_user_model):
    staff = client_for(make_user(django_user_model, "staffer", "view_article"))
    objects = {
        "issues": paper.issue,
        "pages": paper.p3,
        "articles": paper.lead,
        "photos": paper.photo,
        "people": paper.liu,
        "columns": paper.chair,
    }
    for api in (APIClient(), staff):
        for name in RESOURCES:
            listing = contract.check(api, "GET", f"/api/v1/{name}/")
            assert listing["results"], name
            for item in listing["results"]:
                contract.check(api, "GET", item["url"].replace("http://testserver", ""))
            contract.check(api, "GET", f"/api/v1/{name}/{objects[name].pk}/")
        expanded = contract.check(api, "GET", "/api/v1/articles/?expand=body&page_size=2")
        assert all("body" in item for item in expanded["results"])
        contract.check(api, "GET", f"/api/v1/articles/{paper.turn.pk}/")
        contract.check(api, "GET", f"/api/v1/pages/{paper.o1.pk}/")
        contract.check(api, "GET", f"/api/v1/photos/{paper.standalone.pk}/")
    staff_view = contract.check(staff, "GET", f"/api/v1/articles/{paper.draft.pk}/")
    assert "needs_review" in staff_view
    contract.check(staff, "GET", "/api/v1/articles/?status=draft")
    contract.check(staff, "GET", f"/api/v1/pages/{paper.f1.pk}/")

    documented = {
        (method.upper(), path)
        for path, operations in contract.document["paths"].items()
        for method in operations
        if method == "get"
    }
    assert documented <= {(m, p) for m, p, _ in contract.checked}


def test_write_responses_match_the_schema(contract, paper, django_user_model):
    perms = [f"{a}_{m}" for a in ("add", "change", "delete") for m in ("article", "person", "column")]
    chief = client_for(make_user(django_user_model, "chief", *perms))
    url = f"/api/v1/articles/{paper.lead.pk}/"
    contract.check(chief, "PATCH", url, {"title": "改过的标题"})
    full = {
        "page_id": paper.p4.pk,
        "position": 9,
        "title": "整篇替换",
        "body": [{"type": "paragraph", "text": "正文。"}],
        "bylines": [{"person_id": paper.ma.pk, "role": "记者"}],
    }
    contract.check(chief, "PUT", url, full)
    created = contract.check(chief, "POST", "/api/v1/articles/", {**full, "position": 10}, status=201)
    contract.check(chief, "DELETE", f"/api/v1/articles/{created['id']}/", status=204)
    person = contract.check(chief, "POST", "/api/v1/people/", {"name": "田国全"}, status=201)
    contract.check(chief, "PATCH", f"/api/v1/people/{person['id']}/", {"affiliation": "某某工会"})
    column = contract.check(chief, "POST", "/api/v1/columns/", {"name": "新闻特写"}, status=201)
    contract.check(chief, "PUT", f"/api/v1/columns/{column['id']}/", {"name": "新闻特写", "slug": "te-xie"})
    contract.check(chief, "DELETE", f"/api/v1/people/{paper.ma.pk}/", status=409)


def test_error_responses_match_the_schema(contract, paper, settings, django_user_model):
    anon = APIClient()
    contract.check(anon, "GET", "/api/v1/articles/?date_after=2020-13-45", status=400)
    contract.check(anon, "GET", "/api/v1/articles/?status=draft", status=401)
    contract.check(anon, "GET", "/api/v1/articles/?p=50", status=404)
    contract.check(anon, "GET", f"/api/v1/articles/{paper.draft.pk}/", status=404)
    contract.check(anon, "PATCH", f"/api/v1/articles/{paper.lead.pk}/", {"title": "x"}, status=401)
    contract.check(anon, "GET", "/api/v1/photos/?page=x", status=400)
    viewer = client_for(make_user(django_user_model, "viewer"))
    contract.check(viewer, "PATCH", f"/api/v1/articles/{paper.lead.pk}/", {"title": "x"}, status=403)
    changer = client_for(make_user(django_user_model, "changer", "change_article"))
    contract.check(
        changer, "PATCH", f"/api/v1/articles/{paper.lead.pk}/", {"body": [{"type": "x"}]}, status=400
    )
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"}}
    cache.clear()  # forget this test's earlier anonymous requests
    contract.check(anon, "GET", "/api/v1/people/", status=200)
    contract.check(anon, "GET", "/api/v1/people/", status=429)


# --- what the schema says -----------------------------------------------------------------


def test_the_schema_documents_filters_paging_and_staff_parameters(contract):
    operation = contract.document["paths"]["/api/v1/articles/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    for name in ["q", "date", "date_after", "date_before", "page", "column", "person", "role", "ordering"]:
        assert name in parameters, name
    assert {"p", "page_size", "expand"} <= parameters.keys()
    assert "仅工作人员" in parameters["status"]["description"]
    assert "仅工作人员" in parameters["needs_review"]["description"]
    assert parameters["expand"]["schema"]["enum"] == ["body"]
    # Reading needs no login; writing does.
    assert {} in operation["security"]
    assert {} not in contract.document["paths"]["/api/v1/articles/{id}/"]["patch"]["security"]
    patch = contract.document["paths"]["/api/v1/articles/{id}/"]["patch"]
    assert patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "PatchedArticleRequest"
    )


def test_the_docs_page_uses_our_own_static_files(db):
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    # Swagger UI's start-up script is a file of its own (Content-Security-Policy): it names the schema.
    assert "/api/schema/" in APIClient().get("/api/docs/?script=").content.decode()
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert any(a.startswith("/static/drf_spectacular_sidecar/swagger-ui-dist/") for a in assets), assets
    external = [a for a in assets if a.startswith(("http://", "https://", "//"))]
    assert external == []
    for host in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs", "googleapis"):
        assert host not in html


def test_the_docs_assets_are_really_served(client, db):
    html = APIClient().get("/api/docs/").content.decode()
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", html)
    assert assets
    from django.contrib.staticfiles import finders

    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset


def test_the_schema_is_valid_openapi_and_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    # --fail-on-warn turns any unresolvable field or filter into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/articles/{id}/" in target.read_text(encoding="utf-8")


def test_the_live_server_answers_as_the_schema_says(live_server):
    """Over real HTTP: JSON responses match the schema, and the docs assets are served."""
    import json
    import urllib.error
    import urllib.request

    paper = build_paper()

    def get(path):
        try:
            with urllib.request.urlopen(live_server.url + path, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    status, _, body = get("/api/schema/?format=json")
    assert status == 200
    contract = Contract(json.loads(body))
    for path, expected in [
        ("/api/v1/articles/?expand=body", 200),
        (f"/api/v1/articles/{paper.lead.pk}/", 200),
        (f"/api/v1/articles/{paper.draft.pk}/", 404),
        ("/api/v1/articles/?date_after=2020-13-45", 400),
        ("/api/v1/issues/", 200),
        ("/api/v1/photos/", 200),
    ]:
        status, headers, body = get(path)
        assert status == expected, (path, body)
        assert headers["Content-Type"] == "application/json"
        contract.validate("GET", path, status, json.loads(body))

    status, _, html = get("/api/docs/")
    assert status == 200
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", html.decode())
    assert assets
    for asset in assets:
        status, headers, body = get(asset)
        assert status == 200, asset
        assert body


@pytest.mark.browser
def test_the_docs_page_renders_offline_in_a_browser(live_server, browser_page):
    """Swagger UI comes up from our static files alone: every request outside the test server is refused."""
    build_paper()
    outside = []

    def guard(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    browser_page.route("**/*", guard)
    browser_page.goto(live_server.url + "/api/docs/")
    browser_page.locator(".opblock-summary-path", has_text="/api/v1/articles/").first.wait_for()
    assert browser_page.locator(".info .title").inner_text().startswith("newsroom API")
    assert outside == []
