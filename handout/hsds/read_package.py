"""Reading a Tabular Data Package: `datapackage.json` and the CSV file of each HSDS object.

Each resource the descriptor lists is one table; its CSV rows become rows as they are (the
`<kind>_id` columns already link them), so a package gives the same tables as the JSON form.
Which HSDS version the package follows is told by its profile and its tables' fields
(`version`); an HSDS 1.x or 2.0 package is read as 3.0 (`older`). A folder of CSV files
without `datapackage.json` is read by the file names HSDS gives its tables. Tables this
import does not read are counted for the report; every file that cannot be read (not UTF-8,
broken CSV, a resource whose file is missing) is reported at once.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from handout.content.errors import Problem, display_path
from handout.hsds import older, version
from handout.hsds.dataset import (
    FILE_TABLES,
    KINDS,
    DataSet,
    dataset_errors,
    differs,
    load_json,
)
from handout.hsds.rows import Row, plain


def read_package(descriptor: Path) -> DataSet:
    """A Tabular Data Package: `datapackage.json` names each resource (HSDS object) and its
    CSV file; the CSV rows are linked by their `<kind>_id` columns."""
    package = load_json(descriptor)
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise dataset_errors(
            Problem(
                display_path(descriptor),
                "is not a data package: it has no `resources` list",
                "give the datapackage.json that came with the CSV files, or the folder of "
                "CSV files alone (they are then read by the names HSDS gives them)",
            )
        )
    notes: list[str] = []
    problems: list[Problem] = []
    found = _resource_files(descriptor, resources, notes, problems)
    profile = version.profile_version(package.get("profile"), package.get("$schema"))
    title = package.get("title") or package.get("name")
    return _read_tables(descriptor, found, profile, notes, problems, title)


def read_folder(folder: Path) -> DataSet:
    """A folder of HSDS CSV files without `datapackage.json`: each file is read as the table
    HSDS names it after (`services.csv`, `locations.csv`, ...), as the package would say."""
    found = [
        (FILE_TABLES.get(path.name.lower(), path.stem), path.name, path)
        for path in sorted(folder.glob("*.csv"))
        if path.is_file()
    ]
    if not any(name in FILE_TABLES for _table, name, _path in found):
        raise dataset_errors(
            Problem(
                display_path(folder),
                "holds no datapackage.json and no CSV file with a name HSDS gives its tables "
                "(organizations.csv, services.csv, locations.csv, ...)",
                "give an HSDS JSON file, or the folder the directory's CSV files came in",
            )
        )
    notes = [
        "There is no datapackage.json, so each CSV file was read as the table HSDS names it "
        "after (services.csv as services, and so on)."
    ]
    return _read_tables(folder / "datapackage.json", found, None, notes, [], None)


def _read_tables(
    descriptor: Path,
    found: list[tuple[str, str, Path]],
    profile: str | None,
    notes: list[str],
    problems: list[Problem],
    title: object,
) -> DataSet:
    """The rows of each (table, path as listed, file), read with the names of the package's
    HSDS version (older tables and fields renamed as 3.0 has them)."""
    read_as = version.package_version(profile, {name: _header(path) for name, _r, path in found})
    old = version.is_older(read_as)
    tables: dict[str, list[Row]] = defaultdict(list)
    other: list[str] = []
    duplicates: list[tuple[Row, Row]] = []
    for name, relative, csv_path in found:
        if name in older.UNREAD or (name not in KINDS and not (old and name in older.OLD_TABLES)):
            count = len(_read_csv(csv_path, name, problems))
            if count:
                why = f" ({older.UNREAD[name]})" if name in older.UNREAD else ""
                other.append(f"{relative}: {count} `{name}` row{'s' if count != 1 else ''}{why}")
            continue
        rows = _read_csv(csv_path, name, problems, duplicates)
        for kind, rows_of in (older.as_current(name, rows) if old else {name: rows}).items():
            tables[kind].extend(rows_of)
    if problems:
        raise dataset_errors(*problems)
    return DataSet(
        descriptor,
        plain(str(title)) if title else None,
        dict(tables),
        other,
        duplicates,
        version=read_as,
        notes=notes,
    )


def _resource_files(
    descriptor: Path, resources: list, notes: list[str], problems: list[Problem]
) -> list[tuple[str, str, Path]]:
    """(table, path as listed, file) of each resource whose CSV file is there. A file not at
    the path listed, but beside `datapackage.json` under its own name (a package whose CSV
    files were moved out of a `data/` folder, or listed by their web address), is read from
    there, with a note."""
    folder = descriptor.parent.resolve()
    found: list[tuple[str, str, Path]] = []
    for index, resource in enumerate(resources):
        name = resource.get("name") if isinstance(resource, dict) else None
        relative = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(name, str) or not isinstance(relative, str) or not relative.strip():
            problems.append(
                Problem(
                    display_path(descriptor),
                    f"resource {index + 1} needs a `name` and a `path` (one CSV file)",
                    "give the datapackage.json that came with the CSV files, or the folder "
                    "of CSV files alone (they are then read by the names HSDS gives them)",
                )
            )
            continue
        listed = (folder / relative).resolve()
        beside = folder / PurePosixPath(urlsplit(relative).path).name
        if listed.is_relative_to(folder) and listed.is_file():
            found.append((name, relative, listed))
        elif beside.name and beside.is_file():
            found.append((name, relative, beside))
            notes.append(
                f"datapackage.json lists `{relative}` (the {name} table); it is not there, so "
                f"`{beside.name}` beside datapackage.json was read instead."
            )
        elif name in KINDS or name in older.OLD_TABLES:
            problems.append(
                Problem(
                    display_path(descriptor),
                    f"lists `{relative}` (the {name} table), but that file is not there, and "
                    f"there is no `{beside.name or relative}` beside datapackage.json either",
                    "put the table's CSV file beside datapackage.json, or give the folder of "
                    "CSV files alone (they are then read by the names HSDS gives them)",
                )
            )
    return found


def _header(path: Path) -> set[str]:
    """The column names of a CSV file (none if it cannot be read: reading it says why)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            return {name.strip() for name in next(csv.reader(file), [])}
    except (OSError, UnicodeDecodeError, csv.Error):
        return set()


def _read_csv(
    path: Path,
    kind: str,
    problems: list[Problem],
    duplicates: list[tuple[Row, Row]] | None = None,
) -> list[Row]:
    """The rows of one CSV file (header first); empty cells are absent values. Of several
    rows with one id, the first is kept and the others are added to `duplicates`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(display_path(path), "is not UTF-8 text", "save it as UTF-8"))
        return []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    first: dict[str, Row] = {}
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
            if row.id and row.id in first:
                if duplicates is not None and differs(first[row.id].values, values):
                    duplicates.append((first[row.id], row))
                continue
            first.setdefault(row.id, row)
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
