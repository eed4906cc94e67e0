"""Checks on a rendered material before it is written: page count and paper size.

A fixed-size card or flyer whose text runs long spills onto an extra page, so an exact
page count is also the first guard against text that does not fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from handout.materials import Material

if TYPE_CHECKING:  # render imports this module
    from handout.render import Rendered

SIZE_TOLERANCE_PT = 0.5


@dataclass
class PageMeasure:
    """What the print checks read off one laid-out page (made by `render._measure`)."""

    smallest_pt: float | None = None
    smallest_text: str = ""
    primary_pt: float | None = None
    """Size of the primary number (an element marked `data-role="primary"`), if any."""
    auto_hyphens: list[str] = field(default_factory=list)
    """Words broken by automatic hyphenation, as broken ("Збере-")."""
    hyphen_runs: list[str] = field(default_factory=list)
    """Second and later hyphenated lines in a row within one paragraph."""
    faint_rules: list[str] = field(default_factory=list)
    """Rules (borders) too thin or too pale to photocopy: element, side, width, colour."""
    filled: float = 0.0
    """Share of the page's content height the main text reaches down to."""
    lines: int = 0
    """Lines of text in the main flow."""
    content_height_pt: float = 0.0
    free: bool = False
    """The page may stay partly empty (cover, contents, fill-in pages: `data-fill="free"`)."""


def page_problems(material: Material, rendered: Rendered) -> list[str]:
    """What is wrong with the pages of `rendered`, in plain words (empty when all is well)."""
    problems = []
    if material.pages is not None and rendered.pages != material.pages:
        part = overflowing_part(rendered.part_pages, material.pages)
        where = f"the {part} part does not fit its page" if part else "some text does not fit"
        problems.append(
            f"has {rendered.pages} pages instead of {material.pages}: {where}; "
            "shorten its text or pick fewer entries"
        )
    if rendered.overflowing:
        problems.append(
            "text runs past the edge of the page: "
            + "; ".join(repr(text[:40]) for text in rendered.overflowing[:5])
            + "; shorten it or allow it to wrap"
        )
    if rendered.overlapping:
        problems.append(
            "texts are printed on top of each other: "
            + "; ".join(
                f"{first[:30]!r} and {second[:30]!r}" for first, second in rendered.overlapping[:3]
            )
            + "; check the template's stylesheet (an uncleared float, a negative margin, "
            "a fixed height too small for its text)"
        )
    multiple = material.pages_multiple_of
    if multiple and rendered.pages % multiple:
        problems.append(f"has {rendered.pages} pages, not a multiple of {multiple}")
    width, height = material.size_pt
    for number, (page_width, page_height) in enumerate(rendered.page_sizes, start=1):
        if (
            abs(page_width - width) > SIZE_TOLERANCE_PT
            or abs(page_height - height) > SIZE_TOLERANCE_PT
        ):
            problems.append(
                f"page {number} is {page_width / 72:.2f} × {page_height / 72:.2f} in, "
                f"not {material.width_in} × {material.height_in} in "
                "(check the template's @page size)"
            )
            break
    return problems


def overflowing_part(part_pages: dict[str, int], allowed_pages: int) -> str | None:
    """The part (template element `id="part-NAME"`) running past the last allowed page:
    the last part that starts on an allowed page."""
    inside = [name for name, page in part_pages.items() if page <= allowed_pages]
    return inside[-1] if inside else None


def forbidden_words_on_front(rendered: Rendered, forbidden: list[str]) -> list[str]:
    """Words on page 1 that start with a forbidden stem (the discreet card's front)."""
    words = re.findall(r"\w+", rendered.page_texts[0].casefold())
    stems = [stem.casefold() for stem in forbidden]
    return sorted({word for word in words if any(word.startswith(stem) for stem in stems)})


LETTERS = re.compile(r"[\W_]+")


def _letters(text: str) -> str:
    """Only letters and digits: hyphenation, line breaks and spacing do not count."""
    return LETTERS.sub("", text).casefold()


def missing_texts(rendered: Rendered, texts: list[str]) -> list[str]:
    """Texts that should be printed but are not in the laid-out pages: WeasyPrint drops
    what runs past a fixed-size page without a word, so this is checked for every PDF."""
    printed = _letters("".join(rendered.page_texts) + rendered.margin_text)
    return [text for text in texts if _letters(text) not in printed]


