"""What the build would refuse in a text that is not written yet: an editor's field, a
translation typed in the browser, a record made from an imported directory. The build's
own checks, asked before the write, so that a save or an import never leaves content the
next build stops on (and, with `serve --commit`, never commits it).

Checked here: characters that reorder, hide or cannot print what the text holds
(`content.characters`), characters no shipped font has (`glyphs`), and the editors' words
that must never be printed (`internal_words`). How a text fits its card is not: that needs
the pages laid out, which the build after the save does (see `editor.translations`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from handout.content.characters import FIX, refused, strings
from handout.content.models import Project
from handout.content.words import NOT_PRINTED, internal_in
from handout.content.yaml_file import Location
from handout.layout import fonts
from handout.layout.glyphs import missing_characters


@dataclass(frozen=True)
class Refusal:
    """Why the build would refuse a text, and how to fix it."""

    why: str
    fix: str

    def __str__(self) -> str:
        return f"{self.why}. Fix: {self.fix}"


def text_refusal(
    text: str, language: str, project: Project, printed: bool = True
) -> Refusal | None:
    """Why the build would refuse `text`, a text in `language` (None when it would not).
    `printed`: whether the text is printed (`source:` may name an editors' word)."""
    why = refused(text, language)
    if why is not None:
        return Refusal(why, FIX)
    # a translation is printed in its language, a content text in every language
    printed_in = [language] if language != project.source_language else project.codes
    missing = missing_characters(text, printed_in)
    if missing:
        shown = ", ".join(
            f"{c!r} (U+{ord(c):04X}, {unicodedata.name(c, 'unnamed')})" for c in missing[:3]
        )
        return Refusal(
            f"uses {shown}, which no shipped font has ({', '.join(fonts.FAMILIES)}): it would "
            "print as an empty box",
            "replace it with a common character",
        )
    words = internal_in(text, project.internal_words) if printed else []
    if words:
        return Refusal(
            f"holds the editors' word `{words[0]}`, which must not be printed",
            "reword it for readers; notes for editors belong in the source",
        )
    return None


def record_refusals(record: Any, language: str, project: Project) -> list[tuple[Location, Refusal]]:
    """Each text of a record (plain data, as a form or an import makes it) that the build
    would refuse, with where it stands in the record and why."""
    found = []
    for location, text in strings(record):
        printed = not any(part in NOT_PRINTED for part in location if isinstance(part, str))
        refusal = text_refusal(text, language, project, printed)
        if refusal is not None:
            found.append((location, refusal))
    return found
