"""The fonts every PDF embeds, taken from Python packages so every machine prints the same.

Atkinson Hyperlegible (designed by the Braille Institute for low-vision readers) sets all
text; Noto Sans backs it up for any character Atkinson lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import fontpkg_atkinson_hyperlegible as atkinson
import fontpkg_noto_sans as noto


@dataclass(frozen=True)
class FontFace:
    family: str
    path: Path
    weight: str
    style: str

    def css(self) -> str:
        return (
            f'@font-face {{ font-family: "{self.family}"; src: url("{self.path.as_uri()}"); '
            f"font-weight: {self.weight}; font-style: {self.style}; }}"
        )


FACES = (
    FontFace(
        atkinson.FAMILY, atkinson.ROOT / "files/AtkinsonHyperlegible-Regular.ttf", "400", "normal"
    ),
    FontFace(
        atkinson.FAMILY, atkinson.ROOT / "files/AtkinsonHyperlegible-Italic.ttf", "400", "italic"
    ),
    FontFace(
        atkinson.FAMILY, atkinson.ROOT / "files/AtkinsonHyperlegible-Bold.ttf", "700", "normal"
    ),
    FontFace(
        atkinson.FAMILY,
        atkinson.ROOT / "files/AtkinsonHyperlegible-BoldItalic.ttf",
        "700",
        "italic",
    ),
    FontFace(noto.FAMILY, noto.ROOT / "files/NotoSans[wdth,wght].ttf", "400", "normal"),
    FontFace(noto.FAMILY, noto.ROOT / "files/NotoSans-Italic[wdth,wght].ttf", "400", "italic"),
)

FAMILIES = (atkinson.FAMILY, noto.FAMILY)
"""Font families the PDFs may embed; anything else means a glyph fell back to a system font."""

FONT_FOLDERS = (atkinson.ROOT, noto.ROOT)


def font_face_css() -> str:
    """The @font-face rules, placed in every document's <head> by the renderer."""
    return "\n".join(face.css() for face in FACES)
