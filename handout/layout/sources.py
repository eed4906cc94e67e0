"""The booklet's sources page: the facts it prints, grouped by the sources that confirm them."""

from __future__ import annotations

from dataclasses import dataclass

from handout.content.models import Block, Citation, Fact


@dataclass(frozen=True)
class SourceGroup:
    """The facts one set of sources confirms, for the booklet's sources page: printed once
    per source instead of once per fact."""

    cites: list[Citation]
    facts: list[tuple[str, Fact | Block]]
    """What each fact is about (a record's name, a law's title, a chapter's title), and
    the fact itself (its check date and whether it was confirmed)."""

    @property
    def checked(self) -> list[Fact | Block]:
        """The facts of the group that were confirmed: only they print a month."""
        return [fact for _label, fact in self.facts if getattr(fact, "verified", True)]

    @property
    def one_month(self) -> bool:
        """Whether every confirmed fact of the group was checked in the same month."""
        return len({(f.checked.year, f.checked.month) for f in self.checked}) == 1


def source_groups(facts: list[tuple[str, Fact | Block]]) -> list[SourceGroup]:
    """Facts grouped by the sources they cite, in order of first appearance; a fact that
    cites nothing a reader can look up is grouped under its own name."""
    groups: dict[tuple, SourceGroup] = {}
    for label, fact in facts:
        key = tuple((cite.name, cite.website) for cite in fact.cite) or (label,)
        group = groups.setdefault(key, SourceGroup(list(fact.cite), []))
        group.facts.append((label, fact))
    return list(groups.values())
