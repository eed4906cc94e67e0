"""Mapping HSDS objects to resource records, with a note for everything that does not fit.

Each active service becomes one record (its organization, locations, phones, schedules and
languages folded in); an organization without services becomes one too. The records model
holds less than HSDS, so everything left out (a field, a fax number, an inactive service, a
rule too complex to print) is noted with its object, id and field: the import's report
lists these notes, so nothing disappears silently.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from babel.core import Locale, UnknownLocaleError
from pydantic import TypeAdapter, ValidationError

from handout.content import phones as phone_numbers
from handout.content.models import Email, Phone, Resource, Website
from handout.hsds.check import LINKS
from handout.hsds.dataset import KINDS, PLAIN_ID, DataSet
from handout.hsds.hours import rule_words
from handout.hsds.rows import Row, plain

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

RECORD_ORIGIN = {
    "name": "name",
    "short_name": "alternate_name",
    "helps_with": "description",
    "area_served": "service_areas",
    "website": "url",
    "email": "email",
    "hours": "schedules",
    "address": "addresses",
    "phones": "phones",
    "languages": "languages",
    "source": "name",
}
"""Which HSDS field a record's field is made from: a note names the field to fix in the
directory (the HTML is in the `description`, not the `name`)."""

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
        label = f" ({_shown(self.label)})" if self.label else ""
        shown_id = self.id if PLAIN_ID.fullmatch(self.id) else ascii(self.id)
        names = ", ".join(f"`{name}`" for name in self.fields)
        return f"{self.kind} {shown_id}{label}: {names}: {self.why}"


@dataclass
class Mapped:
    """One record made from an HSDS service (or organization without services)."""

    kind: str
    hsds_id: str
    record: dict[str, Any]
    dated: bool
    mark: str | None = None
    """For a record kept from an earlier import (another page): its fingerprint as written
    then, so a hand edit in it still shows."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.hsds_id)


