"""Benchmark the page import: pages per second for parsing alone and for a full import.

Builds an archive of page files from the seed pages (each seed page repeated over many
issue dates, with a manifest), then times

1. parsing alone: decode_page + parse_page over every file, in this process;
2. a full import into a fresh database — ``manage.py import_pages`` (in-process via
   call_command: batches of pages per transaction, search index and page cache included)
   — split into its steps: reading and parsing, writing the rows, the change path
   (search index, page-cache freshness, article versions) and the commit itself; with
   the CPU time of this process and, on PostgreSQL, of its server backend ("one core":
   pages per CPU second, whatever else the machine is doing);
3. on PostgreSQL, ``import_pages --jobs N`` for each N of ``--jobs`` (wall clock), each
   into a fresh database.

Usage::

    .venv/bin/python bench/import_pages.py                          # 5,000 pages, SQLite
    .venv/bin/python bench/import_pages.py --database postgresql --jobs 1,2,4 --pages 4000
    .venv/bin/python bench/import_pages.py --parse-only --pages 2000  # step 1 only, no database

Writes its files under bench/out/ (git-ignored). PostgreSQL runs use the database named
by ``BENCH_POSTGRES_IMPORT_URL`` (default ``…/newsroom_bench_import``), dropped and
created for each run. Prints a markdown table and the machine's load average.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_URL = os.environ.get(
    "BENCH_POSTGRES_IMPORT_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench_import"
)


def build_archive(folder: Path, pages: int) -> list[Path]:
    """Write ``pages`` page files and their manifest.toml into ``folder`` (reused if complete)."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    marker = folder / f".complete-{pages}"
    if marker.exists():
        return sorted(folder.glob("*.txt"))
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
    marker.touch()
    return files


def bench_parse(files: list[Path]) -> tuple[float, float]:
    """Parsing alone: pages per second, wall clock and per CPU second."""
    from articles.parsing import decode_page, parse_page

    parse_page(decode_page(files[0].read_bytes()))  # load the word list once, outside the timing
    started, cpu = time.perf_counter(), time.process_time()
    for path in files:
        parse_page(decode_page(path.read_bytes()))
    return len(files) / (time.perf_counter() - started), len(files) / (time.process_time() - cpu)


def _backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend (same machine), or 0."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_import(folder: Path, pages: int) -> dict:
    """One full import in this process, its steps timed."""
    from django.core.management import call_command
    from django.db import connection

    import articles.changes as changes
    from articles.importer import runs
    from articles.models import Article, Byline, ImportRun

    call_command("migrate", "--noinput", verbosity=0)
    steps = {"read and parse": 0.0, "change path (index, cache)": 0.0, "commit": 0.0}
    cpu_steps = dict.fromkeys(steps, 0.0)

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t, c = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                steps[name] += time.perf_counter() - t
                cpu_steps[name] += time.process_time() - c

        return wrapper

    runs.read_and_parse = timed("read and parse", runs.read_and_parse)
    from newsroom.db import base

    hooks = base._before_commit
    hooks[hooks.index(changes.flush)] = timed("change path (index, cache)", changes.flush)
    connection._commit = timed("commit", connection._commit)
    cpu, backend = time.process_time(), _backend_cpu()
    started = time.perf_counter()
    call_command("import_pages", str(folder), verbosity=0)
    elapsed = time.perf_counter() - started
    cpu, backend = time.process_time() - cpu, _backend_cpu() - backend
    steps["write rows"] = elapsed - sum(steps.values())
    cpu_steps["write rows"] = cpu - sum(cpu_steps.values())
    return {
        "rate": pages / elapsed,
        "cpu_rate": pages / (cpu + backend),
        "client_cpu": cpu,
        "backend_cpu": backend,
        "steps_ms": {k: v / pages * 1000 for k, v in steps.items()},
        "cpu_steps_ms": {k: v / pages * 1000 for k, v in cpu_steps.items()},
        "articles": Article.objects.count(),
        "bylines": Byline.objects.count(),
        "run": ImportRun.objects.get().counts,
    }


def fresh_postgres(url: str) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    with psycopg.connect(dbname="postgres", user=cfg["USER"], host=cfg["HOST"], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{cfg['NAME']}\" ENCODING 'UTF8' TEMPLATE template0")


