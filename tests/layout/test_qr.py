"""QR codes: rendered for real, read back from the PDF's pixels with a real decoder (zxing-cpp),
measured on the page, and every way of asking for one wrongly."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
import segno
import zxingcpp
from PIL import Image

from handout.build.options import BuildOptions
from handout.build.pipeline import build
from handout.content import qr_links
from handout.content.errors import BuildError, ContentErrors
from handout.content.load import load
from handout.content.models import QrCode, QrLink
from handout.layout import qr
from tests.conftest import CONTENT, TEMPLATES, assert_clean_failure, edit, pdfs, run_build
from tests.pdf import links, page_texts, reader, structure

DPI = 300
REGIONS = ["new-milford", "danbury", "waterbury"]
CARD_QR = """  qr:
    resource: ct-211
    link: website
"""


def page_image(path: Path, page: int) -> Image.Image:
    """Page `page` (from 1) as a grey bitmap at DPI dots per inch, rendered by PDFium."""
    document = pypdfium2.PdfDocument(path)
    try:
        return document[page - 1].render(scale=DPI / 72).to_pil().convert("L")
    finally:
        document.close()


def qr_codes(path: Path, page: int) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(page_image(path, page), formats=zxingcpp.BarcodeFormat.QRCode)


def decoded(path: Path, page: int) -> list[str]:
    return [code.text for code in qr_codes(path, page)]


def symbol_box(code: zxingcpp.Barcode) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a decoded symbol, in pixels."""
    corners = [code.position.top_left, code.position.top_right]
    corners += [code.position.bottom_left, code.position.bottom_right]
    xs, ys = [c.x for c in corners], [c.y for c in corners]
    return min(xs), min(ys), max(xs), max(ys)


def website_of(record_id: str) -> str:
    return load(CONTENT).resources[record_id].url


# --- The shipped pocket cards ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es", "pt"])
@pytest.mark.parametrize("region", REGIONS)
def test_pocket_card_back_has_a_qr_code_of_the_hotline_website(
    matrix: Path, region: str, language: str
) -> None:
    card = matrix / region / language / "pocket-card.pdf"
    assert decoded(card, 1) == []
    assert decoded(card, 2) == [website_of("ct-211")] == ["https://211ct.org"]


def test_qr_code_prints_at_least_0_6_in_with_a_clear_quiet_zone(built: dict[str, Path]) -> None:
    card = built["pocket-card"]
    (code,) = qr_codes(card, 2)
    left, top, right, bottom = symbol_box(code)
    width_in, height_in = (right - left) / DPI, (bottom - top) / DPI
    assert 0.6 <= width_in <= 0.7 and 0.6 <= height_in <= 0.7, (width_in, height_in)
    modules = segno.make(code.text, error="m", micro=False).symbol_size(border=0)[0]
    quiet = qr.QUIET_ZONE * (right - left) / modules
    image = page_image(card, 2)
    assert image.width >= right + quiet and image.height >= bottom + quiet
    inset = 3  # pixels of anti-aliasing at the symbol's edge
    bands = [
        (left - quiet, top - quiet, right + quiet, top - inset),
        (left - quiet, bottom + inset, right + quiet, bottom + quiet),
        (left - quiet, top - quiet, left - inset, bottom + quiet),
        (right + inset, top - quiet, right + quiet, bottom + quiet),
    ]
    for band in bands:
        darkest, _lightest = image.crop(tuple(round(v) for v in band)).getextrema()
        assert darkest > 230, f"something printed in the quiet zone {band}"


def test_qr_code_is_vector_with_caption_link_and_text_alternative(
    built: dict[str, Path],
) -> None:
    card = built["pocket-card"]
    back = reader(card).pages[1]
    assert not _images(back["/Resources"]), "the QR code must be vector, not a bitmap"
    assert "Scan to open 211ct.org" in " ".join(page_texts(card)[1].split())
    assert "https://211ct.org" in links(card)
    assert "/Figure" in structure(card)
    assert "Scan to open 211ct.org" in _alternative_texts(card)


def test_print_copy_has_a_readable_code_on_every_card_back(matrix: Path) -> None:
    sheet = matrix / "waterbury" / "en" / "pocket-card-print.pdf"
    assert decoded(sheet, 1) == []
    assert decoded(sheet, 2) == ["https://211ct.org"] * 10


