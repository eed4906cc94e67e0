"""The build, as a pipeline: load and validate all content, render every variant
(region × language × material), check each one, and only then write the PDFs and the
manifest. A failure anywhere writes nothing."""

from __future__ import annotations

import datetime
import gc
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from handout import inputs
from handout.check import (
    forbidden_words_on_front,
    forbidden_words_on_tabs,
    missing_texts,
    page_problems,
)
from handout.compose import compose
from handout.errors import (
    BuildError,
    ContentErrors,
    Problem,
    StrictFailure,
    UserError,
    display_path,
)
from handout.i18n import Status, Translator, build_template, catalog_path, read_catalog, updated
from handout.load import Content, read_content
from handout.materials import MATERIALS
from handout.models import PrintSettings
from handout.validate import reference_problems

MANIFEST = "manifest.json"


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

    def __str__(self) -> str:
        return f"{self.region}/{self.language}/{self.material}"


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
            parts.append(f"{len(self.unverified)} unverified facts marked")
        if self.stale:
            parts.append(f"{len(self.stale)} facts due for re-checking")
        if self.draft_translation:
            parts.append("draft translation")
        if self.outdated:
            parts.append(f"{len(self.outdated)} outdated translations (English printed)")
        if self.missing:
            parts.append(f"{len(self.missing)} missing translations (English printed)")
        return ", ".join(parts)


@dataclass(frozen=True)
class Built:
    variant: Variant
    path: Path
    pages: int
    page_size_pt: tuple[float, float]
    sha256: str
    warnings: Warnings
    fit: dict[str, float] = field(default_factory=dict)
    print_path: Path | None = None
    print_sha256: str | None = None
    press_path: Path | None = None


def load(content_dir: Path) -> Content:
    """Read and validate a content folder; raises ContentErrors listing every problem of
    every file at once (syntax, fields, and references between files)."""
    content, problems, seen = read_content(content_dir)
    problems += reference_problems(content, seen - set(content.resources))
    if problems:
        raise ContentErrors(problems)
    return content


def _chosen(kind: str, asked: list[str] | None, known: Iterable[str]) -> list[str]:
    known = list(known)
    for name in asked or []:
        if name not in known:
            raise UserError(f"no {kind} `{name}`; known {kind}s: {', '.join(known)}")
    return [name for name in known if not asked or name in asked]


def variants(
    content: Content,
    regions: list[str] | None = None,
    languages: list[str] | None = None,
    materials: list[str] | None = None,
) -> list[Variant]:
    """The matrix region × language × material, narrowed to what was asked for."""
    return [
        Variant(region, language, material)
        for region in _chosen("region", regions, sorted(content.regions))
        for language in _chosen("language", languages, content.project.codes)
        for material in _chosen("material", materials, MATERIALS)
    ]


class Translations:
    """Each language's catalog, updated in memory against the current English texts."""

    def __init__(self, content: Content, templates: Path) -> None:
        self.source = content.project.source_language
        self.template = build_template(content, templates)
        self.catalogs = {
            code: updated(
                read_catalog(catalog_path(content.root, code), code, content.project.title),
                self.template,
            )
            for code in content.project.codes
            if code != self.source
        }

        self.content_texts = {
            message.id
            for message in self.template
            if message.id
            and any(not file.startswith("templates/") for file, _ in message.locations)
        }
        """The texts that come from the content (not the templates' own words)."""

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


def content_warnings(content: Content, today: datetime.date | None = None) -> list[Problem]:
    """What is not wrong but needs attention: stale facts, card texts too hard to read."""
    from handout.freshness import stale_warnings
    from handout.readability import grade_warnings

    return stale_warnings(content, today or datetime.date.today()) + grade_warnings(content)


def check_templates(templates: Path) -> None:
    """The templates' colours must be readable (WCAG AA contrast)."""
    from handout.contrast import contrast_problems

    problems = contrast_problems(templates)
    if problems:
        raise ContentErrors(problems, "the templates")


