"""Checking a data set against what HSDS 3.0 requires of the objects this import reads.

Done before mapping, and all at once: required fields, values outside HSDS's lists, and CSV
rows linking to rows that are not there are reported together, each with its file and line,
so the directory's keepers can fix them in one go instead of one per run.
"""

from __future__ import annotations

from handout.content.errors import Problem, display_path
from handout.hsds.dataset import KINDS, DataSet, dataset_errors
from handout.hsds.rows import Row

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
    "url": ("id", "url"),
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
    ("location", "location_type"): ("physical", "postal", "virtual", "redacted"),
    ("address", "address_type"): ("physical", "postal", "virtual"),
}
LINKS = {
    "organization_id": "organization",
    "service_id": "service",
    "location_id": "location",
    "service_at_location_id": "service_at_location",
    "phone_id": "phone",
}


Dangling = tuple[Row, str, str]
"""A link to an object the data set does not have: the row, the field, the id it names."""


def check_dataset(data: DataSet, *, strict: bool = False) -> list[Dangling]:
    """Every problem that makes the data set unusable, at once: required fields missing,
    values outside HSDS's lists. Links to objects the data set does not have (a location's
    `organization_id` naming an organization left out of the export) are returned, not
    raised: one dangling reference should not cost the whole directory, so the caller
    imports the rest and reports each; with `strict`, they stop the import too."""
    known = {kind: {row.id for row in data.rows(kind)} for kind in KINDS}
    problems: list[Problem] = []
    dangling: list[Dangling] = []
    for kind in KINDS:
        for row in data.rows(kind):
            required = REQUIRED[kind] + (TABULAR_REQUIRED.get(kind, ()) if row.tabular else ())
            for name in required:
                if not row.get(name):
                    problems.append(
                        row.problem(
                            f"`{name}` is missing",
                            f"HSDS {_major(data.version)} requires `{name}` of every {kind}; "
                            "ask the directory's keepers to fill it in, or add it",
                        )
                    )
            for (enum_kind, name), allowed in ENUMS.items():
                value = row.get(name)
                if enum_kind == kind and value and value not in allowed:
                    problems.append(
                        row.problem(
                            f"`{name}` cannot be `{value}`: HSDS allows only {', '.join(allowed)}",
                            "ask the directory's keepers to correct it, or correct your copy",
                        )
                    )
            for name, target in LINKS.items():
                value = row.get(name)
                if value and target != kind and value not in known[target]:
                    dangling.append((row, name, value))
                    if strict:
                        problems.append(
                            row.problem(
                                f"`{name}` is `{value}`, but the data set has no {target} with "
                                "that id (--strict)",
                                "export the whole data set, or correct the id; without --strict "
                                "the rest is imported and this link reported",
                            )
                        )
    if not data.rows("organization") and not data.rows("service"):
        held = [f"{len(data.rows(kind))} {kind}" for kind in KINDS if data.rows(kind)]
        problems.append(
            Problem(
                display_path(data.path),
                "has no organizations and no services"
                + (f" (it holds {', '.join(held)}), so there is nothing to import" if held else ""),
                "give the directory's organizations or services, or a location with its services",
            )
        )
    if problems:
        raise dataset_errors(*problems)
    return dangling


def _major(version: str | None) -> str:
    """`3.0` for any HSDS 3 data set (what is required did not change), else the version."""
    return "3.0" if not version or version.startswith("3") else version
