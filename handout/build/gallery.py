"""The preview gallery: `output/index.html` shows every variant in the manifest with a
thumbnail of each page, its warnings, and links to its PDFs.

It is written from `manifest.json` alone (plus optional names from the content), so a
shard build merged with `merge-manifests` gets the same gallery as a full build. The page
is one self-contained HTML file: it works opened straight from disk, shows everything
without JavaScript, and with JavaScript adds filters by region, language and material.

Thumbnails live in `output/thumbnails/`, named after the PDF's sha256: a PDF that did not
change keeps its thumbnails, so only re-rendered variants are thumbnailed again (and
pypdfium2 is not even imported when nothing is missing). The gallery's own template is
packaged with handout (`handout/build/ui/`), not in the user's `templates/` folder, because that
folder is printed material: its words are collected for translation and its stylesheets
are part of every PDF's fingerprint.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from handout.content.errors import Problem
from handout.layout.materials import MATERIALS
from handout.render.thumbnails import display_size, page_thumbnails

if TYPE_CHECKING:
    from handout.content.read import Content

INDEX = "index.html"
THUMBNAILS = "thumbnails"
UI = Path(__file__).parent / "ui"


@dataclass(frozen=True)
class Labels:
    """Human names for ids; ids are shown where a name is not known (e.g. after a merge)."""

    title: str = "Handout"
    regions: dict[str, str] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)
    drafts: tuple[str, ...] = ()
    """The languages whose translation is a draft (the text messages cannot say so)."""

    @classmethod
    def of(cls, content: Content) -> Labels:
        """The names in a loaded content folder."""
        return cls(
            title=content.project.title,
            regions={rid: region.name for rid, region in content.regions.items()},
            languages={language.code: language.name for language in content.project.languages},
            drafts=tuple(
                language.code
                for language in content.project.languages
                if language.code != content.project.source_language and not language.reviewed
            ),
        )

    def region(self, rid: str) -> str:
        return self.regions.get(rid, rid)

    def language(self, code: str) -> str:
        return self.languages.get(code, code)


def material_name(material: str) -> str:
    return material.replace("-", " ").capitalize()


def thumbnail_name(entry: dict, page: int) -> str:
    """Named after the PDF's hash, so a changed PDF gets new names (and browsers never show
    a stale image) and an unchanged one keeps its thumbnails."""
    variant = "_".join((entry["region"], entry["lang"], entry["material"]))
    return f"{variant}_{entry['sha256'][:12]}_p{page}.webp"


@dataclass
class ThumbnailRun:
    """What making thumbnails cost, for the build's report."""

    pages: int = 0
    bytes: int = 0
    seconds: float = 0.0
    unreadable: list[str] = field(default_factory=list)


def make_thumbnails(out_dir: Path, entries: list[dict]) -> ThumbnailRun:
    """Write the missing thumbnails of these manifest entries (every page of each PDF)."""
    run = ThumbnailRun()
    missing = [
        entry
        for entry in entries
        if (out_dir / entry["path"]).exists()
        and not all(
            (out_dir / THUMBNAILS / thumbnail_name(entry, page)).exists()
            for page in range(1, entry["pages"] + 1)
        )
    ]
    if not missing:
        return run
    started = time.perf_counter()
    from handout.build.publish import publish, stage

    files: list[tuple[Path, bytes]] = []
    for entry in missing:
        try:
            images = page_thumbnails((out_dir / entry["path"]).read_bytes(), entry["page_size_pt"])
        except ValueError:
            run.unreadable.append(entry["path"])
            continue
        for number, image in enumerate(images, start=1):
            files.append((out_dir / THUMBNAILS / thumbnail_name(entry, number), image))
            run.bytes += len(image)
    publish(stage(files))
    run.pages = len(files)
    run.seconds = time.perf_counter() - started
    return run


def thumbnails_of(entries: list[dict]) -> set[str]:
    """The names of the thumbnails of these manifest entries (every page)."""
    names = set()
    for entry in entries:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            names |= {thumbnail_name(entry, page) for page in range(1, int(entry["pages"]) + 1)}
    return names