def pin_font_timestamps(content: Content) -> None:
    """fontTools stamps the fonts it writes (subsets, instances) with the current time
    unless SOURCE_DATE_EPOCH is set; pin it to the newest check date so that the same
    content always gives the same bytes."""
    facts = [*content.resources.values(), *content.laws.values()]
    newest = max(fact.checked for fact in facts)
    moment = datetime.datetime.combine(newest, datetime.time(), tzinfo=datetime.UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))


def warnings_of(content: Content, context: dict, today: datetime.date | None = None) -> Warnings:
    from handout.freshness import months_between

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


STATE = ".handout-state.json"
"""Fingerprints of the variants in an output folder, for incremental rebuilds."""


def build(
    content_dir: Path,
    templates_dir: Path,
    out_dir: Path,
    regions: list[str] | None = None,
    materials: list[str] | None = None,
    languages: list[str] | None = None,
    strict: bool = False,
    report: Callable[[str], None] = print,
    card_sheet: str | None = None,
    press: bool = False,
    jobs: int = 1,
    force: bool = False,
    shard: tuple[int, int] | None = None,
    progress: Callable[[int, int], None] | None = None,
    inputs_digest: str | None = None,
    today: datetime.date | None = None,
) -> list[Built]:
    """Build the chosen variants into `out_dir`; returns what was (re)written.

    A variant whose fingerprint (its HTML, stylesheets, fonts, tool versions and options)
    matches the output folder's state is not rendered again; WeasyPrint is imported only
    when something must be rendered, in the worker processes when `jobs` > 1. With
    `inputs_digest` (see `handout.inputs`), a successful build records it and the warnings
    it gave, so the next one can tell at once that nothing changed. `today` (default: the
    date) decides which facts are due for re-checking.
    """
    if inputs_digest is not None:
        report = _Remembered(report)
    content = load(content_dir)
    chosen = variants(content, regions, languages, materials)
    if shard is not None:
        chosen = shard_of(chosen, *shard)
    today = today or datetime.date.today()
    warnings = content_warnings(content, today)
    for problem in warnings:
        report(f"warning: {problem}")
    if strict and warnings:
        raise StrictFailure(warnings)
    translations = Translations(content, templates_dir)
    from handout.glyphs import missing_glyphs

    unprintable = missing_glyphs(content, templates_dir, translations.catalogs)
    if unprintable:
        raise ContentErrors(unprintable)
    check_templates(templates_dir)
    pin_font_timestamps(content)
    options = {
        "press": press,
        "card_sheet": card_sheet or content.project.print.card_sheet,
        "print": content.project.print.model_dump(mode="json"),
    }
    with Workers(
        content, translations, templates_dir, press, card_sheet, jobs, len(chosen)
    ) as workers:
        plans = plan(content, templates_dir, translations, chosen, options, today)
        if strict:
            _fail_on_translation_warnings([(p.variant, p.warnings) for p in plans])
        state = read_state(out_dir)
        todo, unchanged = [], []
        for item in plans:
            fresh = not force and up_to_date(item, state, out_dir, press)
            (unchanged if fresh else todo).append(item)
        skipped = len(unchanged)
        if todo and not inputs.harfbuzz_subsetting():
            report(
                "note: Debian's libharfbuzz-subset0 is not installed, so fonts are subset with "
                "fontTools; `apt-get install libharfbuzz-subset0` makes rendering 2-10x faster "
                "(same pages)"
            )
        results = workers.render(todo, progress)
    for item, result in zip(todo, results, strict=True):
        problems = variant_problems(content, item, result.rendered)
        if problems:
            raise BuildError(f"{item.variant}: " + "; ".join(problems))
    files = []
    for item, result in zip(todo, results, strict=True):
        files.append((item.variant.path(out_dir), result.rendered.pdf))
        if result.print_pdf is not None:
            files.append((item.variant.print_path(out_dir), result.print_pdf))
        if result.press_pdf is not None:
            files.append((item.variant.press_path(out_dir), result.press_pdf))
        files += thumbnail_files(item.variant, result, out_dir)
    staged = stage(files)
    inputs.forget(out_dir)
    publish(staged)
    built = [
        _built(item, result, out_dir, report) for item, result in zip(todo, results, strict=True)
    ]
    write_manifest(out_dir, built, unchanged)
    write_state(out_dir, state | {str(item.variant): item.fingerprint for item in todo})
    from handout.gallery import Labels, write_gallery

    write_gallery(out_dir, Labels.of(content), warnings, report)
    if skipped:
        report(f"  {skipped} variants unchanged, not rendered again (--force renders all)")
    if inputs_digest is not None:
        inputs.remember(out_dir, inputs_digest, report.warnings)
    return built


