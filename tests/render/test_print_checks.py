"""The print checks a designer would make (handout.check.print_problems), on real layouts:
smallest type, the primary number, automatic hyphens, rules a photocopy loses, near-empty
booklet pages and stranded tails. Each is tried on a small page that breaks it, and the
shipped materials must pass them all (the session's matrix build runs them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handout.build.options import BuildOptions
from handout.build.pipeline import build
from handout.content.errors import BuildError
from handout.layout.materials import MATERIALS
from handout.render.checks import page_print_problems
from handout.render.measure import measure_page
from handout.render.rendered import PageMeasure
from handout.render.renderer import Renderer
from tests.conftest import CONTENT, TEMPLATES, edit
from tests.pdf import page_texts


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(TEMPLATES)


def measures(renderer: Renderer, body: str, size: str = "3.5in 2in") -> list[PageMeasure]:
    """Lay out a small page of HTML and measure it as the build does."""
    html = (
        f'<html lang="en"><head><style>@page {{ size: {size}; margin: 0.2in; }} '
        "body { margin: 0; font-family: 'Atkinson Hyperlegible'; }</style></head>"
        f"<body>{body}</body></html>"
    )
    return [measure_page(page) for page in renderer.layout(html, "test").pages]


def problems(material: str, measure: PageMeasure, page: int = 1) -> str:
    return " | ".join(page_print_problems(MATERIALS[material], measure, page))


def test_type_below_the_material_minimum_is_named_with_a_fix(renderer: Renderer) -> None:
    [measure] = measures(renderer, '<p style="font-size: 7pt">Tiny words</p>')
    found = problems("discreet-card", measure)
    assert "type at 7.0 pt ('Tiny words') is below the 8 pt" in found
    assert "templates/discreet-card.css" in found


def test_a_primary_number_below_its_minimum_is_named(renderer: Renderer) -> None:
    page = '<p data-role="primary" style="font-size: 12pt">(888) 373-7888</p>'
    [measure] = measures(renderer, page)
    assert measure.primary_pt == pytest.approx(12.0)
    assert "the primary number is 12.0 pt, below its 14 pt minimum" in problems(
        "pocket-card", measure
    )


def test_a_face_without_a_primary_number_is_named(renderer: Renderer) -> None:
    [measure] = measures(renderer, '<p style="font-size: 16pt">(888) 373-7888</p>')
    assert "has no primary number" in problems("pocket-card", measure)
    assert problems("discreet-card", measure) == ""  # its front shows no number


def test_a_big_enough_primary_number_passes(renderer: Renderer) -> None:
    [measure] = measures(renderer, '<p data-role="primary" style="font-size: 15pt">211</p>')
    assert problems("pocket-card", measure) == ""


LONG_WORDS = "Incomprehensibilities notwithstanding, extraordinarily counterrevolutionaries"


def test_automatic_hyphens_are_refused_on_cards_and_flyers(renderer: Renderer) -> None:
    page = f'<p style="hyphens: auto; width: 1.1in; font-size: 12pt">{LONG_WORDS}</p>'
    [measure] = measures(renderer, page, size="5.5in 8.5in")
    assert measure.auto_hyphens, "the test page should break a word"
    found = problems("flyer", measure.__class__(**{**measure.__dict__, "smallest_pt": 12.0}))
    assert "broken by automatic hyphenation" in found
    assert "hyphens: manual" in found


def test_real_hyphens_are_not_automatic_ones(renderer: Renderer) -> None:
    page = '<p style="hyphens: auto; width: 0.6in; font-size: 12pt">e-mail self-help</p>'
    [measure] = measures(renderer, page)
    assert measure.auto_hyphens == []


def test_two_hyphenated_lines_in_a_row_are_refused_in_the_booklet(renderer: Renderer) -> None:
    page = f'<p style="hyphens: auto; width: 0.9in; font-size: 12pt">{LONG_WORDS}</p>'
    [measure] = measures(renderer, page, size="5.5in 8.5in")
    assert measure.hyphen_runs, "the test page should hyphenate lines in a row"
    assert "two hyphenated lines in a row" in problems("booklet", measure)


def test_an_address_broken_by_a_hyphen_is_refused(renderer: Renderer) -> None:
    """A reader types what is printed: "cleanslate-clearing-house.org" reaches nothing. The
    templates keep addresses whole (base.css); this check stops any page that does not."""
    page = (
        '<p style="hyphens: auto; hyphenate-limit-chars: 5 2 2; width: 1.5in; font-size: 12pt">'
        "Read cleanslateclearinghouse.org today</p>"
    )
    [measure] = measures(renderer, page, size="5.5in 8.5in")
    assert measure.hyphenated_words == ["cleanslateclearinghouse.org"]
    found = problems("booklet", measure)
    assert "an address is broken by automatic hyphenation ('cleanslateclearinghouse.org')" in found


@pytest.mark.parametrize(
    ("rule", "why"),
    [("0.5pt solid #333", "0.50 pt"), ("1pt dashed #9fb1c4", "#9fb1c4")],
)
def test_rules_a_photocopy_would_lose_are_named(renderer: Renderer, rule: str, why: str) -> None:
    [measure] = measures(renderer, f'<p class="rule" style="border-top: {rule}">Text</p>')
    found = problems("flyer", measure.__class__(**{**measure.__dict__, "smallest_pt": 12.0}))
    assert "rules a photocopy would lose" in found
    assert f"p.rule top {why}" in found or why in found


def test_a_dark_rule_passes(renderer: Renderer) -> None:
    [measure] = measures(renderer, '<p style="border-top: 0.75pt solid #555">Text</p>')
    assert measure.faint_rules == []


def test_a_near_empty_booklet_page_is_named(renderer: Renderer) -> None:
    lines = "<br>".join(f"Line {n}" for n in range(5))
    [measure] = measures(renderer, f'<p style="font-size: 10.5pt">{lines}</p>', "5.5in 8.5in")
    found = problems("booklet", measure)
    assert "filled (at least 30%)" in found
    assert problems("booklet", measure, page=1) and not page_print_problems(
        MATERIALS["booklet"], measure, 1, last=True
    )


def test_a_tail_of_two_lines_alone_on_a_page_is_named(renderer: Renderer) -> None:
    [measure] = measures(renderer, "<p>The end of a callout,<br>alone.</p>", "5.5in 8.5in")
    assert "holds only 2 line(s) of text, the tail of a block" in problems("booklet", measure)
    # ... even on the last page of the text
    assert page_print_problems(MATERIALS["booklet"], measure, 1, last=True)


def test_fill_in_pages_may_stay_empty(renderer: Renderer) -> None:
    page = '<section data-fill="free"><h1>My safety plan</h1></section>'
    [measure] = measures(renderer, page, "5.5in 8.5in")
    assert measure.free and problems("booklet", measure) == ""


def test_a_template_that_breaks_a_rule_stops_the_build_naming_variant_page_and_fix(
    tmp_path: Path, templates_copy: Path
) -> None:
    edit(templates_copy / "pocket-card.css", ".for { margin", ".for { font-size: 6pt; margin")
    with pytest.raises(BuildError) as caught:
        build(
            BuildOptions(
                CONTENT,
                templates_copy,
                tmp_path / "out",
                regions=("waterbury",),
                languages=("en",),
                materials=("pocket-card",),
                jobs=1,
            ),
            report=lambda _line: None,
        )
    message = str(caught.value)
    assert "waterbury/en/pocket-card" in message
    assert "page 1 (front): type at 6.0 pt" in message
    assert "templates/pocket-card.css" in message


@pytest.mark.parametrize("language", ["es", "pt"])
def test_a_verb_stays_on_its_numbers_line(matrix: Path, language: str) -> None:
    """ "Llama" / "Ligue" never stands alone above (888) 373-7888 (issue 12, item 9)."""
    verb = {"es": "Llama", "pt": "Ligue"}[language]
    for material in ("pocket-card", "discreet-card", "flyer"):
        text = "\n".join(page_texts(matrix / "new-milford" / language / f"{material}.pdf"))
        assert f"{verb} (888) 373-7888" in text.replace("\u00a0", " "), material


def test_the_out_of_state_211_number_is_in_the_booklet_only(matrix: Path) -> None:
    """Cards and the flyer are read in Connecticut: every line on them counts. The number
    for calling 2-1-1 from another state stays in the booklet's directory, with its note."""
    for material in ("pocket-card", "discreet-card", "flyer"):
        text = "\n".join(page_texts(matrix / "new-milford" / "en" / f"{material}.pdf"))
        assert "(800) 203-1234" not in text, material
    booklet = " ".join("\n".join(page_texts(matrix / "new-milford" / "en" / "booklet.pdf")).split())
    assert "(800) 203-1234 (from outside Connecticut)" in booklet