def remove_unused_thumbnails(out_dir: Path, used: set[str], ours: Collection[str]) -> None:
    """Remove the thumbnails no variant uses any more, of those handout wrote (`ours`: the
    ones the folder's state or earlier manifest names). Any other file in thumbnails/ is
    someone else's (`--out ~/website` deleted a user's holiday.webp)."""
    folder = out_dir / THUMBNAILS
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name in ours and path.name not in used and path.suffix == ".webp":
                path.unlink(missing_ok=True)


def read_manifest(out_dir: Path) -> list[dict]:
    from handout.build.manifest import MANIFEST

    try:
        files = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [entry for entry in files if isinstance(entry, dict) and "sha256" in entry]


@dataclass
class Notice:
    """One warning line of a variant: a short text and, when useful, the list behind it."""

    kind: str
    text: str
    items: list[str] = field(default_factory=list)


def notices(warnings: dict) -> list[Notice]:
    """A manifest entry's warnings, in words a coordinator understands."""
    found = []
    unverified = warnings.get("unverified_facts") or []
    if unverified:
        found.append(
            Notice(
                "unverified",
                f"{_count(len(unverified), 'unverified fact')}, printed with a red * "
                "and a note to check it",
                unverified,
            )
        )
    stale = warnings.get("stale_checks") or []
    if stale:
        found.append(
            Notice(
                "stale",
                f"{_count(len(stale), 'fact')} due for re-checking with its source "
                "(see the list at the top)",
                stale,
            )
        )
    if warnings.get("draft_translation"):
        found.append(Notice("draft", "Draft translation: not yet reviewed by a native speaker"))
    for key, what in (("outdated_translations", "outdated"), ("missing_translations", "missing")):
        texts = warnings.get(key) or []
        if texts:
            found.append(
                Notice(
                    what,
                    f"{_count(len(texts), f'{what} translation')}; the English text is printed",
                    texts,
                )
            )
    return found


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


@dataclass
class Card:
    """One variant as the gallery shows it."""

    entry: dict
    region: str
    language: str
    material: str
    thumbnails: list[dict]
    notices: list[Notice]
    size: str

    @property
    def id(self) -> str:
        return f"{self.entry['region']}-{self.entry['lang']}-{self.entry['material']}"


def cards(out_dir: Path, entries: list[dict], labels: Labels) -> list[Card]:
    languages = list(labels.languages)
    order = list(MATERIALS)

    def position(entry: dict) -> tuple:
        lang, material = entry["lang"], entry["material"]
        return (
            entry["region"],
            languages.index(lang) if lang in languages else len(languages),
            lang,
            order.index(material) if material in order else len(order),
            material,
        )

    made = []
    for entry in sorted(entries, key=position):
        region, language = labels.region(entry["region"]), labels.language(entry["lang"])
        material = material_name(entry["material"])
        width, height = display_size(entry["page_size_pt"])
        thumbnails = []
        for page in range(1, entry["pages"] + 1):
            name = thumbnail_name(entry, page)
            thumbnails.append(
                {
                    "src": f"{THUMBNAILS}/{name}",
                    "exists": (out_dir / THUMBNAILS / name).exists(),
                    "page": page,
                    "width": width,
                    "height": height,
                    "alt": f"{material}, {region}, {language}: page {page} of {entry['pages']}",
                }
            )
        width_in, height_in = (value / 72 for value in entry["page_size_pt"])
        made.append(
            Card(
                entry,
                region,
                language,
                material,
                thumbnails,
                notices(entry.get("warnings") or {}),
                f"{width_in:g} × {height_in:g} in",
            )
        )
    return made


