"""Import resource records from an Open Referral HSDS 3.0 data set (a service directory).

Many regions keep their services in an HSDS data set, published as JSON (organizations or
services with their phones, schedules, locations and languages nested inside) or as a
Tabular Data Package (one CSV file per object, described by `datapackage.json`).
`python build.py import-hsds PATH --region ID` turns it into this project's records:

- Both formats are first read into the same tables (one list of rows per HSDS object, with
  the foreign keys filled in), so both give the same records.
- Each active service becomes one record; an organization without services becomes one too.
  Everything the model cannot hold is reported, naming the HSDS object, its id and the field.
- The records go into their own file, `resources/hsds-<region>.yaml`, and the region's
  `include:` list. Each record is written under a `# from HSDS ...` line holding a fingerprint
  of what was written: a record whose content no longer matches it was changed by hand, and
  the next import refuses to overwrite it (or a hand-written record with the same id in
  another file) unless told `--force`.
- Nothing is written unless the content, with the import applied, still validates.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import shutil
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from babel.core import Locale, UnknownLocaleError
from pydantic import TypeAdapter, ValidationError
from ruamel.yaml import YAML

from handout import phones as phone_numbers
from handout.errors import ContentErrors, Problem, UserError
from handout.load import Content, display_path, read_yaml
from handout.models import Email, Phone, Resource, Website

# --- Reading: JSON or a tabular data package, into the same tables -----------------------

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
    "metadata",
)
"""The HSDS objects this import reads; any other (contacts, programs, ...) is reported."""

CHILD_LISTS: dict[str, dict[str, str]] = {
    "organization": {"services": "service", "phones": "phone", "locations": "location"},
    "service": {
        "phones": "phone",
        "schedules": "schedule",
        "languages": "language",
        "service_at_locations": "service_at_location",
        "service_areas": "service_area",
    },
    "service_at_location": {"phones": "phone", "schedules": "schedule"},
    "location": {
        "addresses": "address",
        "phones": "phone",
        "schedules": "schedule",
        "languages": "language",
    },
    "phone": {"languages": "language"},
}
"""HSDS JSON: the nested lists of each object, and which object their items are."""

CHILD_OBJECTS: dict[str, dict[str, str]] = {
    "service": {"organization": "organization"},
    "service_at_location": {"location": "location"},
}
"""HSDS JSON: single nested objects (a service's organization, a service_at_location's
location)."""


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


@dataclass
class DataSet:
    """An HSDS data set as tables of rows, however it was published."""

    path: Path
    title: str | None
    tables: dict[str, list[Row]]
    other: list[str] = field(default_factory=list)
    """Files of objects this import does not read, e.g. `contacts.csv: 2 contact rows`."""

    def rows(self, kind: str) -> list[Row]:
        return self.tables.get(kind, [])


class ImportErrors(ContentErrors):
    """Problems that stop an import; nothing was written."""

    def __init__(self, problems: list[Problem], heading: str) -> None:
        super().__init__(problems)
        self.heading = heading

    def __str__(self) -> str:
        return "\n".join([self.heading, *(f"  {problem}" for problem in self.problems)])


def read_dataset(path: Path) -> DataSet:
    """Read an HSDS data set: a `.json` file, a `datapackage.json`, or a folder holding one."""
    if path.is_dir():
        path = path / "datapackage.json"
        if not path.is_file():
            raise UserError(
                f"{display_path(path.parent)}: no datapackage.json in this folder; give an HSDS "
                "JSON file, or the folder of a tabular data package (CSV files and "
                "datapackage.json)"
            )
    if not path.is_file():
        raise UserError(f"{display_path(path)}: file not found; check the path")
    if path.name == "datapackage.json":
        return _read_package(path)
    if path.suffix.lower() != ".json":
        raise UserError(
            f"{display_path(path)}: not an HSDS data set; give a .json file, or the folder of a "
            "tabular data package (its CSV files and datapackage.json)"
        )
    return _read_json_data_set(path)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        raise _fail(Problem(display_path(path), "is not UTF-8 text", "save it as UTF-8")) from error
    except json.JSONDecodeError as error:
        problem = Problem(
            display_path(path),
            f"is not valid JSON: {error.msg}",
            "check the brackets, commas and quotes here (export the data set again if unsure)",
            error.lineno,
            error.colno,
        )
        raise _fail(problem) from error


def _fail(*problems: Problem) -> ImportErrors:
    count = len(problems)
    return ImportErrors(
        list(problems),
        f"{count} problem{'s' if count != 1 else ''} in the data set; nothing was imported:",
    )


def _read_json_data_set(path: Path) -> DataSet:
    """HSDS JSON: a list of organizations and/or services (or an API page, whose items are
    under `contents`), each with its related objects nested as in the HSDS 3.0 schema."""
    data = _read_json(path)
    prefix = ""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data, prefix = data["contents"], "contents"
    elif isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise _fail(
            Problem(
                display_path(path),
                "is not an HSDS data set: expected a list of organizations or services",
            )
        )
    tables: dict[str, list[Row]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    problems: list[Problem] = []
    for index, item in enumerate(data):
        where = f"{prefix}[{index}]"
        if not isinstance(item, dict):
            problems.append(Problem(display_path(path), f"{where}: expected an object"))
            continue
        service_like = any(key in item for key in ("status", "organization", "organization_id"))
        kind = "service" if service_like and "services" not in item else "organization"
        _flatten(item, kind, where, path, {}, tables, seen)
    if problems:
        raise _fail(*problems)
    return DataSet(path, None, dict(tables))


def _scalar(value: Any) -> str | None:
    """A JSON or CSV value as text, the same whichever format it came from."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value).strip()
    return text or None


