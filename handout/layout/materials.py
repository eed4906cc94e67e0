"""The materials this tool makes: their templates, paper sizes and page rules."""

from __future__ import annotations

from dataclasses import dataclass

POINTS_PER_INCH = 72


@dataclass(frozen=True)
class Material:
    id: str
    width_in: float
    height_in: float
    pages: int | None = None
    """Exact page count, when the material has one (cards, flyer)."""
    pages_multiple_of: int | None = None
    """The page count must be a multiple of this (saddle-stitched booklets: 4)."""
    fit_parts: tuple[str, ...] = ()
    """Parts whose type may shrink to fit (template ids `part-NAME`; "page": all of it)."""
    min_type_pt: float = 7.0
    """The smallest legible type of this material; auto-fit never goes below it."""
    primary_pages: tuple[int, ...] = ()
    """Pages (from 1) that lead with one primary number (`data-role="primary"`)."""
    primary_min_pt: float = 0.0
    """The smallest the primary number may be printed."""
    hyphenation: bool = False
    """Whether words may be broken by automatic hyphenation (the booklet's body text)."""
    min_fill: float = 0.0
    """Pages (other than `data-fill="free"` ones) must be filled at least this share."""
    safe_zone_in: float = 0.0
    """How far inside the trim every mark must stay (a cut a little off takes nothing)."""
    one_number_size: bool = False
    """Every number but the primary one printed at one size (the cards' grid)."""
    like: str | None = None
    """The material whose content this one prints, in a layout of its own (the large-print
    booklet prints the booklet's): composed, imposed and checked for words like it."""
    min_line_spacing: float = 0.0
    """Running text (type below `display_pt`) is set at least this many times its size
    apart, line to line (large print: 1.5)."""
    display_pt: float = 0.0
    """Type at this size or larger (headings, the primary number) may be set tighter."""
    flush_start: bool = False
    """No text justified or centred: every line starts at the same edge (large print)."""

    @property
    def kind(self) -> str:
        """The material this one composes like: `like`, or itself."""
        return self.like or self.id

    @property
    def template(self) -> str:
        return f"{self.id}.html"

    @property
    def spare_pages(self) -> int:
        """The blank pages a first layout carries, so that padding to a multiple of
        `pages_multiple_of` never needs another (see `Renderer.pad`)."""
        return self.pages_multiple_of - 1 if self.pages_multiple_of else 0

    @property
    def size_pt(self) -> tuple[float, float]:
        return self.width_in * POINTS_PER_INCH, self.height_in * POINTS_PER_INCH


MATERIALS: dict[str, Material] = {
    material.id: material
    for material in (
        Material(
            "pocket-card",
            3.5,
            2.0,
            pages=2,
            fit_parts=("front", "back"),
            min_type_pt=8.0,
            primary_pages=(1,),  # the back is one grid: no number leads it
            primary_min_pt=14.0,
            safe_zone_in=0.15,
            one_number_size=True,
        ),
        Material(
            "discreet-card",
            3.5,
            2.0,
            pages=2,
            fit_parts=("back",),  # the front: the same face in every language, never shrunk
            min_type_pt=8.0,
            primary_pages=(2,),
            primary_min_pt=14.0,
            safe_zone_in=0.15,
            one_number_size=True,
        ),
        Material(
            "flyer",
            8.5,
            11.0,
            pages=1,
            fit_parts=("page",),
            min_type_pt=10.0,
            primary_pages=(1,),
            primary_min_pt=40.0,
            safe_zone_in=0.15,
        ),
        Material(
            "booklet",
            5.5,
            8.5,
            pages_multiple_of=4,
            min_type_pt=9.0,
            hyphenation=True,
            min_fill=0.3,
        ),
        # Large print (UKAAF / RNIB clear print): US Letter, no type below 16 pt, running
        # text 1.5 times its size apart, flush with its starting edge, never hyphenated.
        Material(
            "large-print-booklet",
            8.5,
            11.0,
            pages_multiple_of=4,
            min_type_pt=16.0,
            min_fill=0.3,
            like="booklet",
            min_line_spacing=1.5,
            display_pt=24.0,
            flush_start=True,
        ),
        Material(
            "large-print-flyer",
            8.5,
            11.0,
            pages=2,  # the numbers on the front, what the help is on the back
            fit_parts=("front", "back"),
            min_type_pt=16.0,
            primary_pages=(1,),
            primary_min_pt=40.0,
            safe_zone_in=0.15,
            like="flyer",
            min_line_spacing=1.5,
            display_pt=24.0,
            flush_start=True,
        ),
    )
}

EDITIONS: dict[str, str] = {"phone": "index.html", "text-message": "text-message.txt"}
"""The editions that are not PDFs (`handout.build.editions`), each a name `--material` takes,
and the name of its file in `output/<region>/<lang>/`."""
