"""Imposition: the rendered materials laid out on the sheets a printer takes.

The materials are rendered at their finished size, which no office printer feeds. This
module places them on ordinary paper, ready for the two ways people actually print them:

- Pocket and discreet cards, 10 to a US Letter (or A4) sheet. Print them on Avery 5371 /
  8371 perforated business-card sheets, whose grid `AVERY_5371` follows exactly, and tear
  them apart; or print on plain card stock with crop marks and cut along the marks. Print
  duplex, flipped on the LONG edge: the backs are placed so that each one lands behind its
  own front.
- Booklets, two pages side by side on landscape US Letter (the large-print booklet's
  letter pages on 11 × 17 in tabloid), in saddle-stitch order. Print
  duplex, flipped on the SHORT edge, fold the stack in half and staple it on the fold. A
  right-to-left booklet (Arabic, Hebrew...) is bound on the right: its sheets are mirrored.

Pages are placed with pikepdf, keeping the cards' and pages' vector text and fonts as they
are: nothing is rasterised and no PDF syntax is written by hand. Each page is turned once into
a Form XObject, which a sheet then draws as often as it is needed (a card's front ten times),
so a sheet costs little more than the pages on it. Every function takes PDF bytes and returns
PDF bytes, so the build, the command line and the tests can share them; the same bytes in
give the same bytes out, in any process, for reproducible print files.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, replace
from functools import cache

import pikepdf
from pikepdf import Array, Name, Page, Pdf, Rectangle

from handout.content.errors import UserError
from handout.layout.materials import MATERIALS

SIZE_TOLERANCE_PT = 0.5
"""How far a page may be from its expected size (rounding in the PDF writer)."""

CARD_SIZE = MATERIALS["pocket-card"].size_pt
BOOKLET_PAGE_SIZE = MATERIALS["booklet"].size_pt
LETTER = (612.0, 792.0)
A4 = (595.28, 841.89)

MARK_LENGTH = 9.0
MARK_GAP = 3.0
"""Crop marks stop this far short of the cards, so a cut a little off the line leaves no
piece of a mark on a card."""
MARK_WIDTH = 0.25

Line = tuple[float, float, float, float]
"""A straight line from (x1, y1) to (x2, y2), in PDF points (origin at the lower left)."""


class ImpositionError(UserError, ValueError):
    """The PDF given cannot be imposed (wrong page count or size): the user picked the
    wrong file or material. A ValueError for callers of the functions, a UserError so the
    command line prints it without a traceback."""


@dataclass(frozen=True)
class Rect:
    """A rectangle in PDF points: (x, y) is its lower-left corner."""

    x: float
    y: float
    width: float
    height: float

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.width, self.height)


@dataclass(frozen=True)
class SheetLayout:
    """A grid of equal cards on a sheet, without gaps, as on perforated card stock."""

    paper_size: tuple[float, float]
    """Width and height of the sheet, in points."""
    columns: int
    rows: int
    card_size: tuple[float, float]
    """Width and height of one card, in points."""
    left_margin: float
    """From the sheet's left edge to the grid, in points."""
    top_margin: float
    """From the sheet's top edge to the grid, in points."""

    def slot(self, row: int, column: int) -> Rect:
        """Where the card of this slot goes on the front of the sheet; row 0 is the top."""
        width, height = self.card_size
        top = self.paper_size[1] - self.top_margin
        return Rect(self.left_margin + column * width, top - (row + 1) * height, width, height)

    def mirrored(self) -> SheetLayout:
        """The layout as the back of the sheet sees it: flipping the sheet on its long edge
        swaps left and right, so the left margin becomes the right one."""
        right_margin = self.paper_size[0] - self.left_margin - self.columns * self.card_size[0]
        return replace(self, left_margin=right_margin)

    def back_slot(self, row: int, column: int) -> Rect:
        """Where the back of the card in slot (row, column) goes on the back of the sheet:
        the mirrored column of the same row, so that it lines up behind its front."""
        return self.mirrored().slot(row, self.columns - 1 - column)

    def slots(self) -> list[tuple[int, int]]:
        """Every (row, column) of the grid, from the top left, row by row."""
        return [(row, column) for row in range(self.rows) for column in range(self.columns)]

    def grid(self) -> Rect:
        """The whole grid of cards: where the cutting happens."""
        width, height = self.card_size
        last = self.slot(self.rows - 1, 0)
        return Rect(last.x, last.y, self.columns * width, self.rows * height)


