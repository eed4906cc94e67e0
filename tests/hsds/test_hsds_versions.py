"""Importing HSDS data as others publish it (issue 18-20): the version is told from the data
and said; files are found where they are; messages say what the import did; HSDS 3.1's
alert, ages, websites and service areas reach print; a secret address never does."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.conftest import edit, run_build
from tests.hsds.test_hsds import DATA, REAL, assert_clean_failure, import_hsds, records
from tests.pdf import all_text, page_texts

SIMPLE = REAL / "sample-simple-1.1"
"""openreferral/sample-HSDS-datapackage `simple/`, as published (see real/README.md)."""
SPEC_31 = REAL / "spec-3.1-dev"
COUNSELLING = "example-organization-inc-community-counselling"


def test_the_hsds_1_1_simple_sample_is_read_as_1_x(content_copy: Path) -> None:
    """Issue 18: the official 1.1 sample has no schedules or addresses, so its tables alone
    looked like 3.0; its fields (no `location_type`, `taxonomy_ids`) say 1.x."""
    result = import_hsds(content_copy, SIMPLE)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "The data set is HSDS 1.x (older than 3.0)" in out
    assert "location_type" not in out + result.stderr
    names = [record["name"] for record in records(content_copy)]
    assert "Sanctuary Example City: Never Homeless Helpline" in names
    # issue 19: what the import did, not a fix for the data's owner
    assert "`http://example.com` is printed as example.com, without `http://`" in out
    assert "write the address" not in out and "check every digit" not in out
    assert "`(223) 346 12361` cannot be a real phone number; this number is left out" in out


def test_files_are_found_beside_datapackage_json_or_by_their_names(
    content_copy: Path, tmp_path: Path
) -> None:
    """Issue 19: CSV files listed under another folder (or a web address) are read from beside
    datapackage.json; a folder without datapackage.json is read by HSDS's file names."""
    moved = Path(shutil.copytree(SIMPLE, tmp_path / "moved"))
    descriptor = moved / "datapackage.json"
    package = json.loads(descriptor.read_text())
    for resource in package["resources"]:
        resource["path"] = f"data/{resource['path']}"
    package["resources"][0]["path"] = "https://example.org/hsds/organizations.csv"
    descriptor.write_text(json.dumps(package))
    result = import_hsds(content_copy, moved, "--source", "HSDS Simple Sample 1.1")
    assert result.returncode == 0, result.stderr
    assert (
        "datapackage.json lists `data/services.csv` (the service table); it is not there, so "
        "`services.csv` beside datapackage.json was read instead." in result.stdout
    )
    from_package = records(content_copy)

    bare = Path(shutil.copytree(SIMPLE, tmp_path / "bare"))
    (bare / "datapackage.json").unlink()
    result = import_hsds(content_copy, bare, "--source", "HSDS Simple Sample 1.1")
    assert result.returncode == 0, result.stderr
    assert "There is no datapackage.json, so each CSV file was read as the table" in result.stdout
    assert "The data set is HSDS 1.x" in result.stdout
    assert records(content_copy) == from_package

    (moved / "phones.csv").unlink()
    missing = import_hsds(content_copy, moved)
    assert_clean_failure(
        missing,
        "lists `data/phones.csv` (the phone table), but that file is not there, and there is "
        "no `phones.csv` beside datapackage.json either",
        "put the table's CSV file beside datapackage.json",
    )
    assert "copy the whole package folder" not in missing.stderr


def test_the_version_read_is_said(content_copy: Path, tmp_path: Path) -> None:
    """Issue 20: 3.0 and 3.1 are told apart by their fields; a later 3.x (named by the
    package's profile) is read as 3.1 and said so."""
    for folder, said in (
        (REAL / "spec-3.0" / "csv", "The data set is HSDS 3.0."),
        (SPEC_31 / "csv", "The data set is HSDS 3.1."),
        (SPEC_31 / "service_full.json", "The data set is HSDS 3.1."),
    ):
        result = import_hsds(content_copy, folder, "--dry-run")
        assert said in result.stdout, result.stdout + result.stderr
    later = Path(shutil.copytree(SPEC_31 / "csv", tmp_path / "later"))
    descriptor = later / "datapackage.json"
    package = json.loads(descriptor.read_text())
    package["profile"] = "https://openreferral.org/hsds/3.2/datapackage.json"
    descriptor.write_text(json.dumps(package))
    result = import_hsds(content_copy, later, "--dry-run")
    assert "The data set is HSDS 3.2, newer than this import knows (3.1): it was read as " in (
        result.stdout
    ), result.stderr


def test_an_object_that_is_not_a_taxonomy_is_not_called_one(
    content_copy: Path, tmp_path: Path
) -> None:
    """Issue 19: "taxonomies alone hold no services" only of taxonomies."""
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps([{"title": "Not HSDS"}]))
    result = import_hsds(content_copy, odd)
    assert_clean_failure(result, "is an object with no HSDS fields", "give the file")
    assert "taxonom" not in result.stderr


def test_a_region_picks_the_services_that_serve_it(content_copy: Path) -> None:
    """Issue 20: `--service-area` keeps the services whose service areas name the place."""
    result = import_hsds(content_copy, DATA / "datapackage", "--service-area", "bethel")
    assert result.returncode == 0, result.stderr
    assert "Only services that serve bethel were imported (--service-area): 1 serving" in (
        result.stdout
    )
    assert "(Food Pantry): `service_areas`: serves Danbury, not bethel; not imported" in (
        result.stdout
    )
    assert "1 service names no area, so it was imported" in result.stdout
    names = [record["name"] for record in records(content_copy)]
    assert not any("Food Pantry" in name for name in names)
    assert any("Tenant Legal Help" in name for name in names)


