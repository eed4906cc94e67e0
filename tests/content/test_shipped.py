"""The shipped content itself: complete, sourced, and numbers written only once."""

from __future__ import annotations

import re

from handout.content.load import load
from tests.conftest import CONTENT

PHONE_LIKE = re.compile(r"\(?\b\d{3}\)?[ .-]\d{3}-\d{4}\b")


def test_default_content_is_valid() -> None:
    content = load(CONTENT)
    assert "new-milford" in content.regions
    assert len(content.sections) >= 10


def test_every_fact_has_source_and_check_date() -> None:
    content = load(CONTENT)
    for fact in [*content.resources.values(), *content.laws.values()]:
        assert fact.source and fact.checked
        if not fact.verified:
            assert fact.unverified_note, f"{fact} is unverified but says nothing about why"


def test_phone_numbers_live_only_in_resource_records() -> None:
    for path in CONTENT.rglob("*.yaml"):
        if path.parent.name == "resources":
            continue
        found = PHONE_LIKE.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path} writes phone numbers {found}; put them in a resource record"


def test_each_number_is_written_once() -> None:
    content = load(CONTENT)
    numbers = [
        (phone.number, phone.purpose)
        for record in content.resources.values()
        for phone in record.phones
    ]
    assert len(numbers) == len(set(numbers))
