"""Imposition of the real cards and booklet, read back from the PDFs it writes.

Where a card landed is found from where its text is: a text's position on the sheet minus
its position on the card is the card's lower-left corner. Crop marks are found by following
the drawing operators of the page. Both follow the page into the form XObjects it draws
(each card is one, drawn ten times), so positions are always on the page.
"""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ContentStream

from handout.build.options import BuildOptions
from handout.build.pipeline import build
from handout.content.errors import UserError
from handout.layout.materials import MATERIALS
from handout.render.impose import (
    A4_CARDS,
    AVERY_5371,
    Line,
    Rect,
    SheetLayout,
    booklet_2up,
    card_sheet,
    crop_mark_lines,
    saddle_stitch_order,
)
from tests.conftest import CONTENT, ROOT, TEMPLATES

AVERY_XS = {54.0, 306.0}
AVERY_YS = {36.0, 180.0, 324.0, 468.0, 612.0}
AVERY_CORNERS = {(x, y) for x in AVERY_XS for y in AVERY_YS}
CARD_WIDTH = 252.0
POCKET_FRONT = "Free help, "  # its last two words are kept together in a span of their own
POCKET_BACK = "Help near New Milford"

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)
Run = tuple[str, float, float]


def pages_of(pdf: bytes) -> list[PageObject]:
    return list(PdfReader(io.BytesIO(pdf)).pages)


def size_of(page: PageObject) -> tuple[float, float]:
    return float(page.mediabox.width), float(page.mediabox.height)


def multiply(first: Matrix, then: Matrix) -> Matrix:
    """The transformation `first` followed by `then` (PDF's row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def runs(page: PageObject, left: float = 0.0) -> list[Run]:
    """Every run of text on the page, with where it starts in PDF points, x measured from
    `left`.

    pypdf reads the text of a form XObject in the form's own space: `forms` keeps where
    each form being read was drawn (the CTM at its `Do`; the forms here have no /Matrix),
    entered on the form's first operator and left at its `Do`'s end, so that text pypdf
    reports at the `Do` itself, before going into the form, stays in the outer space.
    """
    found: list[Run] = []
    forms: list[Matrix] = [IDENTITY]
    entering: list[Matrix] = []

    def before(operator: bytes, _operands: list, cm: list, _tm: list) -> None:
        if entering:
            forms.append(entering.pop())
        if operator == b"Do":
            entering.append(multiply(tuple(cm), forms[-1]))

    def after(operator: bytes, _operands: list, _cm: list, _tm: list) -> None:
        if operator != b"Do":
            return
        if entering:  # nothing was read inside: an image, or a form without operators
            entering.pop()
        else:
            forms.pop()

    def visit(text: str, cm: list, tm: list, _font: object, _size: object) -> None:
        if text.strip():
            *_, x, y = multiply(multiply(tuple(tm), tuple(cm)), forms[-1])
            found.append((text, round(x - left, 2), round(y, 2)))

    page.extract_text(
        visitor_operand_before=before, visitor_operand_after=after, visitor_text=visit
    )
    return found


def starts(page: PageObject, text: str) -> list[tuple[float, float]]:
    return [(x, y) for run, x, y in runs(page) if run.startswith(text)]


def card_corners(sheet: PageObject, card: PageObject, text: str) -> list[tuple[float, float]]:
    """The lower-left corner of every copy of `card` on `sheet`, found by one of its texts."""
    [(on_card_x, on_card_y)] = starts(card, text)
    return [(round(x - on_card_x, 2), round(y - on_card_y, 2)) for x, y in starts(sheet, text)]


def stroked_lines(page: PageObject) -> list[Line]:
    """The straight segments the page strokes, in PDF points, each from left or bottom."""
    return drawn_lines(page.get_contents(), page["/Resources"], IDENTITY, page.pdf)


def drawn_lines(content: ContentStream | None, resources: Any, ctm: Matrix, pdf: Any) -> list[Line]:
    """The straight segments stroked by `content` (a page's or a form's), drawn at `ctm`,
    with those of the form XObjects it draws."""
    saved: list[Matrix] = []
    path: list[tuple[str, float, float]] = []
    lines: list[Line] = []
    for operands, operator in content.operations if content is not None else []:
        if operator == b"q":
            saved.append(ctm)
        elif operator == b"Q":
            ctm = saved.pop()
        elif operator == b"cm":
            ctm = multiply(tuple(float(value) for value in operands), ctm)
        elif operator == b"Do":
            xobject = resources["/XObject"][operands[0]].get_object()
            if xobject["/Subtype"] == "/Form":
                matrix = tuple(float(value) for value in xobject.get("/Matrix", IDENTITY))
                inner = xobject.get("/Resources", resources).get_object()
                form = ContentStream(xobject, pdf)
                lines += drawn_lines(form, inner, multiply(matrix, ctm), pdf)
        elif operator in (b"m", b"l"):
            *_, x, y = multiply((1, 0, 0, 1, *map(float, operands)), ctm)
            path.append((operator.decode(), x, y))
        elif operator in (b"S", b"s", b"f", b"f*", b"F", b"B", b"B*", b"b", b"b*", b"n"):
            if operator == b"S":
                lines += segments(path)
            path = []
    return lines


def segments(path: list[tuple[str, float, float]]) -> list[Line]:
    found = []
    for (_, x1, y1), (operator, x2, y2) in itertools.pairwise(path):
        if operator == "l":
            found.append(normalized((x1, y1, x2, y2)))
    return found


def normalized(line: Line) -> Line:
    x1, y1, x2, y2 = (round(value, 2) for value in line)
    return (x1, y1, x2, y2) if (x1, y1) <= (x2, y2) else (x2, y2, x1, y1)


def overlaps(line: Line, rect: Rect, half_width: float) -> bool:
    """Does the stroked line (a thin rectangle) share any area with `rect`?"""
    x1, y1, x2, y2 = line
    left, right = min(x1, x2) - half_width, max(x1, x2) + half_width
    bottom, top = min(y1, y2) - half_width, max(y1, y2) + half_width
    return (
        left < rect.x + rect.width
        and right > rect.x
        and bottom < rect.y + rect.height
        and top > rect.y
    )


def pdf_of(pages: list[PageObject]) -> bytes:
    writer = PdfWriter()
    for page in pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def new_milford(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The New Milford materials in English, like the session fixture `built`, but built
    alone: a few seconds instead of the whole matrix, and a broken variant elsewhere (another
    region or language) does not hide what imposition does."""
    out = tmp_path_factory.mktemp("new-milford")
    build(
        BuildOptions(CONTENT, TEMPLATES, out, regions=("new-milford",), languages=("en",)),
        report=lambda _: None,
    )
    return {material: out / "new-milford" / "en" / f"{material}.pdf" for material in MATERIALS}


