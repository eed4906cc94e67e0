"""The large-print booklet and flyer (UKAAF / RNIB clear print), rendered for real and read
back: US Letter pages, no type below 16 pt anywhere on a page (page numbers, notes and
sources too), no word broken by automatic hyphenation, running text 1.5 times its size
apart and flush with its starting edge; and the checks that hold them to it."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from handout.layout.materials import MATERIALS
from handout.render.checks import page_print_problems
from handout.render.impose import booklet_2up
from handout.render.measure import measure_page
from handout.render.renderer import Renderer
from tests.conftest import CONTENT, TEMPLATES, run_build
from tests.pdf import all_text, page_sizes_in, page_texts, reader

LARGE_PRINT = ("large-print-booklet", "large-print-flyer")


def type_sizes(path: Path) -> list[tuple[float, str]]:
    """Every text drawn in the PDF with its printed size in points (the font size scaled
    by the text and graphics matrices), margins (page numbers) included."""
    sizes: list[tuple[float, str]] = []

    def visit(text: str, cm: list, tm: list, _font: object, size: float) -> None:
        if text.strip():
            scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
            sizes.append((size * scale, text.strip()))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("material", LARGE_PRINT)
def test_large_print_is_on_letter_paper(built: dict[str, Path], material: str) -> None:
    assert set(page_sizes_in(built[material])) == {(8.5, 11.0)}


def test_the_booklet_folds_and_the_flyer_has_two_faces(built: dict[str, Path]) -> None:
    assert len(reader(built["large-print-booklet"]).pages) % 4 == 0
    assert len(reader(built["large-print-flyer"]).pages) == 2


@pytest.mark.parametrize("material", LARGE_PRINT)
def test_no_type_below_16_pt_anywhere(built: dict[str, Path], material: str) -> None:
    sizes = type_sizes(built[material])
    assert sizes
    smallest = min(sizes)
    assert smallest[0] >= 16 - 0.1, smallest
    # the page numbers, the check date and the notes are read back too
    assert any(text == "2" for _size, text in sizes) or material == "large-print-flyer"
    assert any("checked" in text.lower() for _size, text in sizes)


@pytest.mark.parametrize("material", LARGE_PRINT)
def test_no_word_is_broken_by_a_hyphen(built: dict[str, Path], material: str) -> None:
    """A line may end after a word's own hyphen ("non-" / "emergency"), never inside a
    word: each hyphenated line end, joined again, is a word the content writes so."""
    written = " ".join(
        path.read_text(encoding="utf-8")
        for path in CONTENT.rglob("*")
        if path.is_file()
        if path.suffix in (".yaml", ".po")
    )
    for text in page_texts(built[material]):
        for broken in re.finditer(r"(\S*[^\W\d_])[-\u2010\u00ad]\n(\S+)", text):
            assert f"{broken[1]}-{broken[2].rstrip('.,;:')}" in written, broken[0]


def test_the_booklet_says_large_print_and_has_no_cut_out_card(built: dict[str, Path]) -> None:
    text = " ".join(all_text(built["large-print-booklet"]).split())
    assert "Large print" in text
    assert "At the back: pages for your own numbers and notes, and a safety plan." in text
    assert "Cut out and keep" not in text  # a wallet card cannot hold 16 pt type
    assert "My safety plan" in text and "Where to get help" in text


def test_the_flyer_leads_with_the_numbers_and_has_no_tear_off_tabs(
    built: dict[str, Path],
) -> None:
    front, back = (" ".join(page.split()) for page in page_texts(built["large-print-flyer"]))
    assert "(888) 373-7888" in front and "911" in front
    assert "Take a number" not in front + back
    assert "You are not alone" in back and "not legal advice" in back


@pytest.fixture(scope="module")
def laid_out() -> dict[str, list]:
    """The New Milford large-print materials in English, laid out as the build lays them
    out, measured page by page."""
    from handout.build.plan import Translations
    from handout.content.load import load
    from handout.layout.compose import compose

    content = load(CONTENT)
    translator = Translations(content, TEMPLATES).translator("en")
    renderer = Renderer(TEMPLATES)
    measured = {}
    for material in LARGE_PRINT:
        context = compose(content, "new-milford", material, translator)
        html = renderer.html(MATERIALS[material], context)
        document = renderer.layout(renderer.with_settings(html, {}), material)
        measured[material] = [measure_page(page) for page in document.pages]
    return measured


@pytest.mark.parametrize("material", LARGE_PRINT)
def test_running_text_is_set_1_5_apart_flush_and_unhyphenated(
    laid_out: dict[str, list], material: str
) -> None:
    spec = MATERIALS[material]
    for number, measure in enumerate(laid_out[material], start=1):
        tight = {
            (size, spacing): text
            for (size, spacing), text in measure.spacings.items()
            if size < spec.display_pt and spacing < 1.5
        }
        assert not tight, (number, tight)
        assert not measure.alignments, (number, measure.alignments)
        assert not measure.auto_hyphens, (number, measure.auto_hyphens)


def measures(body: str) -> list:
    html = (
        '<html lang="en"><head><style>@page { size: letter; margin: 0.5in; } '
        "body { margin: 0; font-family: 'Atkinson Hyperlegible'; font-size: 18pt; "
        "line-height: 1.5 }</style></head>"
        f"<body>{body}</body></html>"
    )
    return [measure_page(page) for page in Renderer(TEMPLATES).layout(html, "test").pages]


def problems(body: str) -> str:
    [measure] = measures(body)
    return " | ".join(page_print_problems(MATERIALS["large-print-booklet"], measure, 1, last=True))


def test_the_checks_refuse_tight_justified_centred_or_hyphenated_text() -> None:
    words = "Shelter, health care, food and legal help for everyone who needs it. " * 4
    assert problems(f"<p>{words}</p>") == ""
    tight = problems(f'<p style="line-height: 1.2">{words}</p>')
    assert "set 1.2 times its size apart, less than the 1.5" in tight
    assert "templates/large-print-booklet.css" in tight
    assert "justify" in problems(f'<p style="text-align: justify">{words}</p>')
    assert "center" in problems(f'<p style="text-align: center">{words}</p>')
    hyphenated = problems(
        f'<p lang="en" style="hyphens: auto; width: 2in">{"extraordinarily " * 6}</p>'
    )
    assert "words are broken by automatic hyphenation" in hyphenated
    assert "below the 16 pt" in problems(f'<p style="font-size: 14pt">{words}</p>')
    # a heading at 24 pt and over may be set tighter
    heading = '<h1 style="font-size: 30pt; line-height: 1.2">Help and Safety</h1>'
    assert problems(heading + f"<p>{words}</p>") == ""


def test_the_booklet_print_copy_is_imposed_on_tabloid(built: dict[str, Path]) -> None:
    booklet = built["large-print-booklet"]
    copy = booklet.with_name("large-print-booklet-print.pdf")
    pages = len(reader(booklet).pages)
    assert set(page_sizes_in(copy)) == {(17.0, 11.0)}
    assert len(reader(copy).pages) == pages // 2
    assert booklet_2up(booklet.read_bytes(), page_size=(612.0, 792.0)) == copy.read_bytes()


def test_material_selects_large_print(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_build(
        "--region", "danbury", "--lang", "es",
        "--material", "large-print-flyer", "--out", out,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.rglob("*.pdf")) == ["large-print-flyer.pdf"]
    assert set(page_sizes_in(out / "danbury" / "es" / "large-print-flyer.pdf")) == {(8.5, 11.0)}
