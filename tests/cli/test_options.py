"""Option values typed the way people type them (a date in another form, a date that does
not exist, a word for a number, a port out of range, a file for a folder): each is refused
saying what to type instead, never with Python's words or a traceback."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from handout.cli.main import main
from tests.conftest import ROOT


def refused(*argv: str) -> str:
    """Run the command line in process; it must refuse the options (exit 2): its message."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit) as stop:
        main(list(argv), root=ROOT)
    assert stop.value.code == 2, stderr.getvalue()
    message = stderr.getvalue()
    assert "Traceback" not in message and "invalid" not in message, message
    return message


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("12/06/2026", "for December 6, 2026 write 2026-12-06; for June 12, 2026 write 2026-06-12"),
        ("25.12.2026", "for December 25, 2026 write 2026-12-25"),
        ("2026-11-31", "there is no November 31 (November has 30 days)"),
        ("2026-02-30", "there is no February 30 (February has 28 days)"),
        ("2026-13-01", "there is no month 13"),
        ("2026-1-5", "write 2026-01-05"),
        ("yesterday", "write the date as YYYY-MM-DD (year, month, day), like 2026-11-27"),
    ],
)
def test_mark_checked_date_says_what_to_type(date: str, expected: str) -> None:
    message = refused("mark-checked", "ct-211", "--date", date)
    assert f"`{date}` is not a date" in message and expected in message


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--jobs", "two"], "`two` is not a whole number"),
        (["--jobs", "0"], "give 1 or more"),
        (["serve", "--port", "99999"], "`99999` is not a port; give a number from 1024 to 65535"),
        (["serve", "--port", "-1"], "is not a port"),
        (["import-hsds", "x.json", "--region", "danbury", "--timeout", "soon"], "not a number"),
        (["import-hsds", "x.json", "--region", "danbury", "--time-limit", "0"], "above 0"),
        (["--shard", "3"], "is not K/N"),
    ],
)
def test_numbers_are_checked_when_typed(argv: list[str], expected: str) -> None:
    assert expected in refused(*argv)


@pytest.mark.parametrize("command", [["schema"], ["verify-sheet"], ["merge-manifests", "x"], []])
def test_a_file_given_for_an_output_folder(command: list[str], tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine", encoding="utf-8")
    message = refused(*command, "--out", str(a_file))
    assert "is a file, not a folder" in message
    assert a_file.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--material", "flyers"], "`flyers` is not one of: pocket-card, discreet-card, flyer"),
        (["--material", "flyers"], "did you mean `flyer`?"),
        (["translations", "stats"], "did you mean `status`?"),
        (["mark-checked", "ct-211", "--how", "phone"], "`phone` is not one of: call, website"),
    ],
)
def test_a_choice_not_in_the_list_gets_the_list_and_a_guess(argv: list[str], expected: str) -> None:
    assert expected in refused(*argv)


def test_a_choice_in_capitals_is_taken() -> None:
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        assert main(["--list", "--material", "Flyer", "--region", "danbury"], root=ROOT) == 0
    assert stdout.getvalue().split() == [
        f"output/danbury/{lang}/flyer.pdf"
        for lang in ("en", "es", "pt", "ar", "zh-Hans", "vi", "ht")
    ]
