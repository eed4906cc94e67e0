"""Scripts other than left-to-right Latin, on real renders: numbers in right-to-left pages
read back in visual order, Chinese line starts (kinsoku), and which pages WeasyPrint makes
left and right pages under a right-to-left root (the booklet's gutter follows them)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import weasyprint

from handout.build.options import BuildOptions
from handout.build.pipeline import build
from handout.content.errors import BuildError
from handout.render.impose import booklet_2up
from handout.render.measure import measure_page
from handout.render.script_checks import kinsoku_problems, number_order_problems, script_problems
from tests.conftest import CONTENT, TEMPLATES
from tests.render.test_impose import new_milford  # noqa: F401 - a fixture
from tests.render.test_impose_rtl import direction, with_arabic

ARABIC = "اتصل بالرقم {number} للمساعدة"
""""Call the number {number} for help"."""
NUMBER = '<a href="tel:+18883737888">(888) 373-7888</a>'


def pdf_of(body: str, direction: str = "rtl", language: str = "ar", style: str = "") -> bytes:
    return weasyprint.HTML(
        string=f'<html dir="{direction}" lang="{language}"><style>@page {{ size: 5.5in 8.5in; '
        'margin: 0.5in } body { font-family: "DejaVu Sans", "Noto Serif CJK SC"; '
        f"font-size: 12pt }} {style}</style><body>{body}</body></html>"
    ).write_pdf()


def test_an_isolated_number_reads_in_order_in_arabic() -> None:
    isolated = f"<p>{ARABIC.format(number=f'<bdi dir=ltr>{NUMBER}</bdi>')}</p>"
    assert number_order_problems(pdf_of(isolated)) == []


def test_a_number_left_to_the_bidi_algorithm_is_reordered_and_fails() -> None:
    """WeasyPrint lays the link's text out as a run of its own in the paragraph's direction:
    "(888)" ends up on the right of "373-7888", as the bidi algorithm says for a number in
    right-to-left text."""
    bare = f"<p>{ARABIC.format(number=NUMBER)}</p>"
    [problem] = number_order_problems(pdf_of(bare))
    assert problem.startswith("page 1: the number (888) 373-7888 is printed out of order")
    assert "it reads '373-7888 (888)' from left to right" in problem
    assert '<bdi dir="ltr">' in problem


@pytest.mark.parametrize(
    ("number", "in_order"),
    [
        (f'<span dir="ltr">{NUMBER}</span>', True),
        (NUMBER.replace("<a ", '<a dir="ltr" '), True),
        (f'<span style="direction: ltr">{NUMBER}</span>', True),
        (f"<bdi>{NUMBER}</bdi>", False),  # WeasyPrint ignores unicode-bidi (docs/scripts.md)
        (f"\u200e{NUMBER}\u200e", False),
    ],
)
def test_only_an_explicit_left_to_right_direction_isolates_a_number(
    number: str, in_order: bool
) -> None:
    problems = number_order_problems(pdf_of(f"<p>{ARABIC.format(number=number)}</p>"))
    assert (problems == []) == in_order, problems


def char_lefts(pdf: bytes) -> list[tuple[str, float]]:
    """Each character of page 1 with the x of its left edge."""
    import pypdfium2

    textpage = pypdfium2.PdfDocument(pdf)[0].get_textpage()
    return [
        (textpage.get_text_range(index, 1), textpage.get_charbox(index, loose=True)[0])
        for index in range(textpage.count_chars())
    ]


def test_a_right_to_left_line_starting_in_english_is_set_right_to_left() -> None:
    """WeasyPrint #2298, fixed in 70: the line's first word is at its right end."""
    chars = char_lefts(pdf_of("<p>Briar مرحبا بكم</p>"))
    briar = next(x for char, x in chars if char == "B")
    arabic = [x for char, x in chars if "\u0600" <= char <= "\u06ff"]
    assert arabic and briar > max(arabic)


def test_gap_in_a_right_to_left_flex_row() -> None:
    """WeasyPrint #2555, fixed in 70: the items run from the right, the gap between them."""
    row = '<div style="display: flex; gap: 20pt; width: 3in"><span>AAA</span><span>BBB</span></div>'
    chars = char_lefts(pdf_of(row))
    first = min(x for char, x in chars if char == "A")
    second_end = max(x for char, x in chars if char == "B")
    assert first > second_end + 20  # AAA right of BBB, 20pt (plus a letter) between


def test_a_number_broken_over_two_lines_fails() -> None:
    """WeasyPrint writes a link per line it runs on: each holds a part of the number."""
    narrow = f'<p style="width: 0.8in">{NUMBER}</p>'
    problems = number_order_problems(pdf_of(narrow, "ltr", "en"))
    assert len(problems) == 2
    assert all("the number (888) 373-7888 runs over two lines" in p for p in problems)
    assert "it reads '(888)'" in problems[0] and "it reads '373-7888'" in problems[1]


def test_the_numbers_of_left_to_right_pages_read_as_written(request: pytest.FixtureRequest) -> None:
    """The reader itself, on every real material (the flyer's tabs are turned 90°)."""
    for material, path in request.getfixturevalue("new_milford").items():
        assert number_order_problems(path.read_bytes()) == [], material


