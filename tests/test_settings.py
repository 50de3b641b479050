"""Environment-driven settings: safe defaults, and production refuses to start unsafe."""

import os
import subprocess
import sys

from .conftest import ROOT


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-real-secret-" + "x7Qp2LmZ9vR4tY8wK3nB6cF1hJ5dS0gA" * 2,
        DJANGO_ALLOWED_HOSTS="paper.example.org",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start_and_says_why():
    result = manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_development_defaults_need_no_configuration():
    result = manage("check")
    assert result.returncode == 0, result.stderr
