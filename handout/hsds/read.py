"""Reading an HSDS data set: JSON, or a Tabular Data Package of CSV files, into the same tables.

Both publication formats are read into one list of rows per HSDS object, with the foreign
keys (`<kind>_id`) filled in, so that checking and mapping never need to know which format
the data set came in, and both give the same records. A file that cannot be read (not
UTF-8, not valid JSON or CSV) stops the import with its line, before anything is written.

This module says which reader a path needs: `read_json` for JSON (one file, or the pages of
an API's output), `read_package` for a data package's folder or `datapackage.json`
(`read_folder` for a folder of HSDS CSV files without one).
"""

from __future__ import annotations

from pathlib import Path

from handout.content.errors import UserError, display_path
from handout.hsds.dataset import DataSet
from handout.hsds.read_json import read_json_data_set
from handout.hsds.read_package import read_folder, read_package


def read_dataset(path: Path, more: list[Path] | None = None) -> DataSet:
    """Read an HSDS data set: a `.json` file, a `datapackage.json`, or a folder holding one;
    or several `.json` files, such as the pages of an HSDS API's output, as one data set."""
    if more:
        for file in [path, *more]:
            if file.suffix.lower() != ".json" or file.name == "datapackage.json":
                raise UserError(
                    f"{display_path(file)}: several files are read as the pages of one data set, "
                    "so each must be an HSDS JSON file; give a data package's folder alone"
                )
            if not file.is_file():
                raise UserError(f"{display_path(file)}: file not found; check the path")
        data = read_json_data_set(path, more)
        data.files = 1 + len(more)
        return data
    if path.is_dir():
        if not (path / "datapackage.json").is_file():
            return read_folder(path)
        path = path / "datapackage.json"
    if not path.is_file():
        raise UserError(f"{display_path(path)}: file not found; check the path")
    if path.name == "datapackage.json":
        return read_package(path)
    if path.suffix.lower() != ".json":
        raise UserError(
            f"{display_path(path)}: not an HSDS data set; give a .json file, or the folder of a "
            "tabular data package (its CSV files and datapackage.json)"
        )
    return read_json_data_set(path)