def _flatten(
    obj: dict,
    kind: str,
    where: str,
    path: Path,
    link: dict[str, str],
    tables: dict[str, list[Row]],
    seen: set[tuple[str, str]],
) -> str | None:
    """Add `obj` and the objects nested in it to `tables`; returns its id. An object that
    appears several times (an organization nested in each of its services) is kept once."""
    values = {key: text for key, value in obj.items() if (text := _scalar(value)) is not None}
    values.update(link)
    row = Row(kind, values, path, path=where)
    own_id = values.get("id")
    for key, value in obj.items():
        child_kind = CHILD_OBJECTS.get(kind, {}).get(key)
        if isinstance(value, dict) and child_kind:
            child_id = _flatten(value, child_kind, f"{where}.{key}", path, {}, tables, seen)
            if child_id:
                values[f"{child_kind}_id"] = child_id
        elif isinstance(value, list) and (key in CHILD_LISTS.get(kind, {}) or key == "metadata"):
            child_kind = CHILD_LISTS.get(kind, {}).get(key, "metadata")
            child_link = (
                {"resource_id": own_id or "", "resource_type": kind}
                if child_kind == "metadata"
                else ({f"{kind}_id": own_id} if own_id else {})
            )
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    item_where = f"{where}.{key}[{index}]"
                    _flatten(item, child_kind, item_where, path, child_link, tables, seen)
        elif isinstance(value, (dict, list)) and value:
            row.nested.append(key)
    if own_id is None or (kind, own_id) not in seen:
        tables[kind].append(row)
        if own_id is not None:
            seen.add((kind, own_id))
    return own_id


def _read_package(descriptor: Path) -> DataSet:
    """A Tabular Data Package: `datapackage.json` names each resource (HSDS object) and its
    CSV file; the CSV rows are linked by their `<kind>_id` columns."""
    package = _read_json(descriptor)
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise _fail(
            Problem(
                display_path(descriptor),
                "is not a data package: it has no `resources` list",
                "give the datapackage.json that came with the CSV files",
            )
        )
    folder = descriptor.parent
    tables: dict[str, list[Row]] = defaultdict(list)
    other: list[str] = []
    problems: list[Problem] = []
    for index, resource in enumerate(resources):
        name = resource.get("name") if isinstance(resource, dict) else None
        relative = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(name, str) or not isinstance(relative, str):
            problems.append(
                Problem(
                    display_path(descriptor),
                    f"resource {index + 1} needs a `name` and a `path` (one CSV file)",
                )
            )
            continue
        csv_path = (folder / relative).resolve()
        if not csv_path.is_relative_to(folder.resolve()):
            problems.append(
                Problem(display_path(descriptor), f"`{relative}` is outside the package folder")
            )
            continue
        if name not in KINDS:
            if csv_path.is_file():
                count = len(_read_csv(csv_path, name, problems))
                if count:
                    other.append(f"{relative}: {count} `{name}` row{'s' if count != 1 else ''}")
            continue
        if not csv_path.is_file():
            problems.append(
                Problem(
                    display_path(descriptor),
                    f"lists `{relative}` (the {name} table), but there is no such file",
                    "copy the whole package folder, or remove the resource from datapackage.json",
                )
            )
            continue
        tables[name].extend(_read_csv(csv_path, name, problems))
    if problems:
        raise _fail(*problems)
    title = package.get("title") or package.get("name")
    return DataSet(descriptor, plain(str(title)) if title else None, dict(tables), other)