class BackendCPU:
    """CPU seconds of every PostgreSQL process serving ``database`` (read from /proc every
    0.2 s while a subprocess imports: its backends end with it, so the last ~0.2 s of
    each may be missed)."""

    def __init__(self, database: str):
        import threading

        self.database, self.seen, self.stop = database, {}, threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self):
        while not self.stop.is_set():
            for proc in Path("/proc").iterdir():
                if not proc.name.isdigit():
                    continue
                try:
                    if f" {self.database} " not in (proc / "cmdline").read_text().replace("\0", " ") + " ":
                        continue
                    fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                self.seen[proc.name] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            self.stop.wait(0.2)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())


def run_jobs(folder: Path, pages: int, jobs: int) -> dict:
    """``manage.py import_pages --jobs N`` into a fresh PostgreSQL database: pages per second
    (wall) and per CPU second (the import's processes and their PostgreSQL backends)."""
    import resource

    import dj_database_url

    fresh_postgres(PG_URL)
    env = {**os.environ, "DATABASE_URL": PG_URL, "DJANGO_DEBUG": "0"}
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-" + "k" * 40)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with BackendCPU(dj_database_url.parse(PG_URL)["NAME"]) as backends:
        command = [*manage, "import_pages", "--jobs", str(jobs), "-v0", str(folder)]
        subprocess.run(command, env=env, check=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {
        "rate": pages / elapsed,
        "cpu_rate": pages / (client + backends.seconds),
        "client_cpu": client,
        "backend_cpu": backends.seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000, help="how many page files (default 5000)")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--jobs", default="", help="PostgreSQL: comma-separated --jobs values to time")
    parser.add_argument("--skip-full", action="store_true", help="PostgreSQL: only the --jobs runs")
    parser.add_argument("--parse-only", action="store_true", help="only step 1, parsing alone (no database)")
    args = parser.parse_args()

    if args.parse_only:
        files = build_archive(OUT / f"archive-{args.pages}", args.pages)
        load = os.getloadavg()[0]
        sys.path.insert(0, str(ROOT))
        rate, cpu_rate = bench_parse(files)
        print(f"parse only, {args.pages:,} pages: {rate:,.0f} pages/s wall, {cpu_rate:,.0f} per CPU second")
        print(f"(load average {load:.1f} → {os.getloadavg()[0]:.1f}; 2 cores)")
        return

    OUT.mkdir(parents=True, exist_ok=True)
    if args.database == "sqlite":
        db = OUT / "import.sqlite3"
        for stale in OUT.glob("import.sqlite3*"):
            stale.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    else:
        fresh_postgres(PG_URL)
        os.environ["DATABASE_URL"] = PG_URL
    os.environ["DJANGO_DEBUG"] = "0"  # production settings: no query recording
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-" + "k" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    folder = OUT / f"archive-{args.pages}"
    files = build_archive(folder, args.pages)
    load = os.getloadavg()[0]
    if not args.skip_full:
        parse_rate, parse_cpu_rate = bench_parse(files)
        result = bench_import(folder, args.pages)
        print(
            f"| pages | parse only (pages/s, wall / per CPU second) | full import into {args.database} "
            "(pages/s, wall) | per CPU second (pages) | articles | bylines |"
        )
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
        print(
            f"| {args.pages:,} | {parse_rate:,.0f} / {parse_cpu_rate:,.0f} | {result['rate']:,.0f} "
            f"| {result['cpu_rate']:,.0f} | {result['articles']:,} | {result['bylines']:,} |"
        )
        print()
        print("Per page (ms, wall): " + ", ".join(f"{k} {v:.2f}" for k, v in result["steps_ms"].items()))
        print(
            "Per page (ms, CPU of the import process): "
            + ", ".join(f"{k} {v:.2f}" for k, v in result["cpu_steps_ms"].items())
        )
        cpu = f"import process {result['client_cpu']:.1f} s, server backend {result['backend_cpu']:.1f} s"
        print(f"CPU: {cpu}")
        print(f"(load average {load:.1f} → {os.getloadavg()[0]:.1f}; 2 cores)")
    for jobs in [int(j) for j in args.jobs.split(",") if j]:
        load = os.getloadavg()[0]
        r = run_jobs(folder, args.pages, jobs)
        print(
            f"--jobs {jobs}: {r['rate']:,.0f} pages/s (wall), {r['cpu_rate']:,.0f} per CPU second "
            f"(import processes {r['client_cpu']:.1f} s, PostgreSQL {r['backend_cpu']:.1f} s; "
            f"load {load:.1f} → {os.getloadavg()[0]:.1f})"
        )


if __name__ == "__main__":
    main()
