"""Mapping HSDS objects to resource records, with a note for everything that does not fit.

Each active service becomes one record (its organization, locations, phones, schedules and
languages folded in); an organization without services becomes one too. The records model
holds less than HSDS, so everything left out (a field, a fax number, an inactive service, a
rule too complex to print) is noted with its object, id and field: the import's report
lists these notes, so nothing disappears silently.

This module chooses which objects make each record, and gives it its name, description and
date; the fields made from the record's related objects (phones, hours, languages, address,
...) come from `record_fields`. Last, it notes the rows and fields no record took.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from handout.content.i18n import UNDATED_NOTE
from handout.content.models import Resource
from handout.content.yaml_file import Location
from handout.hsds.areas import AreaChoice
from handout.hsds.dataset import KINDS, PLAIN_ID, DataSet
from handout.hsds.record_fields import SECRET_FIELDS, FieldMapper, hidden_place, iso_date
from handout.hsds.rows import Row, plain
from handout.layout.printable import Refusal

MAPPED = {
    "organization": {"name", "alternate_name", "description", "website", "url", "email"},
    "service": {
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "alert",
        "minimum_age",
        "maximum_age",
    },
    "service_at_location": set(),
    "location": {"location_type", *SECRET_FIELDS},
    "address": {
        "address_1",
        "address_2",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
        *SECRET_FIELDS,
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
    "url": {"url", "label"},
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

RECORD_ORIGIN = {
    "name": "name",
    "short_name": "alternate_name",
    "helps_with": "description",
    "area_served": "service_areas",
    "website": "url",
    "other_websites": "additional_urls",
    "email": "email",
    "alert": "alert",
    "minimum_age": "minimum_age",
    "maximum_age": "maximum_age",
    "hours": "schedules",
    "address": "addresses",
    "phones": "phones",
    "languages": "languages",
    "source": "name",
}
"""Which HSDS field a record's field is made from: a note names the field to fix in the
directory (the HTML is in the `description`, not the `name`)."""


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


class Mapper(FieldMapper):
    """Makes the records of one data set, collecting notes on what does not fit."""

    def __init__(
        self,
        data: DataSet,
        source: str,
        today: datetime.date,
        refusals: Callable[[dict[str, Any]], list[tuple[Location, Refusal]]] = lambda _r: [],
        areas: AreaChoice | None = None,
    ) -> None:
        """`refusals(record)`: what the build would refuse in a record's texts (see
        `layout.printable`); such a record is reported and left out. `areas`: the places
        the services must serve (`handout.hsds.areas`)."""
        super().__init__(data, today)
        self.source = source
        self.refusals = refusals
        self.areas = areas or AreaChoice()
        self.skipped_services: set[str] = set()

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
            at = self.children("service_at_location", "service_id", service)
            serves, why = self.areas.serves(self._service_areas(service, at))
            if not serves:
                self.skipped_services.add(service.id)
                self.note(service, "service_areas", why)
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
        refused = self.refusals(record)
        for location, why in refused:
            field = str(location[0])
            self.note(
                owner,
                RECORD_ORIGIN.get(field, field),
                f"cannot become the record's `{field}`: it {why.why}, so the build would refuse "
                f"it; the {owner.kind} is not imported",
            )
        if refused:
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
            **self._notices(service),
            **self._area(self.use(self._service_areas(service, at))),
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

    def _service_areas(self, service: Row, at: list[Row]) -> list[Row]:
        """The areas the service serves, and (HSDS 3.1) those it serves from its locations."""
        areas = self.children("service_area", "service_id", service)
        areas += [
            a for sal in at for a in self.children("service_area", "service_at_location_id", sal)
        ]
        return list({area.id: area for area in areas}.values())

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

    # what was not used

    def _belongs_to_skipped(self, row: Row) -> bool:
        if row.get("service_id") in self.skipped_services:
            return True
        at = self.get("service_at_location", row.get("service_at_location_id"))
        return at is not None and at.get("service_id") in self.skipped_services

    def _note_unused(self) -> None:
        fields = {"phone": "number", "schedule": "id", "address": "address_1", "url": "url"}
        for kind, field_name in fields.items():
            for row in self.data.rows(kind):
                if (kind, row.id) in self.used or self._belongs_to_skipped(row):
                    continue
                self.note(row, field_name, self._unused_reason(row))

    def _unused_reason(self, row: Row) -> str:
        if row.get("contact_id"):
            return "belongs to a contact person; contacts are not imported"
        if row.kind == "url":
            return "names no imported service or organization, so it is not printed"
        location = self.get("location", row.get("location_id"))
        secret = hidden_place(row) or (location is not None and hidden_place(location))
        if row.kind == "address" and secret:
            return f"{secret}, so this address is never printed"
        if row.kind == "address" and row.get("address_type") != "physical":
            return f"a {row.get('address_type')} address; only street addresses are printed"
        if row.kind == "address":
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