def test_a_left_to_right_booklet_says_nothing_of_its_direction(
    request: pytest.FixtureRequest,
) -> None:
    """Its PDF is what WeasyPrint writes (no /Direction), and it is imposed left to right."""
    english = request.getfixturevalue("new_milford")["booklet"].read_bytes()
    assert direction(english) is None
    assert booklet_2up(english) == booklet_2up(english, right_to_left=False)


def test_left_to_right_languages_are_not_read_at_all() -> None:
    assert script_problems("en", b"not a PDF", []) == []
    assert script_problems("es", b"not a PDF", []) == []
    with pytest.raises(Exception):  # noqa: B017 - an Arabic variant's PDF is read
        script_problems("ar", b"not a PDF", [])


# Kinsoku


def test_kinsoku_lines() -> None:
    assert kinsoku_problems(["请拨打热线电话。", "如需帮助（免费）", "请拨打"]) == []
    [start] = kinsoku_problems(["。如需帮助"])
    assert start.startswith("a line starts with '。' ('。如需帮助')")
    [end] = kinsoku_problems(["请拨打「"])
    assert "ends with '「'" in end
    assert len(kinsoku_problems(["，", "：后", "？", "』", "、", "；", "！", "）", "」"])) == 9
    assert len(kinsoku_problems(["前（", "前『"])) == 2


def chinese(body: str) -> tuple[bytes, list]:
    document = weasyprint.HTML(
        string='<html lang="zh"><style>@page { size: 3in 3in; margin: 0.2in } body { '
        f'font-family: "Noto Serif CJK SC"; font-size: 12pt }}</style><body>{body}</body></html>'
    ).render()
    return document.write_pdf(), [measure_page(page) for page in document.pages]


def test_a_chinese_line_starting_with_a_full_stop_fails() -> None:
    """Pango and WeasyPrint keep "。" with the character before it (UAX #14): neither a
    zero-width space, nor `line-break: anywhere`, nor the end of an inline element before
    it let a line start with one when tried. A forced break does."""
    pdf, measures = chinese('<p style="width: 4.2em">请拨打热线电话<br>。如需帮助</p>')
    problems = script_problems("zh", pdf, measures)
    assert problems == [
        "page 1: a line starts with '。' ('。如需帮'), where Chinese and Japanese never break a "
        "line; keep the mark with the text before it (no line break or new block just before "
        "it, in the template or the translation; see docs/scripts.md)"
    ]
    assert script_problems("en", pdf, measures) == []


def test_chinese_set_by_pango_alone_keeps_its_marks() -> None:
    pdf, measures = chinese('<p style="width: 4.2em">请拨打热线电话。如需帮助，请联系我们。</p>')
    assert script_problems("zh-Hans", pdf, measures) == []


# Page sides: where a gutter would go


@pytest.mark.parametrize(("direction", "first"), [("ltr", "right"), ("rtl", "left")])
def test_page_one_is_a_left_page_under_a_right_to_left_root(direction: str, first: str) -> None:
    """So `@page :left { margin-right }` / `@page :right { margin-left }` put a gutter on
    the spine's side in both directions (docs/scripts.md)."""
    style = "@page :left { margin-left: 1in } @page :right { margin-left: 0.25in }"
    document = weasyprint.HTML(
        string=f'<html dir="{direction}"><style>@page {{ size: 5.5in 8.5in }} {style}</style>'
        '<p style="break-after: page">1</p><p>2</p></html>'
    ).render()
    sides = ["left" if page._page_box.margin_left == 96 else "right" for page in document.pages]
    assert sides == [first, "left" if first == "right" else "right"]


# The build


def test_a_right_to_left_booklet_with_numbers_out_of_order_stops_the_build(
    tmp_path: Path,
) -> None:
    """An Arabic booklet whose templates set `dir="rtl"` without isolating the numbers."""
    content = with_arabic(Path(shutil.copytree(CONTENT, tmp_path / "content")))
    templates = Path(shutil.copytree(TEMPLATES, tmp_path / "templates"))
    base = templates / "base.html"
    base.write_text(
        re.sub(r"<html( dir=\"[^\"]*\")?", '<html dir="rtl"', base.read_text(), count=1)
    )
    macros = templates / "macros.html"
    macros.write_text(re.sub(r'</?bdi[^>]*>| dir="ltr"', "", macros.read_text()))
    with (templates / "booklet.css").open("a", encoding="utf-8") as css:
        css.write("\nbdi, .number { direction: rtl !important; }\n")  # however isolated
    options = BuildOptions(
        content,
        templates,
        tmp_path / "out",
        regions=("new-milford",),
        languages=("ar",),
        materials=("booklet",),
    )
    with pytest.raises(BuildError) as failure:
        build(options, report=lambda _: None)
    message = str(failure.value)
    assert "new-milford/ar/booklet" in message
    assert re.search(r"page \d+: the number \(\d{3}\) \d{3}-\d{4} is printed out of order", message)
