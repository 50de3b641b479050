"""Make parsed items fit the model fields, on every database alike.

SQLite stores a 118-character "column name" or a 17-digit number without a word;
PostgreSQL refuses the whole page with a bare "value too long". The loader therefore
checks what it writes against the model fields itself, in two steps:

- :func:`fit_article` / :func:`fit_photo`: text the parser put in a field too short for
  it (an OCR line taken for a column name, dateline, byline …) is moved into the body or
  caption with a Chinese warning for the editors — never cut, never lost — and a
  continuation mark to a page that cannot exist is dropped with a warning;
- :func:`check_fields`: every row is checked against its model's field lengths and
  integer ranges (PostgreSQL's, whatever the database) just before it is written; a row
  that still does not fit refuses the page with one line naming the field.

The limits on whole files and pages are settings (``NEWSROOM_IMPORT_MAX_*``, see
:func:`limit`).
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from articles.models import Article, Column, Person, Photo
from articles.parsing import Block, BlockType, Credit, ParsedArticle, ParsedPhoto

from .plan import MAX_PAGE_NUMBER

# The integer ranges of PostgreSQL's (and the SQL standard's) column types; SQLite has none.
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


COLUMN_MAX = _max(Column, "name")
DATELINE_MAX = _max(Article, "dateline")
SOURCE_NOTE_MAX = _max(Article, "source_note")
NAME_MAX = _max(Person, "name")
AFFILIATION_MAX = _max(Person, "affiliation")
PHOTO_TITLE_MAX = _max(Photo, "title")
AGENCY_MAX = _max(Photo, "agency")


class FieldError(ValueError):
    """A row that does not fit its model's fields (the message names row and field)."""


def limit(name: str) -> int:
    """An import limit from settings: ``NEWSROOM_IMPORT_MAX_<NAME>``."""
    return int(getattr(settings, f"NEWSROOM_IMPORT_MAX_{name}"))


def fit_article(parsed_article: ParsedArticle) -> ParsedArticle:
    """A copy of ``parsed_article`` whose column, dateline, source and bylines fit their fields."""
    warnings = list(parsed_article.warnings)
    lead: list[str] = []  # text moved to the start of the body, in reading order
    tail: list[str] = []
    column = parsed_article.column
    if column and len(column.strip()) > COLUMN_MAX:
        lead.append(column.strip())
        warnings.append(f"栏目名过长（{len(column.strip())}字），已移入正文")
        column = None
    dateline = parsed_article.dateline
    if len(dateline) > DATELINE_MAX:
        lead.append(dateline)
        warnings.append(f"电头过长（{len(dateline)}字），已移入正文")
        dateline = ""
    bylines: list[Credit] = []
    for credit in parsed_article.bylines:
        name, affiliation = credit.name.strip(), credit.affiliation.strip()
        if len(name) <= NAME_MAX and len(affiliation) <= AFFILIATION_MAX:
            bylines.append(credit)
            continue
        lead.append(" ".join(p for p in (affiliation, credit.role, name) if p))
        if len(name) > NAME_MAX:
            warnings.append(f"署名过长（{len(name)}字），未作为署名，已移入正文")
        else:
            warnings.append(f"署名单位职务过长（{len(affiliation)}字），未作为署名，已移入正文")
    source_note = parsed_article.source_note
    if len(source_note) > SOURCE_NOTE_MAX:
        tail.append(source_note)
        warnings.append(f"来源过长（{len(source_note)}字），已移入正文")
        source_note = ""
    continued = {}
    for name, label in (("continued_from_page", "上接"), ("continued_to_page", "下转")):
        number = getattr(parsed_article, name)
        if number is not None and not 1 <= number <= MAX_PAGE_NUMBER:
            warnings.append(f"{label}版次{number}不是有效版次，已忽略")
            number = None
        continued[name] = number
    if len(warnings) == len(parsed_article.warnings):
        return parsed_article
    blocks = [_paragraph(t) for t in lead] + list(parsed_article.blocks) + [_paragraph(t) for t in tail]
    return dataclasses.replace(
        parsed_article,
        column=column,
        dateline=dateline,
        bylines=bylines,
        source_note=source_note,
        blocks=blocks,
        warnings=warnings,
        **continued,
    )


def fit_photo(parsed_photo: ParsedPhoto) -> ParsedPhoto:
    """A copy of ``parsed_photo`` whose title, agency and credits fit; what does not goes into the caption."""
    warnings = list(parsed_photo.warnings)
    before: list[str] = []
    after: list[str] = []
    title, agency = parsed_photo.title, parsed_photo.agency
    if len(title) > PHOTO_TITLE_MAX:
        before.append(title)
        warnings.append(f"图片标题过长（{len(title)}字），已移入图片说明")
        title = ""
    if len(agency) > AGENCY_MAX:
        after.append(agency)
        warnings.append(f"图片来源机构过长（{len(agency)}字），已移入图片说明")
        agency = ""
    credits = []
    for credit in parsed_photo.credits:
        if len(credit.name.strip()) <= NAME_MAX:
            credits.append(credit)
        else:
            after.append(credit.name.strip())
            warnings.append(f"图片署名过长（{len(credit.name.strip())}字），已移入图片说明")
    if len(warnings) == len(parsed_photo.warnings):
        return parsed_photo
    caption = "\n".join(t for t in (*before, parsed_photo.caption, *after) if t)
    return dataclasses.replace(
        parsed_photo, title=title, agency=agency, credits=credits, caption=caption, warnings=warnings
    )


def check_fields(obj: models.Model, what: str) -> None:
    """Refuse ``obj`` (:class:`FieldError`) if a value is longer or larger than its field allows.

    ``what`` names the row in the message (``article 3``, ``photo 1`` …).
    """
    check_values(type(obj), {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}, what)


_CHECKED: dict[type, list] = {}


def check_values(model: type[models.Model], values: dict, what: str) -> None:
    """:func:`check_fields` for a row given as attribute name -> value (not an instance)."""
    if model not in _CHECKED:
        _CHECKED[model] = [
            (f, f.max_length, INTEGER_RANGES.get(f.get_internal_type()))
            for f in model._meta.concrete_fields
            if f.max_length or INTEGER_RANGES.get(f.get_internal_type())
        ]
    for f, max_length, bounds in _CHECKED[model]:
        value = values.get(f.attname)
        if value is None:
            continue
        if max_length and isinstance(value, str) and len(value) > max_length:
            raise FieldError(
                f"{what}: {f.verbose_name} ({f.name}) is {len(value)} characters, "
                f"at most {max_length}: “{value[:20]}…”"
            )
        if bounds and isinstance(value, int) and not bounds[0] <= value <= bounds[1]:
            raise FieldError(
                f"{what}: {f.verbose_name} ({f.name}) is {value}, expected {bounds[0]} to {bounds[1]}"
            )


def _paragraph(text: str) -> Block:
    return Block(BlockType.PARAGRAPH, text)
