"""Hostile or broken content files: each ends in a clear error naming the file and place
(exit 1), never in a crash (exit 3), a hang or a silently wrong build."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from handout.content.errors import ContentErrors
from handout.content.load import load
from tests.conftest import assert_clean_failure, edit, run_build

LOCAL = Path("resources") / "local.yaml"


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load(root)
    return [str(problem) for problem in caught.value.problems]


def test_a_duplicate_key_is_refused_naming_both_lines(content_copy: Path) -> None:
    edit(
        content_copy / LOCAL,
        "        note: non-emergency\n",
        "        note: non-emergency\n    phones:\n      - number: (860) 555-0100\n",
    )
    (problem,) = problems_of(content_copy)
    assert "resources/local.yaml:16:5" in problem
    assert "`phones` is written twice" in problem
    assert "line 12" in problem


def test_a_duplicate_key_deep_inside_is_refused(content_copy: Path) -> None:
    edit(
        content_copy / LOCAL,
        "        kind: call\n",
        "        kind: call\n        kind: text\n",
    )
    (problem,) = problems_of(content_copy)
    assert "resources/local.yaml:15:9" in problem and "`kind` is written twice" in problem


def test_duplicate_keys_end_the_command_line_cleanly(content_copy: Path) -> None:
    edit(content_copy / LOCAL, "    scope: local\n", "    scope: local\n    scope: national\n")
    result = run_build("--content", content_copy, "--check")
    assert_clean_failure(result, "resources/local.yaml:10:5", "`scope` is written twice")
    result = run_build("mark-checked", "mcca", "--content", content_copy)
    assert_clean_failure(result, "`scope` is written twice")


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x97", "\ufffe"])
@pytest.mark.parametrize("where", ["comment", "value"])
def test_a_control_character_is_refused_with_its_place(
    content_copy: Path, character: str, where: str
) -> None:
    if where == "comment":
        edit(content_copy / LOCAL, "# Local records.", f"# Local{character} records.")
        place = "resources/local.yaml:2:8"
    else:
        lines = (content_copy / LOCAL).read_text(encoding="utf-8").splitlines()
        line, column = next(
            (number, text.index("Free meals."))
            for number, text in enumerate(lines, 1)
            if "Free meals." in text
        )
        edit(content_copy / LOCAL, "Free meals.", f"Free{character} meals.")
        place = f"resources/local.yaml:{line}:{column + 5}"
    (problem,) = problems_of(content_copy)
    assert place in problem
    assert f"U+{ord(character):04X}" in problem
    assert "Fix:" in problem


def test_a_control_character_ends_the_command_line_cleanly(content_copy: Path) -> None:
    edit(content_copy / LOCAL, "Free meals.", "Free\x07 meals.")
    assert_clean_failure(run_build("--content", content_copy, "--check"), "U+0007")


def test_deeply_nested_yaml_is_refused(content_copy: Path) -> None:
    (content_copy / LOCAL).write_text("records: " + "[" * 5000 + "]" * 5000 + "\n")
    problems = problems_of(content_copy)
    assert any("resources/local.yaml:1:" in p and "nested more than" in p for p in problems)
    result = run_build("--content", content_copy, "--check")
    assert_clean_failure(result, "nested")


def test_an_alias_bomb_is_refused_quickly(content_copy: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 12):
        lines.append(f"a{level}: &a{level} " + "[" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    lines.append("records: *a11")
    (content_copy / LOCAL).write_text("\n".join(lines) + "\n")
    problems = problems_of(content_copy)
    assert any("aliases" in problem and "resources/local.yaml:" in problem for problem in problems)


def test_a_few_aliases_are_still_fine(content_copy: Path) -> None:
    edit(
        content_copy / LOCAL,
        "    topics: [police]\n",
        "    topics: &police [police]\n",
    )
    edit(content_copy / LOCAL, "    topics: [police]\n", "    topics: *police\n")
    load(content_copy)


def test_a_huge_content_file_is_refused_before_it_is_parsed(content_copy: Path) -> None:
    path = content_copy / LOCAL
    with path.open("a", encoding="utf-8") as stream:
        stream.write("# " + "x" * (10 * 1024 * 1024) + "\n")
    (problem,) = problems_of(content_copy)
    assert "resources/local.yaml" in problem and "MiB" in problem


def test_a_future_checked_date_is_refused(content_copy: Path) -> None:
    edit(content_copy / LOCAL, "    checked: 2026-11-27\n", "    checked: 2099-12-31\n")
    (problem,) = problems_of(content_copy)
    assert "resources/local.yaml:17:" in problem
    assert "2099-12-31 is in the future" in problem


def test_a_checked_date_of_today_is_fine(content_copy: Path) -> None:
    today = datetime.date.today().isoformat()
    edit(content_copy / LOCAL, "    checked: 2026-11-27\n", f"    checked: {today}\n")
    load(content_copy)


def test_mark_checked_refuses_a_future_date(content_copy: Path) -> None:
    before = (content_copy / LOCAL).read_bytes()
    result = run_build("mark-checked", "mcca", "--date", "2099-12-31", "--content", content_copy)
    assert_clean_failure(result, "2099-12-31", "future")
    assert (content_copy / LOCAL).read_bytes() == before


def test_a_symlink_leaving_the_content_folder_is_refused(
    content_copy: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n" * 50)
    (content_copy / "resources" / "stolen.yaml").symlink_to(secret)
    problems = problems_of(content_copy)
    assert any("resources/stolen.yaml" in p and "outside the content folder" in p for p in problems)
    assert not any("root:x:0:0" in p for p in problems)


def test_a_symlink_to_a_folder_outside_is_refused(content_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "more.yaml").write_text("records: []\n")
    (content_copy / "resources" / "more").symlink_to(outside)
    (content_copy / "regions" / "far.yaml").symlink_to(outside / "more.yaml")
    problems = problems_of(content_copy)
    assert any("regions/far.yaml" in p and "outside the content folder" in p for p in problems)


def test_a_symlink_inside_the_content_folder_is_fine(content_copy: Path) -> None:
    (content_copy / "resources" / "local.yaml").rename(content_copy / "local-real.yaml")
    (content_copy / "resources" / "local.yaml").symlink_to(content_copy / "local-real.yaml")
    load(content_copy)


def test_a_long_wrong_value_is_shown_as_a_short_excerpt(content_copy: Path) -> None:
    edit(content_copy / LOCAL, "    scope: local\n", "    scope: " + "secret " * 200 + "\n")
    (problem,) = problems_of(content_copy)
    assert "secret secret" in problem
    assert len(problem) < 400, problem
