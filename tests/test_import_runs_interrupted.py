"""A killed import's ImportRun is marked 中断 (interrupted), not "running" for ever
(issue 14 item 8): each run records its process (host and pid); the next import and the
admin's list of runs mark a run whose process is gone, or which started longer ago than
``NEWSROOM_IMPORT_RUN_TIMEOUT`` on another machine, as interrupted.
"""

from __future__ import annotations

import datetime
import os
import socket
import subprocess

import pytest
from django.utils import timezone

from articles.importer.runs import mark_interrupted_runs
from articles.models import ImportRun

from .test_import import entry, make_folder, run, seed_bytes

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _running(**fields) -> ImportRun:
    return ImportRun.objects.create(host=socket.gethostname(), **fields)


def test_each_run_records_its_process(tmp_path):
    run(make_folder(tmp_path, {"a.txt": seed_bytes()}, entry("a.txt", "2020-10-23", 3)))
    record = ImportRun.objects.get()
    assert record.pid == os.getpid() and record.host == socket.gethostname()
    assert record.status == ImportRun.Result.SUCCEEDED


def test_the_next_import_marks_a_run_whose_process_is_gone_as_interrupted(tmp_path):
    killed = _running(pid=_dead_pid())
    alive = _running(pid=os.getpid())
    run(make_folder(tmp_path, {"a.txt": seed_bytes()}, entry("a.txt", "2020-10-23", 3)))
    killed.refresh_from_db()
    alive.refresh_from_db()
    assert killed.status == ImportRun.Result.INTERRUPTED
    assert killed.get_status_display() == "中断"
    assert killed.finished_at is not None
    assert any("中断" in e and str(killed.pid) in e for e in killed.errors)
    assert alive.status == ImportRun.Result.RUNNING  # still going: left alone


def test_a_run_on_another_machine_is_interrupted_only_after_the_timeout(settings):
    settings.NEWSROOM_IMPORT_RUN_TIMEOUT = datetime.timedelta(hours=24)
    recent = ImportRun.objects.create(host="elsewhere", pid=1)
    old = ImportRun.objects.create(
        host="elsewhere", pid=1, started_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert mark_interrupted_runs() == 1
    recent.refresh_from_db()
    old.refresh_from_db()
    assert recent.status == ImportRun.Result.RUNNING
    assert old.status == ImportRun.Result.INTERRUPTED


def test_the_admins_list_of_runs_marks_interrupted_runs(admin_client):
    killed = _running(pid=_dead_pid())
    page = admin_client.get("/admin/articles/importrun/").content.decode()
    assert "中断" in page
    killed.refresh_from_db()
    assert killed.status == ImportRun.Result.INTERRUPTED


def test_finished_runs_are_never_touched():
    done = _running(pid=_dead_pid(), status=ImportRun.Result.SUCCEEDED, finished_at=timezone.now())
    assert mark_interrupted_runs() == 0
    done.refresh_from_db()
    assert done.status == ImportRun.Result.SUCCEEDED
