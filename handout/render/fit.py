"""What auto-fit needs to know of a laid-out card or flyer: whether it overflows (onto an
extra page, or down into the safe zone of a face of fixed height), which part to shrink,
and whether that part fits now. The shrinking itself is `Renderer.fit`."""

from __future__ import annotations

import weasyprint
from weasyprint.formatting_structure.boxes import MarginBox, TextBox

from handout.layout.materials import Material
from handout.render.checks import overflowing_part
from handout.render.measure import walk_boxes

MIN_SCALE = 0.3
"""Scale at which every size reaches its floor (the CSS keeps `max(min pt, ...)`)."""
BISECTION_STEPS = 6
"""Six halvings of 0.3..1 find the largest fitting scale within about 1%."""


def overflows(material: Material, document: weasyprint.Document) -> bool:
    return len(document.pages) > material.pages or bool(crowded_pages(material, document))


def crowded_pages(material: Material, document: weasyprint.Document) -> list[int]:
    """Pages whose text runs down into the safe zone: a face of fixed height that is too
    full spills over its own bottom margin, not onto another page."""
    if not material.safe_zone_in:
        return []
    crowded = []
    for number, page in enumerate(document.pages, start=1):
        bottoms = [
            box.position_y + box.height
            for child in page._page_box.children
            if not isinstance(child, MarginBox)
            for box in walk_boxes(child, skip_transformed=True)
            if isinstance(box, TextBox) and box.text.strip()
        ]
        if bottoms and (page.height - max(bottoms)) * 0.75 < material.safe_zone_in * 72 - 0.05:
            crowded.append(number)
    return crowded


def fit_part(material: Material, document: weasyprint.Document) -> str | None:
    """The part to shrink: the overflowing one (onto another page, or into the safe zone
    of its own), or the whole page for one-part materials."""
    parts = _shrinkable(material, part_pages(document))
    if len(document.pages) > material.pages:
        part = overflowing_part(parts, material.pages)
    else:
        page = crowded_pages(material, document)[0]
        part = overflowing_part(parts, page)
    if part in material.fit_parts:
        return part
    return "page" if "page" in material.fit_parts else None


def part_fits(material: Material, document: weasyprint.Document, part: str) -> bool:
    if len(document.pages) > material.pages:
        parts = _shrinkable(material, part_pages(document))
        return part != "page" and overflowing_part(parts, material.pages) != part
    crowded = crowded_pages(material, document)
    if not crowded:
        return True
    parts = _shrinkable(material, part_pages(document))
    return part != "page" and all(overflowing_part(parts, page) != part for page in crowded)


def _shrinkable(material: Material, parts: dict[str, int]) -> dict[str, int]:
    """The parts auto-fit may shrink, of all those on the pages: a face that may shrink
    (the large-print flyer's front) holds parts of its own (its headline, its numbers)."""
    if "page" in material.fit_parts:
        return parts
    return {name: page for name, page in parts.items() if name in material.fit_parts}


def part_pages(document: weasyprint.Document) -> dict[str, int]:
    """Page number (from 1) on which each `id="part-..."` element starts."""
    parts: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            if anchor.startswith("part-"):
                parts.setdefault(anchor.removeprefix("part-"), number)
    return parts


def element_box(root: object, element_id: str) -> object | None:
    for box in root.descendants():
        element = getattr(box, "element", None)
        if element is not None and element.get("id") == element_id:
            return box
    return None
