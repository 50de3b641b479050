"""Check that a change to the parser leaves its output exactly as it was.

Parses the same pages with the parser of a git revision (``--base``, default ``HEAD``) and
with the parser of the working tree, and compares the results field by field
(``dataclasses.asdict`` of each ``ParsedPage``). The pages: the five seed pages as UTF-8,
GB18030 and UTF-16 files and with half-width punctuation, and ``--pages`` generated pages
(``tests/pagegen``, seeds 0…N-1, made once by the working tree's generator and fed to both
parsers). Each parser runs in a subprocess of its own (the base one from ``git archive`` of
``articles/parsing``), so the two never mix. Meant for speed work: any difference means the
change altered behaviour.

Usage::

    .venv/bin/python bench/parse_diff.py                     # working tree against HEAD
    .venv/bin/python bench/parse_diff.py --base main~1 --pages 500

Prints how many pages differ and the first differences; exits 1 if any page differs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pages(count: int) -> dict[str, bytes]:
    """The page files to parse, by name."""
    sys.path.insert(0, str(ROOT))
    from tests.pagegen.generator import HALF_WIDTH, make_page

    out: dict[str, bytes] = {}
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
        out[path.name] = data
        out[f"{path.name} gb18030"] = text.encode("gb18030")
        out[f"{path.name} utf-16"] = text.encode("utf-16")
        out[f"{path.name} half-width"] = text.translate(HALF_WIDTH).encode("utf-8")
    for seed in range(count):
        out[f"generated {seed}"] = make_page(seed).text.encode("utf-8")
    return out


def worker(parser_root: str, pages_file: str, out_file: str) -> None:
    """(In the subprocess.) Parse every page with the parser under ``parser_root``."""
    from dataclasses import asdict

    sys.path.insert(0, parser_root)
    from articles.parsing import decode_page, parse_page

    with open(pages_file, encoding="utf-8") as f:
        files = json.load(f)
    result = {name: asdict(parse_page(decode_page(data.encode("latin-1")))) for name, data in files.items()}
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False)


def parse_with(parser_root: Path, pages_file: Path, out_file: Path) -> dict:
    """The parse of every page by the parser under ``parser_root``, in a subprocess."""
    cmd = [sys.executable, __file__, "--worker", str(parser_root), str(pages_file), str(out_file)]
    subprocess.run(cmd, check=True)
    return json.loads(out_file.read_text(encoding="utf-8"))


def first_difference(a, b, path: str = "") -> str:
    """Where two JSON values first differ, and how."""
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in a.keys() | b.keys():
            if a.get(k) != b.get(k):
                return first_difference(a.get(k), b.get(k), f"{path}.{k}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
    return f"{path}: {a!r} != {b!r}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="HEAD", help="git revision whose parser is the reference")
    ap.add_argument("--pages", type=int, default=2000, help="generated pages (default 2000)")
    ap.add_argument("--show", type=int, default=10, help="differences to print")
    ns = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="parse_diff_") as tmp:
        tmpdir = Path(tmp)
        pages_file = tmpdir / "pages.json"
        files = pages(ns.pages)
        pages_file.write_text(json.dumps({k: v.decode("latin-1") for k, v in files.items()}))
        base_root = tmpdir / "base"
        archive = subprocess.run(
            ["git", "archive", ns.base, "articles/parsing"], cwd=ROOT, check=True, capture_output=True
        ).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(base_root, filter="data")
        (base_root / "articles" / "__init__.py").touch()
        before = parse_with(base_root, pages_file, tmpdir / "before.json")
        after = parse_with(ROOT, pages_file, tmpdir / "after.json")

    differing = [name for name in files if before[name] != after[name]]
    print(f"{len(files)} pages ({ns.pages} generated), parser of {ns.base} vs the working tree: ", end="")
    print(f"{len(differing)} differ")
    for name in differing[: ns.show]:
        print(f"  {name}: {first_difference(before[name], after[name])[:300]}")
    return 1 if differing else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(*sys.argv[2:5])
    else:
        sys.exit(main())