class _Remembered:
    """A report that keeps the warnings and notes, to repeat them when nothing changed."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self.report = report
        self.warnings: list[str] = []

    def __call__(self, line: str) -> None:
        if line.startswith(("warning:", "note:")):
            self.warnings.append(line)
        self.report(line)


def shard_of(chosen: list[Variant], index: int, count: int) -> list[Variant]:
    """Shard `index` of `count` (1-based): every count-th variant of the sorted matrix, so
    shards are deterministic, disjoint, and together the whole set."""
    if not 1 <= index <= count:
        raise UserError(f"--shard {index}/{count}: K must be between 1 and {count}")
    return [variant for number, variant in enumerate(sorted(chosen)) if number % count == index - 1]


def plan(
    content: Content,
    templates: Path,
    translations: Translations,
    chosen: list[Variant],
    options: dict,
    today: datetime.date | None = None,
) -> list[Plan]:
    """Compose and write each variant's HTML (no WeasyPrint): its fingerprint, warnings
    and the texts its pages must show."""
    from handout.html import Templates

    pages = Templates(templates)
    environment = _environment_digest(templates, options)
    plans = []
    for variant in chosen:
        translator = translations.translator(variant.language)
        context = compose(content, variant.region, variant.material, translator)
        html = pages.html(MATERIALS[variant.material], context)
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
            )
        )
    return plans


def _environment_digest(templates: Path, options: dict) -> str:
    """What a variant depends on besides its HTML: stylesheets, fonts, tool versions,
    handout's own code, build options."""
    from handout import fonts, inputs

    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    for sheet in sorted(templates.glob("*.css")):
        digest.update(sheet.name.encode() + sheet.read_bytes())
    for face in fonts.FACES:
        digest.update(face.path.name.encode() + str(face.path.stat().st_size).encode())
    digest.update(f"{inputs.tool_versions()} {inputs.package_digest()}".encode())
    return digest.hexdigest()


