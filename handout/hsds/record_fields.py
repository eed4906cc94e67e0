"""The fields of a record made from the HSDS objects related to it: its phones, hours,
languages, street address, area served, website and e-mail.

Each value is checked as the Resource model would check it; whatever cannot be printed (a fax
number, a schedule too complex to say simply, an e-mail address that is not one) is left out
with a `Note` naming the object, its id and the field, so the report says what is missing and
why. `FieldMapper` also holds what the whole mapping looks up and collects: the data set's
rows by id and by link, the notes so far, the rows used. `mapping.Mapper` builds on it and
chooses which objects make each record.
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
from handout.content.models import Email, Phone, Website
from handout.hsds.areas import area_names
from handout.hsds.check import LINKS
from handout.hsds.dataset import KINDS, PLAIN_ID, DataSet
from handout.hsds.hours import rule_words
from handout.hsds.rows import Row, plain

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


SECRET_FIELDS = ("confidential", "redacted")
"""Fields some directories add to a location or address to keep its address out of print."""


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


def iso_date(value: str | None) -> datetime.date | None:
    """The date an HSDS value starts with (`2024-05-01T09:00:00Z` -> May 1, 2024), if any."""
    match = re.match(r"^(\d{4}-\d{2}-\d{2})", value or "")
    try:
        return datetime.date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        return None


def _long_date(day: datetime.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


class FieldMapper:
    """Makes the fields of records from the rows of one data set, collecting notes on what
    does not fit."""

    def __init__(self, data: DataSet, today: datetime.date) -> None:
        self.data = data
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

    # fields made from related objects

    def _notices(self, service: Row) -> dict[str, Any]:
        """What a reader must know before going: a short-term `alert` (printed beside the
        entry as a warning) and the ages served (`minimum_age`, `maximum_age`)."""
        found: dict[str, Any] = {}
        alert = plain(service.get("alert"))
        if alert:
            found["alert"] = alert
        for name in ("minimum_age", "maximum_age"):
            value = service.get(name)
            if not value:
                continue
            try:
                age = float(value)
            except ValueError:
                age = -1.0
            if age.is_integer() and 0 <= age <= 120:
                found[name] = int(age)
            else:
                self.note(service, name, f"`{value}` is not an age in whole years; not printed")
        if found.get("minimum_age", 0) > found.get("maximum_age", 120):
            self.note(
                service,
                ("minimum_age", "maximum_age"),
                "the minimum age is more than the maximum; no ages are printed",
            )
            found.pop("minimum_age")
            found.pop("maximum_age")
        if found.get("minimum_age") == 0:
            found.pop("minimum_age")  # "ages 0 and over" says nothing
        if found.get("maximum_age", 0) >= 99:
            found.pop("maximum_age")  # "ages 12 to 100" reads as a limit nobody meets
        return found

    def _area(self, areas: list[Row]) -> dict[str, str]:
        names = area_names(areas)
        return {"area_served": "; ".join(names)} if names else {}

    def _contact(self, origins: list[Row]) -> dict[str, Any]:
        """Website and e-mail: the service's, else its organization's; its other websites
        (HSDS 3.1 `additional_urls`, an organization's `additional_websites`) after it."""
        found: dict[str, Any] = {}
        more: list[str] = []
        for row in origins:
            for name in ("url", "website"):
                value = row.get(name)
                if "website" not in found and value:
                    website = self._website(row, name, value)
                    if website:
                        found["website"] = website
            for link in self.use(self.children("url", f"{row.kind}_id", row)):
                website = self._website(link, "url", link.get("url") or "")
                if website:
                    more.append(website)
            value = row.get("email")
            if "email" not in found and value:
                try:
                    _validate_field(Email, value)
                    found["email"] = value
                except ValueError as error:
                    self.note(row, "email", f"{_problem_only(error)}; left out")
        more = [site for site in dict.fromkeys(more) if site != found.get("website")]
        if more and "website" not in found:
            found["website"] = more.pop(0)
        if more:
            found["other_websites"] = more
        return found

    def _website(self, row: Row, name: str, value: str) -> str | None:
        """A website as print shows it (no `https://`); an `http://` one is shown without its
        scheme too, and noted: a reader's browser opens it as https."""
        website = re.sub(r"^https://", "", value.strip()).rstrip("/")
        insecure = re.match(r"^http://", website, re.IGNORECASE)
        if insecure:
            website = website[insecure.end() :]
        try:
            _validate_field(Website, website)
        except ValueError as error:
            self.note(row, name, f"{_problem_only(error)}; left out, so it is not printed")
            return None
        if insecure:
            self.note(
                row,
                name,
                f"`{value}` is printed as {website}, without `http://` (every printed website "
                f"is), and its link opens https://{website}; check that this page opens",
            )
        return website

    def _address(self, locations: list[Row]) -> dict[str, str]:
        """The street address of the first physical location: where people go."""
        for location in locations:
            if hidden_place(location):
                continue
            for address in self.children("address", "location_id", location):
                if address.get("address_type") == "physical" and not hidden_place(address):
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
            self.note(row, "number", f"{_problem_only(problem)}; this number is left out")
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


def hidden_place(row: Row) -> str | None:
    """Why a location's (or an address's) street address is never printed, if it is not:
    a virtual location has none to go to; a `redacted` one (proposed for HSDS 3.1), or one
    marked `confidential` or `redacted`, is kept secret, as a shelter's address must be."""
    kind = (row.get("location_type") or "").casefold()
    if kind in ("virtual", "redacted"):
        return f"its location is {kind} (`location_type`)"
    for name in SECRET_FIELDS:
        if (row.get(name) or "").strip().casefold() in ("true", "yes", "y", "1"):
            return f"its {row.kind} is marked `{name}`"
    return None


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


def _problem_only(error: Exception | str) -> str:
    """What is wrong with a value, without the fix addressed to someone who writes the
    content ("write it like 211ct.org"): an import's reader does not own the data set."""
    return re.sub(r"; (write|check|remove)\b.*$", "", str(error), flags=re.DOTALL)


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
