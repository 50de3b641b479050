"""The import_pages command: every flag, bad input, re-import rules, encodings, concurrency."""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.importer import loader
from articles.models import Article, Byline, ImportRun, Issue, Page, PageSource, Person, Photo

from .conftest import ROOT, SEEDS

SEED_000 = "000_3f26e5270c4c1202.txt"
SEED_003 = "003_5e8ab85cd838b191.txt"

pytestmark = pytest.mark.django_db


def run(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_pages", *[str(a) for a in args], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(*args, **options) -> tuple[str, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_pages", *[str(a) for a in args], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue(), str(exc.value)


def make_folder(tmp_path: Path, files: dict[str, bytes], manifest: str) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
    return folder


def entry(name: str, date: str, page: int, extra: str = "") -> str:
    return f'[files."{name}"]\ndate = "{date}"\npage = {page}\n{extra}\n'


def seed_bytes(name: str = SEED_000) -> bytes:
    return (SEEDS / name).read_bytes()


def snapshot() -> list[tuple]:
    """What readers and editors would see of the imported content."""
    return [
        (a.page.issue.date, a.page.number, a.position, a.kicker, a.title, a.subtitle, a.dateline, a.body,
         a.editor_note, a.reading_tip, a.source_note,
         tuple((b.person.name, b.role) for b in a.bylines.all()))
        for a in Article.objects.select_related("page__issue").prefetch_related("bylines__person")
        .order_by("page__issue__date", "page__number", "position")
    ]  # fmt: skip


# -- the seeds, with no path -------------------------------------------------------------


def test_no_path_imports_every_seed_page_as_drafts_with_the_manifest_placement():
    out, err = run()
    assert err == ""
    assert Page.objects.count() == 5
    page = Page.objects.get(issue__date=datetime.date(2020, 10, 23), number=3)
    assert page.name == "工会新闻"
    assert page.issue.date_estimated is True
    assert page.source.filename == SEED_000
    assert page.source.text.startswith("\n\n宁夏回族自治区党委、政府出台意见")
    assert Article.objects.count() > 20
    assert not Article.objects.published().exists()
    title = "“中国工人杯”全国职工读书知识竞赛复赛举行"
    article = page.articles.get(title=title)
    assert article.dateline == "本报讯"
    assert [(b.person.name, b.role) for b in article.bylines.all()] == [("郑莉", "记者")]
    assert page.photos.filter(title="工会进企宣讲扶贫政策", credits__person__name="杨长武").exists()
    assert "Imported 5 page(s): 5 created" in out


def test_publish_makes_what_needs_no_review_visible_and_keeps_flagged_articles_in_review(client):
    run("--publish")
    clean, flagged = Article.objects.filter(needs_review=False), Article.objects.filter(needs_review=True)
    assert clean.exists() and flagged.exists()
    assert set(Article.objects.published()) == set(clean)
    assert not flagged.published().exists()
    assert set(flagged.drafts()) == set(flagged)  # still in the review queue
    for article in flagged:  # readers cannot reach a flagged guess
        assert client.get(article.get_absolute_url()).status_code == 404
    assert "（无标题）" not in client.get("/").content.decode()


def test_people_are_shared_across_pages():
    run()
    ma = Person.objects.get(name="马学礼", affiliation="")
    pages = set(Byline.objects.filter(person=ma).values_list("article__page__issue__date", flat=True))
    assert len(pages) >= 2


def test_a_signed_column_names_its_author_with_affiliation():
    run()
    author = Person.objects.get(name="夏同军")
    assert "总工会" in author.affiliation
    assert Article.objects.filter(column__name="主席之声", bylines__person=author).exists()


# -- dry run -------------------------------------------------------------------------------


def test_dry_run_json_prints_the_documented_page_json_and_writes_nothing():
    out, _ = run(SEEDS, dry_run=True, format="json")
    doc = json.loads(out)
    assert [p["source"] for p in doc["pages"]] == sorted(p.name for p in SEEDS.glob("*.txt"))
    page = doc["pages"][0]
    assert page["issue_date"] == "2020-10-23" and page["page_number"] == 3 and page["page_name"] == "工会新闻"
    art = page["articles"][0]
    for key in ("column", "kicker", "title", "subtitle", "dateline", "bylines", "blocks", "editor_note",
                "reading_tip", "source_note", "continued_from_page", "continued_to_page", "needs_review",
                "warnings"):  # fmt: skip
        assert key in art
    assert art["bylines"][0] == {"name": "马学礼", "role": "记者", "affiliation": ""}
    assert set(page["photos"][0]) >= {"title", "caption", "credits", "agency"}
    assert Page.objects.count() == 0 and ImportRun.objects.count() == 0


def test_dry_run_text_describes_each_page_and_writes_nothing():
    out, _ = run(SEEDS / SEED_000, dry_run=True)
    assert "000_3f26e5270c4c1202.txt: 2020-10-23 page 3:" in out
    assert "nothing written" in out
    assert Article.objects.count() == 0


def test_json_format_needs_dry_run():
    _, _, message = run_failing(format="json")
    assert "--dry-run" in message


# -- re-import -------------------------------------------------------------------------------


def test_reimporting_an_unchanged_file_changes_nothing_and_says_so():
    run()
    before = snapshot()
    stamps = list(Article.objects.order_by("pk").values_list("pk", "updated_at"))
    out, _ = run()
    assert "5 unchanged" in out
    assert snapshot() == before
    assert list(Article.objects.order_by("pk").values_list("pk", "updated_at")) == stamps


def test_a_changed_file_reparses_its_page_but_keeps_edited_articles(tmp_path):
    text = seed_bytes()
    folder = make_folder(tmp_path, {"p.txt": text}, entry("p.txt", "2020-10-23", 3))
    run(folder)
    edited = Article.objects.get(position=2)
    edited.title = "编辑改过的标题"
    edited.mark_edited()
    edited.save()
    untouched = Article.objects.get(position=1)
    (folder / "p.txt").write_bytes(
        text.replace("宁夏回族自治区党委、政府出台意见".encode(), "宁夏出台意见".encode())
    )
    out, _ = run(folder)
    assert "updated" in out and "kept 1 edited: 编辑改过的标题" in out
    assert Article.objects.get(pk=edited.pk).title == "编辑改过的标题"
    # the untouched article keeps its row (its id and address) with the re-parsed text
    assert Article.objects.get(position=1).pk == untouched.pk
    assert Article.objects.get(pk=untouched.pk).kicker == "宁夏出台意见"
    assert Article.objects.filter(position=2).count() == 1
    assert ImportRun.objects.first().counts["kept"] == 1


def test_replace_forces_a_reparse_and_overwrites_editors_work(tmp_path):
    folder = make_folder(tmp_path, {"p.txt": seed_bytes()}, entry("p.txt", "2020-10-23", 3))
    run(folder)
    edited = Article.objects.get(position=2)
    edited.title = "编辑改过的标题"
    edited.mark_edited()
    edited.save()
    out, _ = run(folder, replace=True)
    assert "updated" in out
    assert not Article.objects.filter(title="编辑改过的标题").exists()
    assert Article.objects.filter(position=2, edited=False).count() == 1


def test_a_changed_file_keeps_photos_with_an_uploaded_image(tmp_path):
    folder = make_folder(tmp_path, {"p.txt": seed_bytes()}, entry("p.txt", "2020-10-23", 3))
    run(folder)
    Photo.objects.filter(position=1).update(image="photos/uploaded.jpg", title="编辑上传")
    (folder / "p.txt").write_bytes(seed_bytes() + "\n补充一段。\n".encode())
    run(folder)
    assert Photo.objects.filter(position=1, title="编辑上传").exists()
    assert Photo.objects.filter(position=2).exists()


# -- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda t: t.encode("gb18030"), id="gb18030"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
    ],
)
def test_encodings_and_line_endings_import_identically(tmp_path, encode):
    text = seed_bytes(SEED_003).decode("utf-8")
    plain = make_folder(tmp_path / "a", {"p.txt": text.encode("utf-8")}, entry("p.txt", "2022-06-24", 3))
    run(plain)
    expected = snapshot()
    Issue.objects.all().delete()
    variant = make_folder(tmp_path / "b", {"p.txt": encode(text)}, entry("p.txt", "2022-06-24", 3))
    run(variant)
    assert snapshot() == expected


