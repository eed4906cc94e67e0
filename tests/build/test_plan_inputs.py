"""A variant's plan depends on what it prints: a card does not change, nor pay, for the records
it does not print; the HTML planned is the HTML rendered."""

from __future__ import annotations

from handout.build.plan import Translations, Variant, plan
from handout.content.load import load
from handout.layout.compose import Composer, compose
from handout.layout.materials import MATERIALS
from handout.render.renderer import Renderer
from tests.conftest import CONTENT, TEMPLATES

REGION, LANGUAGE = "new-milford", "en"


def _fingerprints(content) -> dict[str, str]:
    translations = Translations(content, TEMPLATES)
    chosen = [Variant(REGION, LANGUAGE, material) for material in MATERIALS]
    return {
        item.variant.material: item.fingerprint
        for item in plan(content, TEMPLATES, translations, chosen, {})
    }


def _unprinted_record(content) -> str:
    """A record the region's booklet lists but neither card nor the flyer prints."""
    composer = Composer(content, REGION, Translations(content, TEMPLATES).translator(LANGUAGE))
    printed = set()
    for material in ("pocket_card", "discreet_card", "flyer"):
        view = getattr(composer, material)()["view"]
        printed |= {fact.id for fact in view.facts}
    return next(record_id for record_id in composer.records if record_id not in printed)


def test_a_record_a_card_does_not_print_leaves_its_fingerprint_alone() -> None:
    content = load(CONTENT)
    before = _fingerprints(content)
    record_id = _unprinted_record(content)
    record = content.resources[record_id]
    content.resources[record_id] = record.model_copy(
        update={"name": "Renamed Service", "helps_with": "Something else entirely."}
    )
    after = _fingerprints(content)
    for material in ("pocket-card", "discreet-card", "flyer"):
        assert after[material] == before[material], material
    assert after["booklet"] != before["booklet"]  # it lists every record


def test_a_card_resolves_only_the_records_it_prints() -> None:
    content = load(CONTENT)
    composer = Composer(content, REGION, Translations(content, TEMPLATES).translator(LANGUAGE))
    context = composer.pocket_card()
    assert "records" not in composer.__dict__  # the region's whole list was never made
    printed = {fact.id for fact in context["view"].facts}
    assert set(composer.picked) == printed


def test_the_html_planned_is_the_html_first_laid_out() -> None:
    content = load(CONTENT)
    translations = Translations(content, TEMPLATES)
    for material in ("pocket-card", "booklet"):
        [item] = plan(content, TEMPLATES, translations, [Variant(REGION, LANGUAGE, material)], {})
        context = compose(content, REGION, material, translations.translator(LANGUAGE))
        assert item.html == Renderer(TEMPLATES).html(MATERIALS[material], context)
