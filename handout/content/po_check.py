"""What Babel's PO reader lets through without a word, found before it reads a catalog:
a string whose closing quote is missing (Babel drops its last character and goes on), the
same English text translated twice (Babel keeps one, silently), and a character that cannot
be printed in the language (see `characters`). Each is a problem at its file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import unescape

from handout.content.characters import FIX, refused
from handout.content.errors import Problem, display_path, excerpt

KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=[\s\"]|$)\s*(.*)")


def _string_end(text: str) -> int | None:
    """The index just past the closing quote of the PO string `text` starts with, or None
    when the string is never closed on its line."""
    index = 1
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == '"':
            return index + 1
        index += 1
    return None


class _Entry:
    def __init__(self, line: int, obsolete: bool) -> None:
        self.line, self.obsolete = line, obsolete
        self.context: list[str] | None = None
        self.id: list[str] = []
        self.current: list[str] | None = None
        self.keyword = ""


def po_problems(text: str, path: Path, language: str) -> list[Problem]:
    """The problems of a PO file's `text` (of `language`) that Babel would not report."""
    where = display_path(path)
    problems: list[Problem] = []
    seen: dict[tuple[str | None, str], int] = {}
    entry: _Entry | None = None

    def finish() -> None:
        if entry is None or entry.obsolete:
            return
        key = (None if entry.context is None else "".join(entry.context), "".join(entry.id))
        if key in seen:
            shown = excerpt(unescape(f'"{key[1]}"'), 60) or "(the header)"
            problems.append(
                Problem(
                    where,
                    f"`{shown}` is in the catalog twice (first at line {seen[key]}); only one "
                    "of the two translations would be used, without a word",
                    "keep the right translation and delete the other entry",
                    entry.line,
                )
            )
        else:
            seen[key] = entry.line

    for number, raw in enumerate(text.splitlines(), start=1):
        line, obsolete = raw.strip(), False
        if line.startswith("#~"):
            line, obsolete = line[2:].strip(), True
        if not line or (line.startswith("#") and not obsolete):
            continue
        found = KEYWORD.match(line)
        if found:
            keyword, rest = found.groups()
            if keyword == "msgctxt" or (keyword == "msgid" and (entry is None or entry.id)):
                finish()
                entry = _Entry(number, obsolete)
            if entry is None:
                entry = _Entry(number, obsolete)
            entry.keyword = keyword
            if keyword == "msgctxt":
                entry.context = entry.current = []
            elif keyword == "msgid":
                entry.current = entry.id
            else:
                entry.current = []
        elif line.startswith('"'):
            rest = line
        else:
            continue  # not a string: Babel's own reader says what is wrong with it
        if not rest.startswith('"'):
            continue
        end = _string_end(rest)
        if end is None:
            problems.append(
                Problem(
                    where,
                    f'a text is opened with a quote (") on this line and never closed: '
                    f"`{excerpt(rest, 60)}`",
                    'add the closing quote (") at the end of the line',
                    number,
                    len(raw) - len(raw.lstrip()) + 1,
                )
            )
            continue
        inner = rest[1 : end - 1]
        if entry is not None and entry.current is not None:
            entry.current.append(inner)
        why = None if obsolete else refused(unescape(f'"{inner}"'), language)
        if why is not None:
            problems.append(Problem(where, f"the text on this line {why}", FIX, number))
    finish()
    return problems
