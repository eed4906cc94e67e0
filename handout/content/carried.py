"""What a reader carries (the pocket card, the discreet card, a tear-off tab, the booklet's
cut-out card, which prints the discreet card's rows) must not put them off or give them
away: no police number on it unless the region says why. Its words are checked apart
(`handout.content.words`, and on the laid-out pages)."""

from __future__ import annotations

from handout.content.errors import Problem
from handout.content.models import Pick, Topic
from handout.content.read import Content
from handout.content.yaml_file import Location, YamlFile


def carried_picks(content: Content, region_id: str) -> list[tuple[Location, Pick, str]]:
    """The rows of the materials a reader carries: (where, pick, what it is on)."""
    region = content.regions[region_id]
    picks = [
        (("pocket_card", side, index), pick, "pocket card")
        for side in ("front", "back")
        for index, pick in enumerate(getattr(region.pocket_card, side))
    ]
    picks += [
        (("discreet_card", "back", index), pick, "discreet card (and the booklet's cut-out card)")
        for index, pick in enumerate(region.discreet_card.back)
    ]
    picks.append((("flyer", "tab"), region.flyer.tab, "tear-off tabs"))
    return picks


def police_problems(content: Content, region_id: str, source: YamlFile) -> list[Problem]:
    """A police number on what a reader carries puts off the readers the booklet itself
    calls criminalised, and can give them away; the booklet's reporting chapter and the
    flyer keep it. A region may put it back (`police_on_carried_cards: true`), saying why
    in a comment."""
    if content.regions[region_id].police_on_carried_cards:
        return []
    problems = []
    for location, pick, material in carried_picks(content, region_id):
        record = content.resources.get(pick.resource)
        if record is not None and Topic.police in record.topics:
            problems.append(
                source.problem(
                    location,
                    f"`{pick.resource}` is a police number on the {material}, which the person "
                    "at risk carries; the booklet's reporting chapter and the flyer keep it",
                    "remove this row, or set `police_on_carried_cards: true` in this region "
                    "file with a comment saying why the region wants it there",
                )
            )
    return problems