MIN_TAIL_LINES = 3
"""A page (other than a free one) with fewer lines than this holds only a block's tail."""


def print_problems(material: Material, rendered: Rendered) -> list[str]:
    """What a print designer would reject on the laid-out pages: type below the material's
    smallest size, a primary number too small or missing, automatic hyphens where words
    must not break, rules a photocopier loses, and (booklets) near-empty pages. Each names
    the page and its part, and a fix."""
    problems: list[str] = []
    text_pages = [n for n, m in enumerate(rendered.measures, start=1) if not m.free]
    last_text_page = text_pages[-1] if text_pages else 0
    for number, measure in enumerate(rendered.measures, start=1):
        where = f"page {number}{_part_name(rendered.part_pages, number)}"
        found = page_print_problems(material, measure, number, last=number == last_text_page)
        problems += [f"{where}: {problem}" for problem in found]
    return problems


def page_print_problems(
    material: Material, measure: PageMeasure, number: int, last: bool = False
) -> list[str]:
    """The print problems of one page (see `print_problems`). The `last` page of the text
    may end anywhere, so only its tail is checked, not how full it is."""
    problems = []
    css = f"templates/{material.id}.css"
    if measure.smallest_pt is not None and measure.smallest_pt < material.min_type_pt - 0.05:
        problems.append(
            f"type at {measure.smallest_pt:.1f} pt ({measure.smallest_text[:30]!r}) is below "
            f"the {material.min_type_pt:g} pt this material allows; set it to at least "
            f"{material.min_type_pt:g} pt in {css}"
        )
    if number in material.primary_pages:
        if measure.primary_pt is None:
            problems.append(
                "has no primary number; mark the line of the number that leads this face "
                'with data-role="primary" in the template (or give the face an entry with a '
                "number)"
            )
        elif measure.primary_pt < material.primary_min_pt - 0.05:
            problems.append(
                f"the primary number is {measure.primary_pt:.1f} pt, below its "
                f"{material.primary_min_pt:g} pt minimum; shorten the other texts of this "
                f"face or raise its size in {css}"
            )
    if not material.hyphenation and measure.auto_hyphens:
        problems.append(
            "words are broken by automatic hyphenation ("
            + ", ".join(repr(word) for word in measure.auto_hyphens[:3])
            + f"); set `hyphens: manual` for that text in {css}"
        )
    if material.hyphenation:
        short = [word for word in measure.auto_hyphens if len(_letters(word)) < 4]
        if short:
            problems.append(
                "a hyphenated word keeps fewer than 4 letters on a line ("
                + ", ".join(repr(word) for word in short[:3])
                + f"); raise `hyphenate-limit-chars` in {css}"
            )
        if measure.hyphen_runs:
            problems.append(
                "two hyphenated lines in a row ("
                + ", ".join(repr(word) for word in measure.hyphen_runs[:3])
                + f"); allow fewer breaks (`hyphenate-limit-chars`) in {css}"
            )
    if measure.faint_rules:
        problems.append(
            "rules a photocopy would lose (at least 0.75 pt and 3:1 against white): "
            + "; ".join(measure.faint_rules[:3])
            + f"; make them thicker or darker (e.g. 0.75pt solid #555) in {css}"
        )
    if material.min_fill and not measure.free:
        if measure.lines < MIN_TAIL_LINES:
            problems.append(
                f"holds only {measure.lines} line(s) of text, the tail of a block; keep the "
                f"block together (`break-inside: avoid`, orphans and widows) in {css}"
            )
        elif measure.filled < material.min_fill and not last:
            problems.append(
                f"is only {measure.filled:.0%} filled (at least {material.min_fill:.0%}); let "
                f"the next chapter start on this page (no forced break) in {css}"
            )
    return problems


def _part_name(part_pages: dict[str, int], number: int) -> str:
    """` (front)`: the part (template `id="part-NAME"`) this page belongs to, if any."""
    started = [name for name, page in part_pages.items() if page <= number]
    return f" ({started[-1]})" if started else ""