@pytest.fixture(scope="module")
def pocket(new_milford: dict[str, Path]) -> bytes:
    return new_milford["pocket-card"].read_bytes()


@pytest.fixture(scope="module")
def discreet(new_milford: dict[str, Path]) -> bytes:
    return new_milford["discreet-card"].read_bytes()


@pytest.fixture(scope="module")
def booklet(new_milford: dict[str, Path]) -> bytes:
    return new_milford["booklet"].read_bytes()


@pytest.fixture(scope="module")
def avery_sheet(pocket: bytes) -> list[PageObject]:
    return pages_of(card_sheet(pocket))


# The layouts


def test_avery_slots_are_the_avery_5371_grid() -> None:
    assert AVERY_5371.slot(0, 0) == Rect(54, 612, 252, 144)
    assert AVERY_5371.slot(4, 1) == Rect(306, 36, 252, 144)
    corners = {(AVERY_5371.slot(*at).x, AVERY_5371.slot(*at).y) for at in AVERY_5371.slots()}
    assert corners == AVERY_CORNERS
    assert AVERY_5371.grid() == Rect(54, 36, 504, 720)


@pytest.mark.parametrize("layout", [AVERY_5371, A4_CARDS], ids=["avery", "a4"])
def test_a_back_goes_in_the_mirrored_column_of_the_same_row(layout: SheetLayout) -> None:
    for row, column in layout.slots():
        assert layout.back_slot(row, column) == layout.slot(row, layout.columns - 1 - column)


def test_a4_grid_is_centred() -> None:
    width, height = A4_CARDS.paper_size
    grid = A4_CARDS.grid()
    assert (width, height) == (595.28, 841.89)
    assert abs(grid.x - (width - grid.x - grid.width)) < 0.5
    assert abs(grid.y - (height - grid.y - grid.height)) < 0.5


# Card sheets


def test_card_sheet_is_two_letter_pages(avery_sheet: list[PageObject]) -> None:
    assert [size_of(page) for page in avery_sheet] == [(612, 792), (612, 792)]


