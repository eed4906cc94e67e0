"""The translation workflow: PO catalogs, outdated and missing detection, fallbacks,
--strict, the status command, and adding a language or a region with content files only."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from handout.build.options import BuildOptions
from handout.build.pipeline import build
from handout.cli.translations import translation_status
from handout.content.i18n import Status
from handout.content.load import load
from tests.conftest import CONTENT, REGULAR, TEMPLATES, edit, run_build
from tests.pdf import all_text, page_texts, reader

OLD_SUBHEAD = (
    "Free help for anyone who sells or trades sex, is being forced to, or wants to get out."
)
NEW_SUBHEAD = "Free help for anyone who sells or trades sex, is forced to, or wants to stop."


def quiet(_line: str) -> None:
    pass


def set_translation(content: Path, language: str, source: str, translation: str) -> None:
    """Write `translation` for the English `source` straight into a PO file."""
    po = content / "locale" / f"{language}.po"
    text = po.read_text(encoding="utf-8")
    start = text.index(f'msgid "{source}"')
    line_end = text.index("\n", text.index("msgstr", start))
    entry = f'msgid "{source}"\nmsgstr "{translation}"'
    po.write_text(text[:start] + entry + text[line_end:], encoding="utf-8")


def change_flyer_subhead(content: Path) -> None:
    edit(
        content / "materials.yaml",
        "    " + OLD_SUBHEAD,
        "    " + NEW_SUBHEAD,
    )


def test_shipped_translations_are_complete_and_current() -> None:
    status = translation_status(load(CONTENT), TEMPLATES)
    assert {language for language, _material in status} == {"es", "pt", "ar", "zh-Hans", "vi", "ht"}
    for key, state in status.items():
        assert state.count(Status.outdated) == 0, (key, state.which(Status.outdated))
        assert state.count(Status.missing) == 0, (key, state.which(Status.missing))
        assert state.count(Status.translated) > 10, key


def test_changing_one_english_sentence_outdates_exactly_its_translations(
    content_copy: Path,
) -> None:
    change_flyer_subhead(content_copy)
    status = translation_status(load(content_copy), TEMPLATES)
    for (language, material), state in status.items():
        expected = [NEW_SUBHEAD] if material in ("flyer", "large-print-flyer") else []
        assert state.which(Status.outdated) == expected, (language, material)
        assert state.which(Status.missing) == [], (language, material)


def test_outdated_translation_prints_english_and_is_reported(
    content_copy: Path, tmp_path: Path
) -> None:
    change_flyer_subhead(content_copy)
    out = tmp_path / "out"
    built = build(
        BuildOptions(content_copy, TEMPLATES, out, regions=("waterbury",), materials=("flyer",)),
        report=quiet,
    )
    spanish = next(item for item in built if item.variant.language == "es")
    assert spanish.warnings.outdated == [NEW_SUBHEAD]
    assert "is forced to, or wants to stop" in " ".join(all_text(spanish.path).split())


def test_strict_refuses_outdated_translations(content_copy: Path, tmp_path: Path) -> None:
    change_flyer_subhead(content_copy)
    result = run_build(
        "--content",
        content_copy,
        "--out",
        tmp_path / "out",
        "--strict",
        "--region",
        "waterbury",
        "--material",
        "flyer",
    )
    assert result.returncode == 1
    assert "outdated translation of" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_new_english_text_is_missing_until_translated(content_copy: Path) -> None:
    edit(
        content_copy / "materials.yaml",
        "  back_title: Contacts",
        "  back_title: Numbers worth keeping close at hand",
    )
    status = translation_status(load(content_copy), TEMPLATES, ["es"])
    assert status[("es", "discreet-card")].which(Status.missing) == [
        "Numbers worth keeping close at hand"
    ]


def test_update_marks_changed_texts_fuzzy_with_the_old_english(content_copy: Path) -> None:
    change_flyer_subhead(content_copy)
    result = run_build("translations", "update", "--content", content_copy)
    assert result.returncode == 0, result.stderr
    with (content_copy / "locale" / "es.po").open("rb") as stream:
        catalog = read_po(stream)
    message = catalog.get(NEW_SUBHEAD)
    assert message is not None and message.fuzzy
    assert message.string  # the old translation kept for the translator to fix
    po_text = (content_copy / "locale" / "es.po").read_text(encoding="utf-8")
    assert f'#| msgid "{OLD_SUBHEAD}"' in po_text  # the old English, for the translator
    assert (content_copy / "locale" / "messages.pot").exists()


def test_status_command_prints_a_table(content_copy: Path) -> None:
    change_flyer_subhead(content_copy)
    result = run_build("translations", "status", "--content", content_copy)
    assert result.returncode == 0, result.stderr
    assert "translated" in result.stdout and "outdated" in result.stdout
    assert f"es flyer: outdated: {NEW_SUBHEAD!r}" in result.stdout


def test_a_translation_that_drops_a_placeholder_is_not_printed(content_copy: Path) -> None:
    set_translation(content_copy, "es", "Help near {region}", "Ayuda cerca")
    status = translation_status(load(content_copy), TEMPLATES, ["es"])
    assert "Help near {region}" in status[("es", "pocket-card")].which(Status.outdated)


def test_a_translation_too_long_for_the_card_fails_naming_the_part(
    content_copy: Path, tmp_path: Path
) -> None:
    long = "Ayuda gratuita y confidencial en cualquier momento del día o de la noche " * 12
    set_translation(content_copy, "es", "Free help, any time", long)
    result = run_build(
        "--content",
        content_copy,
        "--out",
        tmp_path / "out",
        "--lang",
        "es",
        "--material",
        "pocket-card",
        "--region",
        "danbury",
    )
    assert result.returncode == 1
    assert (
        "danbury/es/pocket-card: the front part does not fit even at the smallest "
        "legible type (8 pt): it is" in result.stderr
    )
    assert "pt (" in result.stderr and "in) too long" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_longer_translation_shrinks_its_card_face_to_fit(
    content_copy: Path, tmp_path: Path
) -> None:
    longer = (
        "Ayuda gratis y confidencial, siempre, de día y de noche, cuando la necesites, "
        "para ti y para quien quieras"
    )
    set_translation(content_copy, "es", "Free help, any time", longer)
    out = tmp_path / "out"
    built = build(
        BuildOptions(
            content_copy,
            TEMPLATES,
            out,
            regions=("waterbury",),
            languages=("es",),
            materials=("pocket-card",),
        ),
        report=quiet,
    )
    assert 0.3 <= built[0].fit["front"] < 1
    assert "back" not in built[0].fit
    front = " ".join(page_texts(out / "waterbury" / "es" / "pocket-card.pdf")[0].split())
    assert longer in front and "(888) 774-2900" in front
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"front": ' in manifest


FRENCH_PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Free help, any time"
msgstr "Aide gratuite, à toute heure"

msgid "Help near {region}"
msgstr "Aide près de {region}"
"""

