"""Loading a content folder: every file read and validated, the references between files
checked, and what is not wrong but needs attention (stale facts, hard texts, translations
that must not be printed). What every command starts with."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path

from handout.content.errors import ContentErrors, Problem
from handout.content.i18n import catalog_path, read_catalog
from handout.content.read import Content, read_content
from handout.content.validate import reference_problems


def load(content_dir: Path) -> Content:
    """Read and validate a content folder; raises ContentErrors listing every problem of
    every file at once (syntax, fields, and references between files)."""
    content, problems, seen = read_content(content_dir)
    problems += reference_problems(content, seen - set(content.resources))
    if problems:
        raise ContentErrors(problems)
    return content


def content_warnings(content: Content, today: datetime.date | None = None) -> list[Problem]:
    """What is not wrong but needs attention: stale facts, card texts too hard to read."""
    from handout.content.freshness import stale_warnings
    from handout.content.readability import grade_warnings

    return (
        stale_warnings(content, today or datetime.date.today())
        + grade_warnings(content)
        + foreign_number_warnings(content)
    )


def foreign_number_warnings(content: Content) -> list[Problem]:
    """Numbers outside the US and Canada (`+44 20 ...`): an import from another country's
    directory, or a slip. The build prints them; this names them for a person to confirm."""
    from handout.content.phones import display, foreign_country

    warnings = []
    for record_id, record in content.resources.items():
        file, location = content.places[f"resource:{record_id}"]
        for index, phone in enumerate(record.phones):
            code = foreign_country(phone.number)
            if code is not None:
                warnings.append(
                    content.files[file].problem(
                        (*location, "phones", index, "number"),
                        f"`{record_id}` has a number outside the US and Canada "
                        f"({display(phone.number)}, country code {code}): a reader here "
                        "pays for an international call, and many prepaid phones cannot "
                        "make one",
                        "check it against the source; give a US number if the service has one",
                    )
                )
    return warnings


def translation_checks(content: Content, languages: Iterable[str] | None = None) -> list[Problem]:
    """Translations that must not be printed (a giveaway tab label, an editors' word), each
    with its PO file and line: read from disk, where the lines are. Of every language, or
    of `languages` (those a build prints)."""
    from handout.content.words import translation_problems

    source = content.project.source_language
    catalogs = {
        code: read_catalog(catalog_path(content.root, code), code, content.project.title)
        for code in content.project.codes
        if code != source and (languages is None or code in languages)
    }
    return translation_problems(content, catalogs)
