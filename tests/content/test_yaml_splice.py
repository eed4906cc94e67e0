"""`yaml_splice` on files laid out in unusual ways: a value is set by changing only its own
characters, whatever the file's line ends, quoting, block styles or brackets."""

from __future__ import annotations

import datetime

import pytest

from handout.content import yaml_edit, yaml_splice
from tests.content.test_mark_checked import ODD


def record(text: str, index: int) -> dict:
    return yaml_edit.plain(yaml_edit.at(yaml_edit.load(text), ("records", index)))


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_confirmation_on_odd_layouts(newline: str) -> None:
    text = ODD.replace("\n", newline)
    changes = {"checked": datetime.date(2026, 12, 7), "verified": True, "checked_how": "call"}
    first = yaml_splice.spliced(text, ("records", 0), {**record(text, 0), **changes})
    assert first == text.replace(
        "    checked: 2026-11-20     # called them" + newline,
        "    checked: 2026-12-07     # called them" + newline
        + "    verified: true" + newline + "    checked_how: call" + newline,
    )  # fmt: skip
    second = yaml_splice.spliced(text, ("records", 1), {**record(text, 1), **changes})
    assert second == text.replace(
        "checked: '2026-11-21'}",
        "checked: 2026-12-07, verified: true, checked_how: call}",
    ), "a record in brackets stays in brackets, on its line"


def test_a_block_text_keeps_its_style() -> None:
    text = (
        "laws:\n  - id: a\n    summary: >-\n      Selling sex is a crime. Only a person 18 or"
        " older\n      can be convicted of it.\n    checked: 2026-11-30\n"
    )
    law = record(text.replace("laws", "records"), 0)
    law["summary"] = "Selling sex is a crime. Only an adult can be convicted of it."
    after = yaml_splice.spliced(text, ("laws", 0), law)
    assert after.startswith("laws:\n  - id: a\n    summary: >-\n      Selling sex is a crime.")
    assert after.endswith("\n    checked: 2026-11-30\n") and after.count("\n") == text.count("\n")
    assert max(map(len, after.splitlines())) <= max(map(len, text.splitlines()))
    assert yaml_edit.plain(yaml_edit.load(after))["laws"][0]["summary"] == law["summary"]


def test_a_reordered_list_keeps_its_blank_lines_and_comments_travel() -> None:
    text = "records:\n  # about a\n  - id: a\n\n  # about b\n  - id: b\n\n  - id: c\n"
    after = yaml_splice.spliced(text, ("records",), [{"id": "b"}, {"id": "a"}, {"id": "c"}])
    assert after == "records:\n  # about b\n  - id: b\n\n  # about a\n  - id: a\n\n  - id: c\n"
    removed = yaml_splice.spliced(text, ("records",), [{"id": "a"}, {"id": "c"}])
    assert removed == "records:\n  # about a\n  - id: a\n\n  - id: c\n"
    added = yaml_splice.spliced(text, ("records",), [{"id": "a"}, {"id": "b"}, {"id": "c"},
                                                     {"id": "d", "kind": ["call"]}])  # fmt: skip
    assert added == text + "\n  - id: d\n    kind: call\n"
