"""One HSDS object as a row of plain text values, whatever format it came in (JSON or CSV,
HSDS 3.0 or older): what checking and mapping work on. Its own module, so that the readers
of older versions (`handout.hsds.older`) and of 3.0 (`handout.hsds.read_json`,
`handout.hsds.read_package`) all use it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from handout.content.errors import Problem, display_path


@dataclass
class Row:
    """One HSDS object with its plain values as text (nested objects become rows of their own,
    linked by `<kind>_id`), and where it was found, for messages."""

    kind: str
    values: dict[str, str]
    file: Path
    line: int | None = None
    path: str = ""
    nested: list[str] = field(default_factory=list)
    """Nested lists or objects of kinds this import does not read (e.g. `contacts`)."""

    @property
    def id(self) -> str:
        return self.values.get("id", "")

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    @property
    def tabular(self) -> bool:
        return self.line is not None

    @property
    def label(self) -> str:
        """A human name for messages: the object's name, number or street."""
        for name in ("name", "number", "address_1"):
            if self.get(name):
                return plain(self.values[name])
        return ""

    def problem(self, message: str, fix: str = "") -> Problem:
        where = f"{self.path}: " if self.path else ""
        return Problem(
            display_path(self.file), f"{where}{self.kind} `{self.id}`: {message}", fix, self.line
        )


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

        self.hidden = 0

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"script", "style"}:
            self.hidden += 1  # code, not text: never printed
        if tag in {"br", "p", "li", "div"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self.hidden:
            self.hidden -= 1


def plain(text: str | None) -> str:
    """HSDS descriptions may hold HTML; content is plain text: tags out, entities decoded,
    white space collapsed."""
    if not text:
        return ""
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    return " ".join("".join(parser.parts).split())