def iso_date(value: str | None) -> datetime.date | None:
    """The date an HSDS value starts with (`2024-05-01T09:00:00Z` -> May 1, 2024), if any."""
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
        """The rows of `kind` whose `link` names `parent` (a new list: callers add to it)."""
        return list(self.linked.get((kind, link, parent.id), []))

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
        if not PLAIN_ID.fullmatch(owner.id):
            self.note(
                owner,
                "id",
                "the id holds characters other than letters, digits and . _ : @ + = ~ / - "
                "(a line break, a space, a quote?), so it cannot be named in the import file; "
                "not imported",
            )
            return []
        try:
            Resource.model_validate({"id": "x", **record})
        except ValidationError as error:
            for detail in error.errors():
                field = str(detail["loc"][0]) if detail["loc"] else "name"
                self.note(
                    owner,
                    RECORD_ORIGIN.get(field, field),
                    f"cannot become the record's `{field}` "
                    f"({detail['msg'].removeprefix('Value error, ')}); "
                    f"the {owner.kind} is not imported",
                )
            return []
        return [Mapped(owner.kind, owner.id, record, dated)]

    def _service_record(self, service: Row) -> tuple[dict, bool] | None:
        organization = self.get("organization", service.get("organization_id"))
        at = self.use(self.children("service_at_location", "service_id", service))
        locations = self.use(
            [loc for sal in at if (loc := self.get("location", sal.get("location_id")))]
        )
        phones = self._service_phones(service, organization, at, locations)
        schedules = self._service_schedules(service, at, locations)
        languages = self._service_languages(service, locations)
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

    def _service_phones(
        self, service: Row, organization: Row | None, at: list[Row], locations: list[Row]
    ) -> list[Row]:
        """The service's own numbers and those at its locations; else its locations' numbers;
        else its organization's own."""
        phones = self.children("phone", "service_id", service)
        phones += [p for sal in at for p in self.children("phone", "service_at_location_id", sal)]
        if not phones:
            phones = [p for loc in locations for p in self.children("phone", "location_id", loc)]
        if not phones and organization:
            phones = self._own_phones(organization)
        return phones

    def _service_schedules(self, service: Row, at: list[Row], locations: list[Row]) -> list[Row]:
        """The service's own schedules and those at its locations; else its locations'."""
        schedules = self.children("schedule", "service_id", service)
        schedules += [
            s for sal in at for s in self.children("schedule", "service_at_location_id", sal)
        ]
        if not schedules:
            schedules = [
                s for loc in locations for s in self.children("schedule", "location_id", loc)
            ]
        return schedules

    def _service_languages(self, service: Row, locations: list[Row]) -> list[Row]:
        """The languages of the service and of its locations."""
        languages = self.children("language", "service_id", service)
        languages += [
            lang for loc in locations for lang in self.children("language", "location_id", loc)
        ]
        return languages

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
        """`source`, `checked`, `checked_how: directory` (a service directory is where the
        facts were read, nobody called) and, without a date in the data set,
        `verified: false`."""
        checked = self._checked(row)
        record["source"] = self.source
        if checked is not None:
            record["checked"] = checked
            record["checked_how"] = "directory"
            return record, True
        self.note(
            row,
            DATE_FIELDS[row.kind],
            "missing, and no metadata date either: imported as not confirmed (marked in "
            "print), with the import date as `checked`",
        )
        record |= {
            "checked": self.today,
            "checked_how": "directory",
            "verified": False,
            "unverified_note": UNDATED_NOTE,
        }
        return record, False

    def _checked(self, row: Row) -> datetime.date | None:
        for name in DATE_FIELDS[row.kind]:
            value = row.get(name)
            day = iso_date(value) if value else None
            if day and day > self.today:
                # A check dated in the future would never come due (issue 13, defect 13).
                self.note(row, name, f"`{value}` is after today; not used")
            elif day:
                return day
            elif value:
                self.note(row, name, f"`{value}` is not a date (YYYY-MM-DD); not used")
        changes = self.linked.get(("metadata", "resource_id", row.id), [])
        dates = [day for change in changes if (day := iso_date(change.get("last_action_date")))]
        dates = [day for day in dates if day <= self.today]
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
        spoken = self._phone_languages(row)
        note = _sentences(plain(row.get("description")), f"{_and(spoken)} spoken" if spoken else "")
        if note:
            phone["note"] = note
        try:
            Phone.model_validate(phone)
        except ValidationError as error:
            reasons = "; ".join(detail["msg"] for detail in error.errors())
            self.note(row, "number", f"cannot be printed ({reasons}); left out")
            return None
        return phone

    def _phone_languages(self, phone: Row) -> list[str]:
        """The languages spoken on a number, by name (Urdu). HSDS `phone.languages` says which
        languages are spoken on the line, not that only their speakers may call: they become
        information ("Urdu spoken"), never the record's `languages:`, which would hide the
        number from every material in another language (issue 14.1)."""
        names: dict[str, str] = {}
        for row in self.use(self.children("language", "phone_id", phone)):
            name = plain(row.get("name")) or _language_name(row.get("code"))
            if name:
                names.setdefault(name.casefold(), name)
            else:
                self.note(row, ("name", "code"), "no name or known code; not said with the number")
        return list(names.values())

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
        valid_to = iso_date(row.get("valid_to"))
        if valid_to and valid_to < self.today:
            self.note(row, "valid_to", f"ended on {valid_to.isoformat()}; left out")
            return None
        if not structured:
            if not description:
                self.note(row, "description", "the schedule says nothing; left out")
            return description or None
        words, (name, why) = rule_words(row)
        timed = row.get("opens_at") and row.get("closes_at")
        if words is not None and not timed and description:
            self.note(row, "opens_at", "no times; its `description` is printed instead")
            return description
        if words is None:
            if description:
                self.note(row, name, f"{why}; its `description` is printed instead")
                return description
            self.note(row, name, f"{why}; these hours are left out")
            return None
        valid_from = iso_date(row.get("valid_from"))
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


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _sentences(*parts: str) -> str:
    """Texts joined as sentences: `Main line` + `Urdu spoken` -> `Main line. Urdu spoken.`"""
    kept = [part.strip() for part in parts if part and part.strip()]
    if len(kept) < 2:
        return kept[0] if kept else ""
    return " ".join(part if part[-1] in ".!?" else f"{part}." for part in kept)


def _shown(text: str) -> str:
    """A data set's text in a one-line report: control characters and line breaks escaped."""
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


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
