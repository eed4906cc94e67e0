"""Importing a service directory (Open Referral HSDS 3.0): both publication formats give the
same records, the records print, hand edits survive unless --force, and every mistake in the
input fails cleanly with nothing written."""

from __future__ import annotations

import contextlib
import datetime
import json
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from handout.content.load import load
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
            {"number": "(203) 555-0142", "kind": "call", "note": "English and Spanish spoken"},
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
    assert undated["verified"] is False and undated["unverified_note"].startswith("Call 211")


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

    nested = tmp_path / "nested.json"  # issue 13, defect 16: deeply nested JSON, no exit 3
    nested.write_text("[" * 100_000 + "]" * 100_000)
    assert_clean_failure(import_hsds(content_copy, nested), "nested.json", "nested too deeply")

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
    assert_clean_failure(
        unknown, "no region `torrington`", "Known regions: danbury", "Recipe: add a region"
    )

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
        import_hsds(content_copy, package, "--strict"),
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


INJECTED = (
    "1f4489fb\n  - id: injected-hotline\n    name: Injected Hotline\n    helps_with: Anything.\n"
    "    scope: statewide\n    phones:\n      - number: (860) 555-0199\n        kind: call\n"
    "    source: x\n    checked: 2026-11-01\n  # from HSDS service y"
)


def test_a_line_break_in_an_hsds_id_cannot_inject_records(
    content_copy: Path, tmp_path: Path
) -> None:
    """Issue 13, defect 2: an id is data, never YAML. The object with such an id is refused
    (and named); the rest is imported; the import file holds exactly the intended records."""
    for breaker in ("\n", "\r", "\u2028", "\x85"):
        organizations = json.loads(JSON_SET.read_text())
        organizations[0]["services"][0]["id"] = INJECTED.replace("\n", breaker)
        dataset = tmp_path / "bad-ids.json"
        dataset.write_text(json.dumps(organizations))
        result = import_hsds(content_copy, dataset)
        assert result.returncode == 0, result.stderr
        text = import_file(content_copy).read_text()
        assert "injected" not in text and "statewide" not in text and "0199" not in text
        assert SHELTER not in [record["id"] for record in records(content_copy)]
        assert "the id holds characters other than letters, digits" in result.stdout
        assert "Imported 3 records" in result.stdout
        load(content_copy)


REAL = DATA / "real"
SPEC = REAL / "spec-3.0"


