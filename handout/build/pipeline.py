"""The build, as a pipeline: load and validate all content, plan every variant (region ×
language × material, see `handout.build.plan`), render those that changed, check each one, and
only then write the PDFs and the manifest. A failure anywhere writes nothing (but for the
variant asked to come `first`, published alone before the others render, and the sets
published before with `publish_every`: see `handout.build.batches`)."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
from collections.abc import Callable
from dataclasses import astuple
from pathlib import Path

from handout.build import inputs
from handout.build.batches import batches, counted_over_all, stop_if
from handout.build.editions import make_editions, publish_editions
from handout.build.lock import check_out_folder, output_lock
from handout.build.manifest import (
    MANIFEST,
    Built,
    manifest_bytes,
    manifest_entry,
    manifest_warnings,
)
from handout.build.options import BuildOptions
from handout.build.plan import (
    Plan,
    Translations,
    Variant,
    chosen_editions,
    plan,
    selected,
)
from handout.build.progress import Remembered
from handout.build.publish import differs, publish, remove_leftovers, stage, write_atomically
from handout.build.state import (
    STATE,
    State,
    VariantState,
    read_state,
    record_of,
    state_text,
    verified,
    verified_variant,
)
from handout.build.variant_checks import booklet_length_problems, fail_on_translation_warnings
from handout.build.variant_failures import VariantsFailed, set_aside, variant_problems_of
from handout.build.workers import Result, Workers
from handout.content.errors import (
    BuildError,
    ContentErrors,
    Problem,
    StrictFailure,
    UserError,
    display_path,
)
from handout.content.load import content_warnings, load, translation_checks
from handout.content.read import Content
from handout.layout.contrast import check_templates


def pin_font_timestamps(content: Content) -> None:
    """fontTools stamps the fonts it writes (subsets, instances) with the current time
    unless SOURCE_DATE_EPOCH is set; pin it to the newest check date so that the same
    content always gives the same bytes."""
    facts = [*content.resources.values(), *content.laws.values()]
    newest = max(fact.checked for fact in facts)
    moment = datetime.datetime.combine(newest, datetime.time(), tzinfo=datetime.UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))


def build(
    options: BuildOptions,
    report: Callable[[str], None] = print,
    progress: Callable[[int, int], None] | None = None,
    published: Callable[[], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Built]:
    """Build the variants `options` choose into their output folder; returns what was
    (re)written.

    A variant whose fingerprint (its HTML, stylesheets, fonts, tool versions and options)
    matches the output folder's state is not rendered again; WeasyPrint is imported only
    when something must be rendered, in the worker processes when `options.jobs` > 1. With
    `options.inputs_digest` (see `handout.build.inputs`), a successful build records it and the
    warnings it gave, so the next one can tell at once that nothing changed.

    `progress(done, total)` is called as variants render. `published()` is called each time
    a set of files and the gallery page are published: once at the end, and also before
    the other variants render when `options.first` had to be rendered (`serve` shows it then),
    and after every `options.publish_every` variants.

    `cancelled()` is asked between planning steps and before each set renders: when it
    says yes, the build stops (`Cancelled`), its worker processes with it; the sets
    published before stay, whole.
    """
    if options.inputs_digest is not None:
        report = Remembered(report)
    out_dir, templates_dir = options.out, options.templates
    check_out_folder(out_dir, options.overwrite)
    content = load(options.content)
    chosen = selected(content, options)
    if options.only is not None:
        chosen = _first_of(options.only, chosen)
        if not chosen:
            return []
    wanted_editions = chosen_editions(content, options)
    today = options.today or datetime.date.today()
    warnings = content_warnings(content, today)
    for problem in warnings if not options.checks_later else []:  # said by the whole build
        report(f"warning: {problem}")
    if options.strict and warnings:
        raise StrictFailure(warnings)
    # only their catalogs are needed
    printed = {variant.language for variant in chosen} | {lang for _r, lang, _e in wanted_editions}
    translations = Translations(content, templates_dir, printed)
    if not options.checks_later:
        _check_content(content, templates_dir, translations, printed)
    stop_if(cancelled)
    pin_font_timestamps(content)
    fingerprinted = {
        "press": options.press,
        "card_sheet": options.card_sheet or content.project.print.card_sheet,
        "print": content.project.print.model_dump(mode="json"),
    }
    with Workers(
        content,
        translations,
        templates_dir,
        options.press,
        options.card_sheet,
        options.jobs,
        len(chosen),
    ) as workers:
        plans = []
        for step in range(0, len(chosen), PLANNED_AT_ONCE):
            stop_if(cancelled)
            part = chosen[step : step + PLANNED_AT_ONCE]
            plans += plan(content, templates_dir, translations, part, fingerprinted, today)
        if options.strict:
            fail_on_translation_warnings([(p.variant, p.warnings) for p in plans])
        editions = make_editions(content, templates_dir, translations, wanted_editions)
        # Locked after the workers are forked, so that they never hold the lock themselves.
        # A folder that is not there yet is made and locked only once everything rendered
        # and passed its checks: a failed build leaves no folder behind. (It had no state:
        # everything renders, and what another build wrote there meanwhile is read below.)
        lock = contextlib.ExitStack()
        new_folder = not out_dir.exists()
        if not new_folder:
            lock.enter_context(output_lock(out_dir, report))
        with lock:
            kept = _cleared_and_verified(out_dir)
            todo, unchanged = [], []
            for item in plans:
                known = kept.get(str(item.variant))
                fresh = (
                    not options.force
                    and known is not None
                    and known.fingerprint == item.fingerprint
                )
                (unchanged if fresh else todo).append(item)
            for item in unchanged:
                item.html = None  # not rendered: its HTML need not stay in memory
            if todo and not inputs.harfbuzz_subsetting():
                report(
                    "note: Debian's libharfbuzz-subset0 is not installed, so fonts are subset "
                    "with fontTools; `apt-get install libharfbuzz-subset0` makes rendering 2-10x "
                    "faster (same pages)"
                )
            # Each batch is published as one set, with its manifest, gallery page and state.
            built: list[Built] = []
            sets = batches(todo, options.first, options.publish_every)
            if new_folder and not options.publish_every:
                sets = [todo]
            failed: list[tuple[str, str]] = []
            for number, batch in enumerate(sets, start=1):
                stop_if(cancelled)
                counted = counted_over_all(progress, sets, number)
                results = workers.render(batch, counted, options.keep_going)
                if number == len(sets) and workers.pool is not None:
                    workers.close()  # the processes' memory back; in this process, after
                    # publishing (letting go of the renderer collects garbage: 0.1 s)
                if options.keep_going:
                    batch, results = set_aside(content, translations, batch, results, failed)
                pending = {str(item.variant) for later in sets[number:] for item in later}
                _check_rendered(content, translations, batch, results, kept, pending)
                if new_folder and number == 1:
                    lock.enter_context(output_lock(out_dir, report))
                    kept = _cleared_and_verified(out_dir)
                made, written = _write_output(out_dir, batch, results, unchanged, kept, report)
                built += made
                if number == len(sets):  # the editions after every PDF, with the last set
                    written.files |= publish_editions(out_dir, editions, report)
                _write_gallery(out_dir, content, warnings, report)
                _write_state(out_dir, written)
                kept = written.variants
                if published is not None:
                    published()
            if unchanged:
                report(
                    f"  {len(unchanged)} variants unchanged, not rendered again "
                    "(--force renders all)"
                )
            if failed:
                raise VariantsFailed(failed)
            if options.inputs_digest is not None:
                try:
                    inputs.remember(out_dir, options.inputs_digest, report.warnings)
                except UserError as error:  # the output is complete; only the shortcut is lost
                    report(f"note: {error}; the next build checks everything again")
    return built


def _first_of(wanted: tuple[tuple[str, str, str], ...], chosen: list[Variant]) -> list[Variant]:
    """The first variant of `wanted` (in its order) that is `chosen`, if any."""
    known = {astuple(item): item for item in chosen}
    return [known[name] for name in wanted if name in known][:1]


PLANNED_AT_ONCE = 6
"""Variants planned between two questions to `cancelled()` (planning takes about 0.05 s each)."""


def _check_content(
    content: Content, templates_dir: Path, translations: Translations, printed: set[str]
) -> None:
    """The checks over the whole content, in the `printed` languages: characters no shipped
    font has, translations that must not be printed, the templates' contrast."""
    from handout.layout.glyphs import missing_glyphs

    unprintable = missing_glyphs(content, templates_dir, translations.catalogs)
    unprintable += translation_checks(content, printed)
    if unprintable:
        raise ContentErrors(unprintable)
    check_templates(templates_dir)


