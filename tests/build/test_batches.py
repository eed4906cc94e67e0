"""The sets `serve` publishes a build's variants in (`handout.build.batches`): the one on
screen alone first, then the others a few at a time, quickest first; and the progress
counted over the whole build."""

from __future__ import annotations

from handout.build.batches import batches, counted_over_all
from handout.build.plan import Plan, Variant, Warnings


def plans(*materials: str) -> list[Plan]:
    return [Plan(Variant("danbury", "en", name), "", Warnings(), []) for name in materials]


def names(sets: list[list[Plan]]) -> list[list[str]]:
    return [[item.variant.material for item in batch] for batch in sets]


def test_one_set_unless_asked() -> None:
    todo = plans("booklet", "flyer", "pocket-card")
    assert names(batches(todo, (), 0)) == [["booklet", "flyer", "pocket-card"]]
    on_screen = (("danbury", "en", "flyer"),)
    assert names(batches(todo, on_screen, 0)) == [["flyer"], ["booklet", "pocket-card"]]


def test_a_few_at_a_time_quickest_first_after_the_one_on_screen() -> None:
    todo = plans("booklet", "flyer", "pocket-card", "discreet-card", "booklet")
    on_screen = (("danbury", "en", "flyer"),)
    assert names(batches(todo, on_screen, 2)) == [
        ["flyer"], ["pocket-card", "discreet-card"], ["booklet", "booklet"],
    ]  # fmt: skip
    assert names(batches([], (), 2)) == [[]], "a build with nothing to render still publishes"


def test_progress_counts_over_every_set() -> None:
    seen: list[tuple[int, int]] = []
    sets = [plans("flyer"), plans("pocket-card", "booklet")]
    for number, batch in enumerate(sets, start=1):
        counted = counted_over_all(lambda done, total: seen.append((done, total)), sets, number)
        assert counted is not None
        for done in range(len(batch) + 1):
            counted(done, len(batch))
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert counted_over_all(None, sets, 1) is None
