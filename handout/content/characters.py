"""Characters no text of the content may hold, wherever it comes from (a YAML file, a PO
catalog, an editor's form, an imported directory), and text read the way a reader sees it.

Invisible bidirectional controls reorder what is printed: `Call the \u202eecilop\u202c.`
holds the letters "ecilop", which no word check finds, and the page shows "police"; a
phone note can show another number than the one it holds. So the embedding, override and
isolate controls (U+202A-U+202E, U+2066-U+2069) are refused everywhere, and the direction
marks (U+200E, U+200F, U+061C) wherever the language is written left to right (a
right-to-left language, told by Babel's CLDR data, may need them). Control characters (NUL,
escape...), private-use, unassigned and surrogate code points print nothing or an empty box.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from typing import Any

from babel import Locale, UnknownLocaleError

from handout.content.errors import Problem
from handout.content.yaml_file import Location, YamlFile

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they change the order letters are shown in."""
DIRECTION_MARKS = frozenset("\u200e\u200f\u061c")
"""Left-to-right, right-to-left and Arabic letter marks: needed in right-to-left text."""
ALLOWED_CONTROLS = frozenset("\t\n")
FIX = (
    "delete it (retype the text rather than paste it: such characters come with text "
    "copied from web pages, chat apps and word processors)"
)


def babel_code(language: str) -> str:
    """A language code as Babel, ICU and gettext's PO headers write it: `zh_Hans`, `fa_AF`
    (the content writes BCP 47's `zh-Hans`, `fa-AF`)."""
    return language.replace("-", "_")


@functools.cache
def cldr_locale(language: str) -> Locale | None:
    """CLDR's data for a language code as the content writes it (`es`, `pt_BR`, `zh-Hans`,
    `fa-AF`; Babel wants `_` between the parts); None for a code CLDR does not know."""
    try:
        return Locale.parse(babel_code(language))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def right_to_left(language: str) -> bool:
    """Whether `language` (a code such as `ar` or `pt_BR`) is written right to left, as
    CLDR says; an unknown code counts as left to right."""
    locale = cldr_locale(language)
    return locale is not None and locale.character_order == "right-to-left"


def why_refused(character: str, language: str) -> str | None:
    """Why `character` cannot be in a text of `language`, or None when it can."""
    if character in BIDI_CONTROLS:
        return (
            "an invisible bidirectional control, which reorders the letters on the page: "
            "the reader would see something else than what the checks read"
        )
    if character in DIRECTION_MARKS and not right_to_left(language):
        return (
            "an invisible direction mark, which has no place in a language written left to "
            "right and can make a text or a number look like another"
        )
    category = unicodedata.category(character)
    if category == "Cc" and character not in ALLOWED_CONTROLS:
        return "an invisible control character, which prints nothing or an empty box"
    if category == "Co":
        return "a private-use character, which no shipped font has: it prints as an empty box"
    if category in ("Cn", "Cs"):
        return "not a character of Unicode: it prints as an empty box"
    return None


ASCII_CONTROLS = frozenset(chr(code) for code in [*range(32), 127]) - ALLOWED_CONTROLS


def refused(text: str, language: str) -> str | None:
    """What is wrong with the first character of `text` that cannot be printed, or None.
    Each distinct character is judged once per language (a statewide import holds 10,000s
    of texts, nearly all of them plain ASCII)."""
    distinct = set(text)
    if text.isascii() and distinct.isdisjoint(ASCII_CONTROLS):
        return None
    if all(_judged(character, language) is None for character in distinct):
        return None
    for index, character in enumerate(text):
        why = why_refused(character, language)
        if why is not None:
            name = unicodedata.name(character, "no name")
            return f"holds U+{ord(character):04X} ({name}) at character {index + 1}: {why}"
    return None


@functools.lru_cache(maxsize=8192)
def _judged(character: str, language: str) -> str | None:
    return why_refused(character, language)


def strings(value: Any, location: Location = ()) -> Iterator[tuple[Location, str]]:
    """Every string in parsed YAML (keys too), with where it stands."""
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield (*location, key), key
            yield from strings(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, (*location, index))


def yaml_problems(source: YamlFile, language: str) -> list[Problem]:
    """Every text of a content file (written in `language`, the source language) holding
    a character that cannot be printed, each at its line and column."""
    problems = []
    for location, text in strings(source.data):
        why = refused(text, language)
        if why is not None:
            shown = "".join(c if why_refused(c, language) is None else "\ufffd" for c in text)
            problems.append(source.problem(location, f"`{shown[:60]}` {why}", FIX))
    return problems


def as_seen(text: str) -> str:
    """`text` in the order a reader sees it, line by line (the Unicode bidirectional
    algorithm, by ICU), without the controls: what a word check must read. Text without
    right-to-left letters or controls is returned as it is, without loading ICU."""
    if text.isascii() or not any(_reorders(character) for character in set(text)):
        return text
    import icu  # PyICU: only for the rare text that is reordered

    lines = []
    for line in text.split("\n"):
        bidi, unicode = icu.Bidi(), icu.UnicodeString(line)  # ICU reads `unicode` in place
        bidi.setPara(unicode, icu.Bidi.DEFAULT_LTR)
        lines.append(str(bidi.writeReordered(icu.Bidi.REMOVE_BIDI_CONTROLS)))
    return "\n".join(lines)


def _reorders(character: str) -> bool:
    return character in BIDI_CONTROLS or unicodedata.bidirectional(character) in (
        "R",
        "AL",
        "RLE",
        "RLO",
        "RLI",
        "FSI",
        "RLM",
    )
