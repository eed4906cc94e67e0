"""Every user mistake: a clear message naming the file, the place and the fix; exit 1;
no traceback; no PDF written or replaced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import assert_clean_failure, edit, pdfs, run_build


def test_yaml_syntax_error_names_file_line_and_column(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "resources" / "local.yaml",
        "    name: New Milford Police Department\n",
        "    name: New Milford Police Department\n   bad: [\n",
    )
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(result, "resources/local.yaml:7:4", "YAML syntax error", "Fix:")
    assert pdfs(tmp_path / "out") == []


def test_missing_required_field(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "resources" / "local.yaml",
        "    helps_with: Non-emergency police line, for reports that are not urgent.\n",
        "",
    )
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(
        result,
        "resources/local.yaml:5:5",
        "`helps_with` is missing",
        "add a line `helps_with: ...`",
    )
    assert pdfs(tmp_path / "out") == []


def test_misspelt_key_gets_a_suggestion(content_copy: Path, tmp_path: Path) -> None:
    edit(content_copy / "resources" / "national.yaml", "    phones:\n", "    phnoes:\n")
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(
        result, "resources/national.yaml:", "unknown field `phnoes`", "did you mean `phones`?"
    )


def test_impossible_phone_number(content_copy: Path, tmp_path: Path) -> None:
    edit(content_copy / "resources" / "local.yaml", "(860) 355-3133", "(860) 355-31333")
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(result, "resources/local.yaml:", "cannot be a real phone number")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("(860) 355-31O3", "the letter O among its digits; type the digit 0 (zero) there"),
        ("(8OO) 373-7888", "the letter O among its digits; type the digit 0 (zero) there"),
        ("(860) 355-3l33", "the letter l among its digits; type the digit 1 (one) there"),
    ],
)
def test_a_letter_typed_for_a_digit_is_named(
    content_copy: Path, tmp_path: Path, typed: str, said: str
) -> None:
    """phonenumbers reads letters as a keypad's digits (O is 6): without this check
    `(860) 355-31O3` could print as another, real number."""
    edit(content_copy / "resources" / "local.yaml", "(860) 355-3133", typed)
    result = run_build("--content", content_copy, "--out", tmp_path / "out", "--check")
    assert_clean_failure(result, "resources/local.yaml:", said)


def test_a_vanity_number_is_still_read() -> None:
    from handout.content.phones import display, number_problem

    assert number_problem("1-800-273-TALK") is None
    assert display("1-800-273-TALK") == "(800) 273-8255"


def test_impossible_date(content_copy: Path, tmp_path: Path) -> None:
    edit(content_copy / "laws.yaml", "checked: 2026-11-27", "checked: 2026-13-27")
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(result, "laws.yaml:", "`checked` is not a date", "YYYY-MM-DD")


def test_unknown_reference_in_a_region(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "regions" / "new-milford.yaml",
        "  - new-milford-police\n",
        "  - new-milford-polise\n",
    )
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(
        result,
        "regions/new-milford.yaml:",
        "no record has the id",
        "did you mean `new-milford-police`?",
    )


def test_unknown_reference_in_a_section(content_copy: Path, tmp_path: Path) -> None:
    edit(content_copy / "sections.yaml", "resources: [wellmore]", "resources: [welmore]")
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(result, "sections.yaml:", "`welmore`", "did you mean `wellmore`?")


def test_all_problems_are_reported_at_once(content_copy: Path, tmp_path: Path) -> None:
    edit(content_copy / "resources" / "national.yaml", "    phones:\n", "    phnoes:\n")
    edit(content_copy / "laws.yaml", "checked: 2026-11-27", "checked: someday")
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(result, "2 problems", "phnoes", "`checked` is not a date")


def test_a_failed_build_leaves_existing_pdfs_alone(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    only = ("--region", "new-milford", "--lang", "en", "--material", "pocket-card")
    assert run_build("--content", content_copy, "--out", out, *only).returncode == 0
    card = out / "new-milford" / "en" / "pocket-card.pdf"
    before = card.read_bytes()
    edit(
        content_copy / "materials.yaml",
        "  front_title: Free help, any time",
        "  front_title: Free help, any time, " + "and much more text " * 40,
    )
    result = run_build("--content", content_copy, "--out", out, *only)
    assert_clean_failure(result, "new-milford/en/pocket-card", "the front part does not fit")
    assert card.read_bytes() == before
    assert pdfs(out) == [card.with_name("pocket-card-print.pdf"), card]
    assert not list(out.rglob("*.tmp"))


def test_text_too_long_for_the_flyer_fails_naming_it(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "materials.yaml",
        "  subhead: >-\n",
        "  subhead: >-\n    " + "Much more text here. " * 400 + "\n",
    )
    result = run_build(
        "--content",
        content_copy,
        "--out",
        tmp_path / "out",
        "--material",
        "flyer",
        "--region",
        "new-milford",
        "--lang",
        "en",
    )
    assert_clean_failure(
        result,
        "new-milford/en/flyer: the page part does not fit even at the smallest legible type "
        "(10 pt)",
    )
    assert pdfs(tmp_path / "out") == []


def test_missing_content_folder(tmp_path: Path) -> None:
    result = run_build("--content", tmp_path / "nowhere", "--out", tmp_path / "out")
    assert_clean_failure(result, "content folder not found")


def test_unknown_region_option(tmp_path: Path) -> None:
    result = run_build("--region", "atlantis", "--out", tmp_path / "out")
    assert_clean_failure(result, "no region `atlantis`", "new-milford")
    result = run_build("--region", "Danbry", "--out", tmp_path / "out")
    assert_clean_failure(result, "no region `Danbry`; did you mean `danbury`?")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("danbury", "danbury"),
        ("Danbury", "danbury"),
        ("New Milford", "new-milford"),
        ("new_milford", "new-milford"),
        ("Spanish", "es"),
        ("Espanol", "es"),
        ("PORTUGUÊS", "pt"),
    ],
)
def test_a_region_or_language_is_found_by_its_name(typed: str, meant: str) -> None:
    from handout.content.asked import id_asked

    known = {
        "danbury": ["Danbury"], "new-milford": ["New Milford"], "es": ["Español", "Spanish"],
        "pt": ["Português", "Portuguese"],
    }  # fmt: skip
    assert id_asked("region or language", typed, known) == meant


def test_a_build_asked_by_names_builds_the_ids(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_build(
        "--region", "New Milford", "--lang", "Spanish", "--material", "pocket-card", "--out", out
    )
    assert result.returncode == 0, result.stderr
    assert {path.parent.relative_to(out).as_posix() for path in pdfs(out)} == {"new-milford/es"}
    assert (out / "new-milford" / "es" / "pocket-card.pdf").is_file()


def test_discreet_card_front_refuses_a_giveaway_word(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "materials.yaml",
        "  front_text: Please call 24 hours ahead to change.",
        "  front_text: Free and private, no police, day and night.",
    )
    result = run_build(
        "--content",
        content_copy,
        "--out",
        tmp_path / "out",
        "--lang",
        "en",
        "--material",
        "discreet-card",
    )
    assert_clean_failure(result, "discreet-card: its front shows police")
    assert pdfs(tmp_path / "out") == []


def test_tab_in_yaml_is_one_clear_error(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "resources" / "local.yaml",
        "    short_name: New Milford Police\n",
        "\tshort_name: New Milford Police\n",
    )
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(
        result, "1 problem", "resources/local.yaml:7:1", "tab", "indent with spaces only"
    )


def test_unclosed_quote_points_at_its_line(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "materials.yaml",
        'checked_by_phone: "Numbers confirmed by phone on {date}."',
        'checked_by_phone: "Numbers confirmed by phone on {date}.',
    )
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(result, "materials.yaml:9:", "never closed", "closing quote")


def test_date_written_the_us_way(content_copy: Path, tmp_path: Path) -> None:
    edit(content_copy / "laws.yaml", "    checked: 2026-11-27\n", "    checked: 13/01/2026\n")
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(result, "laws.yaml:30:5", "`checked` is not a date", "YYYY-MM-DD")


def test_wrong_phone_kind_lists_the_choices(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "resources" / "national.yaml",
        "        kind: call\n",
        "        kind: phone\n",
    )
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(result, "national.yaml:23:9", "cannot be `phone`", "'call', 'text'")


def test_malformed_website(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "resources" / "connecticut.yaml",
        "    website: 211ct.org",
        "    website: 211ct org",
    )
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(result, "connecticut.yaml:", "is not a website address")


def test_two_list_items_run_together(content_copy: Path, tmp_path: Path) -> None:
    edit(content_copy / "regions" / "waterbury.yaml", "  - wellmore\n", "   - wellmore\n")
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(result, "waterbury.yaml:9:5", "two items ran together")


def test_a_character_no_shipped_font_has_is_refused(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "materials.yaml",
        "  front_title: Free help, any time",
        "  front_title: Free help, any time ☎",
    )
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(result, "U+260E", "no shipped font has", "empty box")
    assert pdfs(tmp_path / "out") == []
    check = run_build("--check", "--content", content_copy)
    assert check.returncode == 1 and "U+260E" in check.stderr


def test_text_hidden_or_dropped_from_a_page_is_an_error(
    templates_copy: Path, tmp_path: Path
) -> None:
    edit(
        templates_copy / "pocket-card.css",
        ".for { margin",
        ".for { display: none; margin",
    )
    result = run_build(
        "--templates",
        templates_copy,
        "--out",
        tmp_path / "out",
        "--material",
        "pocket-card",
        "--region",
        "waterbury",
        "--lang",
        "en",
    )
    assert_clean_failure(
        result,
        "waterbury/en/pocket-card: these texts are not on its pages",
        "For anyone who sells or trades sex",
    )
    assert pdfs(tmp_path / "out") == []


def test_text_past_the_page_edge_is_an_error(templates_copy: Path, tmp_path: Path) -> None:
    edit(
        templates_copy / "pocket-card.css",
        ".for { margin",
        ".for { white-space: nowrap; margin",
    )
    result = run_build(
        "--templates",
        templates_copy,
        "--out",
        tmp_path / "out",
        "--material",
        "pocket-card",
        "--region",
        "waterbury",
        "--lang",
        "en",
    )
    assert result.returncode == 1
    assert "text runs past the edge of the page" in result.stderr
    assert "For anyone who sells or trades sex" in result.stderr
    assert pdfs(tmp_path / "out") == []


def test_texts_printed_on_top_of_each_other_are_an_error(
    templates_copy: Path, tmp_path: Path
) -> None:
    edit(
        templates_copy / "pocket-card.css",
        ".for { margin: 0 0 2pt; line-height: 1.1; }",
        ".for { margin: 0 0 -14pt; line-height: 1.1; }",
    )
    result = run_build(
        "--templates", templates_copy, "--out", tmp_path / "out", "--material", "pocket-card",
        "--region", "waterbury", "--lang", "en",
    )  # fmt: skip
    assert_clean_failure(
        result,
        "waterbury/en/pocket-card: texts are printed on top of each other",
        "check the template's stylesheet",
    )
    assert pdfs(tmp_path / "out") == []


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    """The line (from 1) of the `occurrence`-th line of `path` holding `text`."""
    found = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line]
    return found[occurrence - 1]


def test_a_date_in_the_right_form_that_does_not_exist(content_copy: Path) -> None:
    """2026-11-31 is written YYYY-MM-DD already: the message says November has 30 days."""
    laws = content_copy / "laws.yaml"
    edit(laws, "    checked: 2026-11-27\n", "    checked: 2026-11-31\n")
    edit(laws, "    checked: 2026-11-27\n", "    checked: 2026-02-29\n")
    local = content_copy / "resources" / "local.yaml"
    edit(local, "    checked: 2026-11-27\n", "    checked: 0\n")  # not seconds since 1970
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(
        result,
        f"laws.yaml:{line_of(laws, '2026-11-31')}:5: `checked` is not a date: there is no "
        "November 31 (November has 30 days)",
        "the last day of November 2026 is 2026-11-30",
        "there is no February 29 in 2026 (2026 is not a leap year)",
        "0 is a number, not a date: write the date as YYYY-MM-DD",
    )
    assert "write dates as YYYY-MM-DD" not in result.stderr


def test_problems_are_listed_by_file_and_line_with_places_in_words(content_copy: Path) -> None:
    """Files are read resources first, laws later; the list reads like the folder: by file,
    then by line. A field inside a list is named in words: the second phone's number."""
    local = content_copy / "resources" / "local.yaml"
    laws = content_copy / "laws.yaml"
    edit(local, "(860) 626-7900", "(860) 626-79000")  # listed after the one below
    edit(local, "(860) 355-3133", "(860) 355-31333")
    edit(laws, "    checked: 2026-11-27\n", "    checked: someday\n")
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(result, "3 problems", "the first phone's number: `(860) 355-31333`")
    assert "[item" not in result.stderr and "phones." not in result.stderr
    places = re.findall(r"content/(\S+\.yaml):(\d+):\d+: ", result.stderr)
    assert places == [
        ("laws.yaml", str(line_of(laws, "someday"))),
        ("resources/local.yaml", str(line_of(local, "355-31333"))),
        ("resources/local.yaml", str(line_of(local, "626-79000"))),
    ], result.stderr


