"""Facts grow stale: a phone number confirmed long ago may no longer answer."""

from __future__ import annotations

import datetime

from handout.content.errors import Problem, counted
from handout.content.models import Fact
from handout.content.read import Content


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Whole months from `earlier` to `later`."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (later.day < earlier.day)


def age_words(months: int) -> str:
    """How long ago, as a person says it: "1 month", "11 months", "2 years" (from two
    years on: "263 months" is hard to read), "2 years and 6 months"."""
    if months < 24:
        return counted(months, "month")
    years, rest = divmod(months, 12)
    return counted(years, "year") + (f" and {counted(rest, 'month')}" if rest else "")


def facts_with_places(content: Content) -> list[tuple[str, Fact]]:
    """Every fact (record or law) with its place key, in content order."""
    return [
        *((f"resource:{rid}", record) for rid, record in content.resources.items()),
        *((f"law:{lid}", law) for lid, law in content.laws.items()),
    ]


def stale_warnings(content: Content, today: datetime.date) -> list[Problem]:
    """Facts last checked longer ago than the content's limit, oldest first."""
    limit = content.project.checked_max_age_months
    stale = [
        (fact.checked, place, fact)
        for place, fact in facts_with_places(content)
        if months_between(fact.checked, today) >= limit
    ]
    problems = []
    for checked, place, fact in sorted(stale, key=lambda item: item[0]):
        file, location = content.places[place]
        age = months_between(checked, today)
        problems.append(
            content.files[file].problem(
                (*location, "checked"),
                f"`{fact.id}` was last checked {checked.isoformat()}, {age_words(age)} ago "
                f"(the limit is {limit})",
                f"confirm it with its source ({fact.source}), then run "
                f"`python build.py mark-checked {fact.id}`",
            )
        )
    return problems
