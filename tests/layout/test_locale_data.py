"""Locale data from CLDR: phone numbers print in Western digits in every language unless a
region chooses the language's own (`phone_digits: native`; the links a phone opens always
keep 0-9), and dates name their month in every language."""

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


def test_dates_come_from_cldr_and_name_their_month_in_every_language() -> None:
    import datetime

    from handout.layout.dates import long_date, month_year

    day = datetime.date(2026, 11, 27)
    assert long_date(day, "es") == "27 de noviembre de 2026"
    assert long_date(day, "zh-Hans") == "2026年11月27日"
    # Babel has no Haitian Creole month names ("2026 M11 27"): ICU's French parent names it.
    assert long_date(day, "ht") == "27 novembre 2026"
    assert month_year(day, "ht") == "novembre 2026"
    # Dari: Gregorian (when facts were checked here), not the Solar Hijri calendar.
    assert "2026" in long_date(day, "fa-AF")
