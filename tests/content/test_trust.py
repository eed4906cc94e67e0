"""Trustworthy content: freshness, plain language, --check, the re-check routine, schemas,
transactional output."""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path

import jsonschema

from handout.content.schema import SCHEMAS, schema_text
from handout.content.yaml_file import read_yaml
from tests.conftest import CONTENT, ROOT, edit, run_build
from tests.pdf import all_text, page_sizes_in

LONG_AGO = (datetime.date.today() - datetime.timedelta(days=800)).isoformat()


def make_stale(content: Path) -> None:
    edit(
        content / "resources" / "local.yaml",
        "    source: newmilfordpolice.org\n    checked: 2026-11-27",
        f"    source: newmilfordpolice.org\n    checked: {LONG_AGO}",
    )


def test_stale_fact_is_a_warning_naming_it(content_copy: Path, tmp_path: Path) -> None:
    make_stale(content_copy)
    result = run_build(
        "--content",
        content_copy,
        "--out",
        tmp_path / "out",
        "--region",
        "new-milford",
        "--lang",
        "en",
        "--material",
        "pocket-card",
    )
    assert result.returncode == 0, result.stderr
    assert f"`new-milford-police` was last checked {LONG_AGO}" in result.stdout
    assert "mark-checked new-milford-police" in result.stdout


def test_strict_turns_stale_facts_into_errors(content_copy: Path, tmp_path: Path) -> None:
    make_stale(content_copy)
    result = run_build("--content", content_copy, "--out", tmp_path / "out", "--strict")
    assert result.returncode == 1
    assert "--strict" in result.stderr and "new-milford-police" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_age_limit_is_set_by_the_content(content_copy: Path) -> None:
    make_stale(content_copy)
    edit(
        content_copy / "project.yaml",
        "source_language: en",
        "source_language: en\nchecked_max_age_months: 60",
    )
    result = run_build("--check", "--content", content_copy)
    assert "was last checked" not in result.stdout