def test_places_in_words() -> None:
    from handout.content.errors import field_words

    assert field_words(("checked",)) == "`checked`"
    assert field_words(("phones", 0, "number")) == "the first phone's number"
    assert field_words(("phones", 11, "languages", 2)) == "the 12th phone's third language"
    assert field_words(("blocks", 12, "only_in")) == "the 13th block's `only_in`"


def test_a_number_outside_the_us_is_a_warning_to_confirm(content_copy: Path) -> None:
    edit(content_copy / "resources" / "local.yaml", "(860) 355-3133", "+44 20 7946 0958")
    result = run_build("--check", "--content", content_copy)
    assert result.returncode == 0, result.stderr
    assert "resources/local.yaml:" in result.stdout
    assert "a number outside the US and Canada (+44 20 7946 0958, country code +44)" in (
        result.stdout
    )
    assert "1 warning." in result.stdout
    strict = run_build("--check", "--strict", "--content", content_copy)
    assert strict.returncode == 1


@pytest.mark.parametrize(
    ("wrong", "said"),
    [
        ("1800", "is `1800`, but the least it may be is 1900"),
        ("[2016]", "`source_year` must be a whole number"),
        ("2016.5", "`source_year` must be a whole number"),
    ],
)
def test_numbers_out_of_range_or_of_the_wrong_kind_are_said_plainly(
    content_copy: Path, wrong: str, said: str
) -> None:
    path = content_copy / "resources" / "connecticut.yaml"
    edit(path, "    source_year: 2016", f"    source_year: {wrong}")
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(result, "resources/connecticut.yaml:", said)
    assert "Input should" not in result.stdout + result.stderr


def test_a_language_code_takes_a_script_or_an_area_and_a_wrong_one_says_how(
    content_copy: Path, tmp_path: Path
) -> None:
    from handout.content.load import load

    project = content_copy / "project.yaml"
    edit(
        project,
        "  - code: pt\n",
        "  - code: fa-AF\n    name: دری\n    reviewed: false\n  - code: pt\n",
    )
    codes = [language.code for language in load(content_copy).project.languages]
    assert "zh-Hans" in codes and "fa-AF" in codes  # zh-Hans: shipped
    edit(project, "code: fa-AF", "code: Dari")
    result = run_build("--content", content_copy, "--out", tmp_path / "out", "--check")
    assert_clean_failure(
        result, "project.yaml", "(`Dari`) is not a language code", "zh-Hans or fa-AF"
    )
