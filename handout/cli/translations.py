"""`python build.py translations update|status`: write the PO catalogs, and report their
state per material."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from handout.build.plan import Translations, variants
from handout.cli import arguments
from handout.content.errors import display_path
from handout.content.files import Seen, write_all
from handout.content.i18n import TEMPLATE_FILE, Status, catalog_bytes, catalog_path, locale_folder
from handout.content.load import load
from handout.content.lock import content_lock
from handout.content.read import Content
from handout.layout.compose import compose
from handout.layout.html import Templates
from handout.layout.materials import MATERIALS


def parser(root: Path) -> argparse.ArgumentParser:
    command = arguments.Parser(
        prog="python build.py translations",
        description="Manage the translations (gettext PO files in content/locale/).",
        epilog="update: write locale/messages.pot and update each locale/<lang>.po\n"
        "status: per language and material, how many texts are translated, outdated, missing\n"
        "\nexamples:\n"
        "  python build.py translations update\n"
        "  python build.py translations status --lang es",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument(
        "action",
        type=arguments.lower,
        choices=["update", "status"],
        help="update: write the translators' files; status: show what is translated",
    )
    arguments.folders(command, root)
    command.add_argument(
        "--lang",
        nargs="+",
        action="extend",
        metavar="CODE",
        help="with status: the languages to show, e.g. es pt (default: every translated one)",
    )
    return command


def run(options: argparse.Namespace) -> int:
    if options.action == "update":
        seen = Seen(locale_folder(options.content))  # before anything is read from it
        written, unchanged = update_catalogs(load(options.content), options.templates, seen)
        for path in written:
            print(f"  wrote {path}")
        if unchanged:
            already = "already up to date" if written else "all already up to date: none written"
            print(f"  {', '.join(unchanged)}: {already}")
        return 0
    content = load(options.content)
    status = translation_status(content, options.templates, options.lang)
    print(f"{'language':9} {'material':19} {'translated':>10} {'outdated':>9} {'missing':>8}")
    for (language, material), state in status.items():
        print(
            f"{language:9} {material:19} {state.count(Status.translated):>10} "
            f"{state.count(Status.outdated):>9} {state.count(Status.missing):>8}"
        )
    for (language, material), state in status.items():
        for kind in (Status.outdated, Status.missing):
            for text in state.which(kind):
                print(f"  {language} {material}: {kind}: {text!r}")
    return 0


def update_catalogs(
    content: Content, templates: Path, seen: Seen | None = None
) -> tuple[list[str], list[str]]:
    """Write `locale/messages.pot` and bring every `locale/<lang>.po` up to date
    (`pybabel update` rules: changed English keeps its old translation, flagged fuzzy);
    returns the files written and those left as they were (already up to date).

    The catalogs are written as one set, with the content folder locked, and only if none
    changed since `seen` (read before the content was loaded): a translation saved in the
    editor meanwhile is never overwritten by the older catalog."""
    seen = seen or Seen(locale_folder(content.root))
    translations = Translations(content, templates)
    files = [(locale_folder(content.root) / TEMPLATE_FILE, catalog_bytes(translations.template))]
    for code, catalog in translations.catalogs.items():
        files.append((catalog_path(content.root, code), catalog_bytes(catalog)))
    changed = [(path, data) for path, data in files if seen.was(path) != data]
    if changed:
        with content_lock(content.root):
            write_all(
                changed,
                {path: seen.was(path) for path, _data in changed},
                nothing="none of the catalogs was changed",
            )
    kept = [path for path, data in files if seen.was(path) == data]
    return [str(display_path(path)) for path, _data in changed], [
        str(display_path(path)) for path in kept
    ]


@dataclass
class MaterialStatus:
    """The state of the texts one material prints in one language (all regions)."""

    texts: dict[str, Status] = field(default_factory=dict)

    def count(self, status: Status) -> int:
        return sum(1 for state in self.texts.values() if state == status)

    def which(self, status: Status) -> list[str]:
        return sorted(text for text, state in self.texts.items() if state == status)


def translation_status(
    content: Content,
    templates: Path,
    languages: list[str] | None = None,
    translations: Translations | None = None,
) -> dict[tuple[str, str], MaterialStatus]:
    """(language, material) -> state of every text that material prints, over all regions.

    Renders each variant's HTML (cheap; no PDF) so the count is exactly what gets printed.
    `translations`: the catalogs, when the caller has already updated them in memory.
    """
    translations = translations or Translations(content, templates)
    pages = Templates(templates)
    codes = [code for code in languages or content.project.codes if code != translations.source]
    result: dict[tuple[str, str], MaterialStatus] = {}
    if not codes:
        return {}
    for variant in variants(content, languages=codes):
        translator = translations.translator(variant.language)
        context = compose(content, variant.region, variant.material, translator)
        pages.html(MATERIALS[variant.material], context)
        status = result.setdefault((variant.language, variant.material), MaterialStatus())
        status.texts.update(translator.used)
    return result
