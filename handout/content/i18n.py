"""Translations as gettext PO catalogs: English content is the source, one catalog per language.

The English texts of the content (every field typed `Prose` in the models) and the templates'
own words (`_("...")`) are extracted into `locale/messages.pot`; `locale/<lang>.po` holds a
language's translations, which any PO tool (Poedit, Weblate, ...) can edit.

Each build updates the catalogs in memory against the current English, with Babel's own
`pybabel update` rules: a text whose English changed keeps its old translation flagged fuzzy
(outdated), a new text has none (missing). An outdated or missing translation is never printed:
the English is, and the build reports it (`--strict` makes that an error).
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import typing
from collections.abc import Callable, Iterator
from copy import copy as shallow_copy
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import PoFileError, read_po, write_po
from pydantic import BaseModel

from handout.content.characters import babel_code
from handout.content.errors import ContentErrors, Problem, display_path, excerpt
from handout.content.models import TRANSLATE, Resource
from handout.content.po_check import po_problems
from handout.content.read import Content
from handout.content.yaml_file import Location, inside, outside_problem

TEMPLATE_FILE = "messages.pot"
PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[a-z0-9-]+)?\}")
"""`{region}`, `{date}`, ..., and cross-references such as `{see:clear-record}`."""


def locale_folder(content_root: Path) -> Path:
    return content_root / "locale"


def catalog_path(content_root: Path, language: str) -> Path:
    return locale_folder(content_root) / f"{language}.po"


# --- Which fields are translated -------------------------------------------------------------


def _is_prose(annotation: Any) -> bool:
    if TRANSLATE in getattr(annotation, "__metadata__", ()):
        return True
    return any(_is_prose(arg) for arg in typing.get_args(annotation))


def _has_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_has_model(arg) for arg in typing.get_args(annotation))


@functools.cache
def _fields(model: type[BaseModel]) -> tuple[frozenset[str], frozenset[str]]:
    """(translated text fields, fields holding nested models) of a model class."""
    prose, nested = set(), set()
    for name, info in model.model_fields.items():
        # pydantic moves a required field's Annotated metadata into `info.metadata`
        if TRANSLATE in info.metadata or _is_prose(info.annotation):
            prose.add(name)
        elif _has_model(info.annotation):
            nested.add(name)
    return frozenset(prose), frozenset(nested)


def texts(obj: BaseModel, path: Location = ()) -> Iterator[tuple[Location, str]]:
    """Every translatable English text inside `obj`, with its path (YAML keys and indices)."""
    prose, nested = _fields(type(obj))
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        if value is None or (name not in prose and name not in nested):
            continue
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            where = (*path, name) if index is None else (*path, name, index)
            if name in prose:
                yield where, item
            elif isinstance(item, BaseModel):
                yield from texts(item, where)


# --- Extraction -------------------------------------------------------------------------------


def content_objects(content: Content) -> Iterator[tuple[str, BaseModel]]:
    """Each top-level content object with its place key (see `Content.places`)."""
    yield "materials", content.text
    for record_id, record in content.resources.items():
        yield f"resource:{record_id}", record
    for law_id, law in content.laws.items():
        yield f"law:{law_id}", law
    for section in content.sections:
        yield f"section:{section.id}", section
    for region_id, region in content.regions.items():
        yield f"region:{region_id}", region


def content_texts(content: Content) -> Iterator[tuple[str, str, Location]]:
    """Every English text of the content: (text, its file, its place in the file)."""
    for place, obj in content_objects(content):
        file, base = content.places[place]
        for path, text in texts(obj):
            yield text, file, (*base, *path)
    for region_id, region in content.regions.items():
        file, _base = content.places[f"region:{region_id}"]
        for record_id, fields in region.overrides.items():
            merged = Resource.model_validate(
                {**content.resources[record_id].model_dump(exclude_unset=True), **fields}
            )
            for path, text in texts(merged):
                if path[0] in fields:
                    yield text, file, ("overrides", record_id, *path)


def build_template(content: Content, templates: Path) -> Catalog:
    """The catalog of every English text: content first, then the templates' own words."""
    catalog = new_catalog(content.project.title)
    for text, file, place in content_texts(content):
        line, _column = content.files[file].where(place)
        _add(catalog, text, (file, line or 0))
    for message, location in template_texts(templates):
        _add(catalog, message, location)
    for text, location in TEXTS_THE_CODE_WRITES:
        _add(catalog, text, location)
    return catalog


