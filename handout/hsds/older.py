"""HSDS 1.x and 2.0 tabular data packages, read as HSDS 3.0.

Many 211 and county directories still publish HSDS 1.1 or 2.0. The meaning is the same as in
3.0; some tables and field names differ. This module renames what differs, so checking and
mapping only ever see 3.0 rows (`handout.hsds.version` says which version a package is):

- `physical_addresses.csv` and `postal_addresses.csv` become addresses of that type;
- a location without `location_type` (1.x and 2.0 have none) is a physical one;
- 1.x `regular_schedules.csv` (one row per weekday, 1 = Monday) become weekly schedules;
- `service_area` (2.0, 1.x) is the area's `name`; a language's `language` is its code or name;
- a phone's `language` (a comma-separated list of codes) becomes its languages;
- 1.x `holiday_schedules.csv` is not read (a card prints regular hours): it is reported.
"""

from __future__ import annotations

import re

from handout.hsds.rows import Row

OLD_TABLES = {
    "physical_address": "address",
    "postal_address": "address",
    "regular_schedule": "schedule",
}
"""1.x/2.0 tables that are another 3.0 object."""

UNREAD = {"holiday_schedule": "closures on holidays are not printed; only regular hours are"}
"""1.x/2.0 tables this import does not read, and why."""

WEEKDAYS = {"1": "MO", "2": "TU", "3": "WE", "4": "TH", "5": "FR", "6": "SA", "7": "SU"}
DAY_NAMES = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}


def as_current(name: str, rows: list[Row]) -> dict[str, list[Row]]:
    """The rows of a table of an older package with 3.0 names, by 3.0 kind (a phone table
    also gives the language rows of its `language` lists)."""
    kind = OLD_TABLES.get(name, name)
    for row in rows:
        row.kind = kind
        _rename(name, row)
    if kind == "phone":
        return {"phone": rows, "language": _phone_languages(rows)}
    if name == "regular_schedule":
        return {kind: _same_hours_together(rows)}
    return {kind: rows}


def _same_hours_together(rows: list[Row]) -> list[Row]:
    """1.x gives one row per weekday: the days of one service (or location) with the same
    hours become one weekly schedule ("Tuesday and Thursday, 10 am to 2 pm")."""
    owners = ("service_id", "location_id", "service_at_location_id")
    first: dict[tuple, Row] = {}
    kept: list[Row] = []
    for row in rows:
        if not row.get("byday") or set(row.values) - {
            "id",
            "freq",
            "byday",
            "opens_at",
            "closes_at",
            *owners,
        }:
            kept.append(row)
            continue
        key = (*(row.get(name) for name in owners), row.get("opens_at"), row.get("closes_at"))
        if key in first:
            first[key].values["byday"] += f",{row.values['byday']}"
        else:
            first[key] = row
            kept.append(row)
    return kept


def _rename(name: str, row: Row) -> None:
    values = row.values
    if name in ("physical_address", "postal_address"):
        values.setdefault("address_type", name.removesuffix("_address"))
    elif name == "regular_schedule":
        day = (values.pop("weekday", "") or "").strip()
        byday = WEEKDAYS.get(day) or DAY_NAMES.get(day.casefold())
        if byday:
            values |= {"freq": "WEEKLY", "byday": byday}
        elif day:
            values["weekday"] = day  # reported as not mapped
    elif name == "location":
        values.setdefault("location_type", "physical")
    elif name == "service_area" and "service_area" in values:
        values.setdefault("name", values.pop("service_area"))
    elif name == "language" and "language" in values:
        language = values.pop("language")
        key = "code" if re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z]{2})?", language) else "name"
        values.setdefault(key, language)


def _phone_languages(phones: list[Row]) -> list[Row]:
    """A phone's `language` list as language rows linked to it, as in 3.0."""
    found = []
    for phone in phones:
        codes = [code.strip() for code in phone.values.pop("language", "").split(",")]
        for index, code in enumerate(code for code in codes if code):
            key = "code" if re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z]{2})?", code) else "name"
            values = {"id": f"{phone.id}-language-{index + 1}", "phone_id": phone.id, key: code}
            found.append(Row("language", values, phone.file, phone.line, phone.path))
    return found