def test_fronts_and_backs_fill_the_avery_grid(avery_sheet: list[PageObject], pocket: bytes) -> None:
    front, back = pages_of(pocket)
    fronts = card_corners(avery_sheet[0], front, POCKET_FRONT)
    backs = card_corners(avery_sheet[1], back, POCKET_BACK)
    assert len(fronts) == len(backs) == 10
    assert set(fronts) == set(backs) == AVERY_CORNERS


def test_each_side_shows_only_its_own_face(avery_sheet: list[PageObject]) -> None:
    assert not starts(avery_sheet[0], POCKET_BACK)
    assert not starts(avery_sheet[1], POCKET_FRONT)


def test_offset_moves_the_front_by_x_y_and_the_back_by_minus_x_y(discreet: bytes) -> None:
    front, back = pages_of(discreet)
    sheet = pages_of(card_sheet(discreet, offset=(5, -3)))
    fronts = card_corners(sheet[0], front, "Appointment reminder")
    backs = card_corners(sheet[1], back, "Contacts")
    assert set(fronts) == {(x + 5, y - 3) for x, y in AVERY_CORNERS}
    assert set(backs) == {(x - 5, y - 3) for x, y in AVERY_CORNERS}


def test_backs_land_behind_their_fronts_even_on_an_off_centre_grid(discreet: bytes) -> None:
    off_centre = SheetLayout((612, 792), 2, 5, (252, 144), left_margin=20, top_margin=36)
    front, back = pages_of(discreet)
    sheet = pages_of(card_sheet(discreet, off_centre, offset=(7, 4)))
    fronts = set(card_corners(sheet[0], front, "Appointment reminder"))
    backs = set(card_corners(sheet[1], back, "Contacts"))
    flipped_on_long_edge = {(round(612 - x - CARD_WIDTH, 2), y) for x, y in backs}
    assert flipped_on_long_edge == fronts
    assert {x for x, _ in fronts} == {27, 279}
    assert {x for x, _ in backs} == {81, 333}


def test_a4_sheet_centres_the_cards(pocket: bytes) -> None:
    sheet = pages_of(card_sheet(pocket, A4_CARDS))
    front, _ = pages_of(pocket)
    assert [size_of(page) for page in sheet] == [(595.28, 841.89)] * 2
    corners = card_corners(sheet[0], front, POCKET_FRONT)
    assert len(corners) == 10
    left = min(x for x, _ in corners)
    right = 595.28 - max(x for x, _ in corners) - CARD_WIDTH
    assert abs(left - right) < 0.5


def test_card_sheets_are_reproducible(pocket: bytes) -> None:
    assert card_sheet(pocket, crop_marks=True) == card_sheet(pocket, crop_marks=True)


def test_booklet_sheets_are_reproducible(booklet: bytes) -> None:
    assert booklet_2up(booklet) == booklet_2up(booklet)


IMPOSE_IN_A_NEW_PROCESS = """
import sys
import time
from pathlib import Path
from handout.render.impose import A4_CARDS, booklet_2up, card_sheet
time.sleep(1.1)  # a clock in the files (qpdf's is in seconds) would show
folder = Path(sys.argv[1])
pocket = (folder / "pocket.pdf").read_bytes()
(folder / "sheet.pdf").write_bytes(card_sheet(pocket, A4_CARDS, (4, 2), crop_marks=True))
(folder / "2-up.pdf").write_bytes(booklet_2up((folder / "booklet.pdf").read_bytes()))
"""


def test_imposed_pdfs_are_the_same_bytes_in_another_process(
    pocket: bytes, booklet: bytes, tmp_path: Path
) -> None:
    """Nothing of the process or the moment (clock, memory addresses, hash seed) gets into
    the PDFs."""
    sheet = card_sheet(pocket, A4_CARDS, (4, 2), crop_marks=True)
    two_up = booklet_2up(booklet)
    (tmp_path / "pocket.pdf").write_bytes(pocket)
    (tmp_path / "booklet.pdf").write_bytes(booklet)
    command = [sys.executable, "-c", IMPOSE_IN_A_NEW_PROCESS, str(tmp_path)]
    subprocess.run(command, cwd=ROOT, check=True, timeout=120)
    assert (tmp_path / "sheet.pdf").read_bytes() == sheet
    assert (tmp_path / "2-up.pdf").read_bytes() == two_up


# Crop marks