def _spec_service(tmp_path: Path, name: str, **location: object) -> Path:
    """The 3.1 specification's service, its address made a street address, and its location
    changed as given (`location_type`, `confidential`)."""
    service = json.loads((SPEC_31 / "service_full.json").read_text())
    place = service["service_at_locations"][0]["location"]
    place["addresses"][0]["address_type"] = "physical"
    place.update(location)
    path = tmp_path / name
    path.write_text(json.dumps(service))
    return path


def test_a_secret_or_virtual_location_never_prints_its_address(
    content_copy: Path, tmp_path: Path
) -> None:
    """Issue 20: a redacted, virtual or confidential location gives no address; the 3.1
    alert and ages print beside the entry on the pocket card, the flyer and the booklet."""
    [shown] = [
        record
        for record in _import(content_copy, _spec_service(tmp_path, "shown.json"))
        if record["id"] == COUNSELLING
    ]
    assert shown["address"].startswith("1-30 Main Street, MyVillage")  # the control
    for name, location in (
        ("virtual.json", {"location_type": "virtual"}),
        ("flagged.json", {"confidential": True}),
        ("redacted.json", {"location_type": "redacted"}),
    ):
        result = import_hsds(content_copy, _spec_service(tmp_path, name, **location))
        assert result.returncode == 0, result.stderr
        assert "so this address is never printed" in result.stdout, name
        [record] = [record for record in records(content_copy) if record["id"] == COUNSELLING]
        assert "address" not in record, name
        assert record["alert"].startswith("Following COVID-19")
        assert record["minimum_age"] == 12 and "maximum_age" not in record  # 100: no limit
        assert record["website"] == "example.com/counselling"
        assert record["other_websites"] == ["example.org"]
    region = content_copy / "regions" / "danbury.yaml"
    edit(region, "    - resource: ct-legal-services\n      label: Free legal aid\n",
         f"    - resource: {COUNSELLING}\n      label: Counselling\n")  # fmt: skip
    edit(region, "    - dmhas-access-line\n  tab:", f"    - {COUNSELLING}\n  tab:")
    out = tmp_path / "out"
    result = run_build("--content", content_copy, "--out", out, "--region", "danbury",
                       "--lang", "en")  # fmt: skip
    assert result.returncode == 0, result.stderr
    built = sorted(out.rglob("*.pdf"))
    assert len(built) >= 4
    for pdf in built:
        text = " ".join(all_text(pdf).split())
        for secret in ("1-30 Main", "MyVillage", "ABC 1234"):
            assert secret not in text, (pdf.name, secret)
    folder = out / "danbury" / "en"
    card_back = " ".join(page_texts(folder / "pocket-card.pdf")[1].split())
    assert "Counselling +44 1234 234567" in card_back
    assert "ages 12 and over Alert: check before you go" in card_back
    flyer = " ".join(all_text(folder / "flyer.pdf").split())
    assert "ages 12 and over Alert: check before you go" in flyer
    booklet = re.sub(r"-\s+", "-", " ".join(all_text(folder / "booklet.pdf").split()))
    assert "Alert: Following COVID-19 we have moved most of our counselling sessions" in booklet
    assert "Ages 12 and over." in booklet
    assert "example.org" in booklet
    discreet = all_text(folder / "discreet-card.pdf")
    assert "Alert" not in discreet


def _import(content: Path, dataset: Path) -> list[dict]:
    result = import_hsds(content, dataset, "--source", "Open Referral example")
    assert result.returncode == 0, result.stderr
    return records(content)


def test_ages_read_in_each_language(content_copy: Path, tmp_path: Path) -> None:
    """Issue 20: "ages 12 to 17", "under 18", "ages 18 and over", in English, Spanish and
    Portuguese (drafts, like the rest of those catalogs)."""
    _import(content_copy, _spec_service(tmp_path, "service.json"))
    region = content_copy / "regions" / "danbury.yaml"
    edit(region, "    - resource: ct-legal-services\n      label: Free legal aid\n",
         f"    - resource: {COUNSELLING}\n      label: Counselling\n")  # fmt: skip
    cases = (
        ("en", {"maximum_age": 17}, "ages 12 to 17"),
        ("es", {"minimum_age": 18}, "18 años o más"),
        ("pt", {"minimum_age": 0, "maximum_age": 17}, "menores de 18 anos"),
    )
    for language, ages, expected in cases:
        overrides = "".join(f"    {name}: {value}\n" for name, value in ages.items())
        text = region.read_text()
        text = re.sub(rf"\n  {COUNSELLING}:\n(    .*\n)*", "\n", text)
        region.write_text(
            text.replace("overrides:\n", f"overrides:\n  {COUNSELLING}:\n{overrides}")
        )
        out = tmp_path / language
        result = run_build("--content", content_copy, "--out", out, "--region", "danbury",
                           "--lang", language, "--material", "pocket-card")  # fmt: skip
        assert result.returncode == 0, result.stderr
        back = " ".join(page_texts(out / "danbury" / language / "pocket-card.pdf")[1].split())
        assert expected in back, (language, back)
