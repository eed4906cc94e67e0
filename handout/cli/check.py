"""`python build.py --check`: validate everything and report; render nothing.

The same checks as a build (content, references, glyphs, translations that must not be
printed, the templates' contrast), then the warnings a build would give, what is behind in
the translations, and the reading level of the hardest texts.
"""

from __future__ import annotations

import argparse

from handout.build.plan import Translations
from handout.cli.translations import translation_status
from handout.content.errors import ContentErrors
from handout.content.i18n import Status
from handout.content.load import content_warnings, load, translation_checks
from handout.content.readability import all_grades
from handout.layout.contrast import check_templates
from handout.layout.glyphs import missing_glyphs


def run(options: argparse.Namespace) -> int:
    """Validate everything and report; render nothing (WeasyPrint is not even imported)."""
    content = load(options.content)
    translations = Translations(content, options.templates)  # built once: costly at 10k texts
    unprintable = missing_glyphs(content, options.templates, translations.catalogs)
    unprintable += translation_checks(content)
    if unprintable:
        raise ContentErrors(unprintable)
    check_templates(options.templates)
    warnings = content_warnings(content)
    for problem in warnings:
        print(f"warning: {problem}")
    behind = []
    status = translation_status(content, options.templates, translations=translations)
    for (language, material), state in status.items():
        for status in (Status.outdated, Status.missing):
            behind += [f"{language} {material}: {status}: {text!r}" for text in state.which(status)]
    for line in behind:
        print(f"warning: translation {line}")
    grades = all_grades(content)
    if grades:
        median = grades[len(grades) // 2][0]
        print(
            f"Reading level (Flesch-Kincaid grade) of {len(grades)} English texts: median "
            f"{median:.1f}; hardest:"
        )
        for level, place, text in grades[:5]:
            print(f"  {level:4.1f}  {place}: {text[:70]}")
    unverified = sum(
        1 for fact in [*content.resources.values(), *content.laws.values()] if not fact.verified
    )
    print(
        f"Content OK: {len(content.resources)} records ({unverified} unverified), "
        f"{len(content.laws)} laws, {len(content.sections)} sections, "
        f"{len(content.regions)} regions, {len(content.project.languages)} languages; "
        f"{len(warnings) + len(behind)} warnings."
    )
    return 1 if options.strict and (warnings or behind) else 0
