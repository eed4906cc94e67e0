"""User-facing errors: each names the file, the place in it, what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path) -> Path:
    """Show paths relative to the working folder when they are inside it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def excerpt(value: object, limit: int = 40) -> str:
    """At most `limit` characters of a value, for messages: a long value (or the contents
    of a file it came from) is never echoed whole."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One mistake in the content, located as precisely as we can."""

    file: Path
    message: str
    fix: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        return f"{text}\n    Fix: {self.fix}" if self.fix else text


class UserError(Exception):
    """A mistake the user can fix (content, options). Printed without a traceback."""


class ContentErrors(UserError):
    """All the problems found in a content folder, reported together."""

    def __init__(self, problems: list[Problem], where: str = "the content") -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in {where}")

    def __str__(self) -> str:
        lines = [f"{super().__str__()}; nothing was built:"]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)


class BuildError(UserError):
    """A material could not be made as required (for example it does not fit its pages)."""


class StrictFailure(ContentErrors):
    """--strict: warnings (stale facts, hard texts) count as errors."""

    def __str__(self) -> str:
        lines = [f"--strict: {len(self.problems)} warnings count as errors; nothing was built:"]
        return "\n".join(lines + [f"  {problem}" for problem in self.problems])
