"""Environment-driven settings: debug off unless asked, and production refuses to start unsafe."""

import os
import subprocess
import sys

from .conftest import ROOT

SECRET = "a-real-secret-" + "x7Qp2LmZ9vR4tY8wK3nB6cF1hJ5dS0gA" * 2


def run(*args, **env):
    """Run python with ``args`` in the project, with none of the test session's DJANGO_ settings."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def manage(*args, **env):
    return run("manage.py", *args, **env)


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    env = {"DJANGO_SECRET_KEY": SECRET, "DJANGO_ALLOWED_HOSTS": "paper.example.org"}
    env["DJANGO_STATIC_ROOT"] = str(tmp_path / "static")
    missing = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert missing.returncode != 0 and "run `manage.py collectstatic`" in missing.stderr
    assert manage("collectstatic", "--noinput", "--verbosity", "0", **env).returncode == 0
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_for():
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    env = {"DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    assert run("-c", code, DJANGO_SECRET_KEY=SECRET, **env).stdout.strip() == "False"
    assert run("-c", code, DJANGO_DEBUG="1", **env).stdout.strip() == "True"


def test_production_without_a_secret_key_refuses_to_serve_and_says_why():
    check = manage("check", "--deploy")
    assert check.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in check.stderr
    wsgi = run("-c", "import newsroom.wsgi")
    assert wsgi.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in wsgi.stderr
    # Commands that need no key still run (a deployment migrates before it has one).
    assert manage("makemigrations", "--check", "--dry-run").returncode == 0


def test_development_needs_no_configuration_but_debug():
    result = manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_a_page_renders_when_collectstatic_was_not_run(client, settings, tmp_path, db):
    """A deploy that skipped collectstatic serves pages (plain static URLs), never a 500."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "newsroom.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path / "never-collected"
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/static/css/site.css"' in response.content.decode()
