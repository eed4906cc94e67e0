"""Every character a material prints must exist in the shipped fonts. Otherwise it prints
as an empty box, or in whatever font the machine happens to have: neither is acceptable on
a card a person's safety depends on."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from fontTools.ttLib import TTFont
from pydantic import BaseModel

from handout.content.errors import BuildError, Problem, display_path
from handout.content.i18n import catalog_path
from handout.content.read import Content
from handout.layout import fonts, scripts, typography

TEMPLATE_CODE = re.compile(r"\{[{%#].*?[}%#]\}|<[^>]*>", re.DOTALL)


@functools.cache
def _codepoints(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def shipped_codepoints() -> frozenset[int]:
    """Characters that at least one shipped font can draw."""
    return _covered(scripts.available_faces())


def everywhere_codepoints(languages: list[str]) -> frozenset[int]:
    """Characters every one of `languages` can print (those whose fonts this machine has):
    what a text printed in all of them (a record's name, a template's words) may use. A
    character only Noto Sans CJK or IBM Plex Sans Arabic has would fall back to a system font
    on an English page."""
    found = [language_codepoints(code) for code in languages]
    sets = [covered for covered in found if covered is not None]
    return frozenset.intersection(*sets) if sets else shipped_codepoints()


def language_codepoints(language: str) -> frozenset[int] | None:
    """Characters the fonts of `language` can draw (its script's stack: Vietnamese is
    checked against Noto Sans alone, Chinese against Noto Sans CJK SC); None when this
    machine lacks one of them (that language's build fails, naming the package)."""
    try:
        return _covered(scripts.faces(language))
    except BuildError:
        return None


def _covered(faces: tuple[fonts.FontFace, ...]) -> frozenset[int]:
    return frozenset().union(*(_codepoints(face.path) for face in faces))


def _printable(character: str) -> bool:
    """Whether `character` needs a glyph: everything but white space and the format
    characters that print nothing (soft hyphen, zero-width joiner...). Control characters,
    private-use and unassigned code points need one too, and no shipped font has it: they
    would print as empty boxes, so they are reported rather than skipped."""
    return not (character.isspace() or unicodedata.category(character) == "Cf")


def _literal_texts(obj: BaseModel) -> Iterator[str]:
    """Every string in a model, translated or not (names, sources, numbers, ...)."""
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        items = (
            value
            if isinstance(value, list)
            else list(value.values())
            if isinstance(value, dict)
            else [value]
        )
        for item in items:
            if isinstance(item, str):
                yield item
            elif isinstance(item, BaseModel):
                yield from _literal_texts(item)


def _sources(content: Content, templates: Path) -> Iterator[tuple[str, str]]:
    """(where, text) of everything printed whatever the language."""
    for kind, objects in (
        ("record", content.resources.values()),
        ("law", content.laws.values()),
        ("section", content.sections),
        ("region", content.regions.values()),
    ):
        for obj in objects:
            where = f"{kind} `{getattr(obj, 'id', getattr(obj, 'name', ''))}`"
            for text in _literal_texts(obj):
                yield where, text
    for text in _literal_texts(content.text):
        yield "materials.yaml", text
    for template in sorted(templates.glob("*.html")):
        yield f"template {template.name}", TEMPLATE_CODE.sub(" ", template.read_text("utf-8"))


def missing_glyphs(
    content: Content, templates: Path, catalogs: dict[str, Catalog]
) -> list[Problem]:
    """Characters no shipped font has, per language, each with the first text using it
    (a translation at its catalog's line). A translation is checked against its own
    language's fonts; the texts printed in every language against what all of their fonts
    have (`everywhere_codepoints`). A control
    character counts as one even where a font maps it (fonts give NUL an empty glyph): it
    prints nothing a reader can see."""
    shipped = everywhere_codepoints(content.project.codes)
    problems = []
    root = display_path(content.root)
    texts = [(root, None, where, text, shipped) for where, text in _sources(content, templates)]
    for code, catalog in catalogs.items():
        path = display_path(catalog_path(content.root, code))
        covered = language_codepoints(code)
        if covered is None:  # its fonts are missing: its build says so, naming the package
            continue
        texts += [
            (path, m.lineno, f"the translation of `{m.id[:40]}` ({code})", m.string, covered)
            for m in catalog
            if m.id and isinstance(m.string, str) and m.string
        ]
    for code in content.project.codes:
        marks = typography.delimiters(code)
        quotes = {marks.open, marks.close, marks.alt_open, marks.alt_close, typography.APOSTROPHE}
        texts.append(
            (
                root,
                None,
                f"language {code} (its quotation marks)",
                "".join(sorted(quotes)),
                language_codepoints(code) or shipped,
            )
        )
    # Every character judged once per set of fonts: a statewide import holds 10,000s of
    # texts. Only those that fail are looked for again, to name the first text using each.
    by_fonts: dict[frozenset[int], set[str]] = {}
    for _file, _line, _where, text, covered in texts:
        by_fonts.setdefault(covered, set()).update(text)
    fine = {
        covered: {c for c in distinct if not _printable(c) or _drawn(c, covered)}
        for covered, distinct in by_fonts.items()
    }
    reported: set[str] = set()
    for file, line, where, text, covered in texts:
        if fine[covered].issuperset(text):
            continue
        for character in text:
            if character in fine[covered] or character in reported:
                continue
            reported.add(character)
            problems.append(
                Problem(
                    file,
                    f"{where} uses {character!r} (U+{ord(character):04X}, "
                    f"{unicodedata.name(character, 'unnamed')}), which no shipped font has "
                    f"({', '.join(_families(covered))}): it would print as an empty box",
                    "replace it with a common character, or add a font that has it",
                    line,
                )
            )
    return problems


def _families(covered: frozenset[int]) -> list[str]:
    """The families whose characters a set of code points holds (for the message)."""
    faces = scripts.available_faces()
    found = [f.family for f in faces if _codepoints(f.path) <= covered]
    return list(dict.fromkeys(found)) or [fonts.NOTO]


def missing_characters(text: str, languages: list[str] | None = None) -> list[str]:
    """The characters of `text` that no shipped font draws (in order, each once): what
    the build's glyph check would refuse, for a text not yet written (an editor's field, an
    imported record). `languages`: those it is printed in (all the fonts' characters when
    not given): a translation's one language, a record's every language."""
    covered = everywhere_codepoints(languages) if languages else shipped_codepoints()
    found = (c for c in text if _printable(c) and not _drawn(c, covered))
    return list(dict.fromkeys(found))


def _drawn(character: str, covered: frozenset[int]) -> bool:
    return ord(character) in covered and unicodedata.category(character) != "Cc"
