"""Which files to import and where each belongs (issue date, page). No Django here.

A folder holds page files (``*.txt``) and a ``manifest.toml`` with one table per
file::

    [files."000_3f26e5270c4c1202.txt"]
    date = "2020-10-23"
    date_estimated = true
    page = 3
    page_name = "工会新闻"

A single file may instead be placed with ``--date``/``--page`` on the command line.
Planning never stops at the first problem: every file gets either a
:class:`PageSpec` or one :class:`PlanError` line naming the file and the problem.

Only regular files are read. A symbolic link among the page files (or as the manifest)
is refused by name and never followed — a link to ``/etc/passwd`` is not a page — and
so is a link loop, a pipe or a folder named ``*.txt``. A manifest entry whose file is
not in the folder is an error naming it, not silently skipped.
"""

from __future__ import annotations

import datetime
import errno
import os
import stat
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = "manifest.toml"
PAGE_SUFFIX = ".txt"

MAX_PAGE_NUMBER = 999
MAX_ISSUE_NUMBER = 2_147_483_647  # Issue.number is an integer column

REQUIRED_KEYS = {"date", "page"}
OPTIONAL_KEYS = {"page_name", "date_estimated", "issue_number", "note"}


@dataclass(frozen=True)
class PageSpec:
    """One page file and where it belongs in the paper."""

    path: Path
    issue_date: datetime.date
    page_number: int
    page_name: str = ""
    date_estimated: bool = False
    issue_number: int | None = None

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class PlanError:
    """A file that cannot be imported, and why (one line)."""

    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Plan:
    specs: list[PageSpec] = field(default_factory=list)
    errors: list[PlanError] = field(default_factory=list)


@dataclass(frozen=True)
class Placement:
    """Where the command line puts a single file (``--date``/``--page``)."""

    date: str | None = None
    page: int | None = None
    page_name: str | None = None
    issue_number: int | None = None

    @property
    def given(self) -> bool:
        return any(v is not None for v in (self.date, self.page, self.page_name, self.issue_number))


class UsageError(ValueError):
    """The paths and options do not fit together (reported before anything runs)."""


@dataclass
class Found:
    """What the paths hold: page files, refused entries, and the folders that were listed."""

    files: list[Path] = field(default_factory=list)
    refused: list[PlanError] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)


def page_files(paths: list[Path]) -> list[Path]:
    """Expand folders to their page files (sorted); keep files as given; no duplicates."""
    return find_pages(paths).files


def find_pages(paths: list[Path]) -> Found:
    """The page files under ``paths``; symlinks and other non-regular files are refused.

    A folder given (even through a symlink: the operator chose it) is listed; in it, every
    ``*.txt`` entry is a page file if it is a regular file, else a refused entry. A path
    that does not exist at all is a :class:`UsageError`.
    """
    found = Found()
    seen: set[Path] = set()
    for path in paths:
        if os.path.lexists(path) and path.is_symlink() and not path.is_dir():
            found.refused.append(PlanError(path, link_problem(path)))
            continue
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_dir():
            found.folders.append(path)
            entries = sorted(p for p in path.iterdir() if p.suffix == PAGE_SUFFIX)
        else:
            entries = [path]
        for p in entries:
            problem = link_problem(p) if p.is_symlink() else _not_regular(p)
            if problem:
                found.refused.append(PlanError(p, problem))
                continue
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                found.files.append(p)
    return found