# -- bad input: one line each, non-zero exit, the rest imported ---------------------------------


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"   \n\n  \n", "empty"),
        (bytes(range(256)) * 4, "binary"),
    ],
    ids=["empty", "blank", "binary"],
)
def test_a_bad_file_gets_one_line_and_the_others_are_imported(tmp_path, data, problem):
    folder = make_folder(
        tmp_path,
        {"bad.txt": data, "good.txt": seed_bytes()},
        entry("bad.txt", "2020-10-22", 1) + entry("good.txt", "2020-10-23", 3),
    )
    _, err, message = run_failing(folder)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "bad.txt" in lines[0] and problem in lines[0]
    assert "1 file(s) failed" in message
    assert not Issue.objects.filter(date="2020-10-22").exists()
    assert Page.objects.filter(issue__date="2020-10-23", number=3).exists()
    run_row = ImportRun.objects.get()
    assert run_row.status == ImportRun.Result.PARTIAL
    assert run_row.counts["failed"] == 1 and run_row.counts["created"] == 1


@pytest.mark.parametrize(
    ("manifest_extra", "problem"),
    [
        ("pgae = 3\n", "unknown key 'pgae'"),
        ("", None),
    ],
    ids=["unknown-key", "control"],
)
def test_an_unknown_manifest_key_is_an_error_naming_file_and_key(tmp_path, manifest_extra, problem):
    folder = make_folder(
        tmp_path,
        {"a.txt": seed_bytes(), "b.txt": seed_bytes(SEED_003)},
        entry("a.txt", "2020-10-23", 3, manifest_extra) + entry("b.txt", "2022-06-24", 3),
    )
    if problem is None:
        run(folder)
        assert Page.objects.count() == 2
        return
    _, err, _ = run_failing(folder)
    assert err.strip().splitlines() == [
        f'{folder / "a.txt"}: {folder / "manifest.toml"} [files."a.txt"]: {problem}'
    ]
    assert Page.objects.count() == 1


