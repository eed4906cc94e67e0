"""`--check` prints what needs action; what is only good to know (the reading level of
every text, each text a translation lacks) waits behind `--verbose`."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import edit, run_build


def test_a_clean_check_prints_one_line() -> None:
    result = run_build("--check")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1, result.stdout
    assert result.stdout.startswith("Content OK:") and "0 warnings" in result.stdout
    verbose = run_build("--check", "--verbose")
    assert "Reading level (Flesch-Kincaid grade)" in verbose.stdout


def test_texts_a_translation_lacks_are_counted_unless_verbose(content_copy: Path) -> None:
    edit(content_copy / "materials.yaml", "front_title: Free help, any time", "front_title: Help")
    result = run_build("--check", "--content", content_copy)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("warning:")]
    assert lines and all(" missing (the English is printed)" in line for line in lines)
    assert "'Help'" not in result.stdout
    assert "translations status --lang es" in result.stdout
    verbose = run_build("--check", "--verbose", "--content", content_copy)
    assert "missing: 'Help'" in verbose.stdout
    count = result.stdout.rsplit("; ", 1)[1]
    assert count == verbose.stdout.rsplit("; ", 1)[1], "the same warnings, counted alike"