def link_problem(path: Path) -> str:
    """Why a symbolic link is not imported (loops and dangling links said as such)."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop; not followed"
        return f"symbolic link to nothing ({os.readlink(path)}); not followed"
    return (
        f"symbolic link (to {os.readlink(path)}); not followed: "
        "put the file itself in the folder to import it"
    )


def _not_regular(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot read the file ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return ""
    kind = "a folder" if stat.S_ISDIR(mode) else "a pipe or device"
    return f"not a regular file ({kind}); not imported"


def make_plan(paths: list[Path], placement: Placement | None = None) -> Plan:
    """Place every page file found under ``paths``; collect errors instead of raising."""
    placement = placement or Placement()
    found = find_pages(paths)
    files = found.files
    if placement.given and len(files) + len(found.refused) != 1:
        raise UsageError(
            f"--date/--page place exactly one file, but {len(files) + len(found.refused)} page files "
            f"were given; use a {MANIFEST_NAME} for several"
        )
    plan = Plan(errors=list(found.refused))
    manifests: dict[Path, tuple[dict, str | None]] = {}
    unplaced: dict[Path, list[Path]] = {}  # page files of a folder whose manifest is unusable
    for path in files:
        if placement.given:
            result = _spec_from_entry(path, _placement_entry(placement), "command line")
        else:
            folder = path.parent
            if folder not in manifests:
                manifests[folder] = read_manifest(folder / MANIFEST_NAME)
            entries, manifest_error = manifests[folder]
            manifest = folder / MANIFEST_NAME
            if manifest_error:
                unplaced.setdefault(folder, []).append(path)
                continue
            if path.name in entries:
                result = _spec_from_entry(path, entries[path.name], f'{manifest} [files."{path.name}"]')
            else:
                result = PlanError(
                    path,
                    f"no issue date or page number: add it to {manifest} or pass --date and --page",
                )
        (plan.errors if isinstance(result, PlanError) else plan.specs).append(result)
    for folder, paths_here in unplaced.items():
        # one line for the manifest, not the same line again for each file it holds back
        names = ", ".join(p.name for p in paths_here[:3]) + (", …" if len(paths_here) > 3 else "")
        plan.errors.append(
            PlanError(
                folder / MANIFEST_NAME,
                f"{manifests[folder][1]}; so none of the folder's {len(paths_here)} page file(s) "
                f"was imported ({names})",
            )
        )
    if not placement.given:
        _refuse_missing_files(plan, found.folders, manifests)
    _refuse_shared_pages(plan)
    return plan


def _refuse_missing_files(plan: Plan, folders: list[Path], manifests: dict) -> None:
    """A manifest entry of a listed folder whose file is not there is an error naming it."""
    named = {(p.path.parent, p.path.name) for p in [*plan.specs, *plan.errors]}
    for folder in folders:
        if folder not in manifests:
            manifests[folder] = read_manifest(folder / MANIFEST_NAME)
        entries, manifest_error = manifests[folder]
        if manifest_error:
            continue
        manifest = folder / MANIFEST_NAME
        for name in entries:
            if (folder, name) in named:
                continue
            path = folder / name
            if os.path.lexists(path):
                problem = f"listed in {manifest} but not a page file (*{PAGE_SUFFIX})"
            else:
                problem = f"listed in {manifest} but there is no such file in the folder"
            plan.errors.append(PlanError(path, problem))


def read_manifest(path: Path) -> tuple[dict, str | None]:
    """The manifest's ``files`` tables, or an error line when the manifest cannot be used."""
    if path.is_symlink():
        return {}, f"the manifest is a {link_problem(path)}"
    if not path.exists():
        return {}, None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return {}, f"not valid TOML: {exc}"
    unknown = set(data) - {"files"}
    if unknown:
        return {}, f'unknown top-level key {sorted(unknown)[0]!r} (only [files."NAME"] tables)'
    files = data.get("files", {})
    if not isinstance(files, dict) or not all(isinstance(v, dict) for v in files.values()):
        return {}, 'expected one [files."NAME"] table per page file'
    return files, None


def _placement_entry(placement: Placement) -> dict:
    entry: dict = {"date": placement.date, "page": placement.page}
    if placement.page_name is not None:
        entry["page_name"] = placement.page_name
    if placement.issue_number is not None:
        entry["issue_number"] = placement.issue_number
    return {k: v for k, v in entry.items() if v is not None}


def _spec_from_entry(path: Path, entry: dict, where: str) -> PageSpec | PlanError:
    unknown = set(entry) - REQUIRED_KEYS - OPTIONAL_KEYS
    if unknown:
        return PlanError(path, f"{where}: unknown key {sorted(unknown)[0]!r}")
    missing = REQUIRED_KEYS - set(entry)
    if missing:
        labels = {"date": "issue date (date)", "page": "page number (page)"}
        what = " and ".join(labels[k] for k in sorted(missing))
        return PlanError(path, f"{where}: no {what}")
    raw_date = entry["date"]
    if isinstance(raw_date, datetime.date) and not isinstance(raw_date, datetime.datetime):
        issue_date = raw_date
    else:
        try:
            issue_date = datetime.date.fromisoformat(str(raw_date))
        except ValueError:
            return PlanError(path, f"{where}: invalid date {raw_date!r} (expected YYYY-MM-DD)")
    page = entry["page"]
    if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= MAX_PAGE_NUMBER:
        return PlanError(
            path, f"{where}: invalid page number {page!r} (expected a whole number 1-{MAX_PAGE_NUMBER})"
        )
    page_name = entry.get("page_name", "")
    if not isinstance(page_name, str) or len(page_name) > 50:
        return PlanError(path, f"{where}: invalid page_name {page_name!r} (text, at most 50 characters)")
    estimated = entry.get("date_estimated", False)
    if not isinstance(estimated, bool):
        return PlanError(path, f"{where}: date_estimated must be true or false, not {estimated!r}")
    number = entry.get("issue_number")
    if number is not None and (
        isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_ISSUE_NUMBER
    ):
        return PlanError(
            path,
            f"{where}: invalid issue_number {number!r} "
            f"(expected a positive whole number, at most {MAX_ISSUE_NUMBER})",
        )
    return PageSpec(
        path=path,
        issue_date=issue_date,
        page_number=page,
        page_name=page_name.strip(),
        date_estimated=estimated,
        issue_number=number,
    )


def _refuse_shared_pages(plan: Plan) -> None:
    """Two files claiming the same page of the same issue: neither is imported."""
    claims: dict[tuple, list[PageSpec]] = defaultdict(list)
    for spec in plan.specs:
        claims[(spec.issue_date, spec.page_number)].append(spec)
    for (date, number), specs in claims.items():
        if len(specs) < 2:
            continue
        for spec in specs:
            others = ", ".join(s.name for s in specs if s is not spec)
            plan.errors.append(
                PlanError(
                    spec.path, f"claims {date} page {number}, which {others} also claims; neither imported"
                )
            )
            plan.specs.remove(spec)
