"""No YAML anchor or alias is ever written (issue 21, defect 9): records that fell back to
the same date were written as `checked: &id001 ...` and `checked: *id001`, and
`mark-checked` then refused exactly the records that most needed a re-check."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import yaml

from handout.content import yaml_edit
from tests.conftest import ROOT, run_build

SAMPLE = ROOT / "tests" / "data" / "hsds" / "json" / "sample-county.json"


def undated(value: object) -> object:
    """The data set without any date a check could come from."""
    if isinstance(value, dict):
        return {
            key: undated(item)
            for key, item in value.items()
            if key not in ("assured_date", "last_modified", "metadata")
        }
    if isinstance(value, list):
        return [undated(item) for item in value]
    return value


def test_records_dated_by_the_import_are_written_without_aliases(
    content_copy: Path, tmp_path: Path
) -> None:
    dataset = tmp_path / "undated.json"
    dataset.write_text(json.dumps(undated(json.loads(SAMPLE.read_text()))), encoding="utf-8")
    result = run_build(
        "import-hsds", dataset, "--region", "danbury", "--content", content_copy
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = (content_copy / "resources" / "hsds-danbury.yaml").read_text(encoding="utf-8")
    assert "&id" not in text and "*id" not in text
    events = list(yaml.parse(text))
    assert not any(isinstance(event, yaml.AliasEvent) for event in events)
    assert not any(getattr(event, "anchor", None) for event in events)
    records = yaml.safe_load(text)["records"]
    assert len(records) == 4 and all(record["verified"] is False for record in records)
    ids = [record["id"] for record in records]
    marked = run_build(
        "mark-checked", *ids[:2], "--date", "2026-11-29", "--verified", "--content", content_copy
    )
    assert marked.returncode == 0, marked.stderr
    again = yaml.safe_load((content_copy / "resources" / "hsds-danbury.yaml").read_text())
    assert [record["checked"] for record in again["records"]][:2] == [
        datetime.date(2026, 11, 29)
    ] * 2


def test_the_round_trip_writer_never_writes_an_alias() -> None:
    """The editor's and the import's edits of a file (ruamel) neither: a value used twice
    (the same date object) is written out twice."""
    day = datetime.date(2026, 11, 29)
    data = yaml_edit.load("records:\n  - id: a\n    checked: 2026-01-01\n  - id: b\n")
    data["records"][0]["checked"] = day
    data["records"][1]["checked"] = day
    text = yaml_edit.dump(data)
    assert "&" not in text and "*" not in text
    assert text.count("checked: 2026-11-29") == 2
