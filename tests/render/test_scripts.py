"""Arabic (right to left), Simplified Chinese and Vietnamese, rendered for real: one pocket
card each, built with every print check, from a copy of the content that prints them
(the shipped content)."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from handout.build.options import BuildOptions
from handout.build.pipeline import build
from handout.layout import fonts
from handout.render.renderer import Renderer
from tests.conftest import CONTENT, TEMPLATES
from tests.pdf import fonts as pdf_fonts

CARD_WIDTH_PT = 3.5 * 72
SAFE_PT = 0.15 * 72
LANGUAGES = ("ar", "zh-Hans", "vi")


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(CONTENT, tmp_path_factory.mktemp("scripts") / "content"))


@pytest.fixture(scope="module")
def cards(content: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The New Milford pocket card in each language, built with every check."""
    languages = LANGUAGES if fonts.cjk_available() else ("ar", "vi")
    out = tmp_path_factory.mktemp("scripts-out")
    options = BuildOptions(content, TEMPLATES, out, ("new-milford",), languages, ("pocket-card",))
    build(options, report=lambda _line: None)
    return {code: out / "new-milford" / code / "pocket-card.pdf" for code in languages}


def _language(path: Path) -> str:
    with pikepdf.open(path) as pdf:
        return str(pdf.Root.Lang)


def _layout_text(path: Path, page: int = 1) -> str:
    """The page's text as poppler lays it out (visual order within a line)."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _first_line_extent(path: Path) -> tuple[float, float]:
    """Left and right (pt) of the page's first line of text (the title)."""
    textpage = pdfium.PdfDocument(path)[0].get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    chars = []  # (baseline, left, right) of each drawn character
    for index in range(textpage.count_chars()):
        left, _bottom, right, _top = textpage.get_charbox(index)
        if right > left:
            pdfium_c.FPDFText_GetCharOrigin(textpage, index, x, y)
            chars.append((y.value, left, right))
    # the highest baseline most of a line's characters share (marks are offset from it)
    counts = Counter(round(baseline) for baseline, _left, _right in chars)
    first = max(baseline for baseline, count in counts.items() if count >= 5)
    line = [(left, right) for baseline, left, right in chars if abs(baseline - first) < 3]
    return min(left for left, _ in line), max(right for _, right in line)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_an_arabic_card_reads_right_to_left_with_its_numbers_in_order(
    cards: dict[str, Path],
) -> None:
    card = cards["ar"]
    assert _language(card) == "ar"
    embedded = pdf_fonts(card)
    assert any("Plex" in name and "Arabic" in name for name in embedded), embedded
    assert all(embedded.values())
    assert not any("Atkinson" in name for name in embedded)  # one Latin face per line
    front = _layout_text(card)
    # Isolated left to right: the number prints as dialled, parentheses the right way round
    # (without isolation it reads "373-7888 (888)" with its parentheses turned).
    assert "(888) 373-7888" in front
    assert "(888) 774-2900" in front
    assert "373-7888 (888)" not in front
    # The title starts at the right, at the edge of the safe zone, and ends short of the
    # left one (a Latin card's starts at the left: see the Vietnamese one).
    left, right = _first_line_extent(card)
    assert right > CARD_WIDTH_PT - SAFE_PT - 3 and left > SAFE_PT + 20
    # Its text reads back as written (searched, copied, read aloud): each letter form is
    # one glyph of the face, not a dotless shape plus dots mapped back to one letter.
    from pypdf import PdfReader

    words = PdfReader(card).pages[0].extract_text()
    assert "مساعدة مجانية" in words and "الاتجار بالبشر" in words


def test_an_arabic_document_says_its_direction(content: Path) -> None:
    from handout.build.plan import Translations
    from handout.content.load import load
    from handout.layout.compose import compose
    from handout.layout.materials import MATERIALS

    loaded = load(content)
    translator = Translations(loaded, TEMPLATES, ["ar", "en"]).translator
    renderer = Renderer(TEMPLATES)
    for code, direction in (("ar", "rtl"), ("en", "ltr")):
        context = compose(loaded, "new-milford", "pocket-card", translator(code))
        html = renderer.html(MATERIALS["pocket-card"], context)
        assert f'<html lang="{code}" dir="{direction}"' in html
        assert ('<bdi dir="ltr">(888) 373-7888</bdi>' in html) == (direction == "rtl")