def centred(
    paper_size: tuple[float, float], columns: int, rows: int, card_size: tuple[float, float]
) -> SheetLayout:
    """A layout whose grid sits in the middle of the sheet: plain stock has no preset grid,
    and equal margins leave room for crop marks on every side."""
    left = (paper_size[0] - columns * card_size[0]) / 2
    top = (paper_size[1] - rows * card_size[1]) / 2
    return SheetLayout(paper_size, columns, rows, card_size, left, top)


AVERY_5371 = SheetLayout(LETTER, 2, 5, CARD_SIZE, left_margin=54.0, top_margin=36.0)
"""Avery 5371 / 8371 business cards: US Letter, 2 × 5 cards, 0.75 in sides, 0.5 in top."""

A4_CARDS = centred(A4, 2, 5, CARD_SIZE)
"""The same 2 × 5 cards, centred on A4, for plain card stock cut along crop marks."""


def card_sheet(
    card_pdf: bytes,
    layout: SheetLayout = AVERY_5371,
    offset: tuple[float, float] = (0, 0),
    crop_marks: bool = False,
) -> bytes:
    """A 2-page sheet of cards: the front in every slot, then the back in every slot.

    `offset` (x, y in points; right and up are positive) shifts everything, for printers
    that do not print where they are told. On the back page x is mirrored: seen from the
    back of a sheet flipped on its long edge, the front's right is on the left, and the backs
    must follow their fronts.

    With `crop_marks`, both sides get marks, each around its own grid: besides guiding the
    cut, held to the light they show whether the printer keeps front and back in register.
    """
    sheets = _Sheets()
    front, back = sheets.forms(_card_pdf(card_pdf, layout.card_size))
    dx, dy = offset
    fronts = [layout.slot(row, column) for row, column in layout.slots()]
    backs = [layout.back_slot(row, column) for row, column in layout.slots()]
    front_marks = _marks_form(sheets, layout) if crop_marks else None
    back_marks = _marks_form(sheets, layout.mirrored()) if crop_marks else None
    _add_side(sheets, layout.paper_size, front, fronts, (dx, dy), front_marks)
    _add_side(sheets, layout.paper_size, back, backs, (-dx, dy), back_marks)
    return sheets.written()


def crop_mark_lines(layout: SheetLayout) -> list[Line]:
    """Short cut marks in the margins, in line with every edge of the grid's cards.

    They start `MARK_GAP` away from the grid and never cross it, so none is printed on a
    card; in a narrow margin they are shortened to fit (or left out).
    """
    grid = layout.grid()
    width, height = layout.paper_size
    card_width, card_height = layout.card_size
    xs = [grid.x + column * card_width for column in range(layout.columns + 1)]
    ys = [grid.y + row * card_height for row in range(layout.rows + 1)]
    below = _mark_span(grid.y, toward=0.0)
    above = _mark_span(grid.y + grid.height, toward=height)
    left = _mark_span(grid.x, toward=0.0)
    right = _mark_span(grid.x + grid.width, toward=width)
    vertical = [(x, span[0], x, span[1]) for x in xs for span in (below, above) if span]
    horizontal = [(span[0], y, span[1], y) for y in ys for span in (left, right) if span]
    return vertical + horizontal