def test_an_invalid_date_is_an_error_naming_the_file(tmp_path):
    folder = make_folder(tmp_path, {"a.txt": seed_bytes()}, entry("a.txt", "2020-13-45", 3))
    _, err, _ = run_failing(folder)
    assert "a.txt" in err and "invalid date '2020-13-45'" in err
    assert Page.objects.count() == 0


def test_a_file_without_date_or_page_is_named(tmp_path):
    folder = make_folder(
        tmp_path, {"a.txt": seed_bytes(), "b.txt": seed_bytes(SEED_003)}, entry("b.txt", "2022-06-24", 3)
    )
    _, err, _ = run_failing(folder)
    assert "a.txt: no issue date or page number" in err
    assert Page.objects.count() == 1


def test_two_files_claiming_the_same_page_are_both_refused(tmp_path):
    folder = make_folder(
        tmp_path,
        {"a.txt": seed_bytes(), "b.txt": seed_bytes(SEED_003), "c.txt": seed_bytes(SEED_003)},
        entry("a.txt", "2020-10-23", 3) + entry("b.txt", "2022-06-24", 3) + entry("c.txt", "2022-06-24", 3),
    )
    _, err, message = run_failing(folder)
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert "b.txt: claims 2022-06-24 page 3, which c.txt also claims" in lines[0] + lines[1]
    assert "2 file(s) failed" in message
    assert list(Page.objects.values_list("issue__date", flat=True)) == [datetime.date(2020, 10, 23)]


def test_invalid_toml_names_the_manifest(tmp_path):
    folder = make_folder(tmp_path, {"a.txt": seed_bytes()}, '[files."a.txt"\ndate = ')
    _, err, _ = run_failing(folder)
    assert "manifest.toml: not valid TOML" in err


