"""JSON Schemas of the content files, generated from the models, for editors.

With the YAML extension of VS Code (or any editor using yaml-language-server), each
content file's first line `# yaml-language-server: $schema=...` makes the editor check
fields, types and allowed values while you type. `python build.py schema` regenerates
them; a test fails when they are out of date.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from handout.content.files import write_all
from handout.content.models import (
    LawsFile,
    MaterialText,
    Project,
    Region,
    ResourcesFile,
    SectionsFile,
)

SCHEMAS: dict[str, type[BaseModel]] = {
    "project": Project,
    "materials": MaterialText,
    "resources": ResourcesFile,
    "laws": LawsFile,
    "sections": SectionsFile,
    "region": Region,
}


def schema_text(name: str) -> str:
    schema = SCHEMAS[name].model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write every schema into `out`, as one set (a failed write changes none of them)."""
    files = [(out / f"{name}.schema.json", schema_text(name)) for name in SCHEMAS]
    write_all(files, nothing="none of the schema files was changed")
    return [path for path, _text in files]
