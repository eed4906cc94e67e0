"""Pictures of rendered pages: a small WebP image of each page, at the size the gallery
shows it. Made by the build's workers right after rendering, in parallel; the gallery
(`handout.build.gallery`) names and places them."""

from __future__ import annotations

import io
from collections.abc import Iterable

DISPLAY_PX_PER_INCH = 80
"""A thumbnail is shown at 80 CSS pixels per inch (a pocket card: 280 × 160) ..."""
DISPLAY_MAX_HEIGHT = 240
"""... but no taller than this, so that a flyer or a booklet page stays a thumbnail."""
DENSITY = 1.5
"""Image pixels per CSS pixel: sharp on most screens, small files (about 8 KiB a page)."""
WEBP = {"quality": 75, "method": 2}
"""WebP settings: method 2 encodes about 3x faster than the default 4, nearly as small."""


def display_size(page_size_pt: Iterable[float]) -> tuple[int, int]:
    """The CSS size of a page's thumbnail, from its size in points."""
    width_in, height_in = (value / 72 for value in page_size_pt)
    scale = min(DISPLAY_PX_PER_INCH, DISPLAY_MAX_HEIGHT / height_in)
    return round(width_in * scale), round(height_in * scale)


def page_thumbnails(pdf: bytes, page_size_pt: Iterable[float]) -> list[bytes]:
    """A WebP image of each page of a PDF, at the gallery's display size (ValueError if the
    PDF cannot be read). Build workers call this right after rendering, in parallel."""
    import pypdfium2

    height = display_size(page_size_pt)[1]
    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise ValueError(str(error)) from error
    images = []
    try:
        for number in range(len(document)):
            page = document[number]
            image = page.render(scale=DENSITY * height / page.get_size()[1]).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, "WEBP", **WEBP)
            images.append(buffer.getvalue())
    finally:
        document.close()
    return images
