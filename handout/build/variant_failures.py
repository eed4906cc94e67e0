"""Variants a build could not make, for `BuildOptions.keep_going` (`serve`): one card that
does not fit is set aside, its last good files stay, and the others are still published."""

from __future__ import annotations

from typing import TYPE_CHECKING

from handout.build.variant_checks import Vocabulary, untranslated_problems, variant_problems
from handout.content.errors import BuildError
from handout.layout.materials import MATERIALS

if TYPE_CHECKING:
    from handout.build.plan import Plan, Translations
    from handout.build.workers import Result
    from handout.content.read import Content


def variant_problems_of(
    content: Content, translations: Translations, item: Plan, result: Result
) -> list[str]:
    """What is wrong with one rendered variant (a giveaway word, an untranslated text)."""
    problems = variant_problems(content, item, result.rendered)
    language = item.variant.language
    booklet = MATERIALS[item.variant.material].kind == "booklet"
    if booklet and language != translations.source:
        leave_out = item.warnings.missing + item.warnings.outdated
        vocabulary = Vocabulary.of(
            translations.template, translations.catalogs[language], leave_out
        )
        problems += untranslated_problems(content, item, result.rendered, vocabulary)
    return problems


class VariantsFailed(BuildError):
    """Some variants could not be made (`BuildOptions.keep_going`); the others were
    published. `failures`: (variant "region/language/material", what is wrong)."""

    def __init__(self, failures: list[tuple[str, str]]) -> None:
        self.failures = failures
        super().__init__("; ".join(message for _variant, message in failures))


def set_aside(
    content: Content,
    translations: Translations,
    batch: list[Plan],
    results: list[Result | BuildError],
    failed: list[tuple[str, str]],
) -> tuple[list[Plan], list[Result]]:
    """The variants of a set that were made and pass their own checks; the others are added
    to `failed` and not written (their last good files stay)."""
    kept_plans, kept_results = [], []
    for item, result in zip(batch, results, strict=True):
        if isinstance(result, BuildError):
            failed.append((str(item.variant), str(result)))
            continue
        problems = variant_problems_of(content, translations, item, result)
        if problems:
            failed.append((str(item.variant), f"{item.variant}: " + "; ".join(problems)))
            continue
        kept_plans.append(item)
        kept_results.append(result)
    return kept_plans, kept_results