def _read_csv(path: Path, kind: str, problems: list[Problem]) -> list[Row]:
    """The rows of one CSV file (header first); empty cells are absent values."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(display_path(path), "is not UTF-8 text", "save it as UTF-8"))
        return []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    first_line: dict[str, int] = {}
    try:
        header = [name.strip() for name in next(reader, [])]
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            line = reader.line_num
            if len(cells) != len(header):
                problems.append(
                    Problem(
                        display_path(path),
                        f"has {len(cells)} values, but the header has {len(header)} columns",
                        "check the commas and quotes on this line",
                        line,
                    )
                )
                continue
            values = {
                name: cell.strip() for name, cell in zip(header, cells, strict=True) if cell.strip()
            }
            row = Row(kind, values, path, line)
            if row.id and row.id in first_line:
                problems.append(
                    row.problem(
                        f"the id is used twice (also on line {first_line[row.id]})",
                        "give each row its own id",
                    )
                )
            first_line.setdefault(row.id, line)
            rows.append(row)
    except csv.Error as error:
        problems.append(
            Problem(
                display_path(path),
                f"is not valid CSV: {error}",
                "check the quotes on this line",
                reader.line_num,
            )
        )
    return rows


# --- Checking: what HSDS 3.0 requires of the objects this import reads --------------------

REQUIRED = {
    "organization": ("id", "name", "description"),
    "service": ("id", "name", "status"),
    "service_at_location": ("id",),
    "location": ("id", "location_type"),
    "address": (
        "id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ),
    "phone": ("id", "number"),
    "schedule": ("id",),
    "language": ("id",),
    "service_area": ("id",),
    "metadata": ("id", "last_action_date"),
}
TABULAR_REQUIRED = {
    "service": ("organization_id",),
    "service_at_location": ("service_id", "location_id"),
    "metadata": ("resource_id",),
}
"""Links that HSDS requires in the CSV form (in JSON, nesting gives them)."""

ENUMS = {
    ("service", "status"): ("active", "inactive", "defunct", "temporarily closed"),
    ("location", "location_type"): ("physical", "postal", "virtual"),
    ("address", "address_type"): ("physical", "postal", "virtual"),
}
LINKS = {
    "organization_id": "organization",
    "service_id": "service",
    "location_id": "location",
    "service_at_location_id": "service_at_location",
    "phone_id": "phone",
}


def check_dataset(data: DataSet) -> None:
    """Every problem that makes the data set unusable, at once: required fields missing,
    values outside HSDS's lists, CSV rows linking to rows that are not there. (In JSON an
    `organization_id` without its organization may be a partial export: the service is then
    imported under its own name.)"""
    known = {kind: {row.id for row in data.rows(kind)} for kind in KINDS}
    problems: list[Problem] = []
    for kind in KINDS:
        for row in data.rows(kind):
            required = REQUIRED[kind] + (TABULAR_REQUIRED.get(kind, ()) if row.tabular else ())
            for name in required:
                if not row.get(name):
                    problems.append(
                        row.problem(
                            f"`{name}` is missing",
                            f"HSDS 3.0 requires `{name}` of every {kind}; "
                            "ask the directory's keepers to fill it in, or add it",
                        )
                    )
            for (enum_kind, name), allowed in ENUMS.items():
                value = row.get(name)
                if enum_kind == kind and value and value not in allowed:
                    problems.append(
                        row.problem(
                            f"`{name}` cannot be `{value}`", f"use one of: {', '.join(allowed)}"
                        )
                    )
            for name, target in LINKS.items():
                value = row.get(name)
                if row.tabular and value and target != kind and value not in known[target]:
                    problems.append(
                        row.problem(
                            f"`{name}` is `{value}`, but the data set has no {target} with that id",
                            "export the whole data set, or correct the id",
                        )
                    )
    if not data.rows("organization") and not data.rows("service"):
        problems.append(Problem(display_path(data.path), "has no organizations and no services"))
    if problems:
        raise _fail(*problems)


# --- Mapping: HSDS objects to records, and a note for everything that does not fit --------

MAPPED = {
    "organization": {"name", "alternate_name", "description", "website", "url", "email"},
    "service": {"name", "alternate_name", "description", "url", "email", "status"},
    "service_at_location": set(),
    "location": {"location_type"},
    "address": {
        "address_1",
        "address_2",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    },
    "phone": {"number", "extension", "type", "description"},
    "schedule": {
        "freq",
        "interval",
        "byday",
        "opens_at",
        "closes_at",
        "description",
        "valid_from",
        "valid_to",
        "dtstart",
        "wkst",
        "timezone",
        "until",
        "count",
        "byweekno",
        "bymonthday",
        "byyearday",
    },
    "language": {"name", "code"},
    "service_area": {"name", "description"},
}
"""Fields this import reads (or deliberately reads past, e.g. `wkst`); any other field with a
value is reported as not imported."""

STRUCTURAL = {
    "id",
    "organization_id",
    "service_id",
    "location_id",
    "service_at_location_id",
    "phone_id",
    "contact_id",
    "program_id",
    "parent_organization_id",
    "assured_date",
    "last_modified",
}
"""Ids and links (and the dates `checked` comes from): never reported."""

DATE_FIELDS = {"service": ("assured_date", "last_modified"), "organization": ("last_modified",)}
"""Where `checked` comes from, in this order (`assured_date`: when the service was last
checked; `last_modified`, HSDS 3.1); else the newest `metadata.last_action_date`."""

PHONE_KINDS = {
    "voice": "call",
    "cell": "call",
    "text": "text",
    "sms": "text",
    "textphone": "tty",
    "tty": "tty",
}
"""HSDS phone `type` (RFC 6350 types) to the kinds a material prints. Fax, pager and video
numbers are left out: a card says "call", "text" or "TTY"."""

DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
ORDINALS = {
    1: "first",
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    -1: "last",
    -2: "second to last",
}
UNSUPPORTED_RULES = ("until", "count", "byweekno", "bymonthday", "byyearday")
TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
UNDATED_NOTE = (
    "The directory gives no date when this was last checked; confirm it before relying on it."
)


@dataclass(frozen=True)
class Note:
    """Something of the data set that is not in the records: which object, field(s), why."""

    kind: str
    id: str
    label: str
    fields: tuple[str, ...]
    why: str

    def __str__(self) -> str:
        label = f" ({self.label})" if self.label else ""
        names = ", ".join(f"`{name}`" for name in self.fields)
        return f"{self.kind} {self.id}{label}: {names}: {self.why}"


@dataclass
class Mapped:
    """One record made from an HSDS service (or organization without services)."""

    kind: str
    hsds_id: str
    record: dict[str, Any]
    dated: bool

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.hsds_id)


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"br", "p", "li", "div"}:
            self.parts.append(" ")


def plain(text: str | None) -> str:
    """HSDS descriptions may hold HTML; content is plain text: tags out, entities decoded,
    white space collapsed."""
    if not text:
        return ""
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _date(value: str | None) -> datetime.date | None:
    match = re.match(r"^(\d{4}-\d{2}-\d{2})", value or "")
    try:
        return datetime.date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        return None


def _long_date(day: datetime.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


class Mapper:
    """Makes the records of one data set, collecting notes on what does not fit."""

    def __init__(self, data: DataSet, source: str, today: datetime.date) -> None:
        self.data = data
        self.source = source
        self.today = today
        self.by_id = {(row.kind, row.id): row for kind in KINDS for row in data.rows(kind)}
        self.linked: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
        for kind in KINDS:
            for row in data.rows(kind):
                for name in (*LINKS, "resource_id"):
                    if row.get(name):
                        self.linked[(kind, name, row.values[name])].append(row)
        self.notes: dict[Note, None] = {}
        self.used: set[tuple[str, str]] = set()
        self.skipped_services: set[str] = set()

    def get(self, kind: str, object_id: str | None) -> Row | None:
        return self.by_id.get((kind, object_id or ""))

    def children(self, kind: str, link: str, parent: Row) -> list[Row]:
        return self.linked.get((kind, link, parent.id), [])

    def note(self, row: Row, fields: str | tuple[str, ...], why: str) -> None:
        names = (fields,) if isinstance(fields, str) else fields
        self.notes[Note(row.kind, row.id, row.label, names, why)] = None

    def use(self, rows: list[Row]) -> list[Row]:
        self.used.update((row.kind, row.id) for row in rows)
        return rows

    # records

    def records(self) -> list[Mapped]:
        found: list[Mapped] = []
        with_services = set()
        for service in self.data.rows("service"):
            with_services.add(service.get("organization_id"))
            status = service.get("status")
            if status != "active":
                self.skipped_services.add(service.id)
                self.note(service, "status", f"the service is {status}; not imported")
                continue
            found += self._checked_record(service, self._service_record(service))
        for organization in self.data.rows("organization"):
            if organization.id not in with_services:
                found += self._checked_record(organization, self._organization_record(organization))
        self._note_unused()
        self._note_unmapped_fields()
        return sorted(found, key=lambda item: (item.record["name"].casefold(), item.hsds_id))

    def _checked_record(self, owner: Row, made: tuple[dict, bool] | None) -> list[Mapped]:
        if made is None:
            return []
        record, dated = made
        try:
            Resource.model_validate({"id": "x", **record})
        except ValidationError as error:
            reasons = "; ".join(detail["msg"] for detail in error.errors())
            self.note(owner, "name", f"cannot become a record ({reasons}); not imported")
            return []
        return [Mapped(owner.kind, owner.id, record, dated)]

    def _service_record(self, service: Row) -> tuple[dict, bool] | None:
        organization = self.get("organization", service.get("organization_id"))
        at = self.use(self.children("service_at_location", "service_id", service))
        locations = self.use(
            [loc for sal in at if (loc := self.get("location", sal.get("location_id")))]
        )
        phones = self.children("phone", "service_id", service)
        phones += [p for sal in at for p in self.children("phone", "service_at_location_id", sal)]
        if not phones:
            phones = [p for loc in locations for p in self.children("phone", "location_id", loc)]
        if not phones and organization:
            phones = self._own_phones(organization)
        schedules = self.children("schedule", "service_id", service)
        schedules += [
            s for sal in at for s in self.children("schedule", "service_at_location_id", sal)
        ]
        if not schedules:
            schedules = [
                s for loc in locations for s in self.children("schedule", "location_id", loc)
            ]
        languages = self.children("language", "service_id", service)
        languages += [
            lang for loc in locations for lang in self.children("language", "location_id", loc)
        ]
        description = plain(service.get("description"))
        if not description and organization:
            description = plain(organization.get("description"))
        if not description:
            self.note(
                service,
                "description",
                "missing, so the record would not say what it helps with; not imported",
            )
            return None
        origins = [service, *([organization] if organization else [])]
        record = {
            **self._names(service, organization),
            "helps_with": description,
            "scope": "local",
            **self._area(self.use(self.children("service_area", "service_id", service))),
            **self._phones(phones),
            **self._hours(schedules),
            **self._contact(origins),
            **self._address(locations),
            **self._languages(languages),
        }
        return self._dated(record, service)

    def _organization_record(self, organization: Row) -> tuple[dict, bool] | None:
        locations = self.use(self.children("location", "organization_id", organization))
        languages = [
            lang for loc in locations for lang in self.children("language", "location_id", loc)
        ]
        schedules = [s for loc in locations for s in self.children("schedule", "location_id", loc)]
        record = {
            "name": plain(organization.get("name")),
            **self._short_name(organization),
            "helps_with": plain(organization.get("description")),
            "scope": "local",
            **self._phones(self._own_phones(organization)),
            **self._hours(schedules),
            **self._contact([organization]),
            **self._address(locations),
            **self._languages(languages),
        }
        return self._dated(record, organization)

    def _own_phones(self, organization: Row) -> list[Row]:
        """The organization's own numbers (not those of its services, locations or staff)."""
        others = ("service_id", "location_id", "service_at_location_id", "contact_id")
        return [
            phone
            for phone in self.children("phone", "organization_id", organization)
            if not any(phone.get(name) for name in others)
        ]

    def _names(self, service: Row, organization: Row | None) -> dict[str, str]:
        """`Organization: Service`, unless one name already holds the other."""
        name = plain(service.get("name"))
        if organization:
            owner = plain(organization.get("name"))
            if name.casefold() in owner.casefold():
                name = owner
            elif owner.casefold() not in name.casefold():
                name = f"{owner}: {name}"
        return {"name": name, **self._short_name(service)}

    @staticmethod
    def _short_name(row: Row) -> dict[str, str]:
        short = plain(row.get("alternate_name"))
        return {"short_name": short} if short else {}

    def _dated(self, record: dict, row: Row) -> tuple[dict, bool]:
        """`source`, `checked` and, without a date in the data set, `verified: false`."""
        checked = self._checked(row)
        record["source"] = self.source
        if checked is not None:
            record["checked"] = checked
            return record, True
        self.note(
            row,
            DATE_FIELDS[row.kind],
            "missing, and no metadata date either: imported as not confirmed (marked in "
            "print), with the import date as `checked`",
        )
        record |= {"checked": self.today, "verified": False, "unverified_note": UNDATED_NOTE}
        return record, False

    def _checked(self, row: Row) -> datetime.date | None:
        for name in DATE_FIELDS[row.kind]:
            value = row.get(name)
            if value and _date(value):
                return _date(value)
            if value:
                self.note(row, name, f"`{value}` is not a date (YYYY-MM-DD); not used")
        changes = self.linked.get(("metadata", "resource_id", row.id), [])
        dates = [day for change in changes if (day := _date(change.get("last_action_date")))]
        return max(dates) if dates else None

    def _area(self, areas: list[Row]) -> dict[str, str]:
        names = [plain(area.get("name") or area.get("description")) for area in areas]
        names = list(dict.fromkeys(name for name in names if name))
        return {"area_served": "; ".join(names)} if names else {}

    def _contact(self, origins: list[Row]) -> dict[str, str]:
        """Website and e-mail: the service's, else its organization's."""
        found: dict[str, str] = {}
        for row in origins:
            for name in ("url", "website"):
                value = row.get(name)
                if "website" not in found and value:
                    website = re.sub(r"^https://", "", value).rstrip("/")
                    try:
                        _validate_field(Website, website)
                        found["website"] = website
                    except ValueError as error:
                        self.note(row, name, f"{error}; left out")
            value = row.get("email")
            if "email" not in found and value:
                try:
                    _validate_field(Email, value)
                    found["email"] = value
                except ValueError as error:
                    self.note(row, "email", f"{error}; left out")
        return found

    def _address(self, locations: list[Row]) -> dict[str, str]:
        """The street address of the first physical location: where people go."""
        for location in locations:
            if location.get("location_type") == "virtual":
                continue
            for address in self.children("address", "location_id", location):
                if address.get("address_type") == "physical":
                    self.use([address])
                    parts = [
                        address.get("address_1"),
                        address.get("address_2"),
                        address.get("city"),
                        f"{address.get('state_province') or ''} {address.get('postal_code') or ''}",
                    ]
                    if (address.get("country") or "").upper() not in ("US", "USA"):
                        parts.append(address.get("country"))
                    return {"address": ", ".join(plain(p) for p in parts if p and p.strip())}
        return {}

    def _languages(self, rows: list[Row]) -> dict[str, list[str]]:
        names: dict[str, str] = {}
        for row in rows:
            name = plain(row.get("name")) or _language_name(row.get("code"))
            if name:
                names.setdefault(name.casefold(), name)
            else:
                self.note(row, ("name", "code"), "no name or known code; left out")
        return {"languages": list(names.values())} if names else {}

    # phones

    def _phones(self, rows: list[Row]) -> dict[str, list[dict]]:
        """Numbers as the model writes them; one number with several types becomes one phone
        with several kinds."""
        merged: dict[tuple, dict] = {}
        for row in self.use(rows):
            phone = self._phone(row)
            if phone is None:
                continue
            key = (
                phone["number"],
                phone.get("how"),
                phone.get("note"),
                str(phone.get("languages")),
            )
            if key in merged:
                kinds = merged[key]["kind"] + [
                    k for k in phone["kind"] if k not in merged[key]["kind"]
                ]
                merged[key]["kind"] = sorted(kinds, key=list(PHONE_KINDS.values()).index)
            else:
                merged[key] = phone
        phones = [
            {**phone, "kind": phone["kind"][0] if len(phone["kind"]) == 1 else phone["kind"]}
            for phone in merged.values()
        ]
        return {"phones": phones} if phones else {}

    def _phone(self, row: Row) -> dict | None:
        number = (row.get("number") or "").strip().strip('"')
        problem = phone_numbers.number_problem(number)
        if problem:
            self.note(row, "number", f"{problem}; this number is left out")
            return None
        kind_name = (row.get("type") or "").lower()
        if not kind_name:
            self.note(row, "type", "missing; imported as a number to call")
        elif kind_name not in PHONE_KINDS:
            self.note(
                row,
                "type",
                f"`{kind_name}` numbers cannot be printed as call, text or TTY; left out",
            )
            return None
        phone: dict[str, Any] = {
            "number": phone_numbers.display(number),
            "kind": [PHONE_KINDS.get(kind_name, "call")],
        }
        if row.get("extension"):
            phone["how"] = f"extension {row.values['extension']}"
        if plain(row.get("description")):
            phone["note"] = plain(row.get("description"))
        codes = self._phone_languages(row)
        if codes:
            phone["languages"] = codes
        try:
            Phone.model_validate(phone)
        except ValidationError as error:
            reasons = "; ".join(detail["msg"] for detail in error.errors())
            self.note(row, "number", f"cannot be printed ({reasons}); left out")
            return None
        return phone

    def _phone_languages(self, phone: Row) -> list[str]:
        """Language codes (es, pt) of a number that serves only some languages. If one cannot
        be coded, none is set: the number then shows in every language's materials."""
        rows = self.use(self.children("language", "phone_id", phone))
        codes = []
        for row in rows:
            code = _language_code(row.get("code"))
            if code is None:
                self.note(
                    row,
                    "code",
                    f"`{row.get('code') or ''}` is not a language code (ISO 639); the number "
                    "is printed in every language",
                )
                return []
            codes.append(code)
        return list(dict.fromkeys(codes))

    # hours

    def _hours(self, rows: list[Row]) -> dict[str, str]:
        texts = [text for row in self.use(rows) if (text := self._schedule_words(row))]
        texts = list(dict.fromkeys(texts))
        return {"hours": "; ".join(texts)} if texts else {}

    def _schedule_words(self, row: Row) -> str | None:
        """One schedule in plain words ("Monday to Friday, 9 am to 5 pm"), or its own
        `description` when its rule cannot be said simply."""
        description = plain(row.get("description"))
        structured = any(row.get(name) for name in ("freq", "byday", "opens_at", "closes_at"))
        valid_to = _date(row.get("valid_to"))
        if valid_to and valid_to < self.today:
            self.note(row, "valid_to", f"ended on {valid_to.isoformat()}; left out")
            return None
        if not structured:
            if not description:
                self.note(row, "description", "the schedule says nothing; left out")
            return description or None
        words, (name, why) = _rule_words(row)
        if words is None:
            if description:
                self.note(row, name, f"{why}; its `description` is printed instead")
                return description
            self.note(row, name, f"{why}; these hours are left out")
            return None
        valid_from = _date(row.get("valid_from"))
        if valid_from and valid_from > self.today:
            words += f" (from {_long_date(valid_from)})"
        if valid_to:
            words += f" (until {_long_date(valid_to)})"
        if description:
            self.note(row, "description", "not printed: the hours are printed from the schedule")
        return words

    # what was not used

    def _belongs_to_skipped(self, row: Row) -> bool:
        if row.get("service_id") in self.skipped_services:
            return True
        at = self.get("service_at_location", row.get("service_at_location_id"))
        return at is not None and at.get("service_id") in self.skipped_services

    def _note_unused(self) -> None:
        for kind in ("phone", "schedule", "address"):
            for row in self.data.rows(kind):
                if (kind, row.id) in self.used or self._belongs_to_skipped(row):
                    continue
                field_name = {"phone": "number", "schedule": "id", "address": "address_1"}[kind]
                self.note(row, field_name, self._unused_reason(row))

    def _unused_reason(self, row: Row) -> str:
        if row.get("contact_id"):
            return "belongs to a contact person; contacts are not imported"
        if row.kind == "address" and row.get("address_type") != "physical":
            return f"a {row.get('address_type')} address; only street addresses are printed"
        if row.kind == "address":
            location = self.get("location", row.get("location_id"))
            if location is not None and (location.kind, location.id) not in self.used:
                return "no imported service is offered at its location"
            return "a record holds one street address; the first location's is printed"
        owner = "location" if row.get("location_id") else "organization"
        return f"belongs to the {owner}; the imported services have their own, so it is not printed"

    def _note_unmapped_fields(self) -> None:
        for kind in KINDS:
            if kind == "metadata":
                continue
            for row in self.data.rows(kind):
                if self._belongs_to_skipped(row) or (
                    kind == "service" and row.id in self.skipped_services
                ):
                    continue
                extra = sorted(name for name in row.values if name not in MAPPED[kind] | STRUCTURAL)
                extra += sorted(row.nested)
                if extra:
                    self.note(
                        row,
                        tuple(extra),
                        "not imported; handout has no field for "
                        + ("it" if len(extra) == 1 else "them"),
                    )