TEST_REGION = """name: Test Town
state: Connecticut
area: Test Town
include: [ct-legal-services]
pocket_card:
  front: [emergency-911, ct-safe-connect, trafficking-hotline, ct-211]
  back:
    - resource: ct-legal-services
      label: Free legal aid
    - resource: ct-211
      purpose: shelter
      label: Shelter
discreet_card:
  back: [emergency-911, ct-safe-connect]
flyer:
  key_numbers: [emergency-911, trafficking-hotline, ct-211]
  tab: trafficking-hotline
"""


def test_a_region_and_a_language_are_added_with_content_files_only(
    content_copy: Path, tmp_path: Path
) -> None:
    edit(
        content_copy / "project.yaml",
        "  - code: pt\n",
        "  - code: fr\n    name: Français\n  - code: pt\n",
    )
    (content_copy / "locale" / "fr.po").write_text(FRENCH_PO, encoding="utf-8")
    (content_copy / "regions" / "test-town.yaml").write_text(TEST_REGION, encoding="utf-8")
    out = tmp_path / "out"
    built = build(
        BuildOptions(
            content_copy,
            TEMPLATES,
            out,
            regions=("test-town",),
            languages=("fr",),
            materials=REGULAR[1:],
        ),
        report=quiet,
    )
    assert len(built) == 4
    card = out / "test-town" / "fr" / "pocket-card.pdf"
    assert reader(card).trailer["/Root"]["/Lang"] == "fr"
    front, back = page_texts(card)
    assert "Aide gratuite, à toute heure" in front
    assert "Aide près de Test Town" in back
    assert "(800) 453-3320" in back
    assert all(item.warnings.missing for item in built)  # the rest falls back to English


def test_every_printed_text_goes_through_translation() -> None:
    """Render each material with a pseudo-translation (texts upper-cased): no extracted
    English text may appear as it is, or some printed text skipped the translator."""
    from babel.messages.catalog import Catalog

    from handout.content.i18n import PLACEHOLDER, Translator, build_template
    from handout.layout.compose import compose
    from handout.layout.html import Templates
    from handout.layout.materials import MATERIALS

    content = load(CONTENT)
    template = build_template(content, TEMPLATES)
    pseudo = Catalog(locale="es")
    for message in template:
        if message.id:
            upper = PLACEHOLDER.sub(lambda match: match.group(0).lower(), message.id.upper())
            pseudo.add(message.id, upper)
    pages = Templates(TEMPLATES)
    from handout.layout.names import proper_names

    # printed as they are: places, organisations' own names, addresses, sources' names
    names = {name for region in content.regions for name in proper_names(content, region)}
    texts = [
        m.id
        for m in template
        if m.id
        and not any(m.id in name for name in names)  # a name, or part of one ("Safe Connect")
        and any(c.islower() for c in m.id)
        and len(m.id) > 3
    ]
    for region in content.regions:
        for material in MATERIALS:
            context = compose(content, region, material, Translator("es", pseudo))
            html = pages.html(MATERIALS[material], context)
            leaked = [text for text in texts if f">{text}<" in html or f" {text}<" in html]
            assert not leaked, (region, material, leaked[:5])


def test_the_catalog_holds_every_kind_of_text() -> None:
    from handout.content.i18n import build_template

    content = load(CONTENT)
    template = build_template(content, TEMPLATES)
    for text in [
        content.text.pocket_card.front_title,
        content.text.draft_note,
        content.resources["ct-safe-connect"].helps_with,
        content.resources["emergency-911"].name,
        content.laws["ct-vacatur"].summary,
        content.sections[0].title,
        "Call or text",
        "Text {keyword} to {number}",
    ]:
        assert template.get(text) is not None, text


def test_update_writes_only_the_catalogs_that_change_and_says_so(content_copy: Path) -> None:
    catalogs = content_copy / "locale"
    before = {path.name: path.stat().st_mtime_ns for path in catalogs.iterdir()}
    result = run_build("translations", "update", "--content", content_copy)
    assert result.returncode == 0, result.stderr
    assert "wrote" not in result.stdout
    assert "all already up to date: none written" in result.stdout
    assert {path.name: path.stat().st_mtime_ns for path in catalogs.iterdir()} == before
    change_flyer_subhead(content_copy)
    result = run_build("translations", "update", "--content", content_copy)
    assert "wrote content/locale/es.po" in result.stdout or "es.po" in result.stdout
    assert result.stdout.count("wrote") == 7, result.stdout  # the template and 6 catalogs
