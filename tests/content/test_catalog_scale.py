"""Updating a translation catalog fuzzy-matches only texts that changed, against the old
texts that left (pybabel compares every new text with every translated one, which took
minutes after importing a few thousand records). The speed itself is measured in the
benchmark (`python bench/run.py --imports-only`), not asserted here."""

from __future__ import annotations

from types import SimpleNamespace

from babel.messages.catalog import Catalog

from handout.content.i18n import Translator, updated
from handout.layout.compose import View


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


def test_new_texts_are_not_matched_with_unrelated_translations() -> None:
    """Thousands of new texts (an import) come in empty: none borrows a translation."""
    old, template = catalogs(300, 3000)
    result = updated(old, template)
    added = [result.get(f"Rides to the clinic and back, service {n}.") for n in range(3000)]
    assert all(not message.string and not message.fuzzy for message in added)


def test_a_view_lists_each_fact_once_in_order() -> None:
    view = View("danbury", "Danbury", Translator("en"), draft=False)
    facts = [SimpleNamespace(checked_how=None) for _ in range(20_000)]
    view.uses(*facts)
    view.uses(*facts[:100])
    assert view.facts == facts