def _validate_field(annotation: Any, value: str) -> None:
    """Check one value as the Resource model would (a website, an e-mail address)."""
    try:
        TypeAdapter(annotation).validate_python(value)
    except ValidationError as error:
        raise ValueError(error.errors()[0]["msg"].removeprefix("Value error, ")) from None


def _language_code(code: str | None) -> str | None:
    """ISO 639-1 code of an ISO 639-1/3 code or tag: `spa`, `es-MX` -> `es`."""
    if not code:
        return None
    try:
        return Locale.parse(code.replace("-", "_")).language
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def _language_name(code: str | None) -> str | None:
    language = _language_code(code)
    return Locale.parse(language).get_display_name("en") if language else None


def _rule_words(row: Row) -> tuple[str | None, tuple[str, str]]:
    """The schedule's repeat rule and times in words, or None and (field, why not)."""
    for name in UNSUPPORTED_RULES:
        if row.get(name):
            return None, (name, f"a rule with `{name}` cannot be put in plain words")
    interval = row.get("interval")
    if interval and interval != "1":
        return None, ("interval", f"repeats every {interval} weeks or months: too complex to print")
    freq = (row.get("freq") or "WEEKLY").upper()
    days = [day.strip().upper() for day in (row.get("byday") or "").split(",") if day.strip()]
    if not days:
        return None, ("byday", "no days given")
    if freq == "WEEKLY":
        if any(day not in DAYS for day in days):
            return None, ("byday", f"`{row.get('byday')}` are not days such as MO,TU")
        when = _day_list(days)
    elif freq == "MONTHLY":
        when = _monthly(days)
        if when is None:
            return None, ("byday", f"`{row.get('byday')}` is not a rule such as 1SA or -1FR")
    else:
        return None, ("freq", f"`{freq}` is neither WEEKLY nor MONTHLY")
    opens, closes = row.get("opens_at"), row.get("closes_at")
    if not opens or not closes:
        return when, ("", "")
    times = [TIME.match(value) for value in (opens, closes)]
    for name, match in zip(("opens_at", "closes_at"), times, strict=True):
        if match is None:
            return None, (name, f"`{row.get(name)}` is not a time such as 09:00")
        if match.group(3) == "Z":
            return None, (name, "the time is in UTC (Z), so the local time is not known")
    (start_h, start_m), (end_h, end_m) = ((int(m.group(1)), int(m.group(2))) for m in times)
    if (start_h, start_m) == (0, 0) and (end_h, end_m) in ((23, 59), (24, 0), (0, 0)):
        return f"{when}, 24 hours", ("", "")
    return f"{when}, {_clock(start_h, start_m)} to {_clock(end_h, end_m)}", ("", "")


