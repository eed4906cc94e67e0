"""Planning a build: which variants (region × language × material) were asked for, and for
each its HTML's fingerprint, the warnings it carries and the texts its pages must show. No
WeasyPrint here: the plans decide what must be rendered at all (see `handout.build.pipeline`)."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from handout.build.options import BuildOptions
from handout.content.asked import id_asked
from handout.content.characters import cldr_locale
from handout.content.errors import UserError, counted
from handout.content.i18n import (
    TEXTS_THE_CODE_WRITES,
    Status,
    Translator,
    build_template,
    catalog_path,
    content_texts,
    read_catalog,
    updated,
)
from handout.content.read import Content
from handout.layout.compose import compose
from handout.layout.materials import EDITIONS, MATERIALS


@dataclass(frozen=True, order=True)
class Variant:
    region: str
    language: str
    material: str

    def path(self, out: Path) -> Path:
        return out / self.region / self.language / f"{self.material}.pdf"

    def print_path(self, out: Path) -> Path:
        return out / self.region / self.language / f"{self.material}-print.pdf"

    def press_path(self, out: Path) -> Path:
        return out / self.region / self.language / f"{self.material}-press.pdf"

    def preflight_path(self, out: Path) -> Path:
        """The press copy's preflight report, beside it."""
        return out / self.region / self.language / f"{self.material}-press-preflight.txt"

    def __str__(self) -> str:
        return f"{self.region}/{self.language}/{self.material}"


def selected(content: Content, options: BuildOptions) -> list[Variant]:
    """The variants `options` ask for: their regions, languages, materials and shard."""
    chosen = variants(content, options.regions, options.languages, options.materials)
    if options.shard is not None:
        chosen = shard_of(chosen, *options.shard)
    return chosen


def chosen_editions(content: Content, options: BuildOptions) -> list[tuple[str, str, str]]:
    """The (region, language, edition) that `options` ask for: every edition of every
    chosen region and language unless `--material` names some (see `EDITIONS`); none in a
    shard but the first, nor when only one variant is previewed (`options.only`)."""
    if options.only is not None or (options.shard is not None and options.shard[0] != 1):
        return []
    asked = _asked_materials(options.materials)
    editions = [name for name in EDITIONS if asked is None or name in asked]
    return [
        (region, language, name)
        for region in _chosen("region", options.regions, _region_names(content))
        for language in _chosen("language", options.languages, _language_names(content))
        for name in editions
    ]


def _asked_materials(materials: Sequence[str] | None) -> set[str] | None:
    """The materials and editions `--material` names (None: all)."""
    if not materials:
        return None
    known = {name: [] for name in [*MATERIALS, *EDITIONS]}
    return {id_asked("material", name, known) for name in materials}


def _chosen(kind: str, asked: Sequence[str] | None, known: dict[str, list[str]]) -> list[str]:
    """The ids of `known` (id -> its names) that `asked` names, in `known`'s order."""
    picked = {id_asked(kind, name, known) for name in asked or []}
    return [name for name in known if not asked or name in picked]


def _region_names(content: Content) -> dict[str, list[str]]:
    """Each region's id -> its name (new-milford: New Milford)."""
    return {ident: [str(content.regions[ident].name)] for ident in sorted(content.regions)}


def _language_names(content: Content) -> dict[str, list[str]]:
    """Each language's code -> its own name and its English name (es: Español, Spanish)."""
    names = {}
    for language in content.project.languages:
        locale = cldr_locale(language.code)
        english = [locale.get_display_name("en")] if locale is not None else []
        names[language.code] = [str(language.name), *english]
    return names


def variants(
    content: Content,
    regions: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    materials: Sequence[str] | None = None,
) -> list[Variant]:
    """The matrix region × language × material, narrowed to what was asked for."""
    region_names = _region_names(content)
    chosen_languages = _chosen("language", languages, _language_names(content))
    chosen_materials = [*MATERIALS]
    if materials:  # the PDFs of those named (`--material phone` names none)
        asked = _asked_materials(materials) or set()
        chosen_materials = [name for name in MATERIALS if name in asked]
    return [
        Variant(region, language, material)
        for region in _chosen("region", regions, region_names)
        for language in chosen_languages
        for material in chosen_materials
    ]


def shard_of(chosen: list[Variant], index: int, count: int) -> list[Variant]:
    """Shard `index` of `count` (1-based): every count-th variant of the matrix sorted by
    material, then region and language, so shards are deterministic, disjoint, together
    the whole set, and each gets its share of every material whatever `count` is (dealt
    from the plain sorted matrix, where the materials come round every 4 variants, 4
    shards gave one shard every booklet: minutes against seconds for the others)."""
    if not 1 <= index <= count:
        raise UserError(f"--shard {index}/{count}: K must be between 1 and {count}")
    dealt = sorted(chosen, key=lambda v: (v.material, v.region, v.language))
    return sorted(variant for number, variant in enumerate(dealt) if number % count == index - 1)