def test_check_validates_and_renders_nothing(content_copy: Path, tmp_path: Path) -> None:
    make_stale(content_copy)
    result = run_build("--check", "--content", content_copy, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "Content OK: 26 records (6 unverified)" in result.stdout
    assert "Reading level" not in result.stdout  # only with --verbose
    assert "new-milford-police" in result.stdout
    assert not (tmp_path / "out").exists()
    strict = run_build("--check", "--strict", "--content", content_copy)
    assert strict.returncode == 1


def test_check_reports_content_errors(content_copy: Path) -> None:
    edit(content_copy / "laws.yaml", "    statute: § 53a-82\n", "")
    result = run_build("--check", "--content", content_copy)
    assert result.returncode == 1
    assert "`statute` is missing" in result.stderr


def test_hard_card_text_is_a_warning(content_copy: Path) -> None:
    edit(
        content_copy / "materials.yaml",
        "  front_text: Please call 24 hours ahead to change.",
        "  front_text: Complimentary, confidential assistance, continuously available "
        "throughout every twenty-four-hour period, administered professionally.",
    )
    result = run_build("--check", "--content", content_copy)
    assert "discreet_card.front_text" not in result.stdout or "reads at grade" in result.stdout
    assert "reads at grade" in result.stdout and "above 8" in result.stdout


def test_verify_sheet_lists_what_is_due(content_copy: Path, tmp_path: Path) -> None:
    make_stale(content_copy)
    result = run_build("verify-sheet", "--content", content_copy, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    with (tmp_path / "verify-sheet.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    ids = [row["id"] for row in rows]
    # Most doubtful first: never confirmed, then resting on an old source (the access
    # line's 2016 article), then never confirmed by a call, oldest check first.
    assert rows[0]["id"] == "chci-danbury" and "never confirmed" in rows[0]["why"]
    assert "its source is from 2016" in rows[ids.index("dmhas-access-line")]["why"]
    assert ids.index("dmhas-access-line") < ids.index("new-milford-police")
    police = rows[ids.index("new-milford-police")]
    assert police["numbers"] == "(860) 355-3133"
    assert "never confirmed by a call (checked on a website)" in police["why"]
    assert "months ago" in police["why"]
    by_call = [row for row in rows if row["why"].startswith("never confirmed by a call")]
    assert by_call[0]["id"] == "new-milford-police"  # the oldest of them first
    assert all(row["checked by"] == "" for row in rows)
    pdf = tmp_path / "verify-sheet.pdf"
    assert set(page_sizes_in(pdf)) == {(11.0, 8.5)}
    assert "New Milford Police Department" in " ".join(all_text(pdf).split())
    everything = run_build("verify-sheet", "--all", "--content", content_copy, "--out", tmp_path)
    assert "36 facts to re-check" in everything.stdout


def test_mark_checked_changes_only_the_dates(content_copy: Path) -> None:
    before = (content_copy / "resources" / "connecticut.yaml").read_text(encoding="utf-8")
    result = run_build("mark-checked", "ct-211", "--date", "2026-11-29", "--content", content_copy)
    assert result.returncode == 0, result.stderr
    after = (content_copy / "resources" / "connecticut.yaml").read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [("    checked: 2026-11-27", "    checked: 2026-11-29")]


def test_mark_checked_can_confirm_an_unverified_fact(content_copy: Path) -> None:
    result = run_build(
        "mark-checked",
        "new-milford-soup-kitchen",
        "--verified",
        "--date",
        "2026-11-29",
        "--content",
        content_copy,
    )
    assert result.returncode == 0, result.stderr
    text = (content_copy / "resources" / "local.yaml").read_text(encoding="utf-8")
    record = text[text.index("id: new-milford-soup-kitchen") : text.index("id: mcca")]
    assert "verified: true" in record and "unverified_note" not in record
    assert "# Local records." in text  # comments kept


def test_mark_checked_unknown_id(content_copy: Path) -> None:
    result = run_build("mark-checked", "ct-21", "--content", content_copy)
    assert result.returncode == 1
    assert "did you mean `ct-211`?" in result.stderr


def test_schemas_are_up_to_date() -> None:
    for name in SCHEMAS:
        committed = (ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert committed == schema_text(name), f"run `python build.py schema` ({name})"


def test_content_files_pass_their_schema() -> None:
    files = {
        "project": [CONTENT / "project.yaml"],
        "materials": [CONTENT / "materials.yaml"],
        "laws": [CONTENT / "laws.yaml"],
        "sections": [CONTENT / "sections.yaml"],
        "resources": sorted((CONTENT / "resources").glob("*.yaml")),
        "region": sorted((CONTENT / "regions").glob("*.yaml")),
    }
    for name, paths in files.items():
        schema = json.loads(schema_text(name))
        for path in paths:
            assert read_yaml(path).data is not None
            jsonschema.validate(read_yaml(path).data, schema)
            first_line = path.read_text(encoding="utf-8").splitlines()[0]
            assert first_line.startswith("# yaml-language-server: $schema=")
            assert first_line.endswith(f"schema/{name}.schema.json")


def test_a_failed_write_leaves_the_previous_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_build("--out", out, "--region", "new-milford", "--lang", "en").returncode == 0
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    (out / "waterbury").write_text("a file where a folder should be")
    result = run_build("--out", out, "--lang", "en")
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    after = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    assert {p: b for p, b in after.items() if p.name != "waterbury"} == before
    assert not list(out.rglob("*.tmp"))


def test_template_mistakes_name_the_template(templates_copy: Path, tmp_path: Path) -> None:
    edit(
        templates_copy / "pocket-card.html",
        "<h1>{{ text.pocket_card.front_title | nowidow }}</h1>",
        "<h1>{{ text.pocket_card.front_titel | nowidow }}</h1>",
    )
    result = run_build(
        "--templates",
        templates_copy,
        "--out",
        tmp_path / "out",
        "--material",
        "pocket-card",
        "--lang",
        "en",
    )
    assert result.returncode == 1
    line = next(
        number
        for number, text in enumerate(
            (templates_copy / "pocket-card.html").read_text().splitlines(), 1
        )
        if "front_titel" in text
    )
    assert f"pocket-card.html:{line}:" in result.stderr and "front_titel" in result.stderr
    assert "Traceback" not in result.stderr
