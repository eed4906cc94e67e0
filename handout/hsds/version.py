"""Which HSDS version a data set is, from what it says and the fields it has.

Publishers use a data package's `version` for their own data ("0.1"), and a small package
holds only some tables, so neither says which HSDS it follows. What does: a `profile` naming
an HSDS version, and the fields of its tables. HSDS 1.x and 2.0 have no `location_type`, give
a phone's languages as a `language` column, name a service area `service_area`, and have
tables 3.0 renamed (`physical_addresses.csv`, `regular_schedules.csv`); 3.1 added tables and
links (`url.csv`, `service_capacity.csv`, a service area's `service_at_location_id`).

Later 3.x versions stay compatible with 3.0 (that is the promise of a minor version): they
are read as 3.1 is, and their fields this import does not know are reported, as any other.
"""

from __future__ import annotations

import re
from typing import Any

OLD_TABLES = {"physical_address", "postal_address", "regular_schedule", "holiday_schedule"}
"""Tables only HSDS 1.x and 2.0 have."""

OLD_FIELDS = {
    "phone": {"language"},
    "service_area": {"service_area"},
    "language": {"language"},
    "service": {"taxonomy_ids"},
}
"""Fields only HSDS 1.x and 2.0 have (3.0 renamed or moved them)."""

NEW_IN_3_1 = ({"url", "service_capacity", "unit"}, {"service_area": {"service_at_location_id"}})
"""What HSDS 3.1 added: tables, and links in tables 3.0 had."""

NEWEST = (3, 1)
"""The newest HSDS this import was written for; later 3.x versions are read like it."""


def profile_version(*texts: Any) -> str | None:
    """The HSDS version a `profile` (or `$schema`) names, such as
    `https://openreferral.org/hsds/3.1/datapackage.json`; None if it names none."""
    for text in texts:
        if isinstance(text, str) and re.search(r"openreferral|hsds", text, re.IGNORECASE):
            match = re.search(r"(?<![\d.])(\d+)\.(\d+)(?:\.\d+)?(?![\d])", text)
            if match:
                return f"{match.group(1)}.{match.group(2)}"
    return None


def package_version(profile: str | None, fields: dict[str, set[str]]) -> str:
    """`1.x`, `2.0`, `3.0`, `3.1` (or a later 3.x its profile names), from the package's
    profile, else from its tables and their fields (`fields`: the columns of each table).
    A location table without `location_type` is older than 3.0, which requires it."""
    if profile:
        return profile
    if _has(fields, ({*OLD_TABLES}, OLD_FIELDS)) or (
        "location" in fields and fields["location"] and "location_type" not in fields["location"]
    ):
        if {"regular_schedule", "holiday_schedule"} & fields.keys():
            return "1.x"
        if {"freq", "byday"} & fields.get("schedule", set()):
            return "2.0"  # 2.0 brought schedules as iCalendar rules
        if "taxonomy_ids" in fields.get("service", set()):
            return "1.x"
        if {"physical_address", "postal_address"} & fields.keys():
            return "2.0"
        return "1.x or 2.0"
    return "3.1" if _has(fields, NEW_IN_3_1) else "3.0"


def json_version(fields: dict[str, set[str]]) -> str:
    """`3.1` for JSON with what 3.1 added (`additional_urls`, read as `url` objects; a service
    area linked to a service_at_location), else `3.0`: the JSON form came with 3.0."""
    return "3.1" if _has(fields, NEW_IN_3_1) else "3.0"


def is_older(version: str | None) -> bool:
    """Whether a version is older than 3.0 (its tables and fields are renamed)."""
    return bool(version) and not str(version).startswith("3")


def is_newer(version: str | None) -> bool:
    """Whether a version is later than the newest this import was written for."""
    match = re.fullmatch(r"(\d+)\.(\d+)", version or "")
    return bool(match) and (int(match.group(1)), int(match.group(2))) > NEWEST


def _has(fields: dict[str, set[str]], signs: tuple) -> bool:
    tables, named = signs
    return bool(set(tables) & fields.keys()) or any(
        names & fields.get(table, set()) for table, names in named.items()
    )
