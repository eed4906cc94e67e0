"""Which fonts set a language, and which way it is written: the one registry of scripts.

A language's script comes from CLDR through Babel (`ar` → Arab, `zh-Hans` → Hans, `vi` →
Latn, by CLDR's likely subtags), its direction too (`content.characters.right_to_left`).
Each script has one font stack, first face first, with Noto Sans last for the Latin words
(names, addresses) every language prints. A script without a stack of its own (Cyrillic,
Traditional Chinese...) gets the Latin one; the glyph check (`layout.glyphs`) then names
each character it cannot print.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from babel.core import get_global

from handout.content.characters import cldr_locale, right_to_left
from handout.layout import fonts


@dataclass(frozen=True)
class Writing:
    """How a language is printed: its script, font stack and direction."""

    script: str
    """ISO 15924 code (Latn, Arab, Hans)."""
    families: tuple[str, ...]
    direction: str
    """`ltr` or `rtl`: the `dir` of its documents."""

    @property
    def font_family(self) -> str:
        """The stack as CSS `font-family` holds it."""
        return ", ".join(f'"{family}"' for family in self.families)

    @property
    def needs_cjk(self) -> bool:
        return fonts.NOTO_CJK in self.families


STACKS: dict[str, tuple[str, ...]] = {
    "Latn": (fonts.ATKINSON, fonts.NOTO),
    "Arab": (fonts.PLEX_ARABIC_FAMILY, fonts.NOTO),
    "Hans": (fonts.NOTO_CJK, fonts.NOTO),
}
"""Font stacks by script."""
LANGUAGE_STACKS: dict[str, tuple[str, ...]] = {
    # Atkinson Hyperlegible lacks most Vietnamese letters (ặ, ế, ọ...): Noto Sans alone, so
    # that no line mixes two Latin fonts.
    "vi": (fonts.NOTO,),
}
"""Languages whose stack is not their script's."""


@functools.cache
def script(language: str) -> str:
    """The ISO 15924 script `language` is written in ("Latn" for an unknown code)."""
    locale = cldr_locale(language)
    if locale is None:
        return "Latn"
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags").get(locale.language, "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 else "Latn"


@functools.cache
def writing(language: str) -> Writing:
    """How `language` (a code such as `ar`, `zh-Hans` or `pt_BR`) is printed."""
    code = script(language)
    base = language.replace("_", "-").split("-")[0].lower()
    families = LANGUAGE_STACKS.get(base) or STACKS.get(code) or STACKS["Latn"]
    return Writing(code, families, "rtl" if right_to_left(language) else "ltr")


def faces(language: str) -> tuple[fonts.FontFace, ...]:
    """The faces `language`'s documents set text in (raises BuildError, naming the
    package, when one is missing from this machine)."""
    wanted = writing(language).families
    found = [face for face in fonts.FACES if face.family in wanted]
    if fonts.NOTO_CJK in wanted:
        found += fonts.cjk_faces(language)
    return tuple(found)


def available_faces() -> tuple[fonts.FontFace, ...]:
    """Every face this machine can print with (Noto Sans CJK only where installed)."""
    return fonts.FACES + (fonts.cjk_faces() if fonts.cjk_available() else ())
