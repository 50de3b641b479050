"""Import input that must be refused (issue 14 item 4): symlinks, missing manifest files,
symlink loops, size and count limits, field lengths and ranges, UTF-16.

Every refusal is one line naming the file and the problem; nothing of a refused file is
written; the other files are still imported. The same input is refused on SQLite as on
PostgreSQL (the loader validates against the model fields before writing).
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from articles.importer.loader import PageOutcome, load_page
from articles.importer.plan import PageSpec
from articles.models import Article, Column, ImportRun, Issue, Page, PageSource, Person, Photo
from articles.parsing import Block, BlockType, Credit, ParsedArticle, ParsedPage, ParsedPhoto

from .test_import import SEED_000, SEED_003, entry, make_folder, run, run_failing, seed_bytes, snapshot

pytestmark = pytest.mark.django_db


def _error_lines(err: str, name: str) -> list[str]:
    return [line for line in err.strip().splitlines() if name in line]


# -- the folder: symlinks, loops, missing files ------------------------------------------------


def test_a_symlink_in_the_folder_is_refused_by_name_and_not_followed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(seed_bytes(SEED_003))
    folder = make_folder(
        tmp_path,
        {"good.txt": seed_bytes()},
        entry("good.txt", "2020-10-23", 3) + entry("link.txt", "2020-10-24", 1),
    )
    (folder / "link.txt").symlink_to(outside)
    _, err, message = run_failing(folder)
    (line,) = _error_lines(err, "link.txt")
    assert "symbolic link" in line and "not followed" in line
    assert "1 file(s) failed" in message
    assert not Issue.objects.filter(date="2020-10-24").exists()
    assert Page.objects.filter(issue__date="2020-10-23", number=3).exists()


def test_a_symlink_to_a_system_file_is_never_imported(tmp_path):
    folder = make_folder(tmp_path, {}, entry("passwd.txt", "2020-10-24", 1))
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    _, err, _ = run_failing(folder)
    assert "passwd.txt" in err and "symbolic link" in err
    assert not PageSource.objects.exists()
    assert ImportRun.objects.get().counts["failed"] == 1


def test_a_symlink_given_on_the_command_line_is_refused_too(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to("/etc/passwd")
    _, err, _ = run_failing(link, date="2020-10-24", page=1)
    assert "link.txt" in err and "symbolic link" in err
    assert not Page.objects.exists()


@pytest.mark.parametrize("layout", ["self", "pair"])
def test_a_symlink_loop_is_reported_by_name(tmp_path, layout):
    folder = make_folder(tmp_path, {"good.txt": seed_bytes()}, entry("good.txt", "2020-10-23", 3))
    if layout == "self":
        (folder / "loop.txt").symlink_to(folder / "loop.txt")
        names = ["loop.txt"]
    else:
        (folder / "a.txt").symlink_to(folder / "b.txt")
        (folder / "b.txt").symlink_to(folder / "a.txt")
        names = ["a.txt", "b.txt"]
    _, err, _ = run_failing(folder)
    for name in names:
        (line,) = _error_lines(err, f"{os.sep}{name}")
        assert "symbolic link loop" in line
    assert Page.objects.count() == 1


def test_a_manifest_entry_with_no_file_is_refused_by_name(tmp_path):
    folder = make_folder(
        tmp_path,
        {"good.txt": seed_bytes()},
        entry("good.txt", "2020-10-23", 3) + entry("missing.txt", "2020-10-24", 1),
    )
    _, err, message = run_failing(folder)
    (line,) = _error_lines(err, "missing.txt")
    assert "manifest.toml" in line and "no such file" in line
    assert "1 file(s) failed" in message
    assert Page.objects.count() == 1


def test_a_page_file_that_is_not_a_regular_file_is_named(tmp_path):
    folder = make_folder(tmp_path, {"good.txt": seed_bytes()}, entry("good.txt", "2020-10-23", 3))
    os.mkfifo(folder / "pipe.txt")  # reading it would block the import for ever
    (folder / "dir.txt").mkdir()
    _, err, _ = run_failing(folder)
    assert "not a regular file" in _error_lines(err, "pipe.txt")[0]
    assert "not a regular file" in _error_lines(err, "dir.txt")[0]
    assert Page.objects.count() == 1


def test_a_symlinked_manifest_is_refused(tmp_path):
    folder = make_folder(tmp_path, {"good.txt": seed_bytes()}, "")
    real = tmp_path / "real.toml"
    real.write_text(entry("good.txt", "2020-10-23", 3), encoding="utf-8")
    (folder / "manifest.toml").unlink()
    (folder / "manifest.toml").symlink_to(real)
    _, err, _ = run_failing(folder)
    assert "manifest.toml" in err and "symbolic link" in err
    assert not Page.objects.exists()


# -- limits --------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path, settings):
    settings.NEWSROOM_IMPORT_MAX_FILE_BYTES = 10_000
    folder = make_folder(
        tmp_path,
        {"big.txt": seed_bytes(), "small.txt": b"\xe6\x9c\xac\xe6\x8a\xa5\xe8\xae\xaf\n" * 100},
        entry("big.txt", "2020-10-23", 3) + entry("small.txt", "2020-10-24", 1),
    )
    _, err, _ = run_failing(folder)
    (line,) = _error_lines(err, "big.txt")
    assert f"{len(seed_bytes()):,} bytes" in line and "NEWSROOM_IMPORT_MAX_FILE_BYTES" in line
    assert "10,000" in line
    assert not Issue.objects.filter(date="2020-10-23").exists()


def test_a_50_mb_file_is_refused_with_the_default_limit(tmp_path):
    page = seed_bytes()
    folder = make_folder(tmp_path, {}, entry("huge.txt", "2020-10-23", 3))
    with open(folder / "huge.txt", "wb") as f:
        for _ in range(50 * 1024 * 1024 // len(page) + 1):
            f.write(page)
    _, err, _ = run_failing(folder)
    (line,) = _error_lines(err, "huge.txt")
    assert "NEWSROOM_IMPORT_MAX_FILE_BYTES" in line
    assert not Article.objects.exists()


def test_the_dry_run_refuses_an_over_large_file_too(tmp_path, settings):
    settings.NEWSROOM_IMPORT_MAX_FILE_BYTES = 10_000
    folder = make_folder(tmp_path, {"big.txt": seed_bytes()}, entry("big.txt", "2020-10-23", 3))
    _, err, _ = run_failing(folder, dry_run=True)
    assert "NEWSROOM_IMPORT_MAX_FILE_BYTES" in err


def test_a_page_with_more_articles_than_the_limit_is_refused(tmp_path, settings):
    settings.NEWSROOM_IMPORT_MAX_ARTICLES_PER_PAGE = 3
    folder = make_folder(
        tmp_path,
        {"a.txt": seed_bytes()},
        entry("a.txt", "2020-10-23", 3),
    )
    _, err, _ = run_failing(folder)
    (line,) = _error_lines(err, "a.txt")
    assert "articles" in line and "NEWSROOM_IMPORT_MAX_ARTICLES_PER_PAGE" in line and "(3)" in line
    assert not Article.objects.exists() and not Page.objects.exists()


def test_the_limits_are_named_settings_with_sane_defaults(settings):
    assert settings.NEWSROOM_IMPORT_MAX_FILE_BYTES == 1024 * 1024
    assert settings.NEWSROOM_IMPORT_MAX_ARTICLES_PER_PAGE == 200
    assert settings.NEWSROOM_IMPORT_MAX_PHOTOS_PER_PAGE == 200


# -- field lengths and ranges: the loader against the model fields --------------------------------


SPEC = PageSpec(path=Path("p.txt"), issue_date=datetime.date(2020, 10, 23), page_number=3)


def _load(*articles: ParsedArticle, photos=()) -> object:
    parsed = ParsedPage(articles=list(articles), photos=list(photos))
    return load_page(SPEC, b"page text " + os.urandom(8), "page text", parsed)


def _article(**fields) -> ParsedArticle:
    fields.setdefault("title", "工会进企宣讲扶贫政策")
    fields.setdefault("blocks", [Block(BlockType.PARAGRAPH, "记者近日从宁夏回族自治区总工会获悉。")])
    return ParsedArticle(**fields)


OCR_LINE = "据了解，今年以来，全区各级工会组织深入开展职工思想政治引领工作，" * 4  # > 100 characters


def test_a_118_character_ocr_line_does_not_become_a_column_name():
    line = OCR_LINE[:118]
    result = _load(_article(column=line))
    assert result.outcome == PageOutcome.CREATED
    assert not Column.objects.exists()
    article = Article.objects.get()
    assert article.column is None
    assert article.body[0] == {"type": "paragraph", "text": line}
    assert article.needs_review and any("栏目名过长（118字）" in w for w in article.warnings)


@pytest.mark.parametrize(
    ("field", "label", "limit"),
    [("dateline", "电头", 60), ("source_note", "来源", 300)],
)
def test_an_over_long_field_moves_into_the_body_and_is_flagged_not_cut(field, label, limit):
    text = (OCR_LINE * 5)[: limit + 7]
    _load(_article(**{field: text}))
    article = Article.objects.get()
    assert getattr(article, field) == ""
    assert {"type": "paragraph", "text": text} in article.body
    assert any(f"{label}过长（{limit + 7}字）" in w for w in article.warnings)


def test_an_over_long_byline_is_kept_as_text_not_as_a_person():
    name = OCR_LINE[:60]
    _load(_article(bylines=[Credit(name=name, role="记者"), Credit(name="马学礼", role="记者")]))
    article = Article.objects.get()
    assert [b.person.name for b in article.bylines.all()] == ["马学礼"]
    assert not Person.objects.filter(name=name).exists()
    assert any(name in b["text"] for b in article.body)
    assert any("署名过长（60字）" in w for w in article.warnings)


def test_an_over_long_affiliation_is_kept_as_text_not_as_a_person():
    affiliation = (OCR_LINE * 3)[:210]
    _load(_article(bylines=[Credit(name="马学礼", role="作者", affiliation=affiliation)]))
    article = Article.objects.get()
    assert not article.bylines.exists()
    assert any(affiliation in b["text"] for b in article.body)


def test_over_long_photo_title_and_agency_move_into_the_caption():
    title, agency = (OCR_LINE * 3)[:230], OCR_LINE[:70]
    _load(_article(), photos=[ParsedPhoto(title=title, caption="说明。", agency=agency)])
    photo = Photo.objects.get()
    assert photo.title == "" and photo.agency == ""
    assert title in photo.caption and agency in photo.caption and "说明。" in photo.caption
    assert any("图片标题过长（230字）" in w for w in photo.warnings)


@pytest.mark.parametrize("field", ["continued_from_page", "continued_to_page"])
def test_a_continuation_to_a_page_that_cannot_exist_is_ignored_and_flagged(field):
    _load(_article(**{field: 40000}))
    article = Article.objects.get()
    assert getattr(article, field) is None
    assert any("40000" in w for w in article.warnings)


def test_a_page_with_more_photos_than_the_limit_is_refused(settings):
    settings.NEWSROOM_IMPORT_MAX_PHOTOS_PER_PAGE = 2
    photos = [ParsedPhoto(title=f"图{i}") for i in range(3)]
    from articles.importer.loader import PageRefused

    with pytest.raises(PageRefused, match=r"3 photos.*NEWSROOM_IMPORT_MAX_PHOTOS_PER_PAGE"):
        _load(_article(), photos=photos)
    assert not Page.objects.exists()


# -- issue numbers and page numbers out of range ---------------------------------------------------


@pytest.mark.parametrize("number", [12345678901234567, 2**31])
def test_an_issue_number_out_of_range_is_refused_in_the_manifest(tmp_path, number):
    folder = make_folder(
        tmp_path, {"a.txt": seed_bytes()}, entry("a.txt", "2020-10-23", 3, f"issue_number = {number}")
    )
    _, err, _ = run_failing(folder)
    (line,) = _error_lines(err, "a.txt")
    assert f"invalid issue_number {number}" in line and "2147483647" in line
    assert not Issue.objects.exists()


def test_an_issue_number_out_of_range_is_refused_on_the_command_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(seed_bytes())
    _, err, _ = run_failing(path, date="2020-10-23", page=3, issue_number=12345678901234567)
    assert "invalid issue_number 12345678901234567" in err
    assert not Issue.objects.exists()


def test_the_largest_issue_number_is_accepted(tmp_path):
    folder = make_folder(
        tmp_path, {"a.txt": seed_bytes()}, entry("a.txt", "2020-10-23", 3, "issue_number = 2147483647")
    )
    run(folder)
    assert Issue.objects.get().number == 2147483647


@pytest.mark.parametrize("page", [0, 1000, 40000])
def test_a_page_number_out_of_range_is_refused(tmp_path, page):
    folder = make_folder(tmp_path, {"a.txt": seed_bytes()}, entry("a.txt", "2020-10-23", page))
    _, err, _ = run_failing(folder)
    assert f"invalid page number {page}" in err


# -- UTF-16 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "recorded"),
    [("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)
def test_utf16_files_are_recognised_and_import_identically(tmp_path, codec, recorded):
    text = seed_bytes(SEED_003).decode("utf-8")
    run(make_folder(tmp_path / "a", {"p.txt": text.encode("utf-8")}, entry("p.txt", "2022-06-24", 3)))
    expected = snapshot()
    Issue.objects.all().delete()
    run(make_folder(tmp_path / "b", {"p.txt": text.encode(codec)}, entry("p.txt", "2022-06-24", 3)))
    assert snapshot() == expected
    assert PageSource.objects.get().encoding == recorded


def test_broken_utf16_is_refused_as_utf16_not_as_binary(tmp_path):
    data = "本报讯 工会\n".encode("utf-16") + b"\x00\xd8\x41\x00"  # a lone surrogate
    folder = make_folder(
        tmp_path,
        {"bad.txt": data, "good.txt": seed_bytes(SEED_000)},
        entry("bad.txt", "2020-10-22", 1) + entry("good.txt", "2020-10-23", 3),
    )
    _, err, _ = run_failing(folder)
    (line,) = _error_lines(err, "bad.txt")
    assert "UTF-16" in line and "binary" not in line


def test_a_row_that_still_does_not_fit_refuses_the_page_naming_the_field_on_every_database():
    """load_page is an API of its own (not only the command): its input is checked too."""
    from articles.importer.loader import PageRefused

    spec = PageSpec(
        path=Path("p.txt"), issue_date=datetime.date(2020, 10, 23), page_number=3, page_name="版" * 60
    )
    with pytest.raises(PageRefused, match=r"page: 版名 \(name\) is 60 characters, at most 50"):
        load_page(spec, b"x", "x", ParsedPage(articles=[_article()]))
    assert not Page.objects.exists() and not Issue.objects.exists()