def _day_list(days: list[str]) -> str:
    """MO,TU,WE,TH,FR -> "Monday to Friday"; all seven -> "Every day"."""
    order = [day for day in DAYS if day in days]
    if len(order) == 7:
        return "Every day"
    runs: list[list[str]] = []
    for day in order:
        if runs and list(DAYS).index(day) == list(DAYS).index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAYS[run[0]]} to {DAYS[run[-1]]}")
        else:
            parts += [DAYS[day] for day in run]
    return _and(parts)


def _monthly(days: list[str]) -> str | None:
    """1SA -> "First Saturday of the month"; 1SA,3SA -> "First and third Saturday ..."."""
    parsed = []
    for day in days:
        match = re.fullmatch(r"([+-]?\d)([A-Z]{2})", day)
        if not match or match.group(2) not in DAYS or int(match.group(1)) not in ORDINALS:
            return None
        parsed.append((ORDINALS[int(match.group(1))], DAYS[match.group(2)]))
    if len({weekday for _o, weekday in parsed}) == 1:
        text = f"{_and([ordinal for ordinal, _w in parsed])} {parsed[0][1]}"
    else:
        text = _and([f"{ordinal} {weekday}" for ordinal, weekday in parsed])
    return f"{text[0].upper()}{text[1:]} of the month"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _clock(hour: int, minute: int) -> str:
    if (hour % 24, minute) == (0, 0):
        return "midnight"
    if (hour, minute) == (12, 0):
        return "noon"
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown} {suffix}" if minute == 0 else f"{shown}:{minute:02d} {suffix}"


