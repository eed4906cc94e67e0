"""Importing a service directory (Open Referral HSDS 3.0): both publication formats give the
same records, the records print, hand edits survive unless --force, and every mistake in the
input fails cleanly with nothing written."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import yaml

from handout.pipeline import load
from tests.conftest import CONTENT, ROOT, edit, run_build
from tests.pdf import page_texts

DATA = ROOT / "tests" / "data" / "hsds"
JSON_SET = DATA / "json" / "sample-county.json"
PACKAGE = DATA / "datapackage"
SOURCE = "Sample County Services (fictional test data)"
SHELTER = "maple-street-family-center-family-shelter"
IMPORTED = [
    "hilltop-crisis-line",
    SHELTER,
    "maple-street-family-center-food-pantry",
    "riverside-legal-clinic-tenant-legal-help",
]


def import_hsds(content: Path, dataset: Path, *args: str):
    return run_build("import-hsds", dataset, "--region", "danbury", "--content", content, *args)


def import_file(content: Path) -> Path:
    return content / "resources" / "hsds-danbury.yaml"


def records(content: Path) -> list[dict]:
    return yaml.safe_load(import_file(content).read_text(encoding="utf-8"))["records"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*.*")}


def assert_clean_failure(result, *expected: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"


def test_json_and_tabular_package_give_the_same_records(content_copy: Path, tmp_path: Path) -> None:
    other = Path(shutil.copytree(CONTENT, tmp_path / "other"))
    from_json = import_hsds(content_copy, JSON_SET, "--source", SOURCE)
    from_csv = import_hsds(other, PACKAGE, "--source", SOURCE)
    assert from_json.returncode == 0, from_json.stderr
    assert from_csv.returncode == 0, from_csv.stderr
    assert records(content_copy) == records(other)
    marks = [
        [
            line
            for line in import_file(folder).read_text().splitlines()
            if line.startswith("  # from HSDS")
        ]
        for folder in (content_copy, other)
    ]
    assert marks[0] == marks[1] and len(marks[0]) == 4
    assert [record["id"] for record in records(content_copy)] == IMPORTED
    assert records(content_copy)[1] == {
        "id": SHELTER,
        "name": "Maple Street Family Center: Family Shelter",
        "short_name": "Maple Shelter",
        "helps_with": "Emergency shelter for families with children.",
        "scope": "local",
        "phones": [
            {"number": "(203) 555-0142", "kind": "call", "languages": ["en", "es"]},
            {"number": "(203) 555-0143", "kind": "text"},
        ],
        "hours": "Every day, 24 hours",
        "website": "maple-center.example.org/shelter",
        "email": "info@maple-center.example.org",
        "address": "12 Maple Street, Danbury, CT 06810",
        "languages": ["English", "Spanish"],
        "source": SOURCE,
        "checked": datetime.date(2026, 10, 1),
        "checked_how": "directory",
    }
    pantry = records(content_copy)[2]
    assert pantry["helps_with"] == "Free groceries for anyone in need."  # HTML removed
    assert pantry["hours"] == (
        "Tuesday and Thursday, 10 am to 2 pm; First Saturday of the month, 9 am to noon"
    )
    assert pantry["phones"] == [
        {
            "number": "(203) 555-0144",
            "kind": "call",
            "how": "extension 12",
            "note": "Ask for the pantry desk.",
        }
    ]
    assert str(pantry["checked"]) == "2026-09-15"  # from its metadata
    assert "Imported 4 records" in from_csv.stdout
    region = (content_copy / "regions" / "danbury.yaml").read_text()
    assert all(f"  - {record_id}\n" in region for record_id in IMPORTED)
    load(content_copy)


def test_a_service_list_gives_the_same_records(content_copy: Path, tmp_path: Path) -> None:
    """HSDS JSON as an API page of services, each with its organization nested."""
    organizations = json.loads(JSON_SET.read_text())
    contents = []
    for organization in organizations:
        services = organization.pop("services", [])
        contents += [{**service, "organization": organization} for service in services]
        if not services:
            contents.append(organization)
    page = tmp_path / "services.json"
    page.write_text(json.dumps({"total_items": len(contents), "contents": contents}))
    other = Path(shutil.copytree(CONTENT, tmp_path / "other"))
    assert import_hsds(content_copy, page, "--source", SOURCE).returncode == 0
    assert import_hsds(other, PACKAGE, "--source", SOURCE).returncode == 0
    assert records(content_copy) == records(other)


def test_the_report_says_what_could_not_be_mapped(content_copy: Path) -> None:
    result = import_hsds(content_copy, PACKAGE)
    assert result.returncode == 0, result.stderr
    report = result.stdout
    for expected in (
        "Imported 4 records from HSDS data set: Sample County Services (fictional test data)",
        "4 new, 0 changed, 0 unchanged, 0 removed",
        "(Summer Day Camp): `status`: the service is inactive; not imported",
        "(203-555-0149): `type`: `fax` numbers cannot be printed as call, text or TTY",
        "(203-555-019): `number`: `203-555-019` cannot be a real phone number",
        "(475-555-0160): `type`: missing; imported as a number to call",
        "(Tenant Legal Help): `assured_date`, `last_modified`: missing",
        "(Food Pantry): `fees_description`: not imported; handout has no field for it",
        "(PO Box 100): `address_1`: a postal address; only street addresses are printed",
        "(203-555-0140): `number`: belongs to the organization",
        "contacts.csv: 1 `contact` row: not imported",
        "1 of them has no date in the data set",
    ):
        assert expected in report, f"{expected!r} not in:\n{report}"
    text = import_file(content_copy).read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schema/resources.schema.json\n")
    undated = records(content_copy)[3]
    assert undated["verified"] is False and "no date" in undated["unverified_note"]


def test_imported_records_print_on_the_pocket_card(content_copy: Path, tmp_path: Path) -> None:
    assert import_hsds(content_copy, JSON_SET).returncode == 0
    edit(
        content_copy / "regions" / "danbury.yaml",
        "    - resource: ct-legal-services\n      label: Free legal aid\n",
        f"    - resource: {SHELTER}\n      label: Family shelter\n",
    )
    out = tmp_path / "out"
    result = run_build(
        "--content", content_copy, "--out", out, "--region", "danbury", "--lang", "en",
        "--material", "pocket-card",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    back = page_texts(out / "danbury" / "en" / "pocket-card.pdf")[1]
    assert "Family shelter" in back
    assert "(203) 555-0142" in back and "(203) 555-0143" in back
    # the imported record is the oldest fact
    assert "Facts checked online and in documents on October 1, 2026" in " ".join(back.split())


def test_reimporting_keeps_ids_and_changes_nothing(content_copy: Path) -> None:
    assert import_hsds(content_copy, JSON_SET).returncode == 0
    before = snapshot(content_copy)
    again = import_hsds(content_copy, JSON_SET)
    assert again.returncode == 0, again.stderr
    assert "0 new, 0 changed, 4 unchanged, 0 removed" in again.stdout
    assert snapshot(content_copy) == before
    region = (content_copy / "regions" / "danbury.yaml").read_text()
    assert region.count(f"  - {SHELTER}\n") == 1


def test_a_record_changed_by_hand_needs_force(content_copy: Path) -> None:
    assert import_hsds(content_copy, JSON_SET).returncode == 0
    edit(
        import_file(content_copy),
        "helps_with: Emergency shelter for families with children.",
        "helps_with: Shelter for families; call first.",
    )
    edited = import_file(content_copy).read_text()
    line = edited.splitlines().index(f"  - id: {SHELTER}") + 1
    refused = import_hsds(content_copy, PACKAGE)
    assert_clean_failure(
        refused,
        f"resources/hsds-danbury.yaml:{line}: record `{SHELTER}` was changed by hand",
        "--force",
        "`overrides:` in regions/danbury.yaml",
    )
    assert import_file(content_copy).read_text() == edited
    forced = import_hsds(content_copy, PACKAGE, "--force")
    assert forced.returncode == 0, forced.stderr
    assert f"Overwrote hand-written records (--force): {SHELTER}" in forced.stdout
    assert records(content_copy)[1]["helps_with"] == "Emergency shelter for families with children."


def test_a_correction_under_overrides_survives_reimport(content_copy: Path) -> None:
    assert import_hsds(content_copy, JSON_SET).returncode == 0
    edit(
        content_copy / "regions" / "danbury.yaml",
        "overrides:\n",
        f"overrides:\n  {SHELTER}:\n    hours: Every day, 24 hours; call before coming\n",
    )
    again = import_hsds(content_copy, JSON_SET)
    assert again.returncode == 0, again.stderr
    assert "call before coming" in (content_copy / "regions" / "danbury.yaml").read_text()


def test_a_hand_written_record_with_the_same_id_needs_force(content_copy: Path) -> None:
    local = content_copy / "resources" / "local.yaml"
    edit(
        local,
        "records:\n",
        f"records:\n  - id: {SHELTER}\n    name: Family shelter (my notes)\n"
        "    helps_with: Shelter.\n    scope: local\n    source: a call\n"
        "    checked: 2026-11-01\n\n",
    )
    before = snapshot(content_copy)
    refused = import_hsds(content_copy, JSON_SET)
    assert_clean_failure(
        refused, "resources/local.yaml:5:", f"record `{SHELTER}` is already written in this file"
    )
    assert snapshot(content_copy) == before
    forced = import_hsds(content_copy, JSON_SET, "--force")
    assert forced.returncode == 0, forced.stderr
    assert SHELTER not in local.read_text()
    assert SHELTER in [record["id"] for record in records(content_copy)]
    load(content_copy)


def broken_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(PACKAGE, tmp_path / "package"))


def test_bad_input_fails_cleanly_and_writes_nothing(content_copy: Path, tmp_path: Path) -> None:
    before = snapshot(content_copy)

    missing = import_hsds(content_copy, tmp_path / "nowhere.json")
    assert_clean_failure(missing, "nowhere.json: file not found")

    bad_json = tmp_path / "bad.json"
    bad_json.write_text('[\n  {"id": "org-1", "name": "A",}\n]\n')
    assert_clean_failure(import_hsds(content_copy, bad_json), "bad.json:2:", "is not valid JSON")

    package = broken_copy(tmp_path)
    with (package / "phones.csv").open("a") as stream:
        stream.write("ph-extra,,,,,,203-555-0150,,voice,note,one too many\n")
    assert_clean_failure(
        import_hsds(content_copy, package),
        "phones.csv:11: has 11 values, but the header has 10 columns",
    )

    unknown = run_build(
        "import-hsds", JSON_SET, "--region", "torrington", "--content", content_copy
    )
    assert_clean_failure(unknown, "no region `torrington`", "known regions: danbury")

    assert snapshot(content_copy) == before


def test_missing_required_fields_are_named(content_copy: Path, tmp_path: Path) -> None:
    before = snapshot(content_copy)
    organizations = json.loads(JSON_SET.read_text())
    del organizations[1]["services"][0]["status"]
    del organizations[2]["description"]
    dataset = tmp_path / "incomplete.json"
    dataset.write_text(json.dumps(organizations))
    assert_clean_failure(
        import_hsds(content_copy, dataset),
        "2 problems in the data set; nothing was imported",
        "incomplete.json: [1].services[0]: service `c2ade145",
        "`status` is missing",
        "incomplete.json: [2]: organization `5f1d7f2f",
        "`description` is missing",
    )

    package = broken_copy(tmp_path)
    edit(package / "organizations.csv", "Riverside Legal Clinic", "")
    edit(package / "services.csv", "b0f745e4-8f45-5ad0-b879-9e026f36039b", "no-such-org")
    assert_clean_failure(
        import_hsds(content_copy, package),
        "organizations.csv:3: organization `",
        "`name` is missing",
        "services.csv:2: service `",
        "`organization_id` is `no-such-org`, but the data set has no organization with that id",
    )
    assert snapshot(content_copy) == before


def test_an_import_that_would_break_the_content_writes_nothing(
    content_copy: Path, tmp_path: Path
) -> None:
    """The shelter is on the card; a new export marks it inactive: the import stops."""
    assert import_hsds(content_copy, JSON_SET).returncode == 0
    edit(
        content_copy / "regions" / "danbury.yaml",
        "    - resource: ct-legal-services\n",
        f"    - resource: {SHELTER}\n",
    )
    before = snapshot(content_copy)
    organizations = json.loads(JSON_SET.read_text())
    organizations[0]["services"][0]["status"] = "temporarily closed"
    dataset = tmp_path / "closed.json"
    dataset.write_text(json.dumps(organizations))
    assert_clean_failure(
        import_hsds(content_copy, dataset),
        "with the import applied, the content would have problems; nothing was written",
        "regions/danbury.yaml:",
        f"no record has the id `{SHELTER}`",
    )
    assert snapshot(content_copy) == before


def test_help_has_an_example() -> None:
    result = run_build("import-hsds", "--help")
    assert result.returncode == 0
    assert "python build.py import-hsds" in result.stdout and "--region danbury" in result.stdout
    assert "--force" in result.stdout


def test_a_recheck_with_mark_checked_survives_reimport(content_copy: Path) -> None:
    """Calling the clinic and recording it is not a hand edit: the next import keeps it."""
    tenant = "riverside-legal-clinic-tenant-legal-help"
    assert import_hsds(content_copy, JSON_SET).returncode == 0
    marked = run_build(
        "mark-checked", tenant, "--date", "2026-11-20", "--verified", "--content", content_copy
    )
    assert marked.returncode == 0, marked.stderr
    again = import_hsds(content_copy, JSON_SET)
    assert again.returncode == 0, again.stderr
    assert "0 changed, 4 unchanged" in again.stdout
    record = records(content_copy)[3]
    assert record["id"] == tenant
    assert str(record["checked"]) == "2026-11-20"
    assert record.get("verified", True) is True and "unverified_note" not in record