def test_qr_caption_is_translated(matrix: Path) -> None:
    spanish = " ".join(page_texts(matrix / "danbury" / "es" / "pocket-card.pdf")[1].split())
    portuguese = " ".join(page_texts(matrix / "danbury" / "pt" / "pocket-card.pdf")[1].split())
    assert "Escanea para abrir 211ct.org" in spanish
    assert "Escaneie para abrir 211ct.org" in portuguese


def test_discreet_card_has_no_qr_code(matrix: Path) -> None:
    for region in REGIONS:
        card = matrix / region / "en" / "discreet-card.pdf"
        assert decoded(card, 1) == [] and decoded(card, 2) == []


def _images(resources: object) -> list[str]:
    """Image XObjects used by a page, including inside its form XObjects."""
    found = []
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Image":
            found.append(str(xobject))
        elif "/Resources" in xobject:
            found += _images(xobject["/Resources"])
    return found


def _alternative_texts(path: Path) -> list[str]:
    found = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure" and "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    walk(reader(path).trailer["/Root"]["/StructTreeRoot"])
    return found


# --- Text and call links, on the flyer and the booklet -----------------------------------------


def test_sms_and_tel_codes_on_flyer_and_booklet(content_copy: Path, tmp_path: Path) -> None:
    region = content_copy / "regions" / "new-milford.yaml"
    edit(
        region,
        "  tab_count: 10\n",
        "  tab_count: 10\n  qr:\n    resource: trafficking-hotline\n    link: sms\n",
    )
    region.write_text(
        region.read_text(encoding="utf-8")
        + "\nbooklet:\n  qr:\n    resource: ct-211\n    link: tel\n    purpose: shelter\n",
        encoding="utf-8",
    )
    # A number that serves only some languages (here: the text line limited to en and es).
    edit(
        content_copy / "resources" / "national.yaml",
        "        note: Texts in English or Spanish.\n",
        "        note: Texts in English or Spanish.\n        languages: [en, es]\n",
    )
    out = tmp_path / "out"
    build(
        BuildOptions(
            content_copy,
            TEMPLATES,
            out,
            regions=("new-milford",),
            materials=("flyer", "booklet"),
            languages=("en", "pt"),
        ),
        report=lambda _line: None,
    )
    flyer = out / "new-milford" / "en" / "flyer.pdf"
    assert decoded(flyer, 1) == ["sms:233733"]
    assert "Scan to text HELP to 233733" in " ".join(page_texts(flyer)[0].split())
    assert "sms:233733" in links(flyer)
    # Where the number does not serve the language, the code is left out like the number.
    assert decoded(out / "new-milford" / "pt" / "flyer.pdf", 1) == []
    booklet = out / "new-milford" / "en" / "booklet.pdf"
    assert decoded(booklet, 1) == ["tel:211"]
    assert "Scan to call 211" in " ".join(page_texts(booklet)[0].split())
    assert decoded(out / "new-milford" / "pt" / "booklet.pdf", 1) == ["tel:211"]


def test_a_qr_code_can_be_just_the_record_id_and_is_marked_when_unconfirmed(
    content_copy: Path, tmp_path: Path
) -> None:
    region = content_copy / "regions" / "waterbury.yaml"
    edit(region, CARD_QR, "  qr: ct-legal-services\n")
    code = load(content_copy).regions["waterbury"].pocket_card.qr
    assert code == QrCode(resource="ct-legal-services", link=QrLink.website)
    out = tmp_path / "out"
    build(
        BuildOptions(
            content_copy,
            TEMPLATES,
            out,
            regions=("waterbury",),
            materials=("pocket-card",),
            languages=("en",),
        ),
        report=lambda _line: None,
    )
    card = out / "waterbury" / "en" / "pocket-card.pdf"
    assert decoded(card, 2) == ["https://ctlegal.org"]
    back = " ".join(page_texts(card)[1].split())
    # Waterbury's override: legal aid is not confirmed there, so the caption carries the star.
    assert "Scan to open ctlegal.org * check first" in back
    assert "We could not confirm the facts marked with a star" in back


# --- Mistakes ---------------------------------------------------------------------------------


def line_of(path: Path, text: str, after: str = "pocket_card:") -> int:
    """The line number (from 1) of the first `text` after `after` in a file."""
    content = path.read_text(encoding="utf-8")
    start = content.index(after)
    return content[: content.index(text, start)].count("\n") + 1


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load(content)
    return [str(problem) for problem in caught.value.problems]