# --- Writing: the import file, the region's include list, and the hand-edit check --------

MARK = re.compile(r"^\s*# from HSDS (organization|service) (.+), fingerprint ([0-9a-f]{12})\s*$")
HEADER = """\
# yaml-language-server: $schema=../../schema/resources.schema.json
# Records for the region `{region}`, imported from an Open Referral (HSDS) service directory
# by `python build.py import-hsds` on {date}. Data set: {source}
#
# Do not edit this file: the next import replaces it, and stops if a record here was changed
# by hand (--force overwrites the change). To correct a record for good, write the change
# under `overrides:` in regions/{region}.yaml (imports leave it alone), and tell the
# directory's keepers. Each `# from HSDS` line names the record's origin and a fingerprint.
"""


CHECK_FIELDS = ("checked", "verified", "unverified_note")
"""What `mark-checked` records: a re-check is not a hand edit of the imported facts."""


def _hash(data: dict) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def fingerprint(record: dict) -> str:
    """A short hash of a record's facts (not of when they were checked), the same whether
    read back from YAML or just made."""
    return _hash({name: value for name, value in record.items() if name not in CHECK_FIELDS})


def _same(first: dict, second: dict) -> bool:
    return _hash(first) == _hash(second)


class _BlockDumper(yaml.SafeDumper):
    """Written as in the hand-written content files: lists indented under their key, short
    lists of words on one line (`kind: [call, text]`), everything else in blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


_BlockDumper.add_representer(
    dict, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, False)
)
_BlockDumper.add_representer(
    list,
    lambda dumper, data: dumper.represent_sequence(
        "tag:yaml.org,2002:seq", data, all(isinstance(item, str) for item in data)
    ),
)


def record_yaml(record: dict) -> str:
    return yaml.dump(
        [record],
        Dumper=_BlockDumper,
        sort_keys=False,
        allow_unicode=True,
        width=96,
    )


def import_file_text(
    region_id: str, source: str, today: datetime.date, records: list[Mapped], ids: list[str]
) -> str:
    blocks = []
    for item, record_id in zip(records, ids, strict=True):
        record = {"id": record_id, **item.record}
        lines = [f"# from HSDS {item.kind} {item.hsds_id}, fingerprint {fingerprint(record)}"]
        lines += record_yaml(record).splitlines()
        blocks.append("".join(f"  {line}\n" for line in lines))
    header = HEADER.format(region=region_id, date=today.isoformat(), source=source)
    return header + "records:\n" + "\n".join(blocks)


@dataclass
class Existing:
    """A record already in the import file, and what its `# from HSDS` line says of it."""

    id: str
    data: dict
    line: int | None
    key: tuple[str, str] | None
    mark: str | None

    @property
    def hand_edited(self) -> bool:
        return self.key is None or self.mark != fingerprint(self.data)


def read_import_file(path: Path) -> list[Existing]:
    """The records of an earlier import (the content already validated this file)."""
    if not path.is_file():
        return []
    source = read_yaml(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for index, data in enumerate((source.data or {}).get("records") or []):
        line, _column = source.where(("records", index))
        mark = MARK.match(lines[line - 2]) if line and line >= 2 else None
        key = (mark.group(1), mark.group(2)) if mark else None
        found.append(Existing(data["id"], data, line, key, mark.group(3) if mark else None))
    return found


def _round_trip() -> YAML:
    yaml_rt = YAML()
    yaml_rt.preserve_quotes = True
    yaml_rt.width = 4096
    yaml_rt.indent(mapping=2, sequence=4, offset=2)
    return yaml_rt


def _edited(path: Path, change: Any) -> str:
    """The text of a YAML file after `change(data)`, comments and layout kept."""
    yaml_rt = _round_trip()
    data = yaml_rt.load(path.read_text(encoding="utf-8"))
    change(data)
    out = io.StringIO()
    yaml_rt.dump(data, out)
    return out.getvalue()


def region_text(path: Path, add: list[str], remove: set[str]) -> str:
    def change(data: Any) -> None:
        include = data.get("include")
        if include is None:
            position = list(data).index("area") + 1 if "area" in data else len(data)
            data.insert(position, "include", [])
            include = data["include"]
        for record_id in [item for item in include if item in remove]:
            include.remove(record_id)
        include.extend(record_id for record_id in add if record_id not in include)

    return _edited(path, change)


def without_records(path: Path, ids: set[str]) -> str:
    def change(data: Any) -> None:
        records = data["records"]
        for item in [item for item in records if item.get("id") in ids]:
            records.remove(item)

    return _edited(path, change)


def slug(text: str) -> str:
    """A record id from a name: `Maple Street Center: Food` -> `maple-street-center-food`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > 60:
            break
        kept.append(word)
    return "-".join(kept) or "record"