def test_a_headings_last_word_never_stands_alone(matrix: Path) -> None:
    from handout.layout.html import nowidow

    assert nowidow("Help and Safety Guide") == 'Help and <span class="keep">Safety Guide</span>'
    assert nowidow("Free help") == "Free help"  # two words may wrap as they like
    assert nowidow("A & B <c>") == 'A &amp; <span class="keep">B &lt;c&gt;</span>'
    for language in ("en", "es", "pt"):  # the cover's title: no line of one word
        cover = page_texts(matrix / "new-milford" / language / "booklet.pdf")[0].splitlines()
        title = cover[: next(i for i, line in enumerate(cover) if "Milford" in line)]
        assert title and all(len(line.split()) > 1 for line in title), title


def test_every_shipped_variant_prints_at_its_designed_sizes(matrix: Path) -> None:
    """No shipped card or flyer (large print too) needs auto-fit, in any language, so a
    role (the primary number, the other numbers, body text) has one size in every region
    and language (issue 12, item 11). A translated text (es, pt, vi, ht) that runs too long
    is shortened in its catalog, not shrunk on the page."""
    import json

    files = json.loads((matrix / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert len(files) == 98  # large print in one region (tests.conftest.LARGE_PRINT_REGIONS)
    shrunk = {
        entry["path"]: entry["type_scale"]
        for entry in files
        if any(scale != 1 for scale in (entry.get("type_scale") or {}).values())
    }
    assert shrunk == {}


def test_white_text_on_a_band_is_checked_against_the_band_only(tmp_path: Path) -> None:
    """`/* on #0a3d6b */` marks text printed on a colour band (issue 12's white-on-colour
    primary number): checked against that band, not against the white page."""
    from handout.layout.contrast import contrast_problems

    (tmp_path / "base.css").write_text("html { color: #111; }\n", encoding="utf-8")
    sheet = tmp_path / "flyer.css"
    sheet.write_text(
        ".band { background: #0a3d6b; color: #ffffff; } /* on #0a3d6b */\n", encoding="utf-8"
    )
    assert contrast_problems(tmp_path) == []
    sheet.write_text(".band { color: #ffffff; }\n", encoding="utf-8")
    [problem] = contrast_problems(tmp_path)
    assert "#ffffff on background #ffffff" in str(problem.message)
    sheet.write_text(".band { color: #2a5d8b; } /* on #0a3d6b */\n", encoding="utf-8")
    assert "#2a5d8b on background #0a3d6b" in str(contrast_problems(tmp_path)[0].message)