def test_an_unusable_manifest_is_one_line_naming_the_files_it_holds_back(tmp_path):
    # the operator is told once what is wrong with the manifest, and which pages wait for it,
    # not the same line again for every page file of the folder
    files = {"a.txt": seed_bytes(), "b.txt": seed_bytes(SEED_003), "c.txt": seed_bytes(SEED_003)}
    folder = make_folder(tmp_path, files, '[files."a.txt"\ndate = ')
    _, err, message = run_failing(folder)
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{folder / 'manifest.toml'}: not valid TOML")
    assert "3 page file(s) was imported (a.txt, b.txt, c.txt)" in lines[0]
    assert "1 file(s) failed" in message
    assert not Page.objects.exists()


def test_a_page_that_fails_while_writing_leaves_nothing_half_written(tmp_path, monkeypatch):
    folder = make_folder(
        tmp_path,
        {"a.txt": seed_bytes(), "b.txt": seed_bytes(SEED_003)},
        entry("a.txt", "2020-10-23", 3) + entry("b.txt", "2022-06-24", 3),
    )
    real = loader.source_encoding

    def fail_on_first_page(data):  # called while a page's rows are written, on either path
        if data == seed_bytes():
            raise RuntimeError("disk full")
        return real(data)

    monkeypatch.setattr(loader, "source_encoding", fail_on_first_page)
    _, err, _ = run_failing(folder)
    assert "a.txt: not imported (RuntimeError: disk full)" in err
    assert not Issue.objects.filter(date="2020-10-23").exists()
    assert not Article.objects.filter(page__issue__date="2020-10-23").exists()
    assert Page.objects.filter(issue__date="2022-06-24").exists()
    assert Person.objects.filter(bylines__isnull=True, photo_credits__isnull=True).count() == 0


def test_fail_fast_stops_at_the_first_bad_file(tmp_path):
    folder = make_folder(
        tmp_path,
        {"a.txt": b"", "b.txt": seed_bytes()},
        entry("a.txt", "2020-10-22", 1) + entry("b.txt", "2020-10-23", 3),
    )
    _, err, message = run_failing(folder, fail_fast=True)
    assert "a.txt" in err and "--fail-fast" in message
    assert Page.objects.count() == 0


def test_fail_fast_stops_at_a_planning_error_before_writing(tmp_path):
    folder = make_folder(
        tmp_path, {"a.txt": seed_bytes(), "b.txt": seed_bytes()}, entry("b.txt", "2020-10-23", 3)
    )
    _, _, message = run_failing(folder, fail_fast=True)
    assert "first bad file" in message
    assert Page.objects.count() == 0 and ImportRun.objects.count() == 0


def test_a_missing_path_is_a_clear_error(tmp_path):
    _, _, message = run_failing(tmp_path / "nope")
    assert message == f"{tmp_path / 'nope'}: no such file or folder"


def test_a_folder_without_page_files_is_a_clear_error(tmp_path):
    _, _, message = run_failing(tmp_path)
    assert "no page files" in message


# -- one file placed on the command line ------------------------------------------------------


def test_date_page_and_names_place_a_single_file(tmp_path):
    path = tmp_path / "loose.txt"
    path.write_bytes(seed_bytes())
    run(path, date="2021-05-01", page=7, page_name="工会视点", issue_number=12345)
    page = Page.objects.get()
    assert (page.issue.date, page.number, page.name, page.issue.number) == (
        datetime.date(2021, 5, 1), 7, "工会视点", 12345,
    )  # fmt: skip
    assert page.issue.date_estimated is False


def test_date_and_page_refuse_several_files():
    _, _, message = run_failing(SEEDS, date="2021-05-01", page=7)
    assert "exactly one file" in message


def test_a_single_file_needs_both_date_and_page(tmp_path):
    path = tmp_path / "loose.txt"
    path.write_bytes(seed_bytes())
    _, err, _ = run_failing(path, date="2021-05-01")
    assert "loose.txt: command line: no page number (page)" in err


# -- output and the audit row ----------------------------------------------------------------


def test_verbosity_zero_prints_nothing_and_one_prints_progress_and_a_summary():
    out, _ = run(verbosity=0)
    assert out == ""
    Issue.objects.all().delete()
    out, _ = run(verbosity=1)
    assert out.count("[") >= 5 and "[5/5]" in out
    assert "articles" in out.splitlines()[-1] and "bylines" in out.splitlines()[-1]


