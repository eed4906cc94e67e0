"""The fonts every PDF embeds, taken from Python packages so every machine prints the same.

Atkinson Hyperlegible (designed by the Braille Institute for low-vision readers) sets
Latin text; Noto Sans backs it up for any character Atkinson lacks, and sets Vietnamese
alone (Atkinson lacks most of its letters, and a line must not mix two Latin fonts); IBM
Plex Sans Arabic sets Arabic-script languages (Arabic, Dari, Persian, Urdu). Noto Sans
Arabic was the first choice, but it draws many letters as one dotless shape plus dots, and
a PDF maps each shape back to one letter: its text came out wrong when extracted, searched
or read aloud ("مبانية" for "مجانية"); Plex draws each letter form whole. Which faces a
language uses is `handout.layout.scripts`' business.

Chinese is set in Noto Sans CJK SC, from Debian's `fonts-noto-cjk` (no trustworthy Python
package carries it): its one declared place is `cjk_folder()`. Debian ships it as font
collections (.ttc) whose first face is the Japanese one; WeasyPrint's @font-face loads a
collection whole and Pango then picks that first face, which draws some Chinese characters
the Japanese way. So the Simplified Chinese face is copied out of the collection once, into
a single-face font in a cache folder (`cjk_faces`), byte for byte the same on every run.
A machine without the package builds every other language; Chinese fails, naming it.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import fontpkg_atkinson_hyperlegible as atkinson
import fontpkg_ibm_plex_sans_arabic as arabic
import fontpkg_noto_sans as noto

from handout.content.errors import BuildError


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


NOTO_SANS = noto.ROOT / "files/NotoSans[wdth,wght].ttf"
NOTO_SANS_ITALIC = noto.ROOT / "files/NotoSans-Italic[wdth,wght].ttf"
PLEX_ARABIC = arabic.ROOT / "files/IBMPlexSansArabic-Regular.ttf"
PLEX_ARABIC_BOLD = arabic.ROOT / "files/IBMPlexSansArabic-Bold.ttf"

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
    FontFace(noto.FAMILY, NOTO_SANS, "400", "normal"),
    FontFace(noto.FAMILY, NOTO_SANS_ITALIC, "400", "italic"),
    # Variable fonts: the same file declared bold gives its bold instance (Vietnamese
    # numbers and headings are bold like Latin ones).
    FontFace(noto.FAMILY, NOTO_SANS, "700", "normal"),
    FontFace(noto.FAMILY, NOTO_SANS_ITALIC, "700", "italic"),
    FontFace(arabic.FAMILY, PLEX_ARABIC, "400", "normal"),
    FontFace(arabic.FAMILY, PLEX_ARABIC_BOLD, "700", "normal"),
)
"""The faces shipped as Python packages: every machine has them."""

ATKINSON, NOTO, PLEX_ARABIC_FAMILY = atkinson.FAMILY, noto.FAMILY, arabic.FAMILY
NOTO_CJK = "Noto Sans CJK SC"

FAMILIES = (ATKINSON, NOTO, PLEX_ARABIC_FAMILY, NOTO_CJK)
"""Font families the PDFs may embed; anything else means a glyph fell back to a system font."""

# --- Noto Sans CJK SC, from Debian's fonts-noto-cjk ----------------------------------------

CJK_PACKAGE = "fonts-noto-cjk"
CJK_FOLDER = Path("/usr/share/fonts/opentype/noto")
CJK_FOLDER_VARIABLE = "HANDOUT_NOTO_CJK"
"""An environment variable naming another folder holding the collections (a machine that
installs them elsewhere; the tests point it at an empty folder)."""
CJK_COLLECTIONS = {"400": "NotoSansCJK-Regular.ttc", "700": "NotoSansCJK-Bold.ttc"}
CJK_SIMPLIFIED = 2
"""The Simplified Chinese face's index in Debian's collections (JP, KR, SC, TC, HK, ...);
`_extracted` checks its name."""


def _cache() -> Path:
    """The user's own cache folder (not a shared temporary one, where another user could
    leave a font under the expected name)."""
    try:
        home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except RuntimeError:  # no home folder
        home = Path(tempfile.gettempdir()) / f"handout-{os.getuid()}"
    return home / "handout" / "fonts"


CACHE = _cache()
"""Where the Simplified Chinese faces are copied out of their collections."""
FALLBACK_CACHE = Path(tempfile.gettempdir()) / f"handout-{os.getuid()}" / "fonts"
"""Where they are copied when `CACHE` cannot be used (see `_extracted`)."""

FONT_FOLDERS = (atkinson.ROOT, noto.ROOT, arabic.ROOT, CACHE, FALLBACK_CACHE)
"""The folders a document may load fonts from (see `handout.render.renderer`)."""


def cjk_folder() -> Path:
    """The one place Noto Sans CJK is looked for."""
    return Path(os.environ.get(CJK_FOLDER_VARIABLE) or CJK_FOLDER)


def cjk_available() -> bool:
    return all((cjk_folder() / name).is_file() for name in CJK_COLLECTIONS.values())


def cjk_fingerprint() -> str:
    """What identifies this machine's Noto Sans CJK (names, sizes and times of the
    collections; empty without them): a new package version renders Chinese anew."""
    found = [cjk_folder() / name for name in CJK_COLLECTIONS.values()]
    return " ".join(
        f"{path.name}:{path.stat().st_size}:{path.stat().st_mtime_ns}"
        for path in found
        if path.is_file()
    )


def cjk_faces(language: str = "zh-Hans") -> tuple[FontFace, ...]:
    """Noto Sans CJK SC, regular and bold, as single-face fonts; a BuildError naming the
    Debian package when the machine does not have it (`language` is named in it)."""
    folder = cjk_folder()
    missing = [name for name in CJK_COLLECTIONS.values() if not (folder / name).is_file()]
    if missing:
        raise BuildError(
            f"{language} is printed in {NOTO_CJK}, which this machine does not have "
            f"({folder / missing[0]} is missing): install Debian's `{CJK_PACKAGE}` package "
            f"(`apt-get install {CJK_PACKAGE}`), or set {CJK_FOLDER_VARIABLE} to the folder "
            "holding its NotoSansCJK-*.ttc files. Every other language builds without it (choose "
            "them with --lang)"
        )
    return tuple(
        FontFace(NOTO_CJK, _extracted(folder / name), weight, "normal")
        for weight, name in CJK_COLLECTIONS.items()
    )


def _extracted(collection: Path) -> Path:
    """The Simplified Chinese face of `collection`, copied into a font of its own once
    (named after the collection's size and time, so a new package version gets a new copy),
    in the user's cache folder, or when that cannot be used (another user's home, a
    read-only one) in a temporary folder of this user's own. The copy keeps the
    collection's tables as they are (no new timestamp): the same bytes on every machine
    with the same package, so builds stay reproducible."""
    from handout.content.files import WriteFailed, write

    stat = collection.stat()
    name = f"{collection.stem}-SC-{stat.st_size}-{stat.st_mtime_ns}.otf"
    tried = []
    for folder in (CACHE, FALLBACK_CACHE):
        target = folder / name
        try:
            if target.is_file() and _own(folder):
                return target
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not _own(folder):
                raise OSError(f"{folder} belongs to another user")
            write(target, _simplified_face(collection))  # atomic: parallel workers may too
            return target
        except (OSError, WriteFailed) as error:
            tried.append(f"{folder}: {error}")
    raise BuildError(
        f"cannot copy {NOTO_CJK} out of {collection} into a cache folder ("
        + "; ".join(tried)
        + "): set XDG_CACHE_HOME to a folder this user may write"
    )


def _own(folder: Path) -> bool:
    return folder.stat().st_uid == os.getuid()


def _simplified_face(collection: Path) -> bytes:
    """The bytes of `collection`'s Simplified Chinese face as a font file of its own."""
    import io

    from fontTools.ttLib import TTFont

    with TTFont(
        collection,
        fontNumber=CJK_SIMPLIFIED,
        lazy=True,
        recalcTimestamp=False,
        recalcBBoxes=False,
    ) as font:
        name = font["name"].getDebugName(1) or ""
        if NOTO_CJK not in name:
            raise BuildError(
                f"{collection} holds `{name}`, not {NOTO_CJK}, at index {CJK_SIMPLIFIED}: "
                f"reinstall Debian's `{CJK_PACKAGE}` package"
            )
        out = io.BytesIO()
        font.save(out, reorderTables=False)
        return out.getvalue()


def font_face_css(faces: tuple[FontFace, ...] = FACES) -> str:
    """The @font-face rules of `faces`, given to every document by the renderer."""
    return "\n".join(face.css() for face in faces)
