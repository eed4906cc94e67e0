"""Reading a Tabular Data Package: `datapackage.json` and the CSV file of each HSDS object.

Each resource the descriptor lists is one table; its CSV rows become rows as they are (the
`<kind>_id` columns already link them), so a package gives the same tables as the JSON form.
An HSDS 1.x or 2.0 package is recognised by its tables and read as 3.0 (`older`). Tables
this import does not read are counted for the report; every file that cannot be read (not
UTF-8, broken CSV, a resource whose file is missing) is reported at once.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

from handout.content.errors import Problem, display_path
from handout.hsds import older
from handout.hsds.dataset import KINDS, DataSet, dataset_errors, differs, load_json
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
                "give the datapackage.json that came with the CSV files",
            )
        )
    folder = descriptor.parent
    names = {resource.get("name") for resource in resources if isinstance(resource, dict)}
    version = older.version_of(names)
    tables: dict[str, list[Row]] = defaultdict(list)
    other: list[str] = []
    duplicates: list[tuple[Row, Row]] = []
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
        if name in older.UNREAD and csv_path.is_file():
            count = len(_read_csv(csv_path, name, problems))
            if count:
                other.append(
                    f"{relative}: {count} `{name}` row{'s' if count != 1 else ''} "
                    f"({older.UNREAD[name]})"
                )
            continue
        if name not in KINDS and not (version and name in older.OLD_TABLES):
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
        rows = _read_csv(csv_path, name, problems, duplicates)
        for kind, found in (older.as_current(name, rows) if version else {name: rows}).items():
            tables[kind].extend(found)
    if problems:
        raise dataset_errors(*problems)
    title = package.get("title") or package.get("name")
    return DataSet(
        descriptor,
        plain(str(title)) if title else None,
        dict(tables),
        other,
        duplicates,
        version=version,
    )


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
