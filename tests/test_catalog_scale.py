"""Updating a translation catalog is linear in its size: only texts that changed are
fuzzy-matched, against the old texts that left (pybabel compares every new text with
every translated one, which took minutes after importing a few thousand records)."""

from __future__ import annotations

import time

from babel.messages.catalog import Catalog

from handout.compose import View
from handout.i18n import Translator, updated


def catalogs(size: int, new: int) -> tuple[Catalog, Catalog]:
    """A translated catalog of `size` texts, and a template with `new` texts added (as an
    import adds them: similar, all untranslated) and one text changed."""
    old, template = Catalog(locale="es"), Catalog()
    for number in range(size):
        old.add(f"Free meals for families in need, program {number}.", f"Comidas {number}.")
        if number:
            template.add(f"Free meals for families in need, program {number}.")
    template.add("Free meals for families in need, program 0, on Sundays.")
    for number in range(new):
        template.add(f"Rides to the clinic and back, service {number}.")
    return old, template


def seconds_to_update(size: int, new: int) -> float:
    old, template = catalogs(size, new)
    started = time.perf_counter()
    updated(old, template)
    return time.perf_counter() - started


def test_a_changed_text_keeps_its_old_translation_as_fuzzy() -> None:
    old, template = catalogs(50, 20)
    result = updated(old, template)
    changed = result.get("Free meals for families in need, program 0, on Sundays.")
    assert changed.string == "Comidas 0." and changed.fuzzy
    assert changed.previous_id == ["Free meals for families in need, program 0."]
    assert "Free meals for families in need, program 0." not in result.obsolete
    assert result.get("Free meals for families in need, program 7.").string == "Comidas 7."
    added = result.get("Rides to the clinic and back, service 3.")
    assert not added.string and not added.fuzzy
    assert [message.id for message in result if message.id] == [
        message.id for message in template if message.id
    ]
    assert not template.get("Free meals for families in need, program 0, on Sundays.").string


def test_importing_thousands_of_texts_is_linear() -> None:
    small = seconds_to_update(300, 300)
    large = seconds_to_update(300, 3000)
    assert large < 1.5, f"{large:.2f} s to add 3,000 texts"
    assert large < 20 * max(small, 0.01), (small, large)


def test_a_view_lists_thousands_of_facts_in_linear_time() -> None:
    view = View("danbury", "Danbury", Translator("en"), draft=False)
    facts = [object() for _ in range(20_000)]
    started = time.perf_counter()
    view.uses(*facts)
    view.uses(*facts[:100])
    assert time.perf_counter() - started < 0.5
    assert view.facts == facts
