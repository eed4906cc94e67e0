"""The flyer is laid out once (issue 24): its blocks spread over the page by CSS (a grid as
tall as the page area), not by a second layout. Its tear-off tabs stay in the bottom
margin, and auto-fit still sees text too long for the page: the grid runs onto a second
page rather than dropping what does not fit."""

from __future__ import annotations

import pytest

from handout.build.plan import Translations
from handout.content.load import load
from handout.layout.compose import compose
from handout.layout.materials import MATERIALS
from handout.render.renderer import Renderer
from tests.conftest import CONTENT, TEMPLATES

FLYER = MATERIALS["flyer"]
MORE = " More zebras here."


def flyer_context(extra_sentences: int = 0) -> dict:
    """The New Milford English flyer's context, its subhead made longer."""
    content = load(CONTENT)
    context = compose(
        content, "new-milford", "flyer", Translations(content, TEMPLATES).translator("en")
    )
    text = context["text"]
    flyer = text.flyer.model_copy(update={"subhead": text.flyer.subhead + MORE * extra_sentences})
    return {**context, "text": text.model_copy(update={"flyer": flyer})}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(TEMPLATES)


def test_the_flyer_fills_its_page_in_one_layout(
    renderer: Renderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts = []
    layout = renderer.layout
    monkeypatch.setattr(renderer, "layout", lambda *args: layouts.append(args) or layout(*args))
    rendered = renderer.render(FLYER, flyer_context(), "flyer")
    assert len(layouts) == 1
    assert rendered.fit == {}
    # the footer's last line ends at the bottom of the page area, just above the tabs
    assert rendered.measures[0].filled > 0.98
    assert "Take a number" in rendered.margin_text


def test_a_flyer_a_little_too_long_is_shrunk_with_nothing_dropped(renderer: Renderer) -> None:
    """Text a little too long: auto-fit shrinks it onto the one page, and every line is
    printed, the footer's last one too (WeasyPrint would drop the end of a flex item that
    runs past the page, and auto-fit would never know)."""
    rendered = renderer.render(FLYER, flyer_context(25), "flyer")
    assert len(rendered.page_texts) == 1
    assert 0.3 < rendered.fit["page"] < 1
    text = rendered.page_texts[0]
    assert text.count("zebras") == 25  # one word, never broken (no hyphenation on a poster)
    assert text.rstrip().endswith("not by phone.")
    assert "Take a number" in rendered.margin_text