def test_unknown_record_is_a_located_error_and_nothing_is_built(
    content_copy: Path, tmp_path: Path
) -> None:
    region = content_copy / "regions" / "new-milford.yaml"
    edit(region, "    resource: ct-211\n    link: website\n", "    resource: ct-221\n")
    line = line_of(region, "resource: ct-221")
    result = run_build("--content", content_copy, "--out", tmp_path / "out")
    assert_clean_failure(
        result,
        f"regions/new-milford.yaml:{line}:",
        "no record has the id `ct-221`",
        "did you mean `ct-211`?",
    )
    assert pdfs(tmp_path / "out") == []


@pytest.mark.parametrize(
    ("qr_lines", "at", "expected"),
    [
        (
            "    resource: emergency-911\n    link: website\n",
            "link:",
            ["`emergency-911` has no website for the QR code", "use `link: tel`"],
        ),
        (
            "    resource: emergency-911\n    link: sms\n",
            "link:",
            ["`emergency-911` has no number you can text", "use `link: tel`"],
        ),
        (
            "    resource: dmhas\n    link: tel\n",
            "link:",
            ["`dmhas` has no number you can call", "pick a record that has a website or phone"],
        ),
        (
            "    resource: ct-211\n    link: tel\n    purpose: food\n",
            "link:",
            ["`ct-211` has no number you can call with purpose `food`", "use `link: website`"],
        ),
        (
            "    resource: ct-211\n    link: email\n",
            "link:",
            ["`pocket_card`'s qr's link cannot be `email`", "'website', 'sms' or 'tel'"],
        ),
        (
            "    resource: cifc-health\n",
            "resource:",
            ["`cifc-health` is not shown in this region", "add it under `include:`"],
        ),
    ],
)
def test_asking_for_a_link_the_record_does_not_have_is_a_located_error(
    content_copy: Path, qr_lines: str, at: str, expected: list[str]
) -> None:
    region = content_copy / "regions" / "new-milford.yaml"
    edit(region, "    resource: ct-211\n    link: website\n", qr_lines)
    found = [problem for problem in problems(content_copy) if "regions/" in problem]
    assert len(found) == 1, found
    line = line_of(region, at, after="  qr:\n")
    assert f"regions/new-milford.yaml:{line}:" in found[0].split()[0], found
    assert "Fix:" in found[0]
    for text in expected:
        assert text in found[0], found


def test_a_link_too_long_to_print_small_is_an_error(content_copy: Path) -> None:
    edit(
        content_copy / "resources" / "connecticut.yaml",
        "    website: 211ct.org\n",
        "    website: 211ct.org/" + "search/food-and-shelter-near-you" * 4 + "\n",
    )
    found = problems(content_copy)
    assert len(found) == 3, found  # one per region's pocket card
    assert all("is too long for a QR code" in problem for problem in found)
    assert all("use a shorter link" in problem for problem in found)


def test_the_discreet_card_refuses_a_qr_code(content_copy: Path) -> None:
    region = content_copy / "regions" / "danbury.yaml"
    edit(region, "discreet_card:\n", "discreet_card:\n  qr: ct-211\n")
    found = problems(content_copy)
    line = line_of(region, "qr: ct-211", after="discreet_card:")
    assert len(found) == 1 and f"regions/danbury.yaml:{line}:" in found[0].split()[0], found
    assert "could scan it and see which service it leads to" in found[0]
    assert "put the QR code on the pocket card, flyer or booklet" in found[0]


def test_templates_cannot_print_a_code_smaller_than_the_minimum() -> None:
    record = load(CONTENT).resources["ct-211"]
    view = qr.QrView.of(record, QrCode(resource="ct-211"), None)
    assert 'width="0.8184in"' in view.svg(0.62, "Scan")
    with pytest.raises(BuildError, match=r"at least 0\.6 in"):
        view.svg(0.5, "Scan")


def test_svg_is_the_same_every_time() -> None:
    first = qr.svg("https://211ct.org", 0.62, "Scan to open 211ct.org")
    qr.svg.cache_clear()
    qr_links.encode.cache_clear()
    assert qr.svg("https://211ct.org", 0.62, "Scan to open 211ct.org") == first
    assert first.startswith('<svg width="0.8184in" height="0.8184in" viewBox="0 0 33 33"')
    assert "<title>Scan to open 211ct.org</title>" in first
