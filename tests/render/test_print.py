"""Print copies beside the reading copies: card sheets and 2-up booklets, in every variant."""

from __future__ import annotations

import json
from pathlib import Path

from handout.content.load import load
from tests.conftest import CONTENT, edit, run_build
from tests.pdf import page_sizes_in, page_texts, reader

LETTER = (8.5, 11.0)
LETTER_LANDSCAPE = (11.0, 8.5)


def test_every_card_and_booklet_has_a_print_copy(matrix: Path) -> None:
    for region in ("danbury", "new-milford", "waterbury"):
        for language in ("en", "es", "pt"):
            folder = matrix / region / language
            for card in ("pocket-card", "discreet-card"):
                sheet = folder / f"{card}-print.pdf"
                assert page_sizes_in(sheet) == [LETTER, LETTER]
                front, _back = page_texts(sheet)
                card_front = page_texts(folder / f"{card}.pdf")[0].split("\n")[0]
                assert front.count(card_front) == 10
            booklet = reader(folder / "booklet.pdf")
            imposed = folder / "booklet-print.pdf"
            assert page_sizes_in(imposed) == [LETTER_LANDSCAPE] * (len(booklet.pages) // 2)
            assert not (folder / "flyer-print.pdf").exists()


def test_manifest_lists_the_print_copies(matrix: Path) -> None:
    files = json.loads((matrix / "manifest.json").read_text(encoding="utf-8"))["files"]
    card = next(f for f in files if f["path"] == "danbury/es/pocket-card.pdf")
    assert card["print_path"] == "danbury/es/pocket-card-print.pdf"
    assert len(card["print_sha256"]) == 64
    flyer = next(f for f in files if f["path"] == "danbury/es/flyer.pdf")
    assert flyer["print_path"] is None


def test_a4_card_sheets_on_request(tmp_path: Path) -> None:
    result = run_build(
        "--out",
        tmp_path,
        "--region",
        "waterbury",
        "--lang",
        "en",
        "--material",
        "pocket-card",
        "--card-sheet",
        "a4",
    )
    assert result.returncode == 0, result.stderr
    width, height = page_sizes_in(tmp_path / "waterbury" / "en" / "pocket-card-print.pdf")[0]
    assert (round(width * 72), round(height * 72)) == (595, 842)


def test_print_settings_come_from_the_content(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "project.yaml",
        "print:\n",
        "print:\n  card_sheet: a4\n  offset_pt: [3, -2]\n  crop_marks: true\n",
    )
    result = run_build(
        "--content",
        content_copy,
        "--out",
        tmp_path / "out",
        "--region",
        "waterbury",
        "--lang",
        "en",
        "--material",
        "discreet-card",
    )
    assert result.returncode == 0, result.stderr
    sheet = tmp_path / "out" / "waterbury" / "en" / "discreet-card-print.pdf"
    width, _height = page_sizes_in(sheet)[0]
    assert round(width * 72) == 595


def test_bad_print_setting_is_a_located_error(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "project.yaml",
        "print:\n",
        "print:\n  card_sheet: letter\n",
    )
    result = run_build("--check", "--content", content_copy)
    assert result.returncode == 1
    assert "project.yaml:" in result.stderr and "print's `card_sheet`" in result.stderr


def test_press_copies_have_bleed_crop_marks_and_a_cmyk_output_intent(tmp_path: Path) -> None:
    result = run_build("--press", "--out", tmp_path, "--region", "danbury", "--lang", "es")
    assert result.returncode == 0, result.stderr
    for material, (width, height) in {
        "pocket-card": (252, 144),
        "discreet-card": (252, 144),
        "flyer": (612, 792),
        "booklet": (396, 612),
        "large-print-flyer": (612, 792),
        "large-print-booklet": (612, 792),
    }.items():
        press = reader(tmp_path / "danbury" / "es" / f"{material}-press.pdf")
        reading = reader(tmp_path / "danbury" / "es" / f"{material}.pdf")
        assert len(press.pages) == len(reading.pages)
        page = press.pages[0]
        assert [float(v) for v in page["/TrimBox"]] == [0, 0, width, height]
        assert [float(v) for v in page["/BleedBox"]] == [-9, -9, width + 9, height + 9]
        intent = press.trailer["/Root"]["/OutputIntents"][0].get_object()
        assert intent["/S"] == "/GTS_PDFX"
        assert "/DestOutputProfile" in intent
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"][0]["press_path"].endswith("-press.pdf")


def test_press_copies_are_the_same_bytes_at_every_build(tmp_path: Path) -> None:
    """PDF/X needs dates and an XMP DocumentID, which WeasyPrint takes from the clock and
    draws at random: a press PDF differed at every build. They now come from the content
    (the newest check date) and the document itself."""
    chosen = ("--press", "--region", "danbury", "--lang", "en", "--material", "pocket-card")
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_build(*chosen, "--out", first).returncode == 0
    assert run_build(*chosen, "--out", second).returncode == 0
    press = first / "danbury" / "en" / "pocket-card-press.pdf"
    assert press.read_bytes() == (second / "danbury" / "en" / "pocket-card-press.pdf").read_bytes()
    metadata = reader(press).trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    content = load(CONTENT)
    newest = max(fact.checked for fact in [*content.resources.values(), *content.laws.values()])
    assert f"<xmp:MetadataDate>{newest.isoformat()}T00:00:00+00:00<" in metadata
