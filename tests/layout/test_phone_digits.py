"""Phone numbers print in Western digits in every language unless a region chooses the
language's own (`phone_digits: native`); the links a phone opens always keep 0-9."""

from __future__ import annotations

from pathlib import Path

from handout.content import phones
from handout.content.i18n import Translator
from handout.content.load import load
from handout.layout.compose import Composer
from tests.conftest import edit


def test_each_language_has_its_digits_from_cldr() -> None:
    assert phones.native_digits("ar") == "٠١٢٣٤٥٦٧٨٩"
    assert phones.native_digits("fa-AF") == "۰۱۲۳۴۵۶۷۸۹"
    assert phones.native_digits("vi") == phones.WESTERN_DIGITS
    assert phones.native_digits("en") == phones.WESTERN_DIGITS
    assert phones.in_digits("(888) 373-7888", phones.native_digits("ar")) == "(٨٨٨) ٣٧٣-٧٨٨٨"


def _hotline(content: Path, language: str) -> tuple[str, str]:
    loaded = load(content)
    composer = Composer(loaded, "new-milford", Translator(language))
    card = composer.pocket_card()
    number = next(
        phone for entry in [*card["front"], *card["back"]] for phone in entry.phones
        if "373-7888" in phones.display(phone.phone.number)
    )  # fmt: skip
    return number.display, number.tel


def test_western_digits_by_default_and_native_when_a_region_asks(content_copy: Path) -> None:
    project = content_copy / "project.yaml"
    if "code: ar" not in project.read_text(encoding="utf-8"):
        edit(
            project,
            "  - code: pt\n",
            "  - code: ar\n    name: العربية\n    reviewed: false\n  - code: pt\n",
        )
    assert _hotline(content_copy, "ar") == ("(888) 373-7888", "tel:+18883737888")
    edit(
        content_copy / "regions" / "new-milford.yaml",
        "phone_digits: western",
        "phone_digits: native",
    )
    assert _hotline(content_copy, "ar") == ("(٨٨٨) ٣٧٣-٧٨٨٨", "tel:+18883737888")
    assert _hotline(content_copy, "es") == ("(888) 373-7888", "tel:+18883737888")
