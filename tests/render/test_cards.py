"""Cards, flyer and print-shop files a designer would pass (issue 22): a discreet card that
passes as an appointment card, marks inside the safe zone, one hierarchy of numbers, no
police line on what is carried, tabs clear of their tear line, and press files in CMYK
with marks outside the bleed and a preflight report."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest

from handout.layout.materials import MATERIALS
from handout.render.checks import page_print_problems
from handout.render.measure import measure_page
from handout.render.preflight import preflight
from handout.render.renderer import Renderer
from tests.conftest import TEMPLATES, assert_clean_failure, edit, run_build
from tests.pdf import page_texts, reader

FRONT = {
    "en": ["Appointment reminder", "Name", "Date", "Time", "Office", "Please call 24 hours"],
    "es": ["Recordatorio de cita", "Nombre", "Fecha", "Hora", "Consultorio", "Para cambiar"],
    "pt": ["Lembrete de consulta", "Nome", "Data", "Horário", "Consultório", "Para remarcar"],
}


def positions(path: Path, page: int = 0) -> dict[str, tuple[float, float]]:
    """Where each text run of a page starts (x, y in points), as the PDF draws it."""
    found: dict[str, tuple[float, float]] = {}

    def visit(text: str, _cm: list, tm: list, _font: object, _size: float) -> None:
        if text.strip():
            found.setdefault(text.strip(), (round(tm[4], 1), round(tm[5], 1)))

    reader(path).pages[page].extract_text(visitor_text=visit)
    return found


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(TEMPLATES)


def page_problems_of(renderer: Renderer, material: str, body: str) -> str:
    html = (
        '<html lang="en"><head><style>@page { size: 3.5in 2in; margin: 0.05in; } '
        "body { margin: 0; font-family: 'Atkinson Hyperlegible'; }</style></head>"
        f"<body>{body}</body></html>"
    )
    [page] = renderer.layout(html, "test").pages
    return " | ".join(page_print_problems(MATERIALS[material], measure_page(page), 2))


@pytest.mark.parametrize("region", ["new-milford", "danbury", "waterbury"])
def test_the_discreet_front_is_an_appointment_card_with_the_same_lines_everywhere(
    matrix: Path, region: str
) -> None:
    lines = {}
    for language, words in FRONT.items():
        front = " ".join(page_texts(matrix / region / language / "discreet-card.pdf")[0].split())
        for word in words:
            assert word in front, (language, word)
        assert not re.search(r"\d{3}", front), "no number on the front"
        at = positions(matrix / region / language / "discreet-card.pdf")
        lines[language] = sorted(y for text, (_x, y) in at.items() if text in words[1:5])
    assert lines["en"] == lines["es"] == lines["pt"], "the same lines at the same places"
    back = page_texts(matrix / region / "en" / "discreet-card.pdf")[1]
    assert back.startswith("Contacts")


def test_a_mark_inside_the_safe_zone_is_refused(renderer: Renderer) -> None:
    found = page_problems_of(renderer, "pocket-card", "<p>Edge of the card</p>")
    assert "'Edge of the card' comes 0.05" in found and "inside the 0.15 in" in found
    inside = page_problems_of(renderer, "pocket-card", '<p style="margin: 0.11in">Inside</p>')
    assert "from the trim" not in inside


def test_numbers_have_one_size_and_an_unconfirmed_one_is_never_the_largest(
    renderer: Renderer,
) -> None:
    body = (
        '<p style="margin: 0.2in"><b class="number" style="font-size: 10pt">211</b> '
        '<b class="number" style="font-size: 12pt">(800) 453-3320</b></p>'
    )
    assert "several sizes (10 pt, 12 pt)" in page_problems_of(renderer, "pocket-card", body)
    unconfirmed = (
        '<p style="margin: 0.2in"><b class="number" style="font-size: 10pt">211</b> '
        '<span data-unverified><b class="number" style="font-size: 12pt">(800) 453-3320</b>'
        "</span></p>"
    )
    found = page_problems_of(renderer, "flyer", unconfirmed)
    assert "an unconfirmed number is the largest on this page (12 pt)" in found


def test_shipped_cards_keep_every_mark_clear_and_one_size_of_number(matrix: Path) -> None:
    """The build checks all this for every variant; here, read back from a rendered card."""
    card = reader(matrix / "danbury" / "es" / "pocket-card.pdf")
    assert len(card.pages) == 2
    texts = page_texts(matrix / "new-milford" / "en" / "pocket-card.pdf")
    assert "Police" not in texts[0] and "Police" not in texts[1]


def test_a_police_line_on_a_carried_card_needs_the_region_to_say_why(
    content_copy: Path, tmp_path: Path
) -> None:
    region = content_copy / "regions" / "new-milford.yaml"
    edit(
        region,
        "      label: Shelter\n",
        "      label: Shelter\n    - resource: new-milford-police\n      label: Police\n",
    )
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(
        result, "new-milford.yaml:", "`new-milford-police` is a police number on the pocket card"
    )
    edit(
        region,
        "pocket_card:\n",
        "police_on_carried_cards: true  # asked by our team\npocket_card:\n",
    )
    assert run_build("--check", "--content", content_copy).returncode == 0


def test_a_tab_text_that_runs_into_its_tear_line_is_refused(renderer: Renderer) -> None:
    body = (
        '<div style="position: absolute; top: 0.6in; left: 0.5in; width: 1in; height: 0.4in; '
        'transform: rotate(-90deg)"><p style="white-space: nowrap">A label far too long for it</p>'
        "</div>"
    )
    found = page_problems_of(renderer, "flyer", body)
    assert "text runs past its turned box" in found


@pytest.mark.parametrize("language", ["en", "es", "pt"])
def test_tabs_print_their_number_at_14_pt_or_more(matrix: Path, language: str) -> None:
    flyer = matrix / "waterbury" / language / "flyer.pdf"
    sizes = []

    def visit(text: str, _cm: list, tm: list, _font: object, size: float) -> None:
        if "373-7888" in text:
            sizes.append(round(size * (tm[0] ** 2 + tm[1] ** 2) ** 0.5, 1))

    reader(flyer).pages[0].extract_text(visitor_text=visit)
    assert len(sizes) >= 10 and min(sizes) >= 14, sizes


@pytest.fixture(scope="module")
def press(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("press")
    result = run_build("--press", "--out", out, "--region", "new-milford", "--lang", "en")
    assert result.returncode == 0, result.stderr
    return out / "new-milford" / "en"


@pytest.mark.parametrize("material", MATERIALS)
def test_press_files_are_cmyk_with_marks_outside_the_bleed(press: Path, material: str) -> None:
    with pikepdf.open(press / f"{material}-press.pdf") as pdf:
        page = pdf.pages[0]
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        media = [float(v) for v in page.obj.MediaBox]
        assert bleed == [trim[0] - 9, trim[1] - 9, trim[2] + 9, trim[3] + 9]
        assert media[0] <= bleed[0] - 3 - 10 and media[2] >= bleed[2] + 3 + 10
        marks = [
            [float(v) for v in operands]
            for operands, operator in pikepdf.parse_content_stream(page)
            if str(operator) in ("m", "l")
        ]
        outside = [(x, y) for x, y in marks if x < bleed[0] - 2.9 or x > bleed[2] + 2.9]
        assert len(outside) >= 8, "crop marks lie outside the bleed, 3 pt off"
        assert "/RegistrationAll" in page.obj.Resources.ColorSpace
    reading = preflight((press / f"{material}-press.pdf").read_bytes())
    assert reading.rgb == 0 and reading.problems == [], reading.problems
    report = (press / f"{material}-press-preflight.txt").read_text(encoding="utf-8")
    assert "PDF/X-4" in report and "result: passes" in report and "thinnest rule" in report


def test_the_pocket_card_s_qr_code_passes_its_preflight(press: Path) -> None:
    report = (press / "pocket-card-press-preflight.txt").read_text(encoding="utf-8")
    module, zone = re.search(r"module ([\d.]+) mm, quiet zone ([\d.]+) modules", report).groups()
    assert float(module) >= 0.4 and float(zone) >= 4


def test_the_flyer_band_runs_into_the_bleed_in_the_press_copy_only(press: Path) -> None:
    def leftmost_fill(path: Path) -> float:
        with pikepdf.open(path) as pdf:
            rectangles = []
            for page in pdf.pages:
                for xobject in [page.obj, *page.obj.Resources.get("/XObject", {}).values()]:
                    target = pikepdf.Page(xobject) if xobject is page.obj else xobject
                    for operands, operator in pikepdf.parse_content_stream(target):
                        if str(operator) == "re":
                            rectangles.append(float(operands[0]))
            return min(rectangles)

    assert leftmost_fill(press / "flyer-press.pdf") < leftmost_fill(press / "flyer.pdf")


def test_a_preflight_names_what_a_print_shop_refuses() -> None:
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(100, 100))
    page.obj.TrimBox = pikepdf.Array([0, 0, 100, 100])
    page.contents_add(pdf.make_stream(b"1 0 0 rg 0 0 10 10 re f 0.2 w 10 50 m 90 50 l S"))
    out = io.BytesIO()
    pdf.save(out)
    reading = preflight(out.getvalue())
    assert reading.rgb == 1
    assert reading.thinnest_rule_pt == pytest.approx(0.2)
    assert "1 objects in RGB in a CMYK file" in reading.problems
    assert "a rule of 0.20 pt (under 0.25 pt)" in reading.problems
