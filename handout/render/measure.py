"""What the checks read off a laid-out page (WeasyPrint's boxes), in one walk each: the
text as a reader takes it in, line by line; the smallest type and the primary number's
size; automatic hyphens; rules too thin or pale to photocopy; text past the right edge or
on top of other text. The checks themselves are in `handout.render.checks`."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import weasyprint
from weasyprint.formatting_structure.boxes import Box, LineBox, MarginBox, TextBox

from handout.layout.contrast import ratio
from handout.render.rendered import PageMeasure
from handout.render.script_checks import breaks_kinsoku


def word_lines(root: Box) -> str:
    """The text of `root` as a reader takes it in: each laid-out line on a line of its
    own, then (after a `LINES_END` line) each text box on a line of its own. Page margins
    (running footers, page numbers) are included: they are printed on the page too."""
    boxes = list(walk_boxes(root))
    lines = [
        "".join(text.text for text in walk_boxes(box) if isinstance(text, TextBox))
        for box in boxes
        if isinstance(box, LineBox)
    ]
    texts = [box.text for box in boxes if isinstance(box, TextBox)]
    return "\n".join([*lines, LINES_END, *texts])


LINES_END = "\f"
"""Between the laid-out lines and the text boxes in `word_lines` (a form feed: white space
to every reading of the words, so the two readings never run into each other)."""


def discreet_boxes(page: weasyprint.Page) -> Iterator[Box]:
    """The outermost boxes of the elements marked `data-discreet` on `page`."""

    def visit(box: Box) -> Iterator[Box]:
        element = getattr(box, "element", None)
        if (
            not isinstance(box, TextBox | LineBox)
            and element is not None
            and element.get("data-discreet") is not None
        ):
            yield box
            return
        for child in getattr(box, "children", ()):
            child = getattr(child, "_box", child)
            if isinstance(child, Box):
                yield from visit(child)

    yield from visit(page._page_box)


PX_TO_PT = 0.75
SIDES = ("top", "right", "bottom", "left")


def measure_page(page: weasyprint.Page) -> PageMeasure:
    """One walk over a laid-out page for the print checks (see `handout.render.checks`): the
    smallest type and the primary number's size (margin boxes and turned tabs included),
    automatic hyphens, rules too thin or pale to photocopy, and how far down the main text
    reaches. An element marks itself with `data-role="primary"` (the primary number) or
    `data-fill="free"` (a page that may stay partly empty: cover, contents, fill-in pages)."""
    measure = PageMeasure()
    page_box = page._page_box
    top = page_box.content_box_y()
    measure.content_height_pt = page_box.height * PX_TO_PT
    lines: list[tuple[float, Box]] = []
    bottom = top
    stack: list[tuple[Box, Roles, bool]] = [
        (child, Roles(), isinstance(child, MarginBox)) for child in page_box.children
    ]
    while stack:
        box, roles, in_margin = stack.pop()
        element = getattr(box, "element", None)
        if element is not None and getattr(element, "get", None) is not None:
            roles = roles.within(element)
            if element.get("data-fill") == "free":
                measure.free = True
        _rules(box, measure)
        if not box.style["transform"] and not roles.turned:
            _edge_distance(box, page, measure)
        if isinstance(box, TextBox) and box.text.strip():
            size = box.style["font_size"] * PX_TO_PT
            if measure.smallest_pt is None or size < measure.smallest_pt:
                measure.smallest_pt, measure.smallest_text = size, box.text.strip()
            if not in_margin:  # a page number is not running text
                _setting(box, size, measure)
            if roles.primary:
                measure.primary_pt = max(measure.primary_pt or 0.0, size)
            if roles.number:
                measure.numbers.append((round(size, 1), roles.primary, roles.unverified))
            if roles.turned and _outside(box, roles.turned):
                measure.turned_overflow.append(box.text.strip())
            if not in_margin and not box.style["transform"]:
                bottom = max(bottom, box.position_y + box.height)
        if isinstance(box, LineBox) and not in_margin:
            lines.append((box.position_y, box))
        for child in getattr(box, "children", ()):
            child = getattr(child, "_box", child)
            if isinstance(child, Box):
                stack.append((child, roles.turning(box), in_margin))
    texts = sorted((y, _line_text(line).strip()) for y, line in lines)
    measure.lines = len({round(y) for y, text in texts if text})
    measure.kinsoku_lines = [text for _y, text in texts if text and breaks_kinsoku(text)]
    measure.filled = (bottom - top) * PX_TO_PT / measure.content_height_pt
    ordered = sorted(lines, key=lambda x: x[0])
    measure.auto_hyphens, measure.hyphen_runs = _hyphens(ordered)
    if measure.auto_hyphens:
        measure.hyphenated_words = _hyphenated_words(ordered)
    return measure


def _setting(box: TextBox, size_pt: float, measure: PageMeasure) -> None:
    """Record how a text is set: its line spacing (a multiple of its size; "normal" counts
    as 1.2, about what fonts ask for) and its alignment, when not flush with its start."""
    height = box.style["line_height"]
    if height == "normal":
        spacing = 1.2
    elif isinstance(height, int | float):
        spacing = float(height)
    else:  # a length, in px like the size
        spacing = getattr(height, "value", 0.0) / box.style["font_size"]
    measure.spacings.setdefault((round(size_pt, 1), round(spacing, 2)), box.text.strip())
    align = box.style["text_align_all"]
    flush = {"start", "left" if box.style["direction"] == "ltr" else "right"}
    if align not in flush:
        measure.alignments.setdefault(align, box.text.strip())


@dataclass(frozen=True)
class Roles:
    """What the elements around a box say it is: the primary number, a number, part of an
    unconfirmed entry (`data-unverified`), inside a turned (rotated) box."""

    primary: bool = False
    number: bool = False
    unverified: bool = False
    turned: tuple[float, float] | None = None
    """Inside a turned box: its content's left and right (before turning), which the text
    must stay within (the flyer's tabs: the turned block keeps clear of the tear line)."""

    def within(self, element: object) -> Roles:
        classes = (element.get("class") or "").split()
        return replace(
            self,
            primary=self.primary or element.get("data-role") == "primary",
            number=self.number or "number" in classes,
            unverified=self.unverified or element.get("data-unverified") is not None,
        )

    def turning(self, box: Box) -> Roles:
        """The roles of a child of `box`: turned too, when `box` is turned."""
        if self.turned or not box.style["transform"]:
            return self
        left = box.content_box_x()
        return replace(self, turned=(left, left + box.width))


def _outside(box: TextBox, span: tuple[float, float], tolerance_px: float = 0.5) -> bool:
    return (
        box.position_x < span[0] - tolerance_px
        or box.position_x + box.width > span[1] + tolerance_px
    )


def _edge_distance(box: Box, page: weasyprint.Page, measure: PageMeasure) -> None:
    """How close a mark (text, or a rule a box draws) comes to the trim. Background colour
    does not count: it may run to the edge (or into the bleed)."""
    if isinstance(box, TextBox):
        if not box.text.strip():
            return
        left, right = box.position_x, box.position_x + box.width
        top, bottom = _ink(box)
    elif any(box.style[f"border_{side}_width"] for side in SIDES):
        left, top = box.border_box_x(), box.border_box_y()
        right, bottom = left + box.border_width(), top + box.border_height()
    else:
        return
    nearest = min(left, top, page.width - right, page.height - bottom) * PX_TO_PT
    if measure.nearest_edge_pt is None or nearest < measure.nearest_edge_pt:
        text = box.text.strip() if isinstance(box, TextBox) else "a rule"
        measure.nearest_edge_pt, measure.nearest_edge_text = nearest, text


def _line_text(line: Box) -> str:
    return "".join(box.text for box in walk_boxes(line) if isinstance(box, TextBox))


def _last_text(line: Box) -> TextBox | None:
    texts = [box for box in walk_boxes(line) if isinstance(box, TextBox) and box.text.strip()]
    return texts[-1] if texts else None


def _first_text(line: Box) -> TextBox | None:
    texts = [box for box in walk_boxes(line) if isinstance(box, TextBox) and box.text.strip()]
    return texts[0] if texts else None


def _hyphenated_words(lines: list[tuple[float, Box]]) -> list[str]:
    """The words automatic hyphenation broke, whole ("cleanslate-clearinghouse.org", not
    "cleanslate-clearing-"): the broken end of a line joined to the start of the next line
    of the same element."""
    words = []
    boxes = [(_last_text(line), _first_text(line)) for _y, line in lines]
    for index, (last, _first) in enumerate(boxes):
        if last is None or last.style["hyphens"] != "auto":
            continue
        fragment = last.text.rstrip().rsplit(None, 1)[-1] if last.text.strip() else ""
        hyphen = last.style["hyphenate_character"]
        whole_text = "".join(last.element.itertext()) if last.element is not None else ""
        if not fragment.endswith(hyphen) or fragment in whole_text:
            continue
        following = next(
            (
                first
                for _l, first in boxes[index + 1 :]
                if first is not None and first.element is last.element
            ),
            None,
        )
        rest = following.text.lstrip().split(None, 1)[0] if following is not None else ""
        words.append(fragment[: -len(hyphen)] + rest)
    return words


def _hyphens(lines: list[tuple[float, Box]]) -> tuple[list[str], list[str]]:
    """Lines broken inside a word by automatic hyphenation (the word as broken), and runs
    of two or more such lines in a row in one paragraph."""
    broken, runs = [], []
    previous_parent = None
    for _y, line in lines:
        box = _last_text(line)
        fragment = box.text.rstrip().rsplit(None, 1)[-1] if box else ""
        hyphen = box.style["hyphenate_character"] if box else "-"
        automatic = bool(
            box
            and box.style["hyphens"] == "auto"
            and fragment.endswith(hyphen)
            and fragment not in "".join(box.element.itertext() if box.element is not None else "")
        )
        if automatic:
            broken.append(fragment)
            parent = box.element
            if parent is not None and parent is previous_parent:
                runs.append(fragment)
            previous_parent = parent
        else:
            previous_parent = None
    return broken, runs


FAINT_RULE_RATIO = 3.0
"""A rule (border) must stand 3:1 against white to survive a black-and-white photocopy."""
THIN_RULE_PT = 0.75
"""...and be at least 0.75 pt wide: thinner lines break up or vanish on a copier."""


def _rules(box: Box, measure: PageMeasure) -> None:
    """Borders too thin or too pale to survive a photocopy."""
    style = box.style
    for side in SIDES:
        width = style[f"border_{side}_width"]
        if not width or style[f"border_{side}_style"] in ("none", "hidden"):
            continue
        colour = style[f"border_{side}_color"]
        red, green, blue, alpha = (getattr(colour, "rgba", None) or colour)[:4]
        hex_colour = "#" + "".join(
            f"{round((channel * alpha + (1 - alpha)) * 255):02x}" for channel in (red, green, blue)
        )
        width_pt = width * PX_TO_PT
        if width_pt < THIN_RULE_PT - 0.01 or ratio(hex_colour, "#ffffff") < FAINT_RULE_RATIO:
            element = getattr(box, "element", None)
            name = getattr(element, "tag", "?")
            classes = element.get("class") if element is not None else None
            where = f"{name}.{classes.replace(' ', '.')}" if classes else str(name)
            measure.faint_rules.append(f"{where} {side} {width_pt:.2f} pt {hex_colour}")


def past_right_edge(page: weasyprint.Page, tolerance_px: float = 1.0) -> list[str]:
    """Texts of the main flow that end beyond the right edge of the page's content area
    (an unbreakable number, say), which would be cut off or run into the margin."""
    page_box = page._page_box
    right = page_box.content_box_x() + page_box.width + tolerance_px
    found = []
    for child in page_box.children:
        if isinstance(child, MarginBox):
            continue
        for box in walk_boxes(child, skip_transformed=True):
            text = getattr(box, "text", None)
            if isinstance(text, str) and text.strip() and box.position_x + box.width > right:
                found.append(text.strip())
    return found


OVERLAP_INSET = 0.25
"""Share of a text's height left out at its top and its bottom before two texts count as
overlapping: the font's full height runs past the line's in tightly set lines."""
TALL_FONT_EM = 1.3
"""A font taller than this, from ascender to descender (IBM Plex Sans Arabic: 1.5 em, room
for stacked marks; Noto Sans CJK: 1.45 em), has its letters counted instead: the band from
`LETTERS_EM` above the baseline to a twentieth of an em below, where Atkinson Hyperlegible's
(1.24 em, counted whole) falls. Otherwise two lines of Arabic set 1.1 em apart would count
as overlapping though their letters are far apart."""
LETTERS_EM = 0.6
MARK_BASE_EM = 0.55
"""The height of the letter a mark's glyph is drawn over: a mark over a taller letter is
raised by the difference."""


def _ink(box: TextBox) -> tuple[float, float]:
    """Top and bottom of what a text draws: its box as laid out, or for a tall font
    (`TALL_FONT_EM`), whose box WeasyPrint also shifts by the negative leading of a tightly
    set line, what its letters and marks reach around the baseline (their glyphs' bounds
    in the font of the text's family)."""
    size = box.style["font_size"]
    if box.height <= size * TALL_FONT_EM:
        return box.position_y, box.position_y + box.height
    path = _face_path(box.style["font_family"][0])
    drawn = [c for c in set(box.text) if not c.isspace()]
    letters = [_glyph_bounds(path, c) for c in drawn if not _mark(c)]
    marks = [_glyph_bounds(path, c) for c in drawn if _mark(c)]
    top = max((high for high, _low in letters), default=0.0)
    bottom = min((low for _high, low in letters), default=0.0)
    if marks:
        top += max(0.0, max(high for high, _low in marks) - MARK_BASE_EM)
        bottom -= max(0.0, -min(low for _high, low in marks) - 0.2)
    baseline = box.position_y + box.baseline
    return baseline - size * top, baseline - size * bottom


def _mark(character: str) -> bool:
    return unicodedata.category(character) == "Mn"


@functools.cache
def _face_path(family: str) -> Path | None:
    """The regular face of a family the fonts module ships (None for another one)."""
    from handout.layout import scripts

    faces = [f for f in scripts.available_faces() if f.family == family and f.style == "normal"]
    return faces[0].path if faces else None


@functools.cache
def _glyph_bounds(path: Path | None, character: str) -> tuple[float, float]:
    """How far above and below the baseline a character's glyph reaches, in ems (a tall
    letter's if the font is not known or lacks it)."""
    if path is None:
        return INK_EM
    from fontTools.pens.boundsPen import BoundsPen

    font = _font(path)
    name = font.getBestCmap().get(ord(character))
    if name is None:
        return INK_EM
    glyphs = font.getGlyphSet()
    pen = BoundsPen(glyphs)
    glyphs[name].draw(pen)
    if pen.bounds is None:
        return (0.0, 0.0)
    em = font["head"].unitsPerEm
    return pen.bounds[3] / em, pen.bounds[1] / em


@functools.cache
def _font(path: Path):
    from fontTools.ttLib import TTFont

    return TTFont(path, lazy=True)


INK_EM = (1.0, -0.45)
"""A tall letter's reach (top, bottom) in ems, for a font or character not known."""


def overlapping_texts(page: weasyprint.Page, tolerance_px: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of texts of the main flow laid out on top of each other (a float that is not
    cleared, a negative margin, a box too short for its text), which would print as an
    unreadable smudge. Turned boxes are left out (see `walk_boxes`)."""
    spans = []
    for child in page._page_box.children:
        if isinstance(child, MarginBox):
            continue
        for box in walk_boxes(child, skip_transformed=True):
            if isinstance(box, TextBox) and box.text.strip():
                top = box.position_y + box.height * OVERLAP_INSET
                bottom = box.position_y + box.height * (1 - OVERLAP_INSET)
                size = box.style["font_size"]
                if box.height > size * TALL_FONT_EM:
                    baseline = box.position_y + box.baseline
                    top, bottom = baseline - size * LETTERS_EM, baseline + size / 20
                left, right = (
                    box.position_x + tolerance_px,
                    box.position_x + box.width - tolerance_px,
                )
                spans.append((top, bottom, left, right, box.text.strip()))
    spans.sort()
    found = []
    for index, (_top, bottom, left, right, text) in enumerate(spans):
        for other_top, _bottom, other_left, other_right, other in spans[index + 1 :]:
            if other_top >= bottom:
                break  # sorted by top: no later text reaches this one
            if other_left < right and left < other_right:
                found.append((text, other))
    return found


def walk_boxes(box: Box, skip_transformed: bool = False) -> Iterator[Box]:
    """A box and all its descendants, positioned ones (absolute, fixed) included.

    With `skip_transformed`, leave out turned or moved boxes (CSS `transform`, like the
    flyer's tear-off tabs): their layout position is not where they are printed.
    """
    if skip_transformed and box.style["transform"]:
        return
    yield box
    for child in getattr(box, "children", ()):
        child = getattr(child, "_box", child)  # a placeholder for a positioned box
        if isinstance(child, Box):
            yield from walk_boxes(child, skip_transformed)


def laid_out_text(page: weasyprint.Page) -> tuple[str, str]:
    """(main text, margin text) of a laid-out page, from WeasyPrint's box tree. Kept apart
    so a page number never lands inside a paragraph that runs on to the next page."""
    main, margins = [], []
    for child in page._page_box.children:
        target = margins if isinstance(child, MarginBox) else main
        target += [
            box.text for box in walk_boxes(child) if isinstance(getattr(box, "text", None), str)
        ]
    return "".join(main), "".join(margins)
