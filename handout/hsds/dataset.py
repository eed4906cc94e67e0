"""An HSDS data set as this import holds it, whichever format it was published in.

Both readers (`read_json` and `read_package`) give a `DataSet`: one list of rows per HSDS
object, plus what the report needs to say about the source (other tables, different objects
under one id, the API pages read, an older HSDS version). A file that cannot be read stops
the import with `ImportErrors` (every problem at once, nothing written); this module holds
what both readers share for that, so neither imports the other.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handout.content.errors import ContentErrors, Problem, display_path
from handout.hsds.rows import Row

KINDS = (
    "organization",
    "service",
    "service_at_location",
    "location",
    "address",
    "phone",
    "schedule",
    "language",
    "service_area",
    "url",
    "metadata",
)
"""The HSDS objects this import reads; any other (contacts, programs, ...) is reported."""

TABULAR_FILES = {
    "organizations.csv": "organization",
    "services.csv": "service",
    "service_at_location.csv": "service_at_location",
    "services_at_location.csv": "service_at_location",
    "locations.csv": "location",
    "addresses.csv": "address",
    "phones.csv": "phone",
    "schedules.csv": "schedule",
    "languages.csv": "language",
    "service_areas.csv": "service_area",
    "metadata.csv": "metadata",
    "url.csv": "url",
}
"""The tabular form as one JSON object (the specification's `tabular.json`): file -> kind."""

FILE_TABLES = {
    **TABULAR_FILES,
    "physical_addresses.csv": "physical_address",
    "postal_addresses.csv": "postal_address",
    "regular_schedules.csv": "regular_schedule",
    "holiday_schedules.csv": "holiday_schedule",
}
"""The file names HSDS gives its tables (1.x to 3.x): what a folder of CSV files without
`datapackage.json` is read by."""

PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@+=~/-]{0,199}")
"""An HSDS id this import can name in the import file's comments: UUIDs, numbers, `org-1`,
URIs. Nothing that could end a line or a YAML comment (issue 13, defect 2)."""


@dataclass
class DataSet:
    """An HSDS data set as tables of rows, however it was published."""

    path: Path
    title: str | None
    tables: dict[str, list[Row]]
    other: list[str] = field(default_factory=list)
    """Files of objects this import does not read, e.g. `contacts.csv: 2 contact rows`."""
    duplicates: list[tuple[Row, Row]] = field(default_factory=list)
    """Different objects under one id: (the one kept, one left out), for the report."""
    paging: Paging | None = None
    """For API output: the pages read, out of how many. Not all of them: the records of the
    other pages are kept, not removed."""
    files: int = 1
    version: str | None = None
    """The HSDS version read (`3.0`, `3.1`; `1.x` or `2.0` for an older package, read with
    that version's table and field names), as `handout.hsds.version` tells it."""
    notes: list[str] = field(default_factory=list)
    """How the data set was read, where the report must say (a file read from beside
    `datapackage.json`, a folder without one)."""

    def rows(self, kind: str) -> list[Row]:
        return self.tables.get(kind, [])


class ImportErrors(ContentErrors):
    """Problems that stop an import; nothing was written."""

    def __init__(self, problems: list[Problem], heading: str) -> None:
        super().__init__(problems)
        self.heading = heading

    def __str__(self) -> str:
        return "\n".join([self.heading, *(f"  {problem}" for problem in self.problems)])


def load_json(path: Path) -> Any:
    """A JSON file; one that is not UTF-8 or not valid JSON stops the import with its line."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        raise dataset_errors(
            Problem(display_path(path), "is not UTF-8 text", "save it as UTF-8")
        ) from error
    except json.JSONDecodeError as error:
        problem = Problem(
            display_path(path),
            f"is not valid JSON: {error.msg}",
            "check the brackets, commas and quotes here (export the data set again if unsure)",
            error.lineno,
            error.colno,
        )
        raise dataset_errors(problem) from error
    except RecursionError:
        problem = Problem(
            display_path(path),
            "is nested too deeply to be an HSDS data set (more than about 1,000 levels of "
            "brackets)",
            "export the data set again; HSDS nests objects only a few levels deep",
        )
        raise dataset_errors(problem) from None


def dataset_errors(*problems: Problem) -> ImportErrors:
    count = len(problems)
    return ImportErrors(
        list(problems),
        f"{count} problem{'s' if count != 1 else ''} in the data set; nothing was imported:",
    )


@dataclass
class Paging:
    """What API pages a data set was read from: which page numbers, out of how many."""

    pages: set[int]
    total: int

    @property
    def complete(self) -> bool:
        return self.pages >= set(range(1, self.total + 1))

    def __str__(self) -> str:
        shown = ", ".join(str(page) for page in sorted(self.pages))
        return f"page{'s' if len(self.pages) != 1 else ''} {shown} of {self.total}"


def differs(first: dict[str, str], second: dict[str, str]) -> bool:
    """Whether two objects under one id say different things (links aside: the same object
    nested in two places links to two parents)."""
    return any(
        first[name] != second[name]
        for name in first.keys() & second.keys()
        if not name.endswith("_id") and name != "resource_type"
    )