def _write_gallery(
    out_dir: Path, content: Content, notes: list[Problem], report: Callable[[str], None]
) -> None:
    """The gallery page of the folder's manifest (rewritten if it is not as written). Of the
    thumbnails no variant uses any more, only those the folder's state lists (the build
    wrote them) are removed."""
    from handout.build.gallery import INDEX, THUMBNAILS, Labels, thumbnails_of, write_gallery

    state = read_state(out_dir)
    index = state.files.get(INDEX)
    stale_page = index is None or verified(out_dir, INDEX, index) is None
    entries = [variant.entry for variant in state.variants.values()]
    ours = thumbnails_of(entries) | {
        relative.removeprefix(f"{THUMBNAILS}/")
        for variant in state.variants.values()
        for relative in variant.files
        if relative.startswith(f"{THUMBNAILS}/")
    }
    write_gallery(out_dir, Labels.of(content), notes, report, rewrite=stale_page, ours=ours)


def _cleared_and_verified(out_dir: Path) -> dict[str, VariantState]:
    """With the folder locked: remove what a killed build left, and read the variants of
    the state whose files are all as they were written."""
    remove_leftovers(out_dir)
    kept = {}
    for name, variant in read_state(out_dir).variants.items():
        checked = verified_variant(out_dir, variant)
        if checked is not None:
            kept[name] = checked
    return kept


