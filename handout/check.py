"""Checks on a rendered material before it is written: page count and paper size.

A fixed-size card or flyer whose text runs long spills onto an extra page, so an exact
page count is also the first guard against text that does not fit.
"""

from __future__ import annotations

from handout.materials import Material
from handout.render import Rendered

SIZE_TOLERANCE_PT = 0.5


def page_problems(material: Material, rendered: Rendered) -> list[str]:
    """What is wrong with the pages of `rendered`, in plain words (empty when all is well)."""
    problems = []
    if material.pages is not None and rendered.pages != material.pages:
        problems.append(
            f"has {rendered.pages} pages instead of {material.pages}: "
            "some text does not fit; shorten the text or pick fewer entries"
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