@functools.cache
def ui_environment(folder: Path = UI) -> jinja2.Environment:
    """The page templates of a packaged `ui` folder (the gallery's, or the live preview's)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def ui_file(name: str, folder: Path = UI) -> Markup:
    """A packaged stylesheet or script, to inline into a page (no second file to fetch)."""
    return Markup((folder / name).read_text(encoding="utf-8"))


def gallery_html(
    out_dir: Path, entries: list[dict], labels: Labels, notes: list[Problem], digest: str = ""
) -> str:
    """The gallery page of these manifest entries."""
    from handout.build.gallery_editions import edition_cards

    shown = cards(out_dir, entries, labels)
    others = edition_cards(out_dir)
    regions = {card.entry["region"]: card.region for card in shown}
    languages = {card.entry["lang"]: card.language for card in shown}
    materials = {card.entry["material"]: card.material for card in shown}
    grouped: dict[str, dict[str, list[Card]]] = {}
    for card in shown:
        by_language = grouped.setdefault(card.entry["region"], {})
        by_language.setdefault(card.entry["lang"], []).append(card)
    editions: dict[tuple[str, str], list] = {}
    for edition in others:
        regions.setdefault(edition.region, labels.region(edition.region))
        languages.setdefault(edition.lang, labels.language(edition.lang))
        materials.setdefault(edition.edition, edition.name)
        grouped.setdefault(edition.region, {}).setdefault(edition.lang, [])
        editions.setdefault((edition.region, edition.lang), []).append(edition)
    return (
        ui_environment()
        .get_template("gallery.html")
        .render(
            digest=digest,
            title=labels.title,
            cards=shown,
            grouped=grouped,
            editions=editions,
            drafts=labels.drafts,
            regions=regions,
            languages=languages,
            materials=materials,
            notes=notes,
            with_warnings=sum(1 for card in shown if card.notices),
            css=ui_file("gallery.css"),
            script=ui_file("gallery.js"),
        )
    )


DIGEST = re.compile(rb'<meta name="handout-gallery" content="([0-9a-f]+)">')


def gallery_digest(out_dir: Path, labels: Labels, notes: list[Problem]) -> str:
    """What the gallery page is made from: the manifest, names, notes and the page's own
    template. An unchanged digest means an unchanged page, so a build that rendered
    nothing does not even compile the template."""
    from handout.build.manifest import MANIFEST

    digest = hashlib.sha256()
    with contextlib.suppress(OSError):
        digest.update((out_dir / MANIFEST).read_bytes())
    digest.update(
        json.dumps([labels.title, labels.regions, labels.languages, labels.drafts]).encode()
    )
    digest.update("\n".join(map(str, notes)).encode())
    for name in ("gallery.html", "gallery.css", "gallery.js"):
        digest.update((UI / name).read_bytes())
    from handout.build.gallery_editions import editions_digest

    digest.update(editions_digest(out_dir).encode())
    return digest.hexdigest()[:20]


def recorded_digest(index: Path) -> str | None:
    """The digest written into an existing gallery page (in its first lines)."""
    try:
        with index.open("rb") as page:
            found = DIGEST.search(page.read(2048))
    except OSError:
        return None
    return found.group(1).decode() if found else None


def write_gallery(
    out_dir: Path,
    labels: Labels | None = None,
    notes: list[Problem] | None = None,
    report: Callable[[str], None] | None = None,
    rewrite: bool = False,
    ours: Collection[str] = frozenset(),
) -> Path:
    """Make the missing thumbnails, write `index.html` (only if it changed, or `rewrite`:
    the build found it not as written), and remove the thumbnails no variant uses any more
    among `ours`, those the folder's state or earlier manifest names."""
    from handout.build.publish import write_atomically
    from handout.content.errors import display_path

    labels, notes = labels or Labels(), notes or []
    entries = read_manifest(out_dir)
    run = make_thumbnails(out_dir, entries)
    index = out_dir / INDEX
    digest = gallery_digest(out_dir, labels, notes)
    if rewrite or run.pages or run.unreadable or recorded_digest(index) != digest:
        html = gallery_html(out_dir, entries, labels, notes, digest).encode("utf-8")
        write_atomically(index, html)
    remove_unused_thumbnails(out_dir, thumbnails_of(entries), ours)
    if report is not None:
        made = ""
        if run.pages:
            made = (
                f", {run.pages} page thumbnails made in {run.seconds:.2f} s "
                f"({run.seconds * 1000 / run.pages:.1f} ms and "
                f"{run.bytes / run.pages / 1024:.1f} KiB a page)"
            )
        report(f"  {display_path(index)}  gallery of {len(entries)} variants{made}")
        for path in run.unreadable:
            report(f"  warning: {path} could not be read for its thumbnails")
    return index