def assign_ids(records: list[Mapped], earlier: list[Existing]) -> list[str]:
    """Ids stay what an earlier import gave the same HSDS object (cards and includes name
    them); new records get one from their name."""
    earlier_ids = {item.key: item.id for item in earlier if item.key}
    taken = {earlier_ids[item.key] for item in records if item.key in earlier_ids}
    ids = []
    for item in records:
        record_id = earlier_ids.get(item.key)
        if record_id is None:
            base = record_id = slug(item.record["name"])
            number = 2
            while record_id in taken:
                record_id, number = f"{base}-{number}", number + 1
            taken.add(record_id)
        ids.append(record_id)
    return ids


@dataclass
class Outcome:
    """What an import did (or, with dry_run, would do), for the report."""

    source: str
    target: Path
    region_id: str
    region_file: Path
    ids: list[str]
    new: list[str]
    changed: list[str]
    removed: list[str]
    overwritten: list[str]
    notes: list[Note]
    other: list[str]
    undated: int
    written: bool

    def report(self) -> str:
        unchanged = len(self.ids) - len(self.new) - len(self.changed)
        lines = [
            f"Imported {len(self.ids)} records from {self.source}",
            f"  into {display_path(self.target)}: {len(self.new)} new, {len(self.changed)} "
            f"changed, {unchanged} unchanged, {len(self.removed)} removed.",
        ]
        if self.undated:
            one = self.undated == 1
            lines.append(
                f"  {self.undated} of them {'has' if one else 'have'} no date in the data set, so "
                f"{'it prints' if one else 'they print'} as not confirmed until someone checks "
                f"(python build.py verify-sheet lists {'it' if one else 'them'})."
            )
        if self.removed:
            lines.append(f"  Removed (no longer in the data set): {', '.join(self.removed)}.")
        if self.overwritten:
            lines.append(
                f"  Overwrote hand-written records (--force): {', '.join(self.overwritten)}."
            )
        lines.append(
            f"Region {self.region_id} includes them ({display_path(self.region_file)}), so they "
            "print in its booklet; to put one on a card or the flyer, add its id there."
        )
        count = len(self.notes) + len(self.other)
        if count:
            lines.append(f"Could not map {count} thing{'s' if count != 1 else ''}:")
            lines += [f"  {note}" for note in self.notes]
            lines += [
                f"  {item}: not imported; handout has no place for them" for item in self.other
            ]
        else:
            lines.append("Everything in the data set was mapped.")
        if not self.written:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)


def default_source(data: DataSet) -> str:
    """The package's title, else the file (or package folder) name."""
    package = data.path.name == "datapackage.json"
    return f"HSDS data set: {data.title or (data.path.parent.name if package else data.path.name)}"


