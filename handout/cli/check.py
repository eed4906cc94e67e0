"""`python build.py --check`: validate everything and report; render nothing.

The same checks as a build (content, references, glyphs, translations that must not be
printed, the templates' contrast), then what needs action: the warnings a build would give
and what is behind in the translations (a line per language and material). `--verbose` adds
each text behind and the reading level of the hardest texts.
"""

from __future__ import annotations

import argparse

from handout.build.editions import make_editions
from handout.build.plan import Translations
from handout.cli.translations import MaterialStatus, translation_status
from handout.content.errors import ContentErrors, counted, reading_order
from handout.content.i18n import Status
from handout.content.load import content_warnings, load, translation_checks
from handout.content.read import Content
from handout.content.readability import all_grades
from handout.layout.contrast import check_templates
from handout.layout.glyphs import missing_glyphs
from handout.layout.materials import EDITIONS


def run(options: argparse.Namespace) -> int:
    """Validate everything and report; render nothing (WeasyPrint is not even imported)."""
    content = load(options.content)
    translations = Translations(content, options.templates)  # built once: costly at 10k texts
    unprintable = missing_glyphs(content, options.templates, translations.catalogs)
    unprintable += translation_checks(content)
    if unprintable:
        raise ContentErrors(unprintable)
    check_templates(options.templates)
    every_edition = [
        (region, language, edition)
        for region in content.regions
        for language in content.project.codes
        for edition in EDITIONS
    ]
    make_editions(content, options.templates, translations, every_edition)  # SMS lengths
    warnings = sorted(content_warnings(content), key=reading_order)
    for problem in warnings:
        print(f"warning: {problem}")
    status = translation_status(content, options.templates, translations=translations)
    verbose = getattr(options, "verbose", False)
    for line in translations_behind(status, verbose):
        print(f"warning: {line}")
    behind = sum(len(state.which(kind)) for state in status.values() for kind in BEHIND)
    if verbose:
        print_reading_levels(content)
    unverified = sum(
        1 for fact in [*content.resources.values(), *content.laws.values()] if not fact.verified
    )
    print(
        f"Content OK: {counted(len(content.resources), 'record')} ({unverified} unverified), "
        f"{counted(len(content.laws), 'law')}, {counted(len(content.sections), 'section')}, "
        f"{counted(len(content.regions), 'region')}, "
        f"{counted(len(content.project.languages), 'language')}; "
        f"{counted(len(warnings) + behind, 'warning')}."
    )
    return 1 if options.strict and (warnings or behind) else 0


BEHIND = (Status.outdated, Status.missing)
"""The states of a translated text that print the English instead."""


def translations_behind(status: dict[tuple[str, str], MaterialStatus], each: bool) -> list[str]:
    """The texts a translation lacks: one line per language and material, or (`each`,
    with --verbose) one per text."""
    lines = []
    for (language, material), state in status.items():
        for kind in BEHIND:
            texts = state.which(kind)
            if each:
                lines += [f"translation {language} {material}: {kind}: {text!r}" for text in texts]
            elif texts:
                lines.append(
                    f"translation {language} {material}: {len(texts)} "
                    f"text{'s' if len(texts) != 1 else ''} {kind} (the English "
                    f"is printed); see python build.py translations status --lang {language}"
                )
    return lines


def print_reading_levels(content: Content) -> None:
    """--verbose: the reading level of the English texts, hardest first (the texts of the
    cards and flyer above grade 8 are already warnings)."""
    grades = all_grades(content)
    if not grades:
        return
    median = grades[len(grades) // 2][0]
    print(
        f"Reading level (Flesch-Kincaid grade) of {len(grades)} English texts: median "
        f"{median:.1f}; hardest:"
    )
    for level, place, text in grades[:5]:
        print(f"  {level:4.1f}  {place}: {text[:70]}")