def test_a_vietnamese_card_is_set_in_noto_sans_alone(cards: dict[str, Path]) -> None:
    card = cards["vi"]
    assert _language(card) == "vi"
    embedded = pdf_fonts(card)
    assert embedded and all(name.startswith("Noto-Sans") for name in embedded), embedded
    assert not any("Arabic" in name or "CJK" in name for name in embedded)
    left, right = _first_line_extent(card)
    assert left < SAFE_PT + 3 and right < CARD_WIDTH_PT - SAFE_PT - 20
    # Its text reads back as written: letters with a dot below stay whole ("buộc", not
    # "bộc" with the dot elsewhere), for a screen reader or a search.
    from pypdf import PdfReader

    words = " ".join(PdfReader(card).pages[0].extract_text().split())
    assert "bị ép buộc, hay muốn" in words and "mọi lúc" in words


@pytest.mark.skipif(not fonts.cjk_available(), reason=f"needs Debian's {fonts.CJK_PACKAGE}")
def test_a_chinese_card_embeds_a_small_subset_of_noto_sans_cjk_sc(
    cards: dict[str, Path],
) -> None:
    card = cards["zh-Hans"]
    assert _language(card) == "zh-Hans"
    embedded = pdf_fonts(card)
    assert set(embedded) <= {"Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"}, embedded
    assert all(embedded.values())
    # A subset of the glyphs it prints, not the 16 MB face.
    assert card.stat().st_size < 600_000
    assert "免费帮助" in "".join(_layout_text(card).split())


@pytest.mark.skipif(not fonts.cjk_available(), reason=f"needs Debian's {fonts.CJK_PACKAGE}")
def test_chinese_renders_the_same_bytes_twice(content: Path, tmp_path: Path) -> None:
    out = [tmp_path / "one", tmp_path / "two"]
    for folder in out:
        options = BuildOptions(content, TEMPLATES, folder, ("new-milford",), ("zh-Hans",))
        build(
            BuildOptions(**{**options.__dict__, "materials": ("discreet-card",)}),
            report=lambda _line: None,
        )
    first, second = (folder / "new-milford/zh-Hans/discreet-card.pdf" for folder in out)
    assert first.read_bytes() == second.read_bytes()


def test_without_noto_sans_cjk_chinese_fails_naming_the_package_and_the_rest_builds(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(fonts.CJK_FOLDER_VARIABLE, str(tmp_path / "no-fonts-here"))
    assert not fonts.cjk_available()

    def attempt(language: str) -> None:
        options = BuildOptions(
            content, TEMPLATES, tmp_path / language, ("new-milford",), (language,), ("pocket-card",)
        )
        build(options, report=lambda _line: None)

    with pytest.raises(Exception, match=r"fonts-noto-cjk") as failure:
        attempt("zh-Hans")
    assert "apt-get install fonts-noto-cjk" in str(failure.value)
    assert fonts.CJK_FOLDER_VARIABLE in str(failure.value)
    attempt("vi")  # the Chinese catalog's characters do not stop another language
    assert (tmp_path / "vi/new-milford/vi/pocket-card.pdf").is_file()


@pytest.mark.skipif(not fonts.cjk_available(), reason=f"needs Debian's {fonts.CJK_PACKAGE}")
def test_chinese_lines_never_start_with_closing_punctuation() -> None:
    """Pango breaks Chinese between characters by UAX #14, which never puts a break before
    closing punctuation; nothing in the stylesheets (hyphenation, word-break) may undo it.
    WeasyPrint has no `line-break: strict` (it warns, and the build refuses warnings), so
    this is the only line-breaking there is: checked at many widths."""
    from weasyprint.formatting_structure.boxes import LineBox, TextBox

    sentence = (
        "如需帮助，请致电热线（全天开放）。您可以说“我需要帮助”、“我想离开”。"
        "请记住：「您并不孤单」。"
    )
    widths = range(60, 200, 7)
    paragraphs = "".join(f'<p style="width: {w}pt">{sentence * 2}</p>' for w in widths)
    html = (
        '<!DOCTYPE html><html lang="zh-Hans" dir="ltr"><head><meta charset="utf-8">'
        "<title>t</title>"
        '<link rel="stylesheet" href="base.css">'
        '<style>html { font-family: "Noto Sans CJK SC", "Noto Sans"; font-size: 10pt; }</style>'
        f"</head><body>{paragraphs}</body></html>"
    )
    document = Renderer(TEMPLATES).layout(html, "line starts")
    starts = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, LineBox):
                text = "".join(t.text for t in box.descendants() if isinstance(t, TextBox))
                if text:
                    starts.append(text[0])
    assert len(starts) > 100
    assert not set(starts) & set("，。、）」：”")