def _check_rendered(
    content: Content,
    translations: Translations,
    todo: list[Plan],
    results: list[Result],
    kept: dict[str, VariantState],
    pending: set[str],
) -> None:
    """Every rendered variant must have its pages and texts (no giveaway word, nothing
    left untranslated in a booklet), and every booklet known to the folder its length
    (`kept`: the folder's variants as last written; `pending`: those still to render, whose
    kept page counts are out of date)."""
    for item, result in zip(todo, results, strict=True):
        problems = variant_problems_of(content, translations, item, result)
        if problems:
            raise BuildError(f"{item.variant}: " + "; ".join(problems))
    pages = {
        (entry["region"], entry["lang"]): entry["pages"]
        for name, state in kept.items()
        if (entry := state.entry).get("material") == "booklet" and name not in pending
    }
    for item, result in zip(todo, results, strict=True):
        if item.variant.material == "booklet":
            pages[(item.variant.region, item.variant.language)] = result.rendered.pages
    problems = booklet_length_problems(content, pages)
    if problems:
        raise BuildError("; ".join(problems))


def _write_output(
    out_dir: Path,
    todo: list[Plan],
    results: list[Result],
    unchanged: list[Plan],
    kept: dict[str, VariantState],
    report: Callable[[str], None],
) -> tuple[list[Built], State]:
    """Write the rendered variants' files and the manifest (one set: see `publish`).
    Returns what was built and the state of the folder's variants."""
    written = State(variants=dict(kept))
    for item in unchanged:  # a fact falls due for re-checking with the days, not an edit
        known = written.variants[str(item.variant)]
        known.entry = known.entry | {"warnings": manifest_warnings(item.warnings)}
    own: dict[str, list[tuple[Path, bytes]]] = {}
    built = []
    for item, result in zip(todo, results, strict=True):
        name = str(item.variant)
        own[name] = [(item.variant.path(out_dir), result.rendered.pdf)]
        if result.print_pdf is not None:
            own[name].append((item.variant.print_path(out_dir), result.print_pdf))
        if result.press_pdf is not None:
            own[name].append((item.variant.press_path(out_dir), result.press_pdf))
        if result.preflight is not None:
            own[name].append((item.variant.preflight_path(out_dir), result.preflight.encode()))
        own[name] += thumbnail_files(item.variant, result, out_dir)
        built.append(_built(item, result, out_dir))
        written.variants[name] = VariantState(item.fingerprint, manifest_entry(built[-1], out_dir))
    manifest = manifest_bytes([variant.entry for variant in written.variants.values()])
    files = [file for variant_files in own.values() for file in variant_files]
    if differs(out_dir / MANIFEST, manifest):
        files.append((out_dir / MANIFEST, manifest))
    if files:
        staged = stage(files)
        inputs.forget(out_dir)  # before the first rename: a build killed now never looks done
        publish(staged)
    for item, result, made in zip(todo, results, built, strict=True):
        _report_built(item, result, made, report)
    for name, variant_files in own.items():
        written.variants[name].files = {
            path.relative_to(out_dir).as_posix(): record_of(path, data)
            for path, data in variant_files
        }
    written.files[MANIFEST] = record_of(out_dir / MANIFEST, manifest)
    return built, written


def _write_state(out_dir: Path, written: State) -> None:
    """Record the folder's state, with the gallery page as written."""
    from handout.build.gallery import INDEX

    index = out_dir / INDEX
    with contextlib.suppress(OSError):
        written.files[INDEX] = record_of(index, index.read_bytes())
    text = state_text(written).encode("utf-8")
    if differs(out_dir / STATE, text):
        write_atomically(out_dir / STATE, text)


def thumbnail_files(variant: Variant, result: Result, out_dir: Path) -> list[tuple[Path, bytes]]:
    """Where the gallery looks for each page's thumbnail (named after the PDF's hash)."""
    from handout.build.gallery import THUMBNAILS, thumbnail_name

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


def _built(item: Plan, result: Result, out_dir: Path) -> Built:
    variant, rendered = item.variant, result.rendered
    return Built(
        variant,
        variant.path(out_dir),
        rendered.pages,
        rendered.page_sizes[0],
        hashlib.sha256(rendered.pdf).hexdigest(),
        item.warnings,
        rendered.fit,
        variant.print_path(out_dir) if result.print_pdf is not None else None,
        hashlib.sha256(result.print_pdf).hexdigest() if result.print_pdf is not None else None,
        variant.press_path(out_dir) if result.press_pdf is not None else None,
    )


def _report_built(item: Plan, result: Result, built: Built, report: Callable[[str], None]) -> None:
    rendered = result.rendered
    pages = f"{rendered.pages} page{'s' if rendered.pages != 1 else ''}"
    if rendered.fit:
        pages += ", type shrunk to fit: " + ", ".join(
            f"{part} {scale:.0%}" for part, scale in rendered.fit.items()
        )
    note = f"  [{item.warnings.summary()}]" if item.warnings.summary() else ""
    report(f"  {display_path(built.path)}  {pages}  ({result.seconds:.2f} s){note}")
