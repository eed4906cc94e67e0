"""Translations as the editor shows them: each English text beside its translation, and
saving one translation into the language's PO file with Babel.

The texts and their states come from the same code the build uses (`plan.Translations`,
`i18n.Translator`): missing (no translation), outdated (fuzzy: the English changed since, or
its placeholders differ) or translated. Only texts a chosen material or region prints are
listed when those filters are set: the variants' HTML is composed (no PDF) to know which.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path

from handout.content import yaml_edit
from handout.content.i18n import (
    PLACEHOLDER,
    Status,
    catalog_bytes,
    catalog_path,
    read_catalog,
)
from handout.content.read import Content
from handout.content.words import tab_label
from handout.editor.records import digest
from handout.layout.printable import text_refusal
from handout.layout.typography import straight
from handout.render.checks import forbidden_words

STATES = ("missing", "outdated", "translated")


@dataclass(frozen=True)
class Text:
    english: str
    translation: str
    state: str
    placeholders: tuple[str, ...]
    where: tuple[tuple[str, str, str], ...] = ()
    """(region, material, printed text) of each chosen variant printing it (with filters)."""


def state_of(english: str, translation: str, fuzzy: bool) -> str:
    if not translation:
        return Status.missing.value
    if fuzzy or not same_placeholders(english, translation):
        return Status.outdated.value
    return Status.translated.value


def same_placeholders(english: str, translation: str) -> bool:
    return sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(translation))


def printed_by(
    content: Content, templates: Path, language: str, regions: list[str], materials: list[str]
) -> dict[str, list[tuple[str, str, str]]]:
    """The English texts the chosen variants print (their HTML composed, no PDF), each
    with the variants that print it: (region, material, the text as printed)."""
    from handout.build.plan import Translations, variants
    from handout.layout.compose import compose
    from handout.layout.html import Templates
    from handout.layout.materials import MATERIALS

    translations = Translations(content, templates)
    pages = Templates(templates)
    used: dict[str, list[tuple[str, str, str]]] = {}
    for variant in variants(content, regions or None, [language], materials or None):
        translator = translations.translator(language)
        context = compose(content, variant.region, variant.material, translator)
        pages.html(MATERIALS[variant.material], context)
        region_name = content.regions[variant.region].name
        for english in translator.used:
            printed = translator.printed.get(english, english).replace("{region}", region_name)
            used.setdefault(english, []).append((variant.region, variant.material, printed))
    return used


def _squeezed(text: str) -> str:
    """Without white space, case or the difference of straight and typographic quotes
    (a translation typed with "…" prints with the language's own)."""
    return "".join(straight(text).split()).casefold()


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF, without white space (line breaks differ)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [_squeezed(page.get_textpage().get_text_range()) for page in document]
    finally:
        document.close()


def page_of(pages: list[str], printed: str) -> int | None:
    """The page (1-based) that prints `printed` (its first words), if found."""
    wanted = _squeezed(printed)[:40]
    for number, text in enumerate(pages, start=1):
        if wanted and wanted in text:
            return number
    return None


def texts(
    content: Content,
    templates: Path,
    language: str,
    states: list[str] | None = None,
    regions: list[str] | None = None,
    materials: list[str] | None = None,
) -> list[Text]:
    """The language's texts in catalog order, narrowed by state, region and material."""
    from handout.build.plan import Translations

    catalog = Translations(content, templates, [language]).catalogs[language]
    only = (
        printed_by(content, templates, language, regions or [], materials or [])
        if (regions or materials)
        else None
    )
    found = []
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        if only is not None and message.id not in only:
            continue
        translation = message.string if isinstance(message.string, str) else ""
        state = state_of(message.id, translation, message.fuzzy)
        if states and state not in states:
            continue
        where = tuple(only[message.id]) if only is not None else ()
        placeholders = tuple(PLACEHOLDER.findall(message.id))
        found.append(Text(message.id, translation, state, placeholders, where))
    return found


def translation_in(po: str | None, english: str) -> str | None:
    """The translation of `english` in a PO file's text ("" untranslated; None when the
    text is not there or the file does not read: then it cannot be compared)."""
    if po is None:
        return None
    from babel.messages.pofile import read_po

    try:
        message = read_po(io.StringIO(po)).get(english)
    except (ValueError, KeyError, IndexError):  # a file Babel cannot read: nothing to compare
        return None
    if message is None:
        return None
    return message.string if isinstance(message.string, str) else ""


def po_text(content: Content, templates: Path, language: str) -> str:
    path = catalog_path(content.root, language)
    return path.read_text(encoding="utf-8") if path.exists() else ""


def with_translation(
    content: Content, templates: Path, language: str, english: str, translation: str
) -> str:
    """The PO file's new text: this one text translated, no longer fuzzy, and nothing else
    changed (bringing the whole catalog up to date with the English is `translations
    update`'s work: a save left other entries, and every `#:` line an edit had moved,
    rewritten). A text the file does not hold yet is added, as the English gives it."""
    path = catalog_path(content.root, language)
    catalog = read_catalog(path, language, content.project.title)
    message = catalog.get(english)
    if message is None:
        from handout.build.plan import Translations

        known = Translations(content, templates, ()).template.get(english)
        if known is None:
            raise KeyError(english)
        message = catalog.add(
            english, locations=known.locations, flags=set(known.flags) - {"fuzzy"},
            auto_comments=known.auto_comments, user_comments=known.user_comments,
            context=known.context,
        )  # fmt: skip
    message.string = translation
    message.flags.discard("fuzzy")
    message.previous_id = []
    return catalog_bytes(catalog).decode("utf-8")


FRONT_PART = re.compile(r'id="part-front"(.*?)(?=id="part-|\Z)', re.DOTALL)
TEMPLATE_WORDS = re.compile(r'_\(\s*"((?:[^"\\]|\\.)*)"\s*\)')


def carried_texts(content: Content, templates: Path) -> set[str]:
    """The English texts printed where a card or tab is carried and may be found: the
    discreet card's front (its two texts and its template's own words there) and every
    tear-off tab's label. Their translations must not say what the numbers are for."""
    texts = {content.text.discreet_card.front_title, content.text.discreet_card.front_text}
    texts |= {tab_label(content, region_id) for region_id in content.regions}
    template = templates / "discreet-card.html"
    if template.is_file():
        for front in FRONT_PART.findall(template.read_text(encoding="utf-8")):
            texts.update(word.replace('\\"', '"') for word in TEMPLATE_WORDS.findall(front))
    return texts


def translation_refusal(
    content: Content, templates: Path, language: str, english: str, translation: str
) -> str | None:
    """Why the build would refuse `translation` of `english` (None when it would not), so
    that the editor says so beside the field instead of writing it: a character that
    reorders, hides or cannot print (`layout.printable`), an editors' word, and on a
    carried text (`carried_texts`) a word of `forbidden_on_discreet_front`, read as the
    build reads the printed page (look-alike letters, hyphens, reordering).

    Whether the translation fits its card is not checked before the save: that needs the
    pages laid out (seconds for each material printing it). The preview rebuilds right
    after the save and shows a text that does not fit, with its material and part."""
    refusal = text_refusal(translation, language, content.project)
    if refusal is not None:
        return f"The translation {refusal}"
    if english in carried_texts(content, templates):
        forbidden = content.project.forbidden_on_discreet_front.get(language, [])
        found = forbidden_words(translation, forbidden)
        if found:
            return (
                f"This text is printed on the discreet card's front or a tear-off tab, which "
                f"is carried and may be found: `{', '.join(found)}` could give away whoever "
                "carries it. Fix: translate it with neutral words (see "
                "`forbidden_on_discreet_front` in project.yaml)"
            )
    return None


def reviewed_project(text: str, content: Content, language: str, reviewer: str) -> str:
    """project.yaml's new text: the language marked reviewed, by whom and when."""
    index = content.project.codes.index(language)
    today = datetime.date.today().isoformat()
    return yaml_edit.update_record(
        text, ("languages", index), {"reviewed": True, "reviewer": f"{reviewer}, {today}"}
    )


__all__ = ["STATES", "Text", "digest", "reviewed_project", "texts", "with_translation"]