def test_every_run_is_recorded_as_an_import_run():
    run(publish=True)
    row = ImportRun.objects.get()
    assert row.status == ImportRun.Result.SUCCEEDED and row.finished_at is not None
    assert row.options["publish"] is True
    assert row.counts["pages"] == 5 and row.counts["articles"] == Article.objects.count()
    assert row.counts["bylines"] == Byline.objects.count()
    assert {f["status"] for f in row.files} == {"created"}
    assert PageSource.objects.count() == 5


# -- continuations across pages ----------------------------------------------------------------

FRONT = """

工会十七大精神宣讲走深走实

本报讯（记者郑莉）各级工会深入学习宣传重要论述，团结带领职工听党话跟党走。

全总举办全国职工演讲大赛，参赛职工分享学习贯彻的心得体会。

（下转第2版）
"""

INSIDE = """

（上接第1版）

据不完全统计，全国共开展演讲比赛近3万场，超过300万职工参赛。

广告
"""


def test_continued_parts_are_linked_both_ways_when_both_pages_are_imported(tmp_path):
    folder = make_folder(
        tmp_path,
        {"p1.txt": FRONT.encode(), "p2.txt": INSIDE.encode()},
        entry("p1.txt", "2019-03-26", 1) + entry("p2.txt", "2019-03-26", 2),
    )
    run(folder / "p2.txt", date="2019-03-26", page=2)
    second = Article.objects.get(page__number=2)
    assert second.continued_from_page == 1 and second.continued_from is None
    run(folder / "p1.txt", date="2019-03-26", page=1)
    first = Article.objects.get(page__number=1)
    second.refresh_from_db()
    assert first.continued_to_page == 2
    assert second.continued_from == first and first.continued_in == second


# -- two imports at once ------------------------------------------------------------------------


def _database_url_for_subprocesses(tmp_path) -> tuple[str, callable]:
    """A fresh, migrated database the two importers share, and how to drop it."""
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.settings_dict
        name = f"newsroom_concurrency_{uuid.uuid4().hex[:8]}"
        base = f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"{base}/{name}", drop
    return f"sqlite:///{tmp_path / 'shared.sqlite3'}", lambda: None


