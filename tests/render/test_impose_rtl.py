"""A right-to-left booklet is bound on the right: its reading PDF says so, and its print
copy is mirrored sheet by sheet, read back from the PDFs as in `test_impose`.

Until the Arabic catalog lands, the booklet is the New Milford one built with `ar` added to
a copy of the content's languages: its texts are still English (no catalog), but its
`lang` is Arabic, which is what the reading direction follows. No override was needed: the
build does not refuse a right-to-left language.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PageObject

from handout.build.options import BuildOptions
from handout.build.pipeline import build
from handout.render.impose import booklet_2up, saddle_stitch_order
from tests.conftest import CONTENT, TEMPLATES, edit
from tests.render.test_impose import halves, page_number, pages_of, runs


def with_arabic(content: Path) -> Path:
    """`content` with Arabic added to its languages (and a word the discreet parts must not
    show, which every language needs), unless the content has it already."""
    project = content / "project.yaml"
    if "code: ar\n" in project.read_text(encoding="utf-8"):
        return content
    edit(
        project,
        "    name: Português\n    reviewed: false\n",
        (
            "    name: Português\n    reviewed: false\n"
            "  - code: ar\n    name: العربية\n    reviewed: false\n"
        ),
    )
    edit(project, "  pt: [tráfico", "  ar: [شرطة]\n  pt: [tráfico")
    return content


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The New Milford booklet in Arabic (English texts, Arabic `lang`)."""
    folder = tmp_path_factory.mktemp("arabic")
    content = with_arabic(Path(shutil.copytree(CONTENT, folder / "content")))
    out = folder / "output"
    options = BuildOptions(
        content,
        TEMPLATES,
        out,
        regions=("new-milford",),
        languages=("ar",),
        materials=("booklet",),
    )
    build(options, report=lambda _: None)
    return out / "new-milford" / "ar"


@pytest.fixture(scope="module")
def rtl_booklet(arabic: Path) -> bytes:
    return (arabic / "booklet.pdf").read_bytes()


@pytest.fixture(scope="module")
def rtl_sheets(arabic: Path) -> list[PageObject]:
    return pages_of((arabic / "booklet-print.pdf").read_bytes())


def direction(pdf: bytes) -> object:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        preferences = document.Root.get("/ViewerPreferences", {})
        return str(preferences.get("/Direction")) if "/Direction" in preferences else None


def test_the_reading_pdf_of_a_right_to_left_booklet_reads_right_to_left(
    rtl_booklet: bytes,
) -> None:
    assert direction(rtl_booklet) == "/R2L"


@pytest.mark.parametrize("n", [4, 8, 28, 64])
def test_right_to_left_order_mirrors_each_sheet_side(n: int) -> None:
    order = saddle_stitch_order(n, right_to_left=True)
    assert order == [(right, left) for left, right in saddle_stitch_order(n)]
    assert sorted(page for pair in order for page in pair) == list(range(1, n + 1))
    # flipped on the short edge, behind the front's left page is the back's right page
    for front, back in zip(order[::2], order[1::2], strict=True):
        assert back == (front[1] - 1, front[0] + 1)


def test_eight_pages_right_to_left() -> None:
    assert saddle_stitch_order(8, right_to_left=True) == [(1, 8), (7, 2), (3, 6), (5, 4)]


def test_right_to_left_booklet_pages_are_mirrored_sheet_by_sheet(
    rtl_booklet: bytes, rtl_sheets: list[PageObject]
) -> None:
    source = pages_of(rtl_booklet)
    n = len(source)
    assert len(rtl_sheets) == n // 2
    expected = [(1, n), (n - 1, 2), (3, n - 2), (n - 3, 4)]
    assert saddle_stitch_order(n, right_to_left=True)[:4] == expected
    for number, (sheet, (left, right)) in enumerate(
        zip(rtl_sheets, saddle_stitch_order(n, right_to_left=True), strict=True), start=1
    ):
        left_runs, right_runs = halves(sheet)
        assert left_runs == runs(source[left - 1]), f"sheet side {number}, left"
        assert right_runs == runs(source[right - 1]), f"sheet side {number}, right"


def test_the_cover_is_the_left_half_and_folios_follow(rtl_sheets: list[PageObject]) -> None:
    cover, back_cover = halves(rtl_sheets[0])
    assert "المساعدة والسلامة" in "".join(text for text, *_ in cover)  # the guide's title
    assert "المساعدة والسلامة" not in "".join(text for text, *_ in back_cover)
    order = saddle_stitch_order(len(rtl_sheets) * 2, right_to_left=True)
    folios = [tuple(map(page_number, halves(sheet))) for sheet in rtl_sheets]
    assert sum(folio is not None for pair in folios for folio in pair) > 10
    for side, ((left, right), (left_folio, right_folio)) in enumerate(
        zip(order, folios, strict=True)
    ):
        assert left_folio in (str(left), None), f"sheet side {side + 1}, left"
        assert right_folio in (str(right), None), f"sheet side {side + 1}, right"


def test_the_direction_can_be_given(rtl_booklet: bytes) -> None:
    """The PDF's own direction is the default; an explicit one wins (a left-to-right
    booklet imposed right to left is its mirror image, and the other way round)."""
    assert booklet_2up(rtl_booklet) == booklet_2up(rtl_booklet, right_to_left=True)
    ltr = pages_of(booklet_2up(rtl_booklet, right_to_left=False))
    source = pages_of(rtl_booklet)
    left, right = halves(ltr[0])
    assert left == runs(source[-1]) and right == runs(source[0])


def test_right_to_left_print_copies_are_reproducible(rtl_booklet: bytes) -> None:
    assert booklet_2up(rtl_booklet) == booklet_2up(rtl_booklet)