def template_texts(templates: Path) -> tuple[tuple[str, tuple[str, int]], ...]:
    """The templates' own words, each with its file and line."""
    files = sorted(templates.glob("*.html"))
    stamps = tuple((path.name, path.stat().st_mtime_ns, path.stat().st_size) for path in files)
    return _extracted(templates, stamps)


@functools.lru_cache(maxsize=4)
def _extracted(
    templates: Path, _stamps: tuple[tuple[str, int, int], ...]
) -> tuple[tuple[str, tuple[str, int]], ...]:
    """Kept while the templates are as they were (`_stamps`): reading them again takes
    0.2 s, most of what the live preview's rebuild of one variant spends on its catalog."""
    found = []
    for template in sorted(templates.glob("*.html")):
        with template.open("rb") as stream:
            extracted = extract(
                "jinja2.ext:babel_extract",
                stream,
                options={"trim_blocks": "true", "lstrip_blocks": "true"},
            )
            where = f"templates/{template.name}"
            found += [(message, (where, line)) for line, message, *_rest in extracted]
    return tuple(found)


UNDATED_NOTE = "Call 211 or the service's number to check before you go."
"""What `import-hsds` writes as the `unverified_note` of a record its directory gives no
check date for (printed after "* Not confirmed."). Every catalog holds it
(`build_template`): its translation is there before the first import and kept between
imports, instead of being dropped whenever no imported record is left."""

TEXTS_THE_CODE_WRITES = ((UNDATED_NOTE, ("handout/hsds/mapping.py", 0)),)


def _add(catalog: Catalog, text: str, location: tuple[str, int]) -> None:
    existing = catalog.get(text)
    if existing is None:
        flags = ["python-brace-format"] if PLACEHOLDER.search(text) else []
        catalog.add(text, locations=[location], flags=flags)
    elif location not in existing.locations:
        existing.locations.append(location)


# --- Catalogs on disk ----------------------------------------------------------------------


FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
"""Header dates of the catalogs we write: fixed, so regenerating them changes nothing
unless a text changed (translation tools set the revision date they edit)."""


def new_catalog(project: str, language: str | None = None) -> Catalog:
    return Catalog(
        locale=babel_code(language) if language else None,
        project=project,
        version="content",
        copyright_holder="the handout contributors",
        msgid_bugs_address="the project's issue tracker",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        language_team=f"{language} translators" if language else None,
        last_translator="draft, awaiting review by a native speaker" if language else None,
        fuzzy=False,
    )


def read_catalog(path: Path, language: str, project: str = "") -> Catalog:
    """A language's catalog; an empty one when the file does not exist yet.

    A catalog that cannot be read (not a PO file, a broken header, a link to a file
    outside the content folder, which is `path`'s grandparent), or that Babel would read
    wrong without a word (a string never closed, a text twice, a character that cannot be
    printed: see `po_check`), is a located content error."""
    if not (path.exists() or path.is_symlink()):
        return new_catalog(project, language)
    if not inside(path.parents[1], path):
        raise ContentErrors([outside_problem(path)])
    try:
        data = path.read_bytes()
        problems = po_problems(data.decode("utf-8", errors="replace"), path, language)
        if problems:
            raise ContentErrors(problems)
        return read_po(io.BytesIO(data), locale=babel_code(language), abort_invalid=True)
    except (OSError, PoFileError, ValueError, LookupError, IndexError, KeyError) as error:
        line = getattr(error, "lineno", None)
        reason = error.strerror if isinstance(error, OSError) else excerpt(str(error), 80)
        raise ContentErrors(
            [
                Problem(
                    display_path(path),
                    f"cannot be read as a translation catalog (PO file): {reason}",
                    "open it in a PO editor such as Poedit and save it again, or restore it "
                    "from version control; `python build.py translations update` then "
                    "brings it up to date",
                    line if isinstance(line, int) and line > 0 else None,
                )
            ]
        ) from None


def _copied(catalog: Catalog) -> Catalog:
    """A copy of `catalog` whose messages can be changed without changing the original's:
    each message cloned (its lists copied), the rest shared. `deepcopy` did the same work
    through Python's generic machinery, at two thirds of a large import's catalog time."""
    copied = shallow_copy(catalog)
    copied._messages = {key: message.clone() for key, message in catalog._messages.items()}
    copied.obsolete = {key: message.clone() for key, message in catalog.obsolete.items()}
    copied._conflicts = list(getattr(catalog, "_conflicts", []))
    return copied