def _manage(url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _count_rows(url: str) -> dict:
    code = (
        "import django,json;django.setup();from articles.models import *;"
        "print(json.dumps({'issues':Issue.objects.count(),'pages':Page.objects.count(),"
        "'articles':Article.objects.count(),'people':Person.objects.count(),"
        "'sources':PageSource.objects.count(),'runs':ImportRun.objects.count()}))"
    )
    proc = _manage(url, "shell", "-c", code)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_two_imports_running_at_once_neither_corrupt_nor_duplicate(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    url, drop = _database_url_for_subprocesses(tmp_path)
    try:
        migrate = _manage(url, "migrate", "--noinput", "-v0")
        assert migrate.wait(timeout=180) == 0, migrate.stderr.read()
        single = _manage(url, "import_pages", "--dry-run", "--format", "json", str(folder))
        expected = json.loads(single.communicate(timeout=120)[0])
        n_articles = sum(len(p["articles"]) for p in expected["pages"])

        first = _manage(url, "import_pages", str(folder))
        second = _manage(url, "import_pages", str(folder))
        results = [p.communicate(timeout=180) for p in (first, second)]
        assert first.returncode == 0, results[0][1]
        assert second.returncode == 0, results[1][1]
        summaries = sorted(out.strip().splitlines()[-1] for out, _ in results)
        created = sum(int(s.split(": ")[1].split(" created")[0]) for s in summaries)
        unchanged = sum(int(s.split(", ")[2].split(" unchanged")[0]) for s in summaries)
        assert (created, unchanged) == (5, 5)

        counts = _count_rows(url)
        assert counts["issues"] == 5 and counts["pages"] == 5 and counts["sources"] == 5
        assert counts["articles"] == n_articles
        assert counts["runs"] == 2
    finally:
        drop()


# -- what readers see follows the import --------------------------------------------------------


def test_an_import_is_searchable_at_once_and_a_reimport_drops_the_old_text(tmp_path):
    from articles.search import search_articles

    folder = make_folder(tmp_path, {"p.txt": seed_bytes()}, entry("p.txt", "2020-10-23", 3))
    run(folder, publish=True)
    found = search_articles(Article.objects.all(), "联席会议制度")
    assert [a.title for a in found] == ["建立联席会议制度加强和改进产业工人队伍思想政治工作"]
    (folder / "p.txt").write_bytes(seed_bytes().replace("联席会议".encode(), "联络会议".encode()))
    run(folder, publish=True)
    assert not search_articles(Article.objects.all(), "联席会议制度").exists()
    assert search_articles(Article.objects.all(), "联络会议制度").exists()


def test_a_reimport_shows_on_the_next_page_load_despite_the_page_cache(client, tmp_path):
    folder = make_folder(tmp_path, {"p.txt": seed_bytes()}, entry("p.txt", "2020-10-23", 3))
    run(folder, publish=True)
    url = Page.objects.get().get_absolute_url()
    assert "汕头市总推动困难职工纳入政府兜底" in client.get(url).content.decode()
    (folder / "p.txt").write_bytes(
        seed_bytes().replace("汕头市总推动困难职工纳入政府兜底".encode(), "汕头市总推动职工兜底".encode())
    )
    run(folder, publish=True)
    html = client.get(url).content.decode()
    assert "汕头市总推动职工兜底" in html and "汕头市总推动困难职工纳入政府兜底" not in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps planner statistics in sqlite_stat1")
def test_an_import_refreshes_sqlites_planner_statistics():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    run()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles_article'")
        assert cursor.fetchone()[0] > 0


def test_the_imports_search_index_equals_a_rebuild_from_the_database():
    """The loader indexes from what it holds in memory; a rebuild must find exactly the same."""
    from articles.search import search_articles

    run(publish=True)
    queries = ["马学礼", "工会", "职工 培训", '"新就业形态劳动者"', "APP", "本报", "夏同军", "2020年"]

    def results():
        return {
            q: list(search_articles(Article.objects.all(), q).values_list("pk", flat=True)) for q in queries
        }

    before = results()
    assert all(before.values())
    call_command("rebuild_search_index", verbosity=0)
    assert results() == before


def test_an_over_long_headline_moves_into_the_body_and_is_flagged(tmp_path):
    """A title too long for its field is kept as the first paragraph, never cut off."""
    from articles.importer.plan import PageSpec
    from articles.parsing import Block, ParsedArticle, ParsedPage

    long_title = "工会" * 200
    parsed = ParsedPage(
        articles=[
            ParsedArticle(title=long_title, subtitle="副题成为主题", blocks=[Block("paragraph", "正文。")])
        ]
    )
    spec = PageSpec(path=tmp_path / "p.txt", issue_date=datetime.date(2020, 10, 23), page_number=3)
    loader.load_page(spec, b"x", "x", parsed)
    article = Article.objects.get()
    assert article.title == "副题成为主题" and article.subtitle == ""
    assert [b["text"] for b in article.body] == [long_title, "正文。"]
    assert article.needs_review
    assert "主题过长（400字），已移入正文" in article.warnings and "未找到标题" in article.warnings


def test_the_same_file_as_a_second_page_of_an_issue_is_refused_naming_both_pages(tmp_path):
    folder = make_folder(
        tmp_path,
        {"a.txt": seed_bytes(), "b.txt": seed_bytes()},
        entry("a.txt", "2020-10-23", 3) + entry("b.txt", "2020-10-23", 4),
    )
    _, err, _ = run_failing(folder)
    lines = [line for line in err.splitlines() if "b.txt" in line]
    assert len(lines) == 1
    assert "same content as page 3 of 2020-10-23 (a.txt)" in lines[0] and "as page 4" in lines[0]
    assert "--allow-duplicate" in lines[0]
    assert list(Page.objects.values_list("number", flat=True)) == [3]  # nothing of page 4 written
    assert ImportRun.objects.get().status == ImportRun.Result.PARTIAL
    # the same file on another issue's page is no duplicate; re-importing page 3 is no duplicate
    other = make_folder(tmp_path / "o", {"a.txt": seed_bytes()}, entry("a.txt", "2020-10-24", 4))
    run(other)
    out, _ = run(folder / "a.txt", date="2020-10-23", page=3)
    assert "unchanged" in out


def test_allow_duplicate_imports_the_second_page_anyway(tmp_path):
    folder = make_folder(
        tmp_path,
        {"a.txt": seed_bytes(), "b.txt": seed_bytes()},
        entry("a.txt", "2020-10-23", 3) + entry("b.txt", "2020-10-23", 4),
    )
    run(folder, allow_duplicate=True)
    assert sorted(Page.objects.values_list("number", flat=True)) == [3, 4]
    assert ImportRun.objects.get().options["allow_duplicate"] is True


def test_anything_can_start_an_import_and_get_its_run(tmp_path):
    from articles.importer.plan import Placement, make_plan
    from articles.importer.runs import ImportSettings, import_pages

    folder = make_folder(tmp_path, {"a.txt": seed_bytes()}, entry("a.txt", "2020-10-23", 3))
    plan = make_plan([folder], Placement())
    run_row = import_pages(plan.specs, ImportSettings(publish=True))
    assert run_row.status == ImportRun.Result.SUCCEEDED and run_row.counts["created"] == 1
    assert run_row.options["publish"] is True
    assert Article.objects.published().count() == Article.objects.filter(needs_review=False).count() > 0


# -- new pages of a batch are written together -------------------------------------------


def _issues_folder(tmp_path: Path, name: str, dates: list[str]) -> Path:
    """Every seed page on each of ``dates`` (page numbers 1..5)."""
    seeds = sorted(SEEDS.glob("*.txt"))
    files, manifest = {}, ""
    for date in dates:
        for n, seed in enumerate(seeds, start=1):
            files[f"{date}_{n}.txt"] = seed.read_bytes()
            manifest += entry(f"{date}_{n}.txt", date, n)
    return make_folder(tmp_path / name, files, manifest)


def _page_contents(date: str) -> list[tuple]:
    """Everything imported onto one issue, without ids or dates (to compare two issues)."""
    articles = [row[1:] for row in snapshot() if str(row[0]) == date]
    photos = [
        (p.page.number, p.position, p.title, p.caption, p.agency, p.warnings,
         tuple((c.person.name, c.role, c.order) for c in p.credits.order_by("order")))
        for p in Photo.objects.filter(page__issue__date=date).order_by("page__number", "position")
    ]  # fmt: skip
    flags = list(
        Article.objects.filter(page__issue__date=date)
        .order_by("page__number", "position")
        .values_list("status", "needs_review", "warnings", "version", "continued_from__position")
    )
    addresses = sorted(
        path.split("/", 4)[-1]
        for path in Issue.objects.get(date=date).pages.values_list("articles__addresses__path", flat=True)
    )
    sources = list(
        PageSource.objects.filter(page__issue__date=date)
        .order_by("page__number")
        .values_list("sha256", "encoding")
    )
    return [articles, photos, flags, addresses, sources]


def test_a_batch_of_new_pages_writes_exactly_what_one_page_at_a_time_writes(tmp_path, settings, monkeypatch):
    from articles.importer import runs
    from articles.search import search_articles

    monkeypatch.setattr(runs, "BATCH_SECONDS", 60.0)  # one batch, however slow the machine
    settings.NEWSROOM_IMPORT_BATCH_PAGES = 1  # one page per transaction: the one-page path
    run(_issues_folder(tmp_path, "a", ["2021-03-01"]), publish=True)
    settings.NEWSROOM_IMPORT_BATCH_PAGES = 50  # all five in one batch: written together
    run(_issues_folder(tmp_path, "b", ["2021-03-02"]), publish=True)
    one_by_one, together = _page_contents("2021-03-01"), _page_contents("2021-03-02")
    assert together == one_by_one
    assert together[0] and together[1]  # articles and photos, not two empty lists
    for title in ("职工", "劳模"):  # every article is found on both issues alike
        found = search_articles(Article.objects.all(), title)
        by_date = {d: sorted(found.filter(page__issue__date=d).values_list("title", flat=True)) for d in
                   ("2021-03-01", "2021-03-02")}  # fmt: skip
        assert by_date["2021-03-01"] == by_date["2021-03-02"] != []


def _print_order_copies() -> tuple[list, list]:
    """Each article's, byline's and photo credit's copy of its place in print, beside what it
    should be (the article's issue date and page; on a person's first byline of the article
    its position too, on their other bylines nothing; a credit: its photo's place)."""
    from articles.models import PhotoCredit

    have, want = [], []
    for a in Article.objects.select_related("page__issue").order_by("pk"):
        have.append((a.issue_date, a.page_number))
        want.append((a.page.issue.date, a.page.number))
        seen = set()
        for b in Byline.objects.filter(article=a).order_by("order", "pk"):
            have.append((b.issue_date, b.page_number, b.position))
            want.append(
                (a.page.issue.date, a.page.number, a.position) if b.person_id not in seen else (None,) * 3
            )
            seen.add(b.person_id)
    for c in PhotoCredit.objects.select_related("photo__page__issue").order_by("pk"):
        have.append((c.issue_date, c.page_number, c.position))
        want.append((c.photo.page.issue.date, c.photo.page.number, c.photo.position))
    return have, want


def test_new_pages_written_together_carry_their_place_in_print_and_new_articles_keep_version_one(
    tmp_path, settings, monkeypatch
):
    """The batch path writes the print-order copies with its rows; the change path checks them
    (a wrong one is put right when the transaction commits) and bumps no new article's version."""
    from django.db import transaction

    from articles.changes import record_created
    from articles.importer import runs

    monkeypatch.setattr(runs, "BATCH_SECONDS", 60.0)
    settings.NEWSROOM_IMPORT_BATCH_PAGES = 50
    run(_issues_folder(tmp_path, "a", ["2021-03-01", "2021-03-02"]))
    have, want = _print_order_copies()
    assert have == want and len(have) > 100
    assert set(Article.objects.values_list("version", flat=True)) == {1}
    # A raw-SQL writer that wrote a wrong copy on rows it created: put right at the commit.
    article = Article.objects.filter(bylines__isnull=False).first()
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(issue_date=datetime.date(1999, 1, 1), page_number=99)
        Byline.objects.filter(article=article).update(issue_date=None, position=None)
        record_created(Article, [{"pk": article.pk, "page_id": article.page_id}])
    have, want = _print_order_copies()
    assert have == want


def test_new_pages_of_a_batch_take_the_same_queries_however_many_they_are(tmp_path, settings, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    from articles.importer import runs

    monkeypatch.setattr(runs, "BATCH_SECONDS", 60.0)
    settings.NEWSROOM_IMPORT_BATCH_PAGES = 50
    run(_issues_folder(tmp_path, "warm", ["2021-04-01"]))  # people and columns exist from now on
    counts = []
    for name, dates in (("one", ["2021-04-02"]), ("three", ["2021-04-03", "2021-04-04", "2021-04-05"])):
        with CaptureQueriesContext(connection) as queries:
            run(_issues_folder(tmp_path, name, dates))
        counts.append(len(queries))
    assert Page.objects.count() == 25
    assert counts[1] == counts[0], counts  # 5 pages or 15: the same statements, more rows each


def test_a_batch_of_new_pages_numbers_their_issues_from_the_manifest(tmp_path):
    Issue.objects.create(date="2021-06-01")  # an issue already there, without a number
    seeds = sorted(SEEDS.glob("*.txt"))
    folder = make_folder(
        tmp_path,
        {"a.txt": seeds[0].read_bytes(), "b.txt": seeds[1].read_bytes(), "c.txt": seeds[2].read_bytes()},
        entry("a.txt", "2021-06-01", 1, "issue_number = 100")
        + entry("b.txt", "2021-06-02", 1, "issue_number = 200\ndate_estimated = true")
        + entry("c.txt", "2021-06-02", 2),
    )
    run(folder)
    assert Page.objects.count() == 3
    issues = {str(i.date): (i.number, i.date_estimated) for i in Issue.objects.all()}
    assert issues == {"2021-06-01": (100, False), "2021-06-02": (200, True)}
