"""User-facing errors: each names the file, the place in it, what is wrong and how to fix it."""

from __future__ import annotations

import calendar
import re
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


def reading_order(problem: object) -> tuple[str, int, int]:
    """Where a problem is, for sorting: its file, line and column (a whole file first)."""
    line = getattr(problem, "line", None)
    column = getattr(problem, "column", None)
    file = getattr(problem, "file", "")
    return str(file), -1 if line is None else line, -1 if column is None else column


class UserError(Exception):
    """A mistake the user can fix (content, options). Printed without a traceback."""


class ContentErrors(UserError):
    """All the problems found in a content folder, reported together."""

    def __init__(self, problems: list[Problem], where: str = "the content") -> None:
        self.problems = sorted(problems, key=reading_order)  # by file, then line: as one reads them
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
        count = counted(len(self.problems), "warning")
        lines = [f"--strict: {count} count{'s' if len(self.problems) == 1 else ''} as errors; "
                 "nothing was built:"]  # fmt: skip
        return "\n".join(lines + [f"  {problem}" for problem in self.problems])


# --- Dates -----------------------------------------------------------------------------

EXAMPLE_DATE = "2026-11-27"
MONTHS = [calendar.month_name[number] for number in range(1, 13)]
ISO_LIKE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
WITH_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]")
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
YEAR_FIRST = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")


def date_mistake(written: object) -> tuple[str, str]:
    """Why `written` is not a date ("" when it does not look like one at all), and what to
    write instead, in plain words: a date in
    the right form that does not exist (`2026-11-31`) is told apart from one in another
    form (`12/06/2026`), for which the fix spells out the date it could mean."""
    text = str(written).strip()
    iso = ISO_LIKE.match(text)
    if iso:
        return _impossible(*(int(part) for part in iso.groups()))
    timed = WITH_TIME.match(text)
    if timed:
        return "it has a time in it", f"write only the date: {timed.group(1)}"
    year_first = YEAR_FIRST.match(text)
    if year_first:
        year, month, day = (int(part) for part in year_first.groups())
        return _other_form([(year, month, day)])
    numbers = DAY_MONTH_YEAR.match(text)
    if numbers:
        first, second, year = (int(part) for part in numbers.groups())
        return _other_form([(year, first, second), (year, second, first)])
    return (
        "",
        f"write the date as YYYY-MM-DD (year, month, day), like {EXAMPLE_DATE}",
    )


def not_a_date(name: str, written: object) -> tuple[str, str]:
    """The message and fix for `name` (a field, an option) holding `written`, no date."""
    reason, fix = date_mistake(written)
    return f"{name} is not a date" + (f": {reason}" if reason else ""), fix


def _impossible(year: int, month: int, day: int) -> tuple[str, str]:
    """A date written year-month-day: which part does not exist (or is not two digits)."""
    if not 1 <= month <= 12:
        fix = "check the date: in YYYY-MM-DD (year, month, day) the month is the middle number"
        return f"there is no month {month} (months go from 01 to 12)", fix
    name = MONTHS[month - 1]
    days = calendar.monthrange(year, month)[1]
    last = f"{year:04d}-{month:02d}-{days:02d}"
    fix = f"check the day on your notes (the last day of {name} {year} is {last}; YYYY-MM-DD)"
    if day == 29 and month == 2:
        return f"there is no February 29 in {year} ({year} is not a leap year)", fix
    if not 1 <= day <= days:
        return f"there is no {name} {day} ({name} has {days} days)", fix
    written = f"{year:04d}-{month:02d}-{day:02d}"
    return "the month and the day need two digits each", f"write {written}"


def _other_form(readings: list[tuple[int, int, int]]) -> tuple[str, str]:
    """A date written in another order or with other separators: spell out each date
    it can mean, so that nobody has to guess whether 12/06 is December or June."""
    meanings = []
    for year, month, day in dict.fromkeys(readings):
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            meanings.append(
                f"for {MONTHS[month - 1]} {day}, {year} write {year}-{month:02d}-{day:02d}"
            )
    message = "it is not in the form YYYY-MM-DD (year, month, day)"
    if not meanings:
        return message, f"write the date as YYYY-MM-DD, like {EXAMPLE_DATE}"
    return message, "; ".join(meanings)


# --- Field names in words ------------------------------------------------------------

ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
]
SINGULAR = {
    "phones": "phone",
    "languages": "language",
    "answered_in": "answer language",
    "topics": "topic",
    "kind": "kind",
    "cite": "citation",
    "blocks": "block",
    "sections": "section",
    "records": "record",
    "laws": "law",
    "list": "list item",
    "steps": "step",
    "resources": "record",
    "include": "included record",
    "exclude": "excluded record",
    "only_in": "region in only_in",
    "except_in": "region in except_in",
    "front": "front row",
    "back": "back row",
    "key_numbers": "key number",
    "internal_words": "internal word",
    "proper_names": "proper name",
}
"""What one item of each list of the content is called in a message."""
KEY = re.compile(r"^[a-z][a-z0-9_-]*$")
TYPE_TAGS = {"str", "int", "float", "bool", "none"}
"""Names pydantic puts in a place when a value may have several types: not keys."""


def counted(count: int, one: str, many: str | None = None) -> str:
    """`counted(1, "fact")` -> "1 fact", `counted(3, "fact")` -> "3 facts"; `many` where the
    plural is not the word and an s ("1 entry", "2 entries")."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def ordinal(index: int) -> str:
    """`0` -> "first", `10` -> "11th": the place of item `index` (counted from 0)."""
    if index < len(ORDINALS):
        return ORDINALS[index]
    number = index + 1
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def field_words(place: tuple[str | int, ...]) -> str:
    """A field's place in plain words: `("phones", 0, "number")` -> "the first phone's
    number"; one key alone, or a key of several words (`only_in`), stays as written, in
    backticks, so that it can be found in the file."""
    parts = [
        part
        for part in place
        if isinstance(part, int) or (KEY.match(part) and part not in TYPE_TAGS)
    ]
    if len(parts) == 1 and isinstance(parts[0], str):
        return f"`{parts[0]}`"
    phrase = ""
    for index, part in enumerate(parts):
        if isinstance(part, int):
            if index == 0:
                phrase = f"the {ordinal(part)} item"
            continue
        following = parts[index + 1] if index + 1 < len(parts) else None
        words = f"`{part}`" if "_" in part else part  # `only_in`: as written, to be found
        if isinstance(following, int):
            item = SINGULAR.get(part, f"item of {words}")
            noun = f"{ordinal(following)} {item.replace('_', ' ')}"
            phrase = f"{_owner(phrase)} {noun}" if phrase else f"the {noun}"
        else:
            phrase = f"{_owner(phrase)} {words}" if phrase else words
    return phrase


def _owner(phrase: str) -> str:
    """ "the first phone" -> "the first phone's"; "overrides" -> "overrides'"."""
    return phrase + ("'" if phrase.endswith("s") else "'s")