def import_hsds(
    content_dir: Path,
    dataset: Path,
    region_id: str,
    *,
    force: bool = False,
    source: str | None = None,
    today: datetime.date | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Read, check and map the data set, then write the region's import file and include
    list, after making sure the content with the import applied still validates."""
    from handout.pipeline import load, publish, stage

    today = today or datetime.date.today()
    data = read_dataset(dataset)
    check_dataset(data)
    source = " ".join((source or default_source(data)).split())
    try:
        content = load(content_dir)
    except ContentErrors as error:
        raise ImportErrors(
            error.problems,
            "the content has problems; fix them first (nothing was imported):",
        ) from error
    if region_id not in content.regions:
        known = ", ".join(sorted(content.regions))
        raise UserError(
            f"no region `{region_id}` in {display_path(content_dir / 'regions')}; known regions: "
            f"{known} (to add one, see the README: Recipe: add a region)"
        )
    mapper = Mapper(data, source, today)
    records = mapper.records()
    if not records:
        raise UserError(
            f"{display_path(data.path)}: nothing to import (no active service and no organization "
            "without services)"
        )
    target = content_dir / "resources" / f"hsds-{region_id}.yaml"
    earlier = read_import_file(target)
    ids = assign_ids(records, earlier)
    _merge_checks(records, ids, earlier)
    conflicts, elsewhere = _conflicts(content, target, records, ids, earlier, region_id)
    if conflicts and not force:
        count = len(conflicts)
        raise ImportErrors(
            [problem for _record_id, problem in conflicts],
            f"the import would overwrite {count} record{'s' if count != 1 else ''} "
            "written or changed by hand; nothing was written (run again with --force to "
            "overwrite them):",
        )
    region_file = content_dir / "regions" / f"{region_id}.yaml"
    removed = [item.id for item in earlier if item.id not in ids]
    text = import_file_text(region_id, source, today, records, ids)
    if target.is_file() and _records_part(target.read_text(encoding="utf-8")) == _records_part(
        text
    ):
        text = target.read_text(encoding="utf-8")  # nothing changed: keep the earlier date
    files = {target: text, region_file: region_text(region_file, ids, set(removed))}
    for file, moved in elsewhere.items():
        files[content_dir / file] = without_records(content_dir / file, moved)
    _validate_with(content_dir, files)
    if not dry_run:
        changed_files = [
            (path, text.encode("utf-8"))
            for path, text in files.items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text
        ]
        publish(stage(changed_files))
    by_id = {item.id: item for item in earlier}
    return Outcome(
        source=source,
        target=target,
        region_id=region_id,
        region_file=region_file,
        ids=ids,
        new=[rid for rid in ids if rid not in by_id],
        changed=[
            rid
            for item, rid in zip(records, ids, strict=True)
            if rid in by_id and not _same({"id": rid, **item.record}, by_id[rid].data)
        ],
        removed=removed,
        overwritten=[record_id for record_id, _problem in conflicts] if force else [],
        notes=sorted(mapper.notes, key=lambda note: (KINDS.index(note.kind), note.label, note.id)),
        other=data.other,
        undated=sum(not item.dated for item in records),
        written=not dry_run,
    )


def _records_part(text: str) -> str:
    return text.partition("\nrecords:\n")[2]


def _merge_checks(records: list[Mapped], ids: list[str], earlier: list[Existing]) -> None:
    """Re-importing is not checking, and a check recorded here (`mark-checked`) is kept: when
    a record's facts did not change, the later check stands, and a record that the data set
    gives no date for keeps the check it had."""
    by_id = {item.id: item for item in earlier}
    for item, record_id in zip(records, ids, strict=True):
        before = by_id.get(record_id)
        if before is None or fingerprint({"id": record_id, **item.record}) != fingerprint(
            before.data
        ):
            continue
        before_checked = _date(str(before.data.get("checked")))
        if before_checked is None or (item.dated and before_checked < item.record["checked"]):
            continue
        for name in CHECK_FIELDS:
            item.record.pop(name, None)
            if name in before.data:
                item.record[name] = before.data[name]
        item.record["checked"] = before_checked


def _conflicts(
    content: Content,
    target: Path,
    records: list[Mapped],
    ids: list[str],
    earlier: list[Existing],
    region_id: str,
) -> tuple[list[tuple[str, Problem]], dict[str, set[str]]]:
    """Records the import would overwrite that a person wrote or changed: in the import file
    (changed since the import, or added by hand), and records with the same id in other
    files. Returns the problems, and the ids to remove from each other file under --force."""
    new = {
        record_id: {"id": record_id, **item.record}
        for item, record_id in zip(records, ids, strict=True)
    }
    problems = []
    overrides = f"`overrides:` in regions/{region_id}.yaml"
    for item in earlier:
        facts_differ = item.id not in new or fingerprint(new[item.id]) != fingerprint(item.data)
        if item.hand_edited and facts_differ:
            how, fix = (
                (
                    "was changed by hand since the last import",
                    f"keep your change under {overrides} instead (imports leave it alone)",
                )
                if item.key
                else ("was added by hand", "move it to a file of your own, such as local.yaml")
            )
            problems.append(
                (
                    item.id,
                    Problem(
                        display_path(target),
                        f"record `{item.id}` {how}",
                        fix,
                        item.line,
                    ),
                )
            )
    elsewhere: dict[str, set[str]] = defaultdict(set)
    target_name = str(target.relative_to(content.root))
    for record_id in ids:
        place = content.places.get(f"resource:{record_id}")
        if place is None or place[0] == target_name:
            continue
        file, location = place
        line, column = content.files[file].where((*location, "id"))
        problems.append(
            (
                record_id,
                Problem(
                    display_path(content.root / file),
                    f"record `{record_id}` is already written in this file, and the data set has "
                    "a record with the same id",
                    "rename or remove the record here; --force removes it here and writes the "
                    "data set's instead",
                    line,
                    column,
                ),
            )
        )
        elsewhere[file].add(record_id)
    return problems, elsewhere


def _validate_with(content_dir: Path, files: dict[Path, str]) -> None:
    """Load a copy of the content with `files` written into it; their problems (located in
    the real content folder) stop the import."""
    from handout.pipeline import load

    with tempfile.TemporaryDirectory(prefix="handout-import-") as scratch:
        copy = Path(scratch) / "content"
        shutil.copytree(content_dir, copy)
        for path, text in files.items():
            (copy / path.relative_to(content_dir)).write_text(text, encoding="utf-8")
        try:
            load(copy)
        except ContentErrors as error:
            located = [
                replace(
                    p,
                    file=display_path(
                        content_dir / Path(p.file).resolve().relative_to(copy.resolve())
                    ),
                )
                if Path(p.file).resolve().is_relative_to(copy.resolve())
                else p
                for p in error.problems
            ]
            raise ImportErrors(
                located,
                "with the import applied, the content would have problems; nothing was written "
                "(is a record that left the data set still on a card or the flyer?):",
            ) from error
