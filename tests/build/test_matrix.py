"""Every region × language × material: sizes, languages, local facts, the manifest."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from handout.build.plan import Translations
from handout.content.load import load
from handout.layout.materials import MATERIALS
from tests.conftest import CONTENT, LARGE_PRINT, LARGE_PRINT_REGIONS, TEMPLATES, in_matrix
from tests.pdf import all_text, page_sizes_in, page_texts, reader

REGIONS = ["danbury", "new-milford", "waterbury"]
LANGUAGES = ["en", "es", "pt", "ar", "zh-Hans", "vi", "ht"]
SIZES_IN = {
    "pocket-card": (3.5, 2.0),
    "discreet-card": (3.5, 2.0),
    "flyer": (8.5, 11.0),
    "booklet": (5.5, 8.5),
    "large-print-booklet": (8.5, 11.0),
    "large-print-flyer": (8.5, 11.0),
}
PAGES = {"pocket-card": 2, "discreet-card": 2, "flyer": 1, "large-print-flyer": 2}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_variant_has_its_size_pages_and_language(
    matrix: Path, region: str, language: str
) -> None:
    for material in [m for m in MATERIALS if in_matrix(region, m)]:
        path = matrix / region / language / f"{material}.pdf"
        pdf = reader(path)
        assert set(page_sizes_in(path)) == {SIZES_IN[material]}, path
        if material in PAGES:
            assert len(pdf.pages) == PAGES[material], path
        else:
            assert len(pdf.pages) % 4 == 0, path
        assert pdf.trailer["/Root"]["/Lang"] == language


MATRIX_PDFS = len(LANGUAGES) * (
    len(REGIONS) * (len(MATERIALS) - len(LARGE_PRINT)) + len(LARGE_PRINT_REGIONS) * len(LARGE_PRINT)
)


def test_the_matrix_is_98_pdfs(matrix: Path) -> None:
    assert MATRIX_PDFS == 98  # large print in one region (tests.conftest.LARGE_PRINT_REGIONS)
    reading_copies = [p for p in matrix.rglob("*.pdf") if not p.stem.endswith("-print")]
    assert len(reading_copies) == MATRIX_PDFS


def test_manifest_lists_every_pdf_with_its_hash_and_warnings(matrix: Path) -> None:
    manifest = json.loads((matrix / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    assert len(files) == MATRIX_PDFS
    for entry in files:
        path = matrix / entry["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        assert entry["pages"] == len(reader(path).pages)
        width, height = SIZES_IN[entry["material"]]
        assert entry["page_size_pt"] == [width * 72, height * 72]
        assert entry["warnings"]["draft_translation"] == (entry["lang"] != "en")
    booklet = next(e for e in files if e["path"] == "danbury/en/booklet.pdf")
    assert "chci-danbury" in booklet["warnings"]["unverified_facts"]


def test_dates_are_written_the_local_way(matrix: Path) -> None:
    back = {
        lang: flat(page_texts(matrix / "new-milford" / lang / "pocket-card.pdf")[1])
        for lang in LANGUAGES
    }
    assert "November 27, 2026" in back["en"]
    assert "27 de noviembre de 2026" in back["es"]
    assert "27 de novembro de 2026" in back["pt"]


def test_trafficking_text_line_in_every_language_with_its_limit(matrix: Path) -> None:
    """Texts are answered in English and Spanish only, but texting is the safest way to
    reach help for someone who is watched: every language prints the line and the limit."""
    for language in LANGUAGES:
        front = flat(page_texts(matrix / "waterbury" / language / "pocket-card.pdf")[0])
        assert "(888) 373-7888" in front and "233733" in front, language
    portuguese = flat(page_texts(matrix / "waterbury" / "pt" / "pocket-card.pdf")[0])
    assert "SMS em inglês ou espanhol." in portuguese


def test_drafts_are_marked_until_reviewed(matrix: Path) -> None:
    content = load(CONTENT)
    translations = Translations(content, TEMPLATES)
    for language in ("es", "pt", "vi", "ht"):
        assert not content.project.language(language).reviewed
        note = translations.translator(language).gettext(content.text.draft_note)
        for material in MATERIALS:
            region = "danbury" if in_matrix("danbury", material) else LARGE_PRINT_REGIONS[0]
            text = flat(all_text(matrix / region / language / f"{material}.pdf"))
            assert note in text, (language, material)
    assert content.text.draft_note not in all_text(matrix / "danbury" / "en" / "booklet.pdf")


@pytest.mark.parametrize("language", LANGUAGES)
def test_discreet_card_front_gives_nothing_away(matrix: Path, language: str) -> None:
    forbidden = load(CONTENT).project.forbidden_on_discreet_front[language]
    for region in REGIONS:
        front, back = page_texts(matrix / region / language / "discreet-card.pdf")
        words = re.findall(r"\w+", front.lower())
        for word in words:
            assert not any(word.startswith(bad.lower()) for bad in forbidden), (region, word)
        assert not re.search(r"\d{3}", front), "the front must not show numbers"
        assert "(888) 774-2900" in back
        if language in ("en", "es"):
            assert "HELP" in back and "233733" in back


def test_regions_show_only_their_local_facts(matrix: Path) -> None:
    danbury = all_text(matrix / "danbury" / "en" / "booklet.pdf")
    assert "(860) 355-3133" not in danbury  # New Milford police
    assert "Soup Kitchen" not in danbury
    assert "Town social services" not in danbury
    assert "CIFC Health" in danbury
    new_milford = all_text(matrix / "new-milford" / "en" / "booklet.pdf")
    assert "Danbury's main community health center" not in new_milford
    assert "Town social services" in new_milford
    waterbury = all_text(matrix / "waterbury" / "en" / "booklet.pdf")
    assert "Center for Empowerment" not in waterbury


def test_region_override_marks_legal_aid_unconfirmed_outside_new_milford(matrix: Path) -> None:
    danbury_back = flat(page_texts(matrix / "danbury" / "en" / "pocket-card.pdf")[1])
    assert "Free legal aid * check first" in danbury_back
    new_milford_back = flat(page_texts(matrix / "new-milford" / "en" / "pocket-card.pdf")[1])
    assert "Free legal aid *" not in new_milford_back