@pytest.mark.parametrize("layout", [AVERY_5371, A4_CARDS], ids=["avery", "a4"])
def test_crop_marks_stay_in_the_margins(layout: SheetLayout) -> None:
    marks = crop_mark_lines(layout)
    width, height = layout.paper_size
    assert len(marks) == 2 * (layout.columns + 1) + 2 * (layout.rows + 1)
    for mark in marks:
        assert all(0 <= x <= width for x in mark[::2]), mark
        assert all(0 <= y <= height for y in mark[1::2]), mark
        for at in layout.slots():
            assert not overlaps(mark, layout.slot(*at), half_width=0.125), (mark, at)


@pytest.mark.parametrize("layout", [AVERY_5371, A4_CARDS], ids=["avery", "a4"])
def test_crop_marks_line_up_with_the_card_edges(layout: SheetLayout) -> None:
    grid = layout.grid()
    card_width, card_height = layout.card_size
    column_edges = {round(grid.x + n * card_width, 2) for n in range(layout.columns + 1)}
    row_edges = {round(grid.y + n * card_height, 2) for n in range(layout.rows + 1)}
    marks = crop_mark_lines(layout)
    vertical = [(x1, y1, x2, y2) for x1, y1, x2, y2 in marks if x1 == x2]
    horizontal = [(x1, y1, x2, y2) for x1, y1, x2, y2 in marks if y1 == y2]
    assert {round(x1, 2) for x1, *_ in vertical} == column_edges
    assert {round(y1, 2) for _, y1, _, _ in horizontal} == row_edges
    assert len(vertical) + len(horizontal) == len(marks)


def test_crop_marks_shrink_to_fit_a_narrow_margin() -> None:
    tight = SheetLayout((612, 792), 2, 5, (252, 144), left_margin=54, top_margin=5)
    marks = crop_mark_lines(tight)
    above = [mark for mark in marks if mark[0] == mark[2] and mark[1] > 700]
    assert {(y1, y2) for _, y1, _, y2 in above} == {(790, 792)}
    no_room = SheetLayout((612, 792), 2, 5, (252, 144), left_margin=54, top_margin=2)
    assert not [mark for mark in crop_mark_lines(no_room) if mark[1] > 700 and mark[0] == mark[2]]


def added_lines(marked: PageObject, plain: PageObject) -> list[Line]:
    """The lines stroked on `marked` but not on `plain` (the cards draw rules of their own)."""
    added = Counter(stroked_lines(marked))
    added.subtract(Counter(stroked_lines(plain)))
    assert all(count >= 0 for count in added.values()), "a card line went missing"
    return sorted(added.elements())


def moved(lines: list[Line], dx: float, dy: float) -> list[Line]:
    return sorted(normalized((x1 + dx, y1 + dy, x2 + dx, y2 + dy)) for x1, y1, x2, y2 in lines)


def test_crop_marks_are_drawn_where_they_belong_and_cards_do_not_move(
    pocket: bytes, avery_sheet: list[PageObject]
) -> None:
    marked = pages_of(card_sheet(pocket, crop_marks=True))
    expected = moved(crop_mark_lines(AVERY_5371), 0, 0)
    for plain, with_marks in zip(avery_sheet, marked, strict=True):
        assert added_lines(with_marks, plain) == expected
        assert runs(with_marks) == runs(plain)


def test_crop_marks_follow_the_offset(pocket: bytes) -> None:
    plain = pages_of(card_sheet(pocket, offset=(4, 2)))
    marked = pages_of(card_sheet(pocket, offset=(4, 2), crop_marks=True))
    lines = crop_mark_lines(AVERY_5371)
    assert added_lines(marked[0], plain[0]) == moved(lines, 4, 2)
    assert added_lines(marked[1], plain[1]) == moved(lines, -4, 2)


def test_crop_marks_on_the_back_mirror_those_on_the_front(discreet: bytes) -> None:
    off_centre = SheetLayout((612, 792), 2, 5, (252, 144), left_margin=20, top_margin=36)
    plain = pages_of(card_sheet(discreet, off_centre))
    marked = pages_of(card_sheet(discreet, off_centre, crop_marks=True))
    front = added_lines(marked[0], plain[0])
    back = added_lines(marked[1], plain[1])
    assert front == moved(crop_mark_lines(off_centre), 0, 0)
    assert back == sorted(normalized((612 - x1, y1, 612 - x2, y2)) for x1, y1, x2, y2 in front)
    assert back != front


# Booklets


def test_saddle_stitch_order_of_16_pages() -> None:
    assert saddle_stitch_order(16) == [
        (16, 1),
        (2, 15),
        (14, 3),
        (4, 13),
        (12, 5),
        (6, 11),
        (10, 7),
        (8, 9),
    ]