class Translations:
    """Each language's catalog, updated in memory against the current English texts: of
    every language, or of `languages` (a build of some languages needs no others)."""

    def __init__(
        self, content: Content, templates: Path, languages: Iterable[str] | None = None
    ) -> None:
        """`languages`: read and update only the catalogs of these (None: every one)."""
        self.content = content
        self.templates = templates
        self.source = content.project.source_language
        self.catalogs = {
            code: updated(
                read_catalog(catalog_path(content.root, code), code, content.project.title),
                self.template,
            )
            for code in content.project.codes
            if code != self.source and (languages is None or code in languages)
        }

    @functools.cached_property
    def template(self) -> Catalog:
        """The catalog of every English text (made only if asked for: an English build
        needs none)."""
        return build_template(self.content, self.templates)

    @functools.cached_property
    def content_texts(self) -> set[str]:
        """The texts that come from the content (not the templates' own words)."""
        texts = {text for text, _file, _place in content_texts(self.content)}
        return texts | {text for text, _location in TEXTS_THE_CODE_WRITES}

    def translator(self, language: str) -> Translator:
        return Translator(language, self.catalogs.get(language))

    def printed_content(self, translator: Translator, region_name: str) -> list[str]:
        """The content texts a variant printed, as printed (placeholders filled)."""
        texts = []
        for source, printed in translator.printed.items():
            if source in self.content_texts:
                text = printed.replace("{region}", region_name)
                if "{" not in text:
                    texts.append(text)
        return texts


@dataclass
class Warnings:
    """What a reader or reviewer should know about one variant."""

    unverified: list[str] = field(default_factory=list)
    draft_translation: bool = False
    outdated: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    """Facts it prints that are due for re-checking (older than the content's limit)."""

    def summary(self) -> str:
        parts = []
        if self.unverified:
            parts.append(f"{counted(len(self.unverified), 'unverified fact')} marked")
        if self.stale:
            parts.append(f"{counted(len(self.stale), 'fact')} due for re-checking")
        if self.draft_translation:
            parts.append("draft translation")
        if self.outdated:
            parts.append(f"{counted(len(self.outdated), 'outdated translation')} (English printed)")
        if self.missing:
            parts.append(f"{counted(len(self.missing), 'missing translation')} (English printed)")
        return ", ".join(parts)


def warnings_of(content: Content, context: dict, today: datetime.date | None = None) -> Warnings:
    from handout.content.freshness import months_between

    view = context["view"]
    translator: Translator = view.translator
    limit, today = content.project.checked_max_age_months, today or datetime.date.today()
    return Warnings(
        unverified=[fact.id for fact in view.unverified],
        draft_translation=view.draft,
        outdated=translator.with_status(Status.outdated),
        missing=translator.with_status(Status.missing),
        stale=[fact.id for fact in view.facts if months_between(fact.checked, today) >= limit],
    )


@dataclass
class Plan:
    """A variant ready to render: its fingerprint, warnings and the texts it must show."""

    variant: Variant
    fingerprint: str
    warnings: Warnings
    texts: list[str]
    html: str | None = None
    """The HTML the variant is first laid out from, as it was fingerprinted: the renderer
    starts from it instead of templating the variant again (None once the build knows it
    need not render it)."""


def plan(
    content: Content,
    templates: Path,
    translations: Translations,
    chosen: list[Variant],
    options: dict,
    today: datetime.date | None = None,
) -> list[Plan]:
    """Compose and write each variant's HTML (no WeasyPrint): its fingerprint, warnings
    and the texts its pages must show. The HTML is the one the renderer lays out first,
    so each variant is templated once."""
    from handout.layout.html import Templates

    pages = Templates(templates)
    environment = _environment_digest(templates, options)
    plans = []
    for variant in chosen:
        translator = translations.translator(variant.language)
        context = compose(content, variant.region, variant.material, translator)
        html = pages.first_html(MATERIALS[variant.material], context)
        fingerprint = hashlib.sha256(
            f"{environment}\n{variant}\n".encode() + html.encode("utf-8")
        ).hexdigest()
        region_name = content.regions[variant.region].name
        plans.append(
            Plan(
                variant,
                fingerprint,
                warnings_of(content, context, today),
                translations.printed_content(translator, region_name),
                html,
            )
        )
    return plans


def _environment_digest(templates: Path, options: dict) -> str:
    """What a variant depends on besides its HTML: stylesheets, fonts, tool versions,
    handout's own code, build options."""
    from handout.build import inputs
    from handout.layout import fonts

    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    for sheet in sorted(templates.glob("*.css")):
        digest.update(sheet.name.encode() + sheet.read_bytes())
    for face in fonts.FACES:
        digest.update(face.path.name.encode() + str(face.path.stat().st_size).encode())
    digest.update(fonts.cjk_fingerprint().encode())  # Debian's, not a Python package
    digest.update(f"{inputs.tool_versions()} {inputs.package_digest()}".encode())
    return digest.hexdigest()
