"""Checks on a rendered material before it is written: page count and paper size.

A fixed-size card or flyer whose text runs long spills onto an extra page, so an exact
page count is also the first guard against text that does not fit.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from handout.materials import Material

if TYPE_CHECKING:  # render imports this module
    from handout.render import Rendered

SIZE_TOLERANCE_PT = 0.5


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
