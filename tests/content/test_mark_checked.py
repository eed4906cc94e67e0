"""`mark-checked` changes only the date (and, with --verified, a `verified: false` and its
note; it never adds `verified: true`), byte for byte: comments, blank lines, a header
before `---`, CRLF line ends, indentation and quoting all stay as they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_clean_failure, run_build

ODD = (
    "# A header comment, before the document starts.\n"
    "\n"
    "---\n"
    "records:\n"
    "# a comment at the left edge\n"
    "-   id: odd-one\n"
    "    name: Odd One\n"
    "\n"
    "    helps_with: Help.   # a comment after a value\n"
    "    scope: national\n"
    "    source: somewhere\n"
    "    checked: 2026-11-20     # called them\n"
    "    # a comment that belongs to the next record\n"
    "\n"
    "\n"
    "-   {id: odd-two, name: Odd Two, helps_with: Help., scope: national, source: x,"
    " checked: '2026-11-21'}\n"
    "-   id: odd-three\n"
    "    name: Odd Three\n"
    "    helps_with: Help.\n"
    "    scope: national\n"
    "    source: x\n"
    "    checked: 2026-11-22\n"
    "    verified: false\n"
    "    unverified_note: >-\n"
    "      A long note\n"
    "      over two lines.\n"
    "    # the end\n"
)


def write_odd(content: Path, text: str) -> Path:
    path = content / "resources" / "odd.yaml"
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_only_the_dates_change_byte_for_byte(content_copy: Path, newline: str) -> None:
    path = write_odd(content_copy, ODD.replace("\n", newline))
    result = run_build(
        "mark-checked", "odd-one", "odd-two", "odd-three", "--date", "2026-11-29",
        "--content", content_copy,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    expected = (
        ODD.replace("checked: 2026-11-20", "checked: 2026-11-29")
        .replace("checked: '2026-11-21'", "checked: '2026-11-29'")
        .replace("checked: 2026-11-22", "checked: 2026-11-29")
        .replace("\n", newline)
    )
    assert path.read_bytes() == expected.encode("utf-8")


def test_the_readme_example_keeps_the_two_dates_apart(content_copy: Path) -> None:
    path = content_copy / "resources" / "connecticut.yaml"
    before = path.read_bytes()
    result = run_build(
        "mark-checked", "ct-211", "ct-safe-connect", "--date", "2026-11-29",
        "--content", content_copy,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    after = path.read_bytes()
    assert b"&id" not in after and b"*id" not in after
    assert after.count(b"checked: 2026-11-29") == 2
    assert len(after) == len(before)
    differing = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(differing) <= 2 * 2  # "27" -> "29" in two places


def test_verified_changes_the_flag_and_drops_the_note_only(content_copy: Path) -> None:
    path = write_odd(content_copy, ODD)
    result = run_build(
        "mark-checked", "odd-three", "--verified", "--date", "2026-11-29",
        "--content", content_copy,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    expected = (
        ODD.replace("checked: 2026-11-22", "checked: 2026-11-29")
        .replace("verified: false\n", "verified: true\n")
        .replace("    unverified_note: >-\n      A long note\n      over two lines.\n", "")
    )
    assert path.read_text(encoding="utf-8") == expected


def test_verified_is_not_written_where_the_record_has_none(content_copy: Path) -> None:
    """true is the default: a record without `verified:` is confirmed already, so
    --verified changes its date only and adds no line."""
    path = write_odd(content_copy, ODD)
    result = run_build(
        "mark-checked", "odd-one", "--verified", "--date", "2026-11-29", "--content", content_copy,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    expected = ODD.replace(
        "    checked: 2026-11-20     # called them\n", "    checked: 2026-11-29     # called them\n"
    )
    assert path.read_bytes() == expected.encode("utf-8")


def test_an_aliased_date_is_not_changed_behind_the_editors_back(content_copy: Path) -> None:
    text = ODD.replace("checked: 2026-11-20", "checked: &day 2026-11-20").replace(
        "checked: 2026-11-22", "checked: *day"
    )
    path = write_odd(content_copy, text)
    result = run_build(
        "mark-checked", "odd-three", "--date", "2026-11-29", "--content", content_copy
    )
    assert_clean_failure(result, "resources/odd.yaml:22:", "alias")
    assert path.read_text(encoding="utf-8") == text


def test_duplicate_keys_are_refused_and_nothing_is_written(content_copy: Path) -> None:
    text = ODD.replace("    scope: national\n", "    scope: national\n    scope: local\n", 1)
    path = write_odd(content_copy, text)
    result = run_build("mark-checked", "odd-one", "--date", "2026-11-29", "--content", content_copy)
    assert_clean_failure(result, "resources/odd.yaml:11:5", "`scope` is written twice")
    assert path.read_text(encoding="utf-8") == text


def test_an_imported_record_gets_verified_inside_its_block_once(content_copy: Path) -> None:
    """`verified: false` of an imported record becomes true in its own block, a record
    without `verified:` gets none (true is the default), and a record that already says
    so is not written again."""
    county = Path(__file__).parents[1] / "data" / "hsds" / "json" / "sample-county.json"
    result = run_build("import-hsds", county, "--region", "waterbury", "--content", content_copy)
    assert result.returncode == 0, result.stderr
    path = content_copy / "resources" / "hsds-waterbury.yaml"
    before = path.read_text(encoding="utf-8")
    ids = ["hilltop-crisis-line", "riverside-legal-clinic-tenant-legal-help"]
    args = ["--date", "2026-12-01", "--verified", "--how", "call", "--content", content_copy]
    result = run_build("mark-checked", *ids, *args)
    assert result.returncode == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert after.count("verified: true") == 1 and "unverified_note" not in after
    assert after.count("verified: false") == before.count("verified: false") - 1
    assert "    verified: true\n    checked_how: call\n\n  # from HSDS service" not in after
    assert after.count("# from HSDS") == before.count("# from HSDS")
    again = run_build("mark-checked", *ids, *args)
    assert again.returncode == 0 and "updated" not in again.stdout
    assert path.read_text(encoding="utf-8") == after


def test_a_call_takes_the_place_of_an_old_source(content_copy: Path) -> None:
    """An old article stays old however often it is re-read; once someone called and the
    fact held, the fact rests on the call: `source_year` goes, and the sheet stops saying
    "its source is from 2016"."""
    path = content_copy / "resources" / "connecticut.yaml"
    for how in ("website", "call"):
        result = run_build(
            "mark-checked", "dmhas-access-line", "--how", how, "--date", "2026-12-07",
            "--content", content_copy,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        kept = "source_year: 2016" in path.read_text(encoding="utf-8")
        assert kept == (how == "website"), how
    sheet = run_build("verify-sheet", "--content", content_copy, "--out", content_copy / "o")
    assert sheet.returncode == 0, sheet.stderr
    table = (content_copy / "o" / "verify-sheet.csv").read_text(encoding="utf-8")
    assert "its source is from 2016" not in table