def saddle_stitch_order(n: int, right_to_left: bool = False) -> list[tuple[int, int]]:
    """The (left, right) page numbers (from 1) of each side of each sheet of a booklet of
    `n` pages: sheet sides in print order, so that the stack, printed duplex flipped on the
    short edge and folded, reads 1 to n. For 8 pages: 8|1, 2|7, 6|3, 4|5.

    A right-to-left booklet opens the other way: its spine is on the right of the cover,
    so each sheet side is mirrored and the two halves swap: 1|8, 7|2, 3|6, 5|4. Checked by
    hand: the cover (page 1) is then the left half of the first sheet's front, the fold on
    its right; flipping on the short edge mirrors left and right, so behind it, on the right
    half of the back, is page 2, the first page seen when the cover is turned (to the
    right); page 3 faces it on the left, the left half of the next sheet's front (3|6). In
    both directions what is behind the front's left page is the back's right page."""
    if n <= 0 or n % 4:
        raise ImpositionError(
            f"a saddle-stitched booklet needs a multiple of 4 pages, not {n}"
            + (f"; add {-n % 4} blank pages before the back cover" if n > 0 else "")
        )
    order = [(n - k, k + 1) if k % 2 == 0 else (k + 1, n - k) for k in range(n // 2)]
    return [(right, left) for left, right in order] if right_to_left else order


def booklet_2up(
    booklet_pdf: bytes,
    right_to_left: bool | None = None,
    page_size: tuple[float, float] = BOOKLET_PAGE_SIZE,
) -> bytes:
    """Landscape sheet sides holding two booklet pages each, in saddle-stitch order (see
    `saddle_stitch_order`), mirrored for a booklet bound on the right: US Letter for the
    booklet's half-letter pages, 11 × 17 in (tabloid) for the large-print booklet's
    letter pages (`page_size`). By default the booklet's own PDF says which way it reads:
    `/ViewerPreferences << /Direction /R2L >>`, which the renderer writes for a
    right-to-left language (`handout.render.direction`)."""
    booklet = _opened(booklet_pdf, "booklet", page_size)
    if right_to_left is None:
        right_to_left = reads_right_to_left(booklet)
    order = saddle_stitch_order(len(booklet.pages), right_to_left)
    width, height = page_size
    sheets = _Sheets()
    pages = sheets.forms(booklet)
    for left, right in order:
        sheets.add_side(
            (2 * width, height), [(pages[left - 1], 0.0, 0.0), (pages[right - 1], width, 0.0)]
        )
    return sheets.written()


def reads_right_to_left(pdf: Pdf) -> bool:
    """Whether the PDF asks to be read (and bound) right to left (PDF 32000 12.2)."""
    preferences = pdf.Root.get(Name.ViewerPreferences)
    return preferences is not None and preferences.get(Name.Direction) == Name.R2L


def _card_pdf(card_pdf: bytes, card_size: tuple[float, float]) -> Pdf:
    cards = _opened(card_pdf, "card", card_size)
    if len(cards.pages) != 2:
        raise ImpositionError(
            f"a card PDF has 2 pages (front and back), this one has {len(cards.pages)}; "
            "impose a pocket card or a discreet card"
        )
    return cards


def _opened(pdf: bytes, what: str, size: tuple[float, float]) -> Pdf:
    """`pdf` opened, its pages all checked to be `size` (the material's finished size)."""
    stream = io.BytesIO(pdf)
    try:
        opened = Pdf.open(stream)
        pages = list(opened.pages)
    except (pikepdf.PdfError, ValueError, OSError) as error:
        # qpdf names the input after the stream, whose repr holds a memory address
        reason = str(error).removeprefix(f"stream {stream}: ")
        raise ImpositionError(f"the {what} is not a readable PDF ({reason})") from error
    for number, page in enumerate(pages, start=1):
        box = Rectangle(page.cropbox)
        actual = (box.width, box.height)
        if not _same_size(actual, size):
            raise ImpositionError(
                f"page {number} of the {what} is {_inches(actual)}, "
                f"not the {_inches(size)} of a {what} page"
            )
    return opened


def _same_size(actual: tuple[float, float], expected: tuple[float, float]) -> bool:
    return all(abs(a - e) <= SIZE_TOLERANCE_PT for a, e in zip(actual, expected, strict=True))


def _inches(size: tuple[float, float]) -> str:
    width, height = size
    return f"{width / 72:.2f} × {height / 72:.2f} in"


def _add_side(
    sheets: _Sheets,
    paper_size: tuple[float, float],
    card: _Form,
    rects: list[Rect],
    offset: tuple[float, float],
    marks: _Form | None,
) -> None:
    """One side of a card sheet: the marks (if any) first, the cards over them."""
    dx, dy = offset
    placed = [] if marks is None else [(marks, float(dx), float(dy))]
    placed += [(card, rect.x + dx, rect.y + dy) for rect in rects]
    sheets.add_side(paper_size, placed)


@dataclass(frozen=True, eq=False)
class _Form:
    """A page turned into a Form XObject of the PDF being imposed, to be placed on sheets."""

    xobject: pikepdf.Stream
    box: Rectangle
    """The page's crop box: what of the page is shown (the Form XObject's bounding box)."""
    annotations: tuple[pikepdf.Dictionary, ...]
    """The page's annotations (its links), to copy, moved, wherever the page is placed."""


class _Sheets:
    """The PDF being imposed: sheet sides, each showing pages of other PDFs.

    Each page is converted once into a Form XObject, however many times it is placed: a
    placement adds to the sheet's content stream only the few operators that draw it.
    """

    def __init__(self) -> None:
        self.pdf = pikepdf.new()
        self._sources: list[Pdf] = []
        """The PDFs the forms come from: their pages' content is only read when saving."""

    def forms(self, source: Pdf) -> list[_Form]:
        """Every page of `source`, as a form to place."""
        self._sources.append(source)
        return [self._form(source, page) for page in source.pages]

    def _form(self, source: Pdf, page: Page) -> _Form:
        box = Rectangle(page.cropbox)
        xobject = page.as_form_xobject(handle_transformations=False)
        xobject.BBox = box.as_array()
        annotations = []
        for annotation in page.obj.get(Name.Annots, Array()):
            if not annotation.is_indirect:
                annotation = source.make_indirect(annotation)
            # the page it was on (with, through it, the whole source) stays behind
            for key in (Name.P, Name.Parent, Name.StructParent):
                if key in annotation:
                    del annotation[key]
            annotations.append(self.pdf.copy_foreign(annotation))
        return _Form(self.pdf.copy_foreign(xobject), box, tuple(annotations))

    def add_side(
        self, paper_size: tuple[float, float], placed: list[tuple[_Form, float, float]]
    ) -> None:
        """A new sheet side, on which each form, clipped to its box, has its lower-left
        corner at (x, y); later forms are drawn over earlier ones."""
        sheet = self.pdf.add_blank_page(page_size=paper_size)
        names: dict[_Form, Name] = {}
        drawing = []
        annotations = Array()
        for form, x, y in placed:
            if form not in names:
                name = Name(f"/Fm{len(names)}")
                names[form] = sheet.add_resource(form.xobject, Name.XObject, name)
            box = form.box
            where = Rectangle(x, y, x + box.width, y + box.height)
            drawing.append(
                sheet.calc_form_xobject_placement(
                    form.xobject, names[form], where, allow_shrink=False, allow_expand=False
                )
            )
            for annotation in form.annotations:
                annotations.append(self._moved(annotation, x - box.llx, y - box.lly, sheet))
        sheet.Contents = self.pdf.make_stream(b"".join(drawing))
        if annotations:
            sheet.Annots = annotations

    def _moved(
        self, annotation: pikepdf.Dictionary, dx: float, dy: float, sheet: Page
    ) -> pikepdf.Dictionary:
        """A copy of `annotation` (a link) on `sheet`, moved by (dx, dy)."""
        moved = copy.copy(annotation)
        x1, y1, x2, y2 = (float(value) for value in annotation.Rect)
        moved.Rect = Array([min(x1, x2) + dx, min(y1, y2) + dy, max(x1, x2) + dx, max(y1, y2) + dy])
        if Name.QuadPoints in annotation:
            points = [float(value) for value in annotation.QuadPoints]
            moved.QuadPoints = Array(
                [value + (dy if index % 2 else dx) for index, value in enumerate(points)]
            )
        moved.P = sheet.obj
        return self.pdf.make_indirect(moved)

    def written(self) -> bytes:
        """The PDF, the same bytes for the same sheets in any process: the file ID is a hash
        of the content and nothing records the time."""
        version = max([self.pdf.pdf_version, *(pdf.pdf_version for pdf in self._sources)])
        out = io.BytesIO()
        self.pdf.save(out, min_version=version, deterministic_id=True)
        return out.getvalue()


def _mark_span(edge: float, toward: float) -> tuple[float, float] | None:
    """From where to where a mark runs, going from a grid edge toward the sheet's edge;
    None when the margin is too narrow for any mark."""
    room = abs(toward - edge) - MARK_GAP
    if room <= 0:
        return None
    step = 1.0 if toward > edge else -1.0
    start = edge + step * MARK_GAP
    return start, start + step * min(MARK_LENGTH, room)


def _marks_form(sheets: _Sheets, layout: SheetLayout) -> _Form:
    [marks] = sheets.forms(Pdf.open(io.BytesIO(_marks_pdf(layout))))
    return marks


@cache
def _marks_pdf(layout: SheetLayout) -> bytes:
    """The crop marks alone, as a sheet-sized page drawn by WeasyPrint from inline SVG.

    WeasyPrint is imported here, not at the top, so that imposing without marks stays light;
    the HTML refers to nothing (no URL, no font), so rendering it is fast and hermetic, and
    a layout's marks are drawn once per run.
    """
    import weasyprint
    from weasyprint.urls import URLFetcher

    html = _marks_html(layout.paper_size, crop_mark_lines(layout))
    refuse_all = URLFetcher(allowed_protocols=(), fail_on_errors=True)
    return weasyprint.HTML(string=html, url_fetcher=refuse_all).write_pdf()


def _marks_html(paper_size: tuple[float, float], lines: list[Line]) -> str:
    """A page of exactly the paper's size with the lines in it; SVG's y runs down."""
    width, height = paper_size
    drawn = "".join(
        f'<line x1="{x1}" y1="{height - y1}" x2="{x2}" y2="{height - y2}"/>'
        for x1, y1, x2, y2 in lines
    )
    return (
        f"<style>@page {{ size: {width}pt {height}pt; margin: 0 }}"
        "svg { position: absolute; top: 0; left: 0 }</style>"
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
        f'viewBox="0 0 {width} {height}">'
        f'<g stroke="black" stroke-width="{MARK_WIDTH}" fill="none">{drawn}</g></svg>'
    )
