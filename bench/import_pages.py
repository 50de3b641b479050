"""Benchmark the page import: pages per second for parsing alone and for a full import.

Builds an archive of page files from the seed pages (each seed page repeated over many
issue dates, with a manifest), then times

1. parsing alone: decode_page + parse_page over every file, in this process;
2. a full import into a fresh SQLite file: ``manage.py import_pages`` (in-process via
   call_command, one transaction per page, search index and all).

Usage::

    .venv/bin/python bench/import_pages.py            # 5,000 pages (1,000 dates x 5 seeds)
    .venv/bin/python bench/import_pages.py --pages 10000

Writes its files under bench/out/ (git-ignored). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def build_archive(folder: Path, pages: int) -> list[Path]:
    """Write ``pages`` page files and their manifest.toml into ``folder``."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    start = datetime.date(2000, 1, 1)
    manifest, files = [], []
    for n in range(pages):
        day, seed = divmod(n, len(seeds))
        date = start + datetime.timedelta(days=day)
        name = f"{date:%Y%m%d}_{seed + 1:02d}.txt"
        path = folder / name
        shutil.copyfile(seeds[seed], path)
        files.append(path)
        manifest.append(
            f'[files."{name}"]\ndate = "{date}"\npage = {seed + 1}\npage_name = "第{seed + 1}版"\n'
        )
    (folder / "manifest.toml").write_text("\n".join(manifest), encoding="utf-8")
    return files


def bench_parse(files: list[Path]) -> float:
    from articles.parsing import decode_page, parse_page

    parse_page(decode_page(files[0].read_bytes()))  # load the word list once, outside the timing
    started = time.perf_counter()
    for path in files:
        parse_page(decode_page(path.read_bytes()))
    return len(files) / (time.perf_counter() - started)


def bench_import(folder: Path, pages: int) -> tuple[float, dict]:
    from django.core.management import call_command

    from articles.models import Article, Byline, ImportRun, Photo

    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    call_command("import_pages", str(folder), verbosity=0)
    elapsed = time.perf_counter() - started
    counts = {
        "articles": Article.objects.count(),
        "photos": Photo.objects.count(),
        "bylines": Byline.objects.count(),
        "run": ImportRun.objects.get().counts,
    }
    return pages / elapsed, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000, help="how many page files (default 5000)")
    args = parser.parse_args()

    db = OUT / "import.sqlite3"
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in OUT.glob("import.sqlite3*"):
        stale.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DJANGO_DEBUG"] = "0"  # production settings: no query recording
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-" + "k" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    files = build_archive(OUT / "archive", args.pages)
    parse_rate = bench_parse(files)
    import_rate, counts = bench_import(OUT / "archive", args.pages)
    print("| pages | parse only (pages/s) | full import into SQLite (pages/s) | articles | bylines |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {args.pages:,} | {parse_rate:,.0f} | {import_rate:,.0f} | "
        f"{counts['articles']:,} | {counts['bylines']:,} |"
    )


if __name__ == "__main__":
    main()
