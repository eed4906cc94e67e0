"""One variant that cannot be made does not hide the others (`serve` builds with
`keep_going`): the others are published, the failed one keeps its last good PDF (nothing
half written), and the build then fails naming it. A real build of two cards."""

from __future__ import annotations

from pathlib import Path

import pytest

from handout.build.options import BuildOptions
from handout.build.pipeline import VariantsFailed, build
from tests.conftest import TEMPLATES, edit


def cards(content: Path, out: Path) -> BuildOptions:
    return BuildOptions(
        content,
        TEMPLATES,
        out,
        regions=("new-milford",),
        languages=("en",),
        materials=("pocket-card", "discreet-card"),
        publish_every=1,
        keep_going=True,
    )


def test_a_card_that_does_not_fit_leaves_the_other_published(
    content_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(cards(content_copy, out), report=lambda _line: None)
    pocket = out / "new-milford" / "en" / "pocket-card.pdf"
    discreet = out / "new-milford" / "en" / "discreet-card.pdf"
    pocket_before, discreet_before = pocket.read_bytes(), discreet.read_bytes()

    # The pocket card's title grows too long; the discreet card's changes and still fits.
    materials = content_copy / "materials.yaml"
    title, too_long = "front_title: Free help, any time", ", and much more text" * 40
    edit(materials, title, title + too_long)
    edit(materials, "front_title: Appointment reminder", "front_title: Appointment notice")
    published = []
    with pytest.raises(VariantsFailed) as failed:
        build(
            cards(content_copy, out),
            report=lambda _line: None,
            published=lambda: published.append(True),
        )
    assert [variant for variant, _message in failed.value.failures] == [
        "new-milford/en/pocket-card"
    ]
    assert "the front part does not fit" in str(failed.value)
    assert pocket.read_bytes() == pocket_before, "the last good card stays"
    assert discreet.read_bytes() != discreet_before, "the other card is published"
    assert published, "its gallery page too"
    assert not list(out.rglob("*.tmp"))
    gallery = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="new-milford-en-discreet-card"' in gallery
    assert 'id="new-milford-en-pocket-card"' in gallery

    # Fixed back as it was: the card on disk is the one of this text, nothing to render.
    edit(materials, title + too_long, title)
    made = build(cards(content_copy, out), report=lambda _line: None)
    assert made == []
    assert pocket.read_bytes() == pocket_before