def test_phone_languages_are_information_and_the_number_prints_in_every_language(
    content_copy: Path, tmp_path: Path
) -> None:
    """Issue 14.1: the specification's `organization_full.json` gives its only number
    `languages: [ur]`: spoken on the line, not the only language served. The number prints in
    the Spanish booklet too, with "Urdu spoken"."""
    result = import_hsds(content_copy, SPEC / "organization_full.json")
    assert result.returncode == 0, result.stderr
    [record] = records(content_copy)
    [phone] = record["phones"]
    assert "languages" not in phone
    assert phone["note"].endswith("Urdu spoken.")
    out = tmp_path / "out"
    built = run_build(
        "--content", content_copy, "--out", out, "--region", "danbury", "--lang", "es",
        "--material", "booklet",
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    text = " ".join(page_texts(out / "danbury" / "es" / "booklet.pdf"))
    assert "+44 1234 234567" in text


def test_a_dangling_reference_is_reported_and_the_rest_imported(content_copy: Path) -> None:
    """Issue 14.2: the specification's CSV example links its location to an organization it
    does not have. The rest is imported and the link named; --strict refuses."""
    result = import_hsds(content_copy, SPEC / "csv")
    assert result.returncode == 0, result.stderr
    assert (
        "location 3a19ff88-4620-4d17-9830-ac1d859eb5d5 (MyCity Civic Center): `organization_id`: "
        "is `985e4a42-bd9f-4edc-911d-0243a4640aca`, but the data set has no organization with "
        "that id; imported without it"
    ) in result.stdout
    assert [record["name"] for record in records(content_copy)] == [
        "Example Organization Inc.: Community Counselling"
    ]
    before = snapshot(content_copy)
    strict = import_hsds(content_copy, SPEC / "csv", "--strict")
    assert_clean_failure(
        strict,
        "locations.csv:2: location `3a19ff88-4620-4d17-9830-ac1d859eb5d5`: `organization_id` is "
        "`985e4a42-bd9f-4edc-911d-0243a4640aca`, but the data set has no organization",
    )
    assert snapshot(content_copy) == before


SAME_DATA = [
    "organization_full.json",
    "service_full.json",
    "service_at_location_full.json",
    "tabular.json",
    "csv",
]
"""The specification's examples that give one service with everything around it."""


def imported(content: Path, dataset: Path, *args: str) -> list[dict]:
    result = import_hsds(content, dataset, "--source", "Open Referral example", *args)
    assert result.returncode == 0, result.stderr
    return records(content)


def test_every_object_that_carries_services_is_recognised(content_copy: Path) -> None:
    """Issue 14.3: a service_at_location (single or a list) is read as one, not as an
    organization; so are a service, an organization, and a location with its services."""
    full = imported(content_copy, SPEC / "service_at_location_full.json")
    assert [record["name"] for record in full] == [
        "Example Organization Inc.: Community Counselling"
    ]
    for name in ("service_at_location_list.json", "service_list.json"):
        listed = imported(content_copy, SPEC / name)
        assert [record["name"] for record in listed] == [full[0]["name"]], name
    location = json.loads((SPEC / "location.json").read_text())
    location["services"] = json.loads((SPEC / "service_list.json").read_text())["contents"]
    dataset = content_copy.parent / "location-with-services.json"
    dataset.write_text(json.dumps(location))
    [record] = imported(content_copy, dataset)
    assert record["name"] == full[0]["name"]
    assert record["languages"] == ["Urdu"]  # the location's languages: it is offered there


def test_what_is_not_service_data_is_named(content_copy: Path) -> None:
    """Issue 14.3 and 14.8: an API index, a taxonomy, a location without services."""
    before = snapshot(content_copy)
    for name, expected in (
        ("base.json", "base.json: is an HSDS API's index document (HSDS 3.0), not data"),
        ("taxonomy.json", "taxonomy.json: is a taxonomy, not an organization, service"),
        ("taxonomy_term_list.json", "contents[0]: is a taxonomy term, not an organization"),
        ("location.json", "has no organizations and no services (it holds 1 location"),
    ):
        assert_clean_failure(import_hsds(content_copy, SPEC / name), expected)
    assert snapshot(content_copy) == before


def test_json_and_csv_of_the_specification_give_the_same_records(
    content_copy: Path, tmp_path: Path
) -> None:
    """Issue 14.6: the specification ships one example as nested JSON (three ways), as CSV
    files and as tabular JSON; all give the same record, the phone's language kept in each."""
    results = [imported(content_copy, SPEC / name) for name in SAME_DATA]
    assert all(found == results[0] for found in results), SAME_DATA
    [record] = results[0]
    assert record["languages"] == ["Urdu"]
    assert record["phones"][0]["note"].endswith("Urdu spoken.")
    later = REAL / "spec-3.1-dev"
    newer = [imported(content_copy, later / name) for name in SAME_DATA]
    # 3.1's JSON gives the service `additional_urls`; its url.csv links to no service
    websites = [[record.pop("other_websites", None) for record in found] for found in newer]
    assert all(found == newer[0] for found in newer), SAME_DATA
    assert websites == [[["example.org"]]] * 3 + [[None]] * 2


def test_different_objects_under_one_id_are_named_with_the_one_kept(
    content_copy: Path, tmp_path: Path
) -> None:
    """Issue 14.5: a page of services where several different services share one id."""
    page = json.loads((SPEC / "service_list.json").read_text())
    service = page["contents"][0]
    page["contents"] = [{**service, "name": f"Counselling {number}"} for number in range(1, 6)] + [
        dict(service, name="Counselling 1")
    ]  # a repeat of the first is no clash
    dataset = tmp_path / "services.json"
    dataset.write_text(json.dumps(page))
    result = import_hsds(content_copy, dataset)
    assert result.returncode == 0, result.stderr
    assert (
        "service ac148810-d857-441c-9679-408f346de14b (Counselling 1): `id`: 5 different objects "
        "have this id; kept the first (contents[0], Counselling 1), left out the others "
        "(contents[1], contents[2], contents[3] and 1 more)"
    ) in result.stdout
    assert [record["name"] for record in records(content_copy)] == [
        "Example Organization Inc.: Counselling 1"
    ]
    package = Path(shutil.copytree(SPEC / "csv", tmp_path / "csv"))
    with (package / "services.csv").open("a", encoding="utf-8") as stream:
        stream.write("ac148810-d857-441c-9679-408f346de14b,,,Other Counselling" + "," * 19 + "\n")
    result = import_hsds(content_copy, package)
    assert result.returncode == 0, result.stderr
    assert "`id`: 2 different objects have this id; kept the first (services.csv line 2, " in (
        result.stdout
    )
    assert "left out the other (services.csv line 3)" in result.stdout


def page(tmp_path: Path, number: int, total: int, contents: list[dict]) -> Path:
    """An HSDS API page, as the specification's `organization_list.json` is."""
    path = tmp_path / f"page-{number}.json"
    data = {"total_items": total, "total_pages": total, "page_number": number, "size": 1}
    data |= {"first_page": number == 1, "last_page": number == total, "contents": contents}
    path.write_text(json.dumps(data))
    return path


def import_pages(content: Path, *pages: Path):
    return run_build(
        "import-hsds", *pages, "--region", "danbury", "--content", content,
        "--source", "Open Referral example",
    )  # fmt: skip


def test_paged_output_is_said_and_pages_add_up(content_copy: Path, tmp_path: Path) -> None:
    """Issue 14.4: `organization_list.json` is page 1 of 10. A re-import of another page keeps
    the first page's records; several page files are one data set; all pages may remove."""
    first = imported(content_copy, SPEC / "organization_list.json")
    result = import_hsds(
        content_copy, SPEC / "organization_list.json", "--source", "Open Referral example"
    )
    assert "The data set is page 1 of 10 of an API's output, not all of it" in result.stdout
    assert [record["name"] for record in first] == ["Example Organization Inc."]
    pages = json.loads(JSON_SET.read_text())
    second = page(tmp_path, 2, 10, [pages[2]])
    both = imported(content_copy, second)
    assert [record["name"] for record in both] == [
        "Example Organization Inc.",
        "Hilltop Crisis Line",
    ]
    assert both[0] == first[0]  # kept as it was
    again = import_hsds(content_copy, second, "--source", "Open Referral example")
    assert "0 new, 0 changed, 1 unchanged, 0 removed" in again.stdout
    assert "the 1 record imported earlier from other pages is kept" in again.stdout
    together = import_pages(content_copy, SPEC / "organization_list.json", second)
    assert together.returncode == 0, together.stderr
    assert "Imported 2 records from Open Referral example (2 files)" in together.stdout
    assert "pages 1, 2 of 10" in together.stdout
    whole = [page(tmp_path, 1, 2, pages[:1]), page(tmp_path, 2, 2, pages[1:2])]
    complete = import_pages(content_copy, *whole)
    assert complete.returncode == 0, complete.stderr
    assert "pages 1, 2 of 2: all of it was imported" in complete.stdout
    assert "2 removed" in complete.stdout
    assert len(records(content_copy)) == 3  # the sample's first two organizations' services


OLDER = {"1.1": DATA / "hsds-1.1", "2.0": DATA / "hsds-2.0"}
"""Small HSDS 1.1 and 2.0 packages written for these tests from the field names of those
versions' `datapackage.json` (not copied)."""


def test_hsds_1_and_2_packages_are_read_as_3(content_copy: Path) -> None:
    """Issue 14.7: older tables (physical_addresses.csv, regular_schedules.csv, no
    location_type, a phone's `language` list) mean the same; the version is said in one line."""
    hours = {
        "1.1": "Tuesday and Thursday, 10 am to 2 pm",
        "2.0": "Tuesday and Thursday, 10 am to 2 pm",
    }
    for version, folder in OLDER.items():
        result = import_hsds(content_copy, folder, "--source", "Oakwood")
        assert result.returncode == 0, result.stderr
        said = "1.x" if version == "1.1" else "2.0"
        assert f"The data set is HSDS {said} (older than 3.0)" in result.stdout
        [record] = records(content_copy)
        assert record["address"] == "40 Elm Street, Oakwood, CT 06790"
        assert record["phones"] == [
            {
                "number": "(203) 555-0181",
                "kind": "call",
                "note": "Pantry line. Spanish and Portuguese spoken.",
            }
        ]
        assert record["hours"] == hours[version]
        assert record["area_served"] == "Oakwood County"
        assert record["languages"] == ["Spanish"]
        assert "location_type" not in result.stdout
    assert "holiday_schedules.csv: 1 `holiday_schedule` row (closures on holidays" in (
        import_hsds(content_copy, OLDER["1.1"]).stdout
    )


def test_times_are_range_checked_and_notes_blame_the_right_field(
    content_copy: Path, tmp_path: Path
) -> None:
    """Issue 13, defect 14: `opens_at: 25:99` is not printed as "1:99 pm"; HTML in a
    description is blamed on `description`, not `name`; a script's code is never text."""
    organizations = json.loads(JSON_SET.read_text())
    shelter, pantry = organizations[0]["services"][:2]
    shelter["schedules"] = [
        {
            "id": "bad-time",
            "freq": "WEEKLY",
            "byday": "MO",
            "opens_at": "25:99",
            "closes_at": "26:00",
        }
    ]
    pantry["description"] = "Groceries &lt;b&gt;free&lt;/b&gt;"
    organizations[1]["services"][0]["description"] = "Legal help.<script>alert(1)</script>"
    shelter["assured_date"] = "2099-12-31"  # issue 13, defect 13: never a future `checked`
    dataset = tmp_path / "odd.json"
    dataset.write_text(json.dumps(organizations))
    result = import_hsds(content_copy, dataset)
    assert result.returncode == 0, result.stderr
    assert (
        "schedule bad-time: `opens_at`: `25:99` is not a time of day (hours 00 to 23, minutes 00 "
        "to 59); these hours are left out"
    ) in result.stdout
    assert "(Food Pantry): `description`: cannot become the record's `helps_with`" in result.stdout
    assert "(Food Pantry): `name`" not in result.stdout
    text = import_file(content_copy).read_text()
    assert ":99" not in text and "alert" not in text
    shelter_record = next(record for record in records(content_copy) if record["id"] == SHELTER)
    assert "hours" not in shelter_record
    assert "`assured_date`: `2099-12-31` is after today; not used" in result.stdout
    assert shelter_record["checked"] <= datetime.date.today()


def service_pages(per_page: int) -> list[dict]:
    """The sample data set as an HSDS API's /services pages (each service with its
    organization nested), as `test_a_service_list_gives_the_same_records` makes them."""
    contents = []
    for organization in json.loads(JSON_SET.read_text()):
        services = organization.pop("services", [])
        contents += [{**service, "organization": organization} for service in services]
    chunks = [contents[start : start + per_page] for start in range(0, len(contents), per_page)]
    return [
        {
            "total_items": len(contents),
            "total_pages": len(chunks),
            "page_number": number,
            "size": per_page,
            "first_page": number == 1,
            "last_page": number == len(chunks),
            "empty": False,
            "contents": chunk,
        }
        for number, chunk in enumerate(chunks, start=1)
    ]


class HSDSApi(BaseHTTPRequestHandler):
    """A small HSDS API on 127.0.0.1: `/api/services` pages 1-4, page 2 slow and page 3
    failing once each (tried again, they answer); `/down/services` fails on page 2 always."""

    pages = service_pages(1)
    hits: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        params = dict(item.split("=", 1) for item in query.split("&") if "=" in item)
        number = int(params.get("page", "1"))
        key = f"{path}?{number}"
        self.hits[key] = self.hits.get(key, 0) + 1
        if path == "/api":
            return self._json({"version": "3.0", "openapi_url": "https://example.org/openapi.json"})
        if path not in ("/api/services", "/down/services") or not 1 <= number <= 4:
            return self._json({"error": "not found"}, 404)
        if path == "/api/services" and number == 2 and self.hits[key] == 1:
            time.sleep(1.5)  # longer than the import's --timeout 1
        if number == 3 and (path == "/down/services" or self.hits[key] == 1):
            return self._json({"error": "overloaded"}, 503)
        return self._json(self.pages[number - 1])

    def _json(self, data: object, status: int = 200) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up waiting (the slow page)
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), HSDSApi)
    HSDSApi.hits = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_import_from_a_live_hsds_api(content_copy: Path, tmp_path: Path, api: str) -> None:
    """Issue 14, URL import: pages through /services (a slow page and a failing page are
    tried again) and gives the same records as the file; a page that keeps failing stops the
    import with nothing written. Only 127.0.0.1 is asked."""
    result = run_build(
        "import-hsds", f"{api}/api", "--region", "danbury", "--content", content_copy,
        "--timeout", "1", "--source", SOURCE,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Imported 3 records from Sample County Services" in result.stdout
    assert "pages 1, 2, 3, 4 of 4: all of it was imported" in result.stdout
    assert HSDSApi.hits["/api/services?2"] == 2 and HSDSApi.hits["/api/services?3"] == 2
    other = Path(shutil.copytree(CONTENT, tmp_path / "other"))
    pages = [tmp_path / f"page-{n}.json" for n in (1, 2, 3, 4)]
    for path, data in zip(pages, service_pages(1), strict=True):
        path.write_text(json.dumps(data))
    from_files = run_build(
        "import-hsds", *pages, "--region", "danbury", "--content", other, "--source", SOURCE
    )
    assert from_files.returncode == 0, from_files.stderr
    assert records(content_copy) == records(other)

    before = snapshot(content_copy)
    down = run_build(
        "import-hsds", f"{api}/down/services", "--region", "danbury", "--content", content_copy
    )
    assert_clean_failure(
        down, "/down/services: page 3: the server answered 503 Service Unavailable, 3 times"
    )
    assert snapshot(content_copy) == before
    index = run_build(
        "import-hsds", f"{api}/api/", "--region", "danbury", "--content", content_copy,
        "--timeout", "5",
    )  # fmt: skip
    assert index.returncode == 0, index.stderr  # the base URL: its /services were fetched
