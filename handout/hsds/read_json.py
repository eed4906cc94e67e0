"""Reading HSDS JSON: one object or a list, an API's pages, or the tabular form as one object.

HSDS JSON nests each object's related objects inside it (a service's phones, schedules and
organization; a location's addresses). They are flattened here into one list of rows per
object, each linked to its parent by `<kind>_id`, as the CSV form has them: so the JSON and
a data package of the same directory give the same rows, and the same records. An object
that appears in several places (an organization nested in each of its services) is kept
once; different objects under one id are kept apart for the report. The pages of an API's
output are read as one data set, noting which pages were given (`Paging`).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from handout.content.errors import Problem, UserError, display_path
from handout.hsds import version
from handout.hsds.dataset import (
    TABULAR_FILES,
    DataSet,
    Paging,
    dataset_errors,
    differs,
    load_json,
)
from handout.hsds.rows import Row

CHILD_LISTS: dict[str, dict[str, str]] = {
    "organization": {
        "services": "service",
        "phones": "phone",
        "locations": "location",
        "additional_websites": "url",
    },
    "service": {
        "phones": "phone",
        "schedules": "schedule",
        "languages": "language",
        "service_at_locations": "service_at_location",
        "service_areas": "service_area",
        "additional_urls": "url",
    },
    "service_at_location": {
        "phones": "phone",
        "schedules": "schedule",
        "service_areas": "service_area",
    },
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
    "service_at_location": {"location": "location", "service": "service"},
}
"""HSDS JSON: single nested objects (a service's organization, a service_at_location's
location and service)."""

TOP_KINDS = ("organization", "service", "service_at_location", "location")
"""The HSDS 3.0 objects that can carry services, as a JSON file or API page gives them."""

SIGNS: dict[str, set[str]] = {
    "taxonomy_term": {"term_uri", "taxonomy", "taxonomy_id", "taxonomy_detail", "code"},
    "service_at_location": {"service", "service_id"},
    "location": {"location_type", "addresses", "latitude", "longitude", "transportation"},
    "service": {
        "status",
        "organization",
        "organization_id",
        "program",
        "service_at_locations",
        "service_areas",
        "assured_date",
        "eligibility_description",
        "fees_description",
    },
    "organization": {
        "services",
        "website",
        "tax_status",
        "tax_id",
        "legal_status",
        "year_incorporated",
        "logo",
        "parent_organization_id",
        "organization_identifiers",
    },
    "taxonomy": {"version"},
}
"""HSDS 3.0 fields that only one of these objects has, in the order they are tried: an object
is the first whose signs it shows (a location has `organization_id` too, but also
`location_type`, so locations are tried before services)."""


def json_kind(item: dict) -> str | None:
    """Which HSDS object a JSON object is, from the fields only it has; None if it shows none
    (then, with a `name`, it is read as an organization, the simplest that carries one)."""
    keys = {key for key, value in item.items() if value not in (None, "", [], {})}
    if "id" not in keys and keys & {"version", "profile", "openapi_url"}:
        return "api index"
    for kind, signs in SIGNS.items():
        if kind == "service_at_location" and "service_id" in keys and "name" in keys:
            continue  # a location or service linking to one, not a service_at_location
        if keys & signs:
            return kind
    return "organization" if "name" in keys else None


def _page_info(data: dict, path: Path) -> tuple[int, int] | None:
    """(page number, total pages) of an HSDS API page, if it says."""
    try:
        total = int(data.get("total_pages"))
        number = int(data.get("page_number", 1))
    except (TypeError, ValueError):
        if data.get("last_page") is False:
            raise dataset_errors(
                Problem(
                    display_path(path),
                    "is one page of an API's output (`last_page` is false), but does not say "
                    "its `page_number` and `total_pages`",
                    "save every page and give them all",
                )
            ) from None
        return None
    return number, max(total, 1)


def read_json_data_set(path: Path, more: list[Path] | None = None) -> DataSet:
    """HSDS JSON: one organization, service, service_at_location or location, or a list of
    them (or an API page, whose items are under `contents`), each with its related objects
    nested as in the HSDS 3.0 schema; or the tabular form as one object of CSV file names.
    Several files (the pages of an API's output) are read as one data set."""
    tables: dict[str, list[Row]] = defaultdict(list)
    seen = _Seen()
    problems: list[Problem] = []
    paging: Paging | None = None
    for file in [path, *(more or [])]:
        data = load_json(file)
        if isinstance(data, dict) and any(str(key).endswith(".csv") for key in data):
            if more:
                raise UserError(
                    f"{display_path(file)}: tabular JSON is a whole data set; give it alone"
                )
            return _read_tabular_json(file, data)
        prefix = ""
        if isinstance(data, dict) and isinstance(data.get("contents"), list):
            page = _page_info(data, file)
            if page is not None:
                paging = paging or Paging(set(), page[1])
                paging.pages.add(page[0])
                paging.total = max(paging.total, page[1])
            data, prefix = data["contents"], "contents"
        elif isinstance(data, dict):
            data = [data]
        if not isinstance(data, list):
            raise dataset_errors(
                Problem(
                    display_path(file),
                    "is not an HSDS data set: expected a list of organizations or services",
                )
            )
        _read_items(file, data, prefix, tables, seen, problems)
    if problems:
        raise dataset_errors(*problems)
    return DataSet(
        path,
        None,
        dict(tables),
        duplicates=seen.clashes,
        paging=paging,
        version=_version(tables),
    )


def _read_items(
    path: Path,
    data: list,
    prefix: str,
    tables: dict[str, list[Row]],
    seen: _Seen,
    problems: list[Problem],
) -> None:
    for index, item in enumerate(data):
        where = f"{prefix}[{index}]" if prefix or len(data) > 1 else ""
        if not isinstance(item, dict):
            problems.append(Problem(display_path(path), f"{where or '[0]'}: expected an object"))
            continue
        kind = json_kind(item)
        if kind not in TOP_KINDS:
            problems.append(_not_data(path, where, kind, item))
            continue
        _flatten(item, kind, where, path, {}, tables, seen)


def _not_data(path: Path, where: str, kind: str | None, item: dict) -> Problem:
    """Why a JSON object is not something this import reads, in plain words."""
    place = f"{where}: " if where else ""
    if kind == "api index":
        version = _scalar(item.get("version"))
        return Problem(
            display_path(path),
            f"{place}is an HSDS API's index document"
            f"{f' (HSDS {version})' if version else ''}, not data",
            "give the API's /services or /organizations output (saved as JSON), or the "
            "directory's data set file",
        )
    what = f"a {kind.replace('_', ' ')}" if kind else "an object with no HSDS fields"
    why = (
        "; a taxonomy only names kinds of services, it lists none"
        if kind in ("taxonomy", "taxonomy_term")
        else ""
    )
    return Problem(
        display_path(path),
        f"{place}is {what}, not an organization, service, service_at_location or location",
        "give the file (or the folder of CSV files) that holds the directory's organizations "
        f"or services{why}",
    )


def _read_tabular_json(path: Path, data: dict) -> DataSet:
    """The tabular form as one JSON object: `{"services.csv": [rows], ...}`."""
    tables: dict[str, list[Row]] = defaultdict(list)
    other: list[str] = []
    for name, rows in data.items():
        kind = TABULAR_FILES.get(str(name))
        items = [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []
        if kind is None:
            if items:
                other.append(f"{name}: {len(items)} row{'s' if len(items) != 1 else ''}")
            continue
        for index, item in enumerate(items):
            values = {key: text for key, value in item.items() if (text := _scalar(value))}
            tables[kind].append(Row(kind, values, path, path=f"{name}[{index}]"))
    return DataSet(path, None, dict(tables), other, version=_version(tables))


def _version(tables: dict[str, list[Row]]) -> str:
    """The HSDS version the JSON follows, from the fields of its objects (`version`)."""
    fields = {kind: {name for row in rows for name in row.values} for kind, rows in tables.items()}
    return version.json_version(fields)


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


class _Seen(dict[tuple[str, str], Row]):
    """The objects read so far by (kind, id), and the different objects found under an id
    already taken (kept, left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.clashes: list[tuple[Row, Row]] = []


def _flatten(
    obj: dict,
    kind: str,
    where: str,
    path: Path,
    link: dict[str, str],
    tables: dict[str, list[Row]],
    seen: _Seen,
) -> str | None:
    """Add `obj` and the objects nested in it to `tables`; returns its id. An object that
    appears several times (an organization nested in each of its services, a language under
    a service and under its phone) is kept once, with the links of every place it appears:
    so the JSON gives the same rows as the CSV form, where one row holds all its links."""
    values = {key: text for key, value in obj.items() if (text := _scalar(value)) is not None}
    values.update(link)
    row = Row(kind, values, path, path=where)
    own_id = values.get("id")
    earlier = seen.get((kind, own_id)) if own_id is not None else None
    if earlier is not None and differs(earlier.values, values):
        seen.clashes.append((earlier, row))  # another object under a taken id: left out
        return own_id
    for key, value in obj.items():
        child_kind = CHILD_OBJECTS.get(kind, {}).get(key)
        if isinstance(value, dict) and child_kind:
            child_where = f"{where}.{key}" if where else key
            child_id = _flatten(value, child_kind, child_where, path, {}, tables, seen)
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
                    item_where = f"{where}.{key}[{index}]" if where else f"{key}[{index}]"
                    _flatten(item, child_kind, item_where, path, child_link, tables, seen)
        elif kind == "location" and key == "services" and isinstance(value, list):
            _services_at(own_id, value, where, path, tables, seen)
        elif isinstance(value, (dict, list)) and value:
            row.nested.append(key)
    if earlier is None:
        tables[kind].append(row)
        if own_id is not None:
            seen[(kind, own_id)] = row
    else:
        for name, text in values.items():
            earlier.values.setdefault(name, text)
        earlier.nested += [name for name in row.nested if name not in earlier.nested]
    return own_id


def _services_at(
    location_id: str | None,
    services: list,
    where: str,
    path: Path,
    tables: dict[str, list[Row]],
    seen: _Seen,
) -> None:
    """A location given with its services (as some APIs do): each service is offered at it,
    as if through a service_at_location (made here, named after both ids)."""
    for index, item in enumerate(services):
        if not isinstance(item, dict):
            continue
        item_where = f"{where}.services[{index}]" if where else f"services[{index}]"
        service_id = _flatten(item, "service", item_where, path, {}, tables, seen)
        if (
            location_id
            and service_id
            and ("service_at_location", f"{location_id}+{service_id}") not in seen
        ):
            link = Row(
                "service_at_location",
                {
                    "id": f"{location_id}+{service_id}",
                    "service_id": service_id,
                    "location_id": location_id,
                },
                path,
                path=item_where,
            )
            tables["service_at_location"].append(link)
            seen[("service_at_location", link.id)] = link
