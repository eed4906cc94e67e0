"""The sets a build publishes its variants in, and its progress counted over all of them.

A build renders and publishes its variants as one set, so that a failure writes nothing. Two
choices of `serve` change that, and only the order in which files appear, never what is
written in the end: the variant on screen comes first, alone (`BuildOptions.first`), and the
others follow a few at a time (`BuildOptions.publish_every`), so that the gallery fills in as
they finish instead of staying empty for minutes on a first start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple
from typing import TYPE_CHECKING

from handout.layout.materials import MATERIALS

if TYPE_CHECKING:
    from handout.build.plan import Plan

Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """The build was stopped between two sets, as its `cancelled()` asked (in `serve`, a
    newer save came): every set published before is whole; the others are not written."""


def stop_if(cancelled: Callable[[], bool] | None) -> None:
    """Raise `Cancelled` when the build's caller no longer wants it."""
    if cancelled is not None and cancelled():
        raise Cancelled


QUICKEST_FIRST = {"pocket-card": 0, "discreet-card": 0, "flyer": 1, "booklet": 2}
"""Published a few at a time, the cards come first (seconds), the booklets last (minutes):
the gallery shows something soon, and renders that run side by side take about as long."""


def batches(
    todo: list[Plan], first: tuple[tuple[str, str, str], ...], every: int
) -> list[list[Plan]]:
    """The variants to render, in the sets they are published in: the first of `first` that
    must be rendered alone (unless it is the only one), then the others; those `every` at a
    time, quickest first, when `every` > 0."""
    sets = _first_apart(todo, first)
    if every <= 0:
        return sets
    steps = []
    for batch in sets:
        ordered = sorted(batch, key=lambda item: QUICKEST_FIRST.get(_kind(item), 1))
        steps += [ordered[start : start + every] for start in range(0, len(ordered), every)]
    return steps or sets


def _kind(item: Plan) -> str:
    """The material a variant's is like (the large-print booklet is a booklet)."""
    material = MATERIALS.get(item.variant.material)
    return material.kind if material else item.variant.material


def _first_apart(todo: list[Plan], first: tuple[tuple[str, str, str], ...]) -> list[list[Plan]]:
    if len(todo) > 1:
        for wanted in first:
            for item in todo:
                if astuple(item.variant) == wanted:
                    return [[item], [other for other in todo if other is not item]]
    return [todo]


def counted_over_all(
    progress: Progress | None, sets: list[list[Plan]], number: int
) -> Progress | None:
    """The `progress(done, total)` of set `number` (1-based) of `sets`, counted over all of
    them: a set's renders count from 0 to its own size, the build's from 0 to the total."""
    if progress is None:
        return None
    total = sum(len(batch) for batch in sets)
    before = sum(len(batch) for batch in sets[: number - 1])

    def counted(done: int, _size: int) -> None:
        if done or before == 0:  # the start of a later set is no news
            progress(before + done, total)

    return counted