def read_state(out_dir: Path) -> dict[str, str]:
    try:
        return json.loads((out_dir / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_state(out_dir: Path, state: dict[str, str]) -> None:
    text = json.dumps(dict(sorted(state.items())), indent=1) + "\n"
    write_atomically(out_dir / STATE, text.encode("utf-8"))


def up_to_date(item: Plan, state: dict[str, str], out_dir: Path, press: bool) -> bool:
    variant = item.variant
    if state.get(str(variant)) != item.fingerprint or not variant.path(out_dir).exists():
        return False
    if variant.material != "flyer" and not variant.print_path(out_dir).exists():
        return False
    return not press or variant.press_path(out_dir).exists()


@dataclass
class Result:
    rendered: object
    print_pdf: bytes | None
    press_pdf: bytes | None
    thumbnails: list[bytes]
    """The gallery's image of each page (made here, in the worker, to share the work)."""
    seconds: float


_WORKER: dict = {}
"""What a renderer process holds: the content, the catalogs, and WeasyPrint's renderers."""


class Workers:
    """Where variants render: this process (one job), or a pool of worker processes forked
    as soon as the content is loaded. Forked then, the workers inherit the loaded content
    and catalogs instead of loading them again, and import WeasyPrint while this process
    plans the build. If nothing turns out to need rendering, they go unused."""

    def __init__(
        self,
        content: Content,
        translations: Translations,
        templates: Path,
        press: bool,
        card_sheet: str | None,
        jobs: int,
        variants: int,
    ) -> None:
        _WORKER.update(
            content=content,
            translations=translations,
            templates=templates,
            press_copies=press,
            card_sheet=card_sheet,
        )
        self.pool = None
        if jobs > 1 and variants > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(
                max_workers=min(jobs, variants),
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_pool_worker,
            )
            self.pool.submit(int)  # a fork pool starts all its workers with its first task

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        _stop_worker()

    def render(
        self, todo: list[Plan], progress: Callable[[int, int], None] | None = None
    ) -> list[Result]:
        """Render each planned variant; `progress(done, total)` is called as they finish."""
        if not todo:
            return []
        order = _longest_first([item.variant for item in todo])
        chosen = [todo[index].variant for index in order]
        done = progress or (lambda _done, _total: None)
        done(0, len(chosen))
        results: dict[int, Result] = {}
        if self.pool is None:
            _start_renderers()
            finished = map(_render_variant, chosen)
        else:
            finished = self.pool.map(_render_variant, chosen)
        for index, result in zip(order, finished, strict=True):
            results[index] = result
            done(len(results), len(chosen))
        return [results[index] for index in range(len(todo))]


def _longest_first(chosen: list[Variant]) -> list[int]:
    """The variants' indexes, longest renders first (booklets, then flyers, then cards):
    a worker that starts a booklet last would keep the others waiting."""
    rank = {"booklet": 0, "flyer": 1}
    return sorted(range(len(chosen)), key=lambda i: (rank.get(chosen[i].material, 2), i))


def _start_renderers() -> None:
    """Import WeasyPrint and make the renderers (once per process)."""
    from handout.render import Renderer

    templates = _WORKER["templates"]
    _WORKER.update(
        renderer=Renderer(templates),
        press=Renderer(templates, press=True) if _WORKER["press_copies"] else None,
    )


def _start_pool_worker() -> None:
    from multiprocessing.util import Finalize

    _start_renderers()
    Finalize(None, _stop_worker, exitpriority=1)


def _stop_worker() -> None:
    """Let go of the renderers while Python is still whole: WeasyPrint then removes the
    temporary folder holding the font files (at interpreter exit it cannot, and a pool
    worker exits without collecting anything)."""
    _WORKER.clear()
    gc.collect()


def _render_variant(variant: Variant) -> Result:
    from handout.gallery import page_thumbnails

    started = time.perf_counter()
    content = _WORKER["content"]
    material = MATERIALS[variant.material]
    translator = _WORKER["translations"].translator(variant.language)
    context = compose(content, variant.region, variant.material, translator)
    rendered = _WORKER["renderer"].render(material, context, str(variant))
    copy = print_copy(variant.material, rendered.pdf, content.project.print, _WORKER["card_sheet"])
    press_pdf = None
    if _WORKER["press"] is not None:
        press_copy = _WORKER["press"].render(material, context, f"{variant} (press)")
        problems = page_problems(material, press_copy)
        if problems:
            raise BuildError(f"{variant} (press): " + "; ".join(problems))
        press_pdf = press_copy.pdf
    thumbnails = page_thumbnails(rendered.pdf, rendered.page_sizes[0])
    return Result(rendered, copy, press_pdf, thumbnails, time.perf_counter() - started)


def thumbnail_files(variant: Variant, result: Result, out_dir: Path) -> list[tuple[Path, bytes]]:
    """Where the gallery looks for each page's thumbnail (named after the PDF's hash)."""
    from handout.gallery import THUMBNAILS, thumbnail_name

    entry = {
        "region": variant.region,
        "lang": variant.language,
        "material": variant.material,
        "sha256": hashlib.sha256(result.rendered.pdf).hexdigest(),
    }
    return [
        (out_dir / THUMBNAILS / thumbnail_name(entry, number), image)
        for number, image in enumerate(result.thumbnails, start=1)
    ]


def variant_problems(content: Content, item: Plan, rendered: object) -> list[str]:
    """What is wrong with a rendered variant: pages, missing texts, a giveaway word."""
    material = MATERIALS[item.variant.material]
    problems = page_problems(material, rendered)
    if not problems:
        absent = missing_texts(rendered, item.texts)
        if absent:
            problems.append(
                "these texts are not on its pages (they did not fit, or a template hides "
                "them): " + "; ".join(repr(text[:60]) for text in absent)
            )
    forbidden = content.project.forbidden_on_discreet_front.get(item.variant.language, [])
    if item.variant.material == "discreet-card":
        leaked = forbidden_words_on_front(rendered, forbidden)
        if leaked:
            problems.append(
                f"its front shows {', '.join(leaked)}, which could give the card away; "
                "change the discreet_card front text (or its translation)"
            )
    on_tabs = forbidden_words_on_tabs(rendered, forbidden)
    if on_tabs:
        problems.append(
            f"its tear-off tabs show {', '.join(on_tabs)}, which could give away whoever "
            "carries one; give the region's flyer `tab:` a neutral `label:` (or change its "
            "translation)"
        )
    return problems


def _built(item: Plan, result: Result, out_dir: Path, report: Callable[[str], None]) -> Built:
    variant, rendered = item.variant, result.rendered
    path = variant.path(out_dir)
    built = Built(
        variant,
        path,
        rendered.pages,
        rendered.page_sizes[0],
        hashlib.sha256(rendered.pdf).hexdigest(),
        item.warnings,
        rendered.fit,
        variant.print_path(out_dir) if result.print_pdf is not None else None,
        hashlib.sha256(result.print_pdf).hexdigest() if result.print_pdf is not None else None,
        variant.press_path(out_dir) if result.press_pdf is not None else None,
    )
    pages = f"{rendered.pages} page{'s' if rendered.pages != 1 else ''}"
    if rendered.fit:
        pages += ", type shrunk to fit: " + ", ".join(
            f"{part} {scale:.0%}" for part, scale in rendered.fit.items()
        )
    note = f"  [{item.warnings.summary()}]" if item.warnings.summary() else ""
    report(f"  {display_path(path)}  {pages}  ({result.seconds:.2f} s){note}")
    return built


def print_copy(
    material: str, pdf: bytes, settings: PrintSettings, card_sheet: str | None = None
) -> bytes | None:
    """The print-shop version of a reading copy: cards 10-up on a sheet (fronts, then
    backs for long-edge duplex), booklets 2-up in saddle-stitch order. The flyer's reading
    copy is already its print copy (its tear-off tabs have dashed cut lines)."""
    from handout import impose

    if material in ("pocket-card", "discreet-card"):
        layout = (
            impose.A4_CARDS if (card_sheet or settings.card_sheet) == "a4" else impose.AVERY_5371
        )
        return impose.card_sheet(pdf, layout, settings.offset_pt, settings.crop_marks)
    if material == "booklet":
        return impose.booklet_2up(pdf)
    return None


def _fail_on_translation_warnings(finished: list[tuple[Variant, Warnings]]) -> None:
    lines = []
    for variant, warnings in finished:
        for status, texts in (("outdated", warnings.outdated), ("missing", warnings.missing)):
            lines += [f"  {variant}: {status} translation of {text!r}" for text in texts]
    if lines:
        raise BuildError(
            "--strict: some translations are outdated or missing; nothing was written. "
            "Run `python build.py translations status` and update the PO files:\n"
            + "\n".join(lines)
        )


def manifest_warnings(warnings: Warnings) -> dict:
    return {
        "unverified_facts": warnings.unverified,
        "stale_checks": warnings.stale,
        "draft_translation": warnings.draft_translation,
        "outdated_translations": warnings.outdated,
        "missing_translations": warnings.missing,
    }


def write_manifest(out_dir: Path, built: list[Built], unchanged: Iterable[Plan] = ()) -> None:
    """Record every PDF in the output folder; entries of earlier builds stay while their
    files exist. The warnings of `unchanged` variants (not rendered again) are refreshed:
    a fact falls due for re-checking with the passing days, not with an edit."""
    path = out_dir / MANIFEST
    entries: dict[tuple[str, str, str], dict] = {}
    if path.exists():
        try:
            for entry in json.loads(path.read_text(encoding="utf-8")).get("files", []):
                if (out_dir / entry["path"]).exists():
                    entries[(entry["region"], entry["lang"], entry["material"])] = entry
        except (ValueError, KeyError, TypeError, AttributeError):
            entries = {}
    for item in built:
        variant = item.variant
        entries[(variant.region, variant.language, variant.material)] = {
            "region": variant.region,
            "lang": variant.language,
            "material": variant.material,
            "path": item.path.relative_to(out_dir).as_posix(),
            "pages": item.pages,
            "page_size_pt": [round(item.page_size_pt[0], 2), round(item.page_size_pt[1], 2)],
            "sha256": item.sha256,
            "type_scale": item.fit,
            "print_path": item.print_path.relative_to(out_dir).as_posix()
            if item.print_path
            else None,
            "print_sha256": item.print_sha256,
            "press_path": item.press_path.relative_to(out_dir).as_posix()
            if item.press_path
            else None,
            "warnings": manifest_warnings(item.warnings),
        }
    for plan_ in unchanged:
        variant = plan_.variant
        entry = entries.get((variant.region, variant.language, variant.material))
        if entry is not None:
            entry["warnings"] = manifest_warnings(plan_.warnings)
    manifest = {"files": [entries[key] for key in sorted(entries)]}
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_atomically(path, text.encode("utf-8"))


def stage(files: list[tuple[Path, bytes]]) -> list[tuple[Path, Path]]:
    """Write every file's bytes to a temporary file beside its final path. If any write
    fails, the temporary files are removed and nothing of the previous output changed."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
            )
            staged.append((Path(temporary), path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
    except OSError as error:
        discard(staged)
        where = error.filename or (files[len(staged)][0] if len(staged) < len(files) else "")
        raise UserError(
            f"cannot write {display_path(Path(str(where)))}: {error.strerror}; "
            "nothing was changed in the output folder"
        ) from error
    except BaseException:
        discard(staged)
        raise
    return staged


def publish(staged: list[tuple[Path, Path]]) -> None:
    """Move staged files into place (a rename each: a reader never sees half a file)."""
    for index, (temporary, path) in enumerate(staged):
        try:
            os.replace(temporary, path)
        except OSError as error:
            discard(staged[index:])
            raise UserError(f"cannot write {display_path(path)}: {error.strerror}") from error


def discard(staged: list[tuple[Path, Path]]) -> None:
    for temporary, _path in staged:
        temporary.unlink(missing_ok=True)


def merge_manifest_files(folders: list[Path], out: Path) -> tuple[Path, int]:
    """One manifest from several (shards): entries keyed by region, language, material;
    paths stay relative to the output folder, where the shards' files are copied."""
    entries: dict[tuple[str, str, str], dict] = {}
    for folder in folders:
        path = folder / MANIFEST
        try:
            files = json.loads(path.read_text(encoding="utf-8"))["files"]
        except (OSError, ValueError, KeyError) as error:
            raise UserError(f"{display_path(path)}: not a manifest ({error})") from error
        for entry in files:
            entries[(entry["region"], entry["lang"], entry["material"])] = entry
    merged = {"files": [entries[key] for key in sorted(entries)]}
    target = out / MANIFEST
    text = json.dumps(merged, indent=2, ensure_ascii=False) + "\n"
    write_atomically(target, text.encode("utf-8"))
    return target, len(entries)


def write_atomically(path: Path, data: bytes) -> None:
    """Write one file via a temporary file and a rename."""
    publish(stage([(path, data)]))