@pytest.mark.parametrize("n", [4, 8, 28, 64])
def test_saddle_stitch_order_uses_every_page_once(n: int) -> None:
    order = saddle_stitch_order(n)
    assert len(order) == n // 2
    assert sorted(page for pair in order for page in pair) == list(range(1, n + 1))
    # flipped on the short edge, what is behind the front's right page is the back's left
    for front, back in zip(order[::2], order[1::2], strict=True):
        assert back == (front[1] + 1, front[0] - 1)


@pytest.mark.parametrize("n", [0, 6, 30])
def test_saddle_stitch_order_refuses_other_counts(n: int) -> None:
    with pytest.raises(ValueError, match="multiple of 4"):
        saddle_stitch_order(n)


@pytest.fixture(scope="module")
def booklet_sheets(booklet: bytes) -> list[PageObject]:
    return pages_of(booklet_2up(booklet))


def halves(sheet: PageObject) -> tuple[list[Run], list[Run]]:
    """The text runs of the left and right booklet pages on a sheet side."""
    left = [run for run in runs(sheet) if run[1] < 396]
    right = [run for run in runs(sheet, left=396) if run[1] >= 0]
    return left, right


def page_number(page_runs: list[Run]) -> str | None:
    """The folio printed at the bottom of a booklet page (the covers have none)."""
    numbers = [text.strip() for text, _, y in page_runs if y < 36 and text.strip().isdigit()]
    return numbers[0] if numbers else None


def test_booklet_sheets_are_landscape_letter(
    booklet: bytes, booklet_sheets: list[PageObject]
) -> None:
    pages = len(pages_of(booklet))
    assert pages % 4 == 0
    assert len(booklet_sheets) == pages // 2
    assert {size_of(sheet) for sheet in booklet_sheets} == {(792, 612)}


def test_booklet_pages_are_in_saddle_stitch_order(
    booklet: bytes, booklet_sheets: list[PageObject]
) -> None:
    source = pages_of(booklet)
    order = saddle_stitch_order(len(source))
    for number, (sheet, (left, right)) in enumerate(zip(booklet_sheets, order, strict=True)):
        left_runs, right_runs = halves(sheet)
        assert left_runs == runs(source[left - 1]), f"sheet side {number + 1}, left"
        assert right_runs == runs(source[right - 1]), f"sheet side {number + 1}, right"


def test_booklet_folios_read_in_order(booklet: bytes, booklet_sheets: list[PageObject]) -> None:
    last = len(pages_of(booklet))
    folios = [tuple(map(page_number, halves(sheet))) for sheet in booklet_sheets]
    expected = [
        tuple(None if page in (1, last) else str(page) for page in pair)
        for pair in saddle_stitch_order(last)
    ]
    numbered = max(int(folio) for pair in folios for folio in pair if folio)
    assert last - 7 <= numbered <= last - 4  # the fill-in pages and the last four are not
    assert folios == [
        tuple(folio if folio is None or int(folio) <= numbered else None for folio in pair)
        for pair in expected
    ]
    back_cover, cover = halves(booklet_sheets[0])
    assert "Help and Safety" in "".join(text for text, *_ in cover)
    assert "Help and Safety" not in "".join(text for text, *_ in back_cover)


# Wrong inputs


def test_a_one_page_card_is_refused(pocket: bytes) -> None:
    front_only = pdf_of(pages_of(pocket)[:1])
    with pytest.raises(ValueError, match=r"2 pages .*this one has 1"):
        card_sheet(front_only)


def test_a_page_of_the_wrong_size_is_refused(new_milford: dict[str, Path], pocket: bytes) -> None:
    with pytest.raises(ValueError, match=r"page 1 of the card is 8\.50 × 11\.00 in"):
        card_sheet(new_milford["flyer"].read_bytes())
    with pytest.raises(ValueError, match=r"page 1 of the booklet is 3\.50 × 2\.00 in"):
        booklet_2up(pocket)


def test_a_booklet_of_6_pages_is_refused(booklet: bytes) -> None:
    six_pages = pdf_of(pages_of(booklet)[:6])
    with pytest.raises(ValueError, match="multiple of 4 pages, not 6; add 2 blank pages"):
        booklet_2up(six_pages)


def test_what_is_not_a_pdf_is_refused_as_a_user_error() -> None:
    with pytest.raises(UserError, match="not a readable PDF"):
        card_sheet(b"")
