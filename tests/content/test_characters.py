"""Issue 21, items 6, 10 and 20: characters that reorder, hide or cannot print what a text
holds are refused in every text of the content and the catalogs, at their line; the word
checks read the text as it is seen; a PO file that Babel would read wrong without a word
(a string never closed, a text translated twice) is refused at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from handout.content.characters import as_seen, refused, right_to_left
from handout.content.errors import ContentErrors
from handout.content.load import load
from handout.content.po_check import po_problems
from handout.content.words import giveaway_words
from handout.layout.glyphs import missing_glyphs
from handout.render.checks import forbidden_words
from tests.conftest import TEMPLATES, assert_clean_failure, edit, pdfs, run_build

RLO, PDF = "\u202e", "\u202c"
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def problems_of(content: Path) -> list[str]:
    with pytest.raises(ContentErrors) as error:
        load(content)
    return [str(problem) for problem in error.value.problems]


def test_a_right_to_left_override_on_the_discreet_front_stops_the_build(
    content_copy: Path, tmp_path: Path
) -> None:
    """The attack as reported: the front text holds "ecilop", the page shows "police"."""
    edit(
        content_copy / "materials.yaml",
        "front_text: Please call 24 hours ahead to change.",
        f'front_text: "Call the {RLO}ecilop{PDF}."',
    )
    out = tmp_path / "out"
    result = run_build(
        "--content", content_copy, "--out", out, "--region", "danbury", "--lang", "en",
        "--material", "discreet-card",
    )  # fmt: skip
    line = (
        (content_copy / "materials.yaml")
        .read_text()
        .splitlines()
        .index(f'  front_text: "Call the {RLO}ecilop{PDF}."')
    )
    assert_clean_failure(result, f"materials.yaml:{line + 1}:", "U+202E (RIGHT-TO-LEFT OVERRIDE)")
    assert pdfs(out) == []


@pytest.mark.parametrize("control", BIDI)
@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("resources/national.yaml", "name: National Human Trafficking Hotline",
         'name: "National {c}Human Trafficking Hotline"'),
        ("materials.yaml", "front_title: Appointment reminder",
         'front_title: "Appoint{c}ment reminder"'),
        ("regions/danbury.yaml", "name: Danbury", 'name: "Dan{c}bury"'),
        ("project.yaml", "title: Help and Safety Guide", 'title: "Help and {c}Safety Guide"'),
        ("laws.yaml", "  - id: ", '  - "x{c}": 1\n    id: '),
    ],
)  # fmt: skip
def test_bidi_controls_are_refused_in_every_yaml_text(
    content_copy: Path, file: str, old: str, new: str, control: str
) -> None:
    """Any field, printed or not (a title, a name, even a key): at its file, line and
    column, with a fix."""
    edit(content_copy / file, old, new.replace("{c}", control))
    found = [p for p in problems_of(content_copy) if f"U+{ord(control):04X}" in p]
    assert found, problems_of(content_copy)
    assert found[0].startswith(f"{content_copy / file}:") or file in found[0]
    assert "Fix: delete it" in found[0]


def test_a_phone_note_cannot_show_another_number(content_copy: Path) -> None:
    """`741\u202e147\u202c` is seen as 741741: refused where it is written."""
    assert as_seen(f"Text 741{RLO}147{PDF}") == "Text 741741"
    local = content_copy / "resources" / "local.yaml"
    edit(
        local, "        note: non-emergency", f'        note: "non-emergency, or 741{RLO}147{PDF}"'
    )
    assert any("local.yaml:15:" in p and "U+202E" in p for p in problems_of(content_copy))


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ('"Help\\0line"', "U+0000"),
        ('"Help\\x1bline"', "U+001B"),
        ('"Help\\rline"', "U+000D"),
        ('"Help\\u200fline"', "U+200F"),
        ('"Help\\u200eline"', "U+200E"),
        ('"Help\\u061cline"', "U+061C"),
        ('"Help\\ue000line"', "U+E000"),
        ('"Help\\u0378line"', "U+0378"),
        ('"Help\\U000F0000line"', "U+F0000"),
    ],
)
def test_controls_marks_and_empty_boxes_are_refused_at_their_line(
    content_copy: Path, written: str, code: str
) -> None:
    """Through YAML escapes (which the file's own character check cannot see): NUL and
    other controls, direction marks in English, private-use and unassigned code points."""
    edit(content_copy / "regions" / "danbury.yaml", "name: Danbury", f"name: {written}")
    found = [p for p in problems_of(content_copy) if code in p]
    assert found and "danbury.yaml:" in found[0], problems_of(content_copy)


def test_direction_marks_depend_on_the_language() -> None:
    """Arabic may need a right-to-left mark, English never does; overrides never."""
    assert right_to_left("ar") and right_to_left("he") and not right_to_left("en")
    assert not right_to_left("xx-unknown")
    assert refused("\u0627\u200f1", "ar") is None
    assert refused("a\u200fb", "en") is not None
    assert refused(f"\u0627{RLO}", "ar") is not None
    po = 'msgid ""\nmsgstr ""\n\nmsgid "Call"\nmsgstr "\u0627\u062a\u0635\u0644\u200f 211"\n'
    assert po_problems(po, Path("ar.po"), "ar") == []
    assert [p.line for p in po_problems(po, Path("es.po"), "es")] == [5]


def test_the_word_checks_read_the_text_as_it_is_seen() -> None:
    front = f"Call the {RLO}ecilop{PDF}."
    assert as_seen(front) == "Call the police."
    assert giveaway_words(front, ["police"]) == ["police"]
    assert forbidden_words(front, ["police"]) == ["police"]
    assert forbidden_words("Call the \u2067ecilop\u2069.", ["police"]) == []  # an isolate


def test_a_giveaway_word_is_found_in_every_script_and_under_hidden_marks() -> None:
    # Chinese has no spaces: the word is found inside a run of characters.
    assert giveaway_words("免费帮助人口贩卖受害者", ["人口贩卖"]) == ["人口贩卖"]
    # Arabic vowel marks and the stretching tatweel do not hide a word.
    assert giveaway_words("اتصل بالشُّرطة", ["بالشرطة"]) == ["بالشرطة"]
    assert giveaway_words("شـرطة", ["شرطة"]) == ["شرطة"]
    # A phrase (Vietnamese writes each syllable apart), whatever the spaces between.
    assert giveaway_words("Dịch vụ mại  dâm", ["mại dâm"]) == ["mại dâm"]
    # A soft hyphen or a zero-width space inside a word.
    assert giveaway_words("poli\u00adce, traf\u200bficking", ["police", "traffick"]) == [
        "police",
        "trafficking",
    ]
    # Still a word's start only where words are spaced: "sex" is not in "Essex".
    assert giveaway_words("Essex County", ["sex"]) == []


def test_a_bidi_control_in_a_translation_is_refused_at_its_line(
    content_copy: Path, tmp_path: Path
) -> None:
    po = content_copy / "locale" / "es.po"
    edit(po, 'msgstr "Ayuda gratis, siempre"', f'msgstr "Llama a la {RLO}aicilop{PDF}."')
    line = (
        po.read_text(encoding="utf-8").splitlines().index(f'msgstr "Llama a la {RLO}aicilop{PDF}."')
    )
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(result, f"es.po:{line + 1}:", "U+202E")


def test_a_text_translated_twice_and_a_string_never_closed_are_refused(
    content_copy: Path,
) -> None:
    """Babel keeps one of two translations of a text, and reads `"Adios` as `Adio`."""
    po = content_copy / "locale" / "es.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(
        text + '\nmsgid "Free help, any time"\nmsgstr "Números de la policía"\n'
        '\nmsgid "Only here"\nmsgstr "Adiós\n',
        encoding="utf-8",
    )
    lines = len(text.splitlines())
    first = text.splitlines().index('msgid "Free help, any time"') + 1
    result = run_build("--check", "--content", content_copy)
    assert_clean_failure(
        result,
        f"es.po:{lines + 2}: `Free help, any time` is in the catalog twice (first at line {first})",
        f"es.po:{lines + 6}:1: a text is opened with a quote",
    )


def test_the_glyph_check_counts_private_use_unassigned_and_controls(tmp_path: Path) -> None:
    """U+E000, U+0378, U+F0000 and NUL print as empty boxes: reported, never skipped."""
    content = load(Path(TEMPLATES.parent / "content"))
    catalog = Catalog(locale="es")
    catalog.add("Helpful numbers", "N\ue000meros \u0378\U000f0000 \x00")
    found = " ".join(str(p) for p in missing_glyphs(content, TEMPLATES, {"es": catalog}))
    for code in ("U+E000", "U+0378", "U+F0000", "U+0000"):
        assert code in found, found