def updated(catalog: Catalog, template: Catalog) -> Catalog:
    """A copy of `catalog` updated to `template` by `pybabel update` rules, in time linear
    in their size: a text whose English changed keeps its old translation, marked fuzzy
    and with the old English shown; a new text is empty.

    pybabel fuzzy-matches every new text against every translated one, so importing a few
    thousand records took minutes (and gave new texts translations of other, unchanged
    texts). Here only the texts that changed are matched: each new text against the
    translated texts that left the template, which an edit keeps to a handful."""
    copy = _copied(catalog)
    copy.update(
        _copied(template),
        no_fuzzy_matching=True,
        update_header_comment=False,
        update_creation_date=False,
    )
    gone = Catalog(locale=catalog.locale)
    for message in catalog:
        if message.id and message.string and template.get(message.id, message.context) is None:
            gone[message.id] = message.clone()
    if not len(gone):
        return copy
    new = Catalog()
    for message in template:
        if message.id and catalog.get(message.id, message.context) is None:
            new[message.id] = message.clone()
    left = set(gone._messages)
    gone.update(new, update_header_comment=False, update_creation_date=False)
    for message in gone:
        if message.id and message.string:  # a fuzzy match: take it over
            target = copy.get(message.id, message.context)
            target.string, target.flags = message.string, set(message.flags)
            target.previous_id, target.user_comments = message.previous_id, message.user_comments
    for key in left - set(gone.obsolete):  # matched: no longer obsolete
        copy.obsolete.pop(key, None)
    return copy


def catalog_bytes(catalog: Catalog) -> bytes:
    """A catalog as its PO file holds it (written in memory: the file itself is written at
    once, by `handout.content.files`, never streamed into, so a failed write cannot cut a
    catalog short)."""
    stream = io.BytesIO()
    write_po(
        stream,
        catalog,
        width=96,
        sort_output=False,
        include_previous=True,
        omit_header=False,
        ignore_obsolete=False,
    )
    return stream.getvalue()


# --- Looking texts up -----------------------------------------------------------------------


class Status(StrEnum):
    translated = "translated"
    outdated = "outdated"
    missing = "missing"


@dataclass
class Translator:
    """Translates texts for one variant and remembers which it used, and in what state.

    For the source language it returns every text as is and records nothing.
    """

    language: str
    catalog: Catalog | None = None
    used: dict[str, Status] = field(default_factory=dict)
    printed: dict[str, str] = field(default_factory=dict)
    """Each text looked up -> what was printed for it (the translation, or the English)."""

    @property
    def is_source(self) -> bool:
        return self.catalog is None

    def gettext(self, text: str) -> str:
        result = self._lookup(text)
        self.printed[text] = result
        return result

    def shown_as(self, text: str, printed: str) -> None:
        """Record that only `printed` (a part of `text`'s translation) is printed for it,
        so the check that every printed text is on the page looks for that part."""
        self.printed[text] = printed

    def _lookup(self, text: str) -> str:
        if self.catalog is None:
            return text
        message = self.catalog.get(text)
        if message is None or not message.string:
            self.used[text] = Status.missing
            return text
        if message.fuzzy or not _same_placeholders(text, message.string):
            self.used[text] = Status.outdated
            return text
        self.used[text] = Status.translated
        return message.string

    def with_status(self, status: Status) -> list[str]:
        return [text for text, state in self.used.items() if state == status]


def _same_placeholders(source: str, translation: str) -> bool:
    """A translation that drops or renames `{region}` would print wrong; treat it as outdated."""
    return sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translation))


class Translated:
    """A read-only view of a content object whose texts come out translated on access.

    Templates read it like the object itself. Translating on access (not up front) means a
    variant's translator records exactly the texts that variant prints.
    """

    __slots__ = ("_obj", "_tr")

    def __init__(self, obj: BaseModel, translate: Callable[[str], str]) -> None:
        self._obj = obj
        self._tr = translate

    def __getattr__(self, name: str) -> Any:
        obj = object.__getattribute__(self, "_obj")
        attribute = getattr(type(obj), name, None)
        if isinstance(attribute, property):
            return attribute.fget(self)
        value = getattr(obj, name)
        prose, nested = _fields(type(obj))
        if name in prose:
            return (
                [self._tr(v) for v in value]
                if isinstance(value, list)
                else (None if value is None else self._tr(value))
            )
        if name in nested:
            if isinstance(value, list):
                return [Translated(v, self._tr) for v in value]
            return None if value is None else Translated(value, self._tr)
        return value

    def __eq__(self, other: object) -> bool:
        other_obj = other._obj if isinstance(other, Translated) else other
        return self._obj == other_obj

    def __hash__(self) -> int:
        return id(self._obj)

    @property
    def original(self) -> BaseModel:
        return self._obj
