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
"""

from __future__ import annotations

import datetime
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = "manifest.toml"
PAGE_SUFFIX = ".txt"

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


def page_files(paths: list[Path]) -> list[Path]:
    """Expand folders to their page files (sorted); keep files as given; no duplicates."""
    out: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix == PAGE_SUFFIX)
        else:
            found = [path]
        for p in found:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


def make_plan(paths: list[Path], placement: Placement | None = None) -> Plan:
    """Place every page file found under ``paths``; collect errors instead of raising."""
    placement = placement or Placement()
    files = page_files(paths)
    if placement.given and len(files) != 1:
        raise UsageError(
            f"--date/--page place exactly one file, but {len(files)} page files were given; "
            f"use a {MANIFEST_NAME} for several"
        )
    plan = Plan()
    manifests: dict[Path, tuple[dict, str | None]] = {}
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
                result = PlanError(path, manifest_error)
            elif path.name in entries:
                result = _spec_from_entry(path, entries[path.name], f'{manifest} [files."{path.name}"]')
            else:
                result = PlanError(
                    path,
                    f"no issue date or page number: add it to {manifest} or pass --date and --page",
                )
        (plan.errors if isinstance(result, PlanError) else plan.specs).append(result)
    _refuse_shared_pages(plan)
    return plan


def read_manifest(path: Path) -> tuple[dict, str | None]:
    """The manifest's ``files`` tables, or an error line when the manifest cannot be used."""
    if not path.exists():
        return {}, None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return {}, f"{path} is not valid TOML: {exc}"
    unknown = set(data) - {"files"}
    if unknown:
        return {}, f'{path}: unknown top-level key {sorted(unknown)[0]!r} (only [files."NAME"] tables)'
    files = data.get("files", {})
    if not isinstance(files, dict) or not all(isinstance(v, dict) for v in files.values()):
        return {}, f'{path}: expected one [files."NAME"] table per page file'
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
    if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= 999:
        return PlanError(path, f"{where}: invalid page number {page!r} (expected a whole number 1-999)")
    page_name = entry.get("page_name", "")
    if not isinstance(page_name, str) or len(page_name) > 50:
        return PlanError(path, f"{where}: invalid page_name {page_name!r} (text, at most 50 characters)")
    estimated = entry.get("date_estimated", False)
    if not isinstance(estimated, bool):
        return PlanError(path, f"{where}: date_estimated must be true or false, not {estimated!r}")
    number = entry.get("issue_number")
    if number is not None and (isinstance(number, bool) or not isinstance(number, int) or number < 1):
        return PlanError(path, f"{where}: invalid issue_number {number!r} (expected a positive whole number)")
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
