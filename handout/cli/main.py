"""The command line.

    python build.py [--region ID...] [--lang CODE...] [--material ID...] [--list] [--strict]
    python build.py --check [--strict]
    python build.py translations update|status [--lang CODE...]
    python build.py verify-sheet [--all]
    python build.py mark-checked ID... [--date YYYY-MM-DD] [--verified]
    python build.py schema
    python build.py previews
    python build.py import-hsds PATH --region ID [--force] [--dry-run] [--source TEXT]
    python build.py serve [--port N] [--region ID...] [--lang CODE...] [--material ID...]

Exit codes: 0 done; 1 a mistake in the content or options (the message says where and how
to fix it), or --strict found a warning; 2 wrong command-line usage; 3 a bug in handout
(its traceback is printed, with a request to report it); 130 stopped by Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import signal
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from handout.build import inputs
from handout.build.options import BuildOptions, from_arguments
from handout.content.errors import UserError, display_path
from handout.layout.materials import MATERIALS

EXAMPLES = """examples:
  python build.py                                  build every region, language and material
  python build.py --region danbury --lang es pt    a subset
  python build.py --list                           show what would be built
  python build.py --content my-content --out /tmp/proofs
  python build.py translations update              write locale/*.po for translators
  python build.py translations status              what is translated, outdated, missing
  python build.py --check                          validate everything, render nothing
  python build.py verify-sheet                     call sheet of facts due for re-checking
  python build.py mark-checked ct-211 --date 2026-11-29
  python build.py schema                           regenerate schema/*.json for editors
  python build.py previews                         README pictures of the materials (docs/)
  python build.py import-hsds county.json --region danbury   records from a service directory
  python build.py serve                            live preview at http://127.0.0.1:8000/

Every build also writes output/index.html, a gallery of every PDF with page thumbnails.
`python build.py COMMAND --help` explains each command.
"""
BUG = 3
STOPPED = 130
"""Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report Ctrl-C)."""


@contextlib.contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM stops a command the way Ctrl-C does (KeyboardInterrupt), so that the build
    stops its workers, removes its temporary files and lets go of the output folder."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _folders(command: argparse.ArgumentParser, root: Path) -> None:
    command.add_argument(
        "--content", type=Path, default=root / "content", help="content folder (default: content/)"
    )
    command.add_argument(
        "--templates",
        type=Path,
        default=root / "templates",
        help="templates folder (default: templates/)",
    )


def _selection(command: argparse.ArgumentParser) -> None:
    """--region, --lang, --material: which variants of the matrix to build (default: all)."""
    command.add_argument("--region", nargs="+", action="extend", metavar="ID", help="regions")
    command.add_argument("--lang", nargs="+", action="extend", metavar="CODE", help="languages")
    command.add_argument(
        "--material", nargs="+", action="extend", choices=list(MATERIALS), help="materials"
    )


def _jobs(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="render in N worker processes (default: the number of cores)",
    )


def _shard(text: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not K/N, e.g. 2/4") from None
    if not 1 <= index <= count:
        raise argparse.ArgumentTypeError(f"{text!r}: K must be from 1 to N")
    return index, count


def build_parser(root: Path) -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python build.py",
        description="Build print-ready outreach materials (PDF) from the content folder.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _folders(command, root)
    command.add_argument(
        "--out", type=Path, default=root / "output", help="output folder (default: output/)"
    )
    _selection(command)
    command.add_argument(
        "--card-sheet",
        choices=["avery-5371", "a4"],
        help="paper of the cards' print copies (default: project.yaml print.card_sheet)",
    )
    command.add_argument(
        "--press",
        action="store_true",
        help="also write <material>-press.pdf for a print shop: 0.125 in bleed, crop marks, "
        "PDF/X-4 with a CMYK output intent (needs Debian's libgs-common)",
    )
    _jobs(command)
    command.add_argument(
        "--force", action="store_true", help="render every variant, even unchanged ones"
    )
    command.add_argument(
        "--shard",
        type=_shard,
        metavar="K/N",
        help="build only shard K of N (1-based) of the variants, e.g. for a CI matrix",
    )
    command.add_argument("--list", action="store_true", help="print the variants; build nothing")
    command.add_argument(
        "--check", action="store_true", help="validate the content and report; render nothing"
    )
    command.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (stale facts, hard texts, outdated or missing translations) as "
        "errors: fail and write nothing",
    )
    return command


def verify_sheet_parser(root: Path) -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python build.py verify-sheet",
        description="Write a printable call sheet (PDF and CSV) of the facts due for "
        "re-checking, oldest first: stale or nearly stale, and never confirmed.",
        epilog="examples:\n"
        "  python build.py verify-sheet        facts due: output/verify-sheet.pdf and .csv\n"
        "  python build.py verify-sheet --all  every fact, due or not",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _folders(command, root)
    command.add_argument("--out", type=Path, default=root / "output", help="output folder")
    command.add_argument("--all", action="store_true", help="list every fact, due or not")
    return command


def previews_parser(root: Path) -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python build.py previews",
        description="Build the English New Milford materials, then write small PNG previews "
        "of each (under 150 KB) into docs/ for the README.",
        epilog="examples:\n  python build.py previews               after changing a template",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _folders(command, root)
    command.add_argument("--out", type=Path, default=root / "output", help="output folder")
    command.add_argument(
        "--docs", type=Path, default=root / "docs", help="where the PNGs go (default: docs/)"
    )
    return command


def mark_checked_parser(root: Path) -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python build.py mark-checked",
        description="Record that facts were confirmed: sets `checked:` in the content files "
        "(comments and layout are kept).",
        epilog="examples:\n"
        "  python build.py mark-checked ct-211 ct-safe-connect --date 2026-11-29\n"
        "  python build.py mark-checked chci-danbury --verified   confirmed today\n"
        "  python build.py mark-checked ct-211 --how call         someone called it today",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("ids", nargs="+", metavar="ID", help="record or law ids")
    command.add_argument(
        "--date",
        type=datetime.date.fromisoformat,
        default=datetime.date.today(),
        help="the day they were checked, YYYY-MM-DD (default: today)",
    )
    command.add_argument(
        "--verified",
        action="store_true",
        help="also mark them confirmed (verified: true; removes unverified_note)",
    )
    command.add_argument(
        "--how",
        choices=["call", "website", "directory", "document"],
        help="how they were checked (sets checked_how); only `call` lets a material say its "
        "numbers were confirmed by phone",
    )
    command.add_argument("--content", type=Path, default=root / "content")
    return command


def schema_parser(root: Path) -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python build.py schema",
        description="Write the JSON Schemas of the content files into schema/ (for editors).",
        epilog="example: python build.py schema    after changing handout/models.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("--out", type=Path, default=root / "schema")
    return command


def translations_parser(root: Path) -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python build.py translations",
        description="Manage the translations (gettext PO files in content/locale/).",
        epilog="update: write locale/messages.pot and update each locale/<lang>.po\n"
        "status: per language and material, how many texts are translated, outdated, missing\n"
        "\nexamples:\n"
        "  python build.py translations update\n"
        "  python build.py translations status --lang es",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("action", choices=["update", "status"])
    _folders(command, root)
    command.add_argument("--lang", nargs="+", action="extend", metavar="CODE", help="languages")
    return command


def merge_parser(root: Path) -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python build.py merge-manifests",
        description="Merge the manifest.json of several output folders (e.g. the shards of a "
        "CI matrix) into one.",
        epilog="Also writes the gallery (index.html) of the merged manifest.\n\n"
        "example: python build.py merge-manifests shard-1 shard-2 shard-3 --out output",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("folders", nargs="+", type=Path, metavar="DIR")
    command.add_argument("--out", type=Path, default=root / "output", help="where to write it")
    return command


def import_hsds_parser(root: Path) -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python build.py import-hsds",
        description="Import the organizations and services of an Open Referral HSDS 3.0 data set\n"
        "(a service directory, as JSON or as CSV files with a datapackage.json) as the\n"
        "region's records: they are written to resources/hsds-<region>.yaml and added to\n"
        "the region's include list. Reports every field it could not map. Never overwrites\n"
        "a record written or changed by hand without --force.",
        epilog="examples:\n"
        "  python build.py import-hsds ~/Downloads/county.json --region danbury\n"
        "  python build.py import-hsds ~/Downloads/county-csv/ --region danbury --dry-run\n"
        "      (a folder of CSV files with its datapackage.json)\n"
        '  python build.py import-hsds county.json --region danbury --source "County 211 '
        'directory, 2026-11"'
        "\n  python build.py import-hsds page-1.json page-2.json page-3.json --region danbury"
        "\n      (the pages of an HSDS API's output, read as one data set)"
        "\n  python build.py import-hsds https://api.example.org/ --region danbury"
        "\n      (a live HSDS API: its /services, page by page)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument(
        "path",
        nargs="+",
        help="HSDS JSON file, or datapackage.json (or its folder); or several JSON files, "
        "such as the pages of an HSDS API's output, read as one data set; or the URL of an "
        "HSDS API (its /services are fetched page by page)",
    )
    command.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="with a URL: how long to wait for each page (default: 30; each is tried 3 times)",
    )
    command.add_argument("--region", required=True, metavar="ID", help="the region to import for")
    command.add_argument(
        "--force",
        action="store_true",
        help="overwrite records that were changed by hand, and replace hand-written records "
        "with the same id",
    )
    command.add_argument(
        "--dry-run", action="store_true", help="check and report what would change; write nothing"
    )
    command.add_argument(
        "--strict",
        action="store_true",
        help="refuse the data set if a link names an object it does not have (by default the "
        "rest is imported and each such link reported)",
    )
    command.add_argument(
        "--source",
        metavar="TEXT",
        help="the data set's name for each record's `source` (default: its title or file name)",
    )
    command.add_argument(
        "--content", type=Path, default=root / "content", help="content folder (default: content/)"
    )
    return command


def serve_parser(root: Path) -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python build.py serve",
        description="Live preview: build, serve the gallery and PDFs on 127.0.0.1, and rebuild "
        "what changed whenever a content or template file is saved; the open page reloads "
        "itself, and shows the mistake (file, line, fix) when the content has one.",
        epilog="examples:\n"
        "  python build.py serve                              then open http://127.0.0.1:8000/\n"
        "  python build.py serve --region danbury --lang es   a faster preview of a subset\n"
        "  python build.py serve --port 8080",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _folders(command, root)
    command.add_argument(
        "--out", type=Path, default=root / "output", help="output folder (default: output/)"
    )
    command.add_argument(
        "--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free)"
    )
    command.add_argument(
        "--commit",
        action="store_true",
        help="when the content folder is a git repository, commit each save made in the editor",
    )
    _selection(command)
    _jobs(command)
    return command


COMMANDS = {
    "translations": (translations_parser, "translations"),
    "verify-sheet": (verify_sheet_parser, "verify_sheet"),
    "mark-checked": (mark_checked_parser, "mark_checked"),
    "schema": (schema_parser, "schema"),
    "previews": (previews_parser, "previews"),
    "merge-manifests": (merge_parser, "merge_manifests"),
    "import-hsds": (import_hsds_parser, "import_hsds"),
    "serve": (serve_parser, "serve"),
}


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    root = root or Path.cwd()
    argv = sys.argv[1:] if argv is None else argv
    try:
        with _stopped_by_sigterm():
            if argv[:1] and argv[0] in COMMANDS:
                make_parser, handler = COMMANDS[argv[0]]
                return globals()[handler](make_parser(root).parse_args(argv[1:]))
            return build_command(build_parser(root).parse_args(argv))
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "stopped (Ctrl-C or SIGTERM): the render workers were stopped and no half-written "
            "file was left in the output folder",
            file=sys.stderr,
        )
        return STOPPED
    except Exception:
        traceback.print_exc()
        print(
            "\nThis is a bug in handout, not a mistake of yours. Please report it with the "
            "text above and the command you ran.",
            file=sys.stderr,
        )
        return BUG


def build_command(options: argparse.Namespace) -> int:
    if options.check:
        return check_command(options)
    if options.list:
        from handout.build.pipeline import load
        from handout.build.plan import selected

        for variant in selected(load(options.content), from_arguments(options)):
            print(display_path(variant.path(options.out)))
        return 0
    started = time.perf_counter()
    print(f"Building from {display_path(options.content)} into {display_path(options.out)}")
    chosen = from_arguments(options)
    current = inputs.digest(chosen.content, chosen.templates, chosen.output_choices())
    last = None if chosen.force else inputs.unchanged(chosen.out, current)
    if last is not None:
        for line in last:
            print(line)
        print("  Nothing changed since the last build: no PDF rendered again (--force renders all)")
        print(summary([], time.perf_counter() - started))
        return 0
    from handout.build.pipeline import build
    from handout.build.progress import ProgressBar

    with ProgressBar() as progress:
        built = build(replace(chosen, inputs_digest=current), progress=progress)
    print(summary(built, time.perf_counter() - started))
    return 0


def summary(built: list, seconds: float) -> str:
    counts: Counter[str] = Counter()
    for item in built:
        warnings = item.warnings
        counts["PDFs with unverified facts marked"] += bool(warnings.unverified)
        counts["draft translations"] += warnings.draft_translation
        counts["outdated translated texts (English printed)"] += len(warnings.outdated)
        counts["missing translated texts (English printed)"] += len(warnings.missing)
    notes = "; ".join(f"{count} {kind}" for kind, count in counts.items() if count)
    return f"Built {len(built)} PDFs in {seconds:.1f} s." + (
        f" Warnings: {notes}." if notes else ""
    )


def translations(options: argparse.Namespace) -> int:
    from handout.build.pipeline import load
    from handout.cli.translations import translation_status, update_catalogs
    from handout.content.i18n import Status

    content = load(options.content)
    if options.action == "update":
        for path in update_catalogs(content, options.templates):
            print(f"  wrote {path}")
        return 0
    status = translation_status(content, options.templates, options.lang)
    print(f"{'language':9} {'material':14} {'translated':>10} {'outdated':>9} {'missing':>8}")
    for (language, material), state in status.items():
        print(
            f"{language:9} {material:14} {state.count(Status.translated):>10} "
            f"{state.count(Status.outdated):>9} {state.count(Status.missing):>8}"
        )
    for (language, material), state in status.items():
        for kind in (Status.outdated, Status.missing):
            for text in state.which(kind):
                print(f"  {language} {material}: {kind}: {text!r}")
    return 0


def check_command(options: argparse.Namespace) -> int:
    """Validate everything and report; render nothing (WeasyPrint is not even imported)."""
    from handout.build.pipeline import check_templates, content_warnings, load, translation_checks
    from handout.build.plan import Translations
    from handout.cli.translations import translation_status
    from handout.content.errors import ContentErrors
    from handout.content.i18n import Status
    from handout.content.readability import all_grades
    from handout.layout.glyphs import missing_glyphs

    content = load(options.content)
    translations = Translations(content, options.templates)  # built once: costly at 10k texts
    unprintable = missing_glyphs(content, options.templates, translations.catalogs)
    unprintable += translation_checks(content)
    if unprintable:
        raise ContentErrors(unprintable)
    check_templates(options.templates)
    warnings = content_warnings(content)
    for problem in warnings:
        print(f"warning: {problem}")
    behind = []
    status = translation_status(content, options.templates, translations=translations)
    for (language, material), state in status.items():
        for status in (Status.outdated, Status.missing):
            behind += [f"{language} {material}: {status}: {text!r}" for text in state.which(status)]
    for line in behind:
        print(f"warning: translation {line}")
    grades = all_grades(content)
    if grades:
        median = grades[len(grades) // 2][0]
        print(
            f"Reading level (Flesch-Kincaid grade) of {len(grades)} English texts: median "
            f"{median:.1f}; hardest:"
        )
        for level, place, text in grades[:5]:
            print(f"  {level:4.1f}  {place}: {text[:70]}")
    unverified = sum(
        1 for fact in [*content.resources.values(), *content.laws.values()] if not fact.verified
    )
    print(
        f"Content OK: {len(content.resources)} records ({unverified} unverified), "
        f"{len(content.laws)} laws, {len(content.sections)} sections, "
        f"{len(content.regions)} regions, {len(content.project.languages)} languages; "
        f"{len(warnings) + len(behind)} warnings."
    )
    return 1 if options.strict and (warnings or behind) else 0


def previews(options: argparse.Namespace) -> int:
    from handout.build.pipeline import build
    from handout.cli.previews import LANGUAGE, REGION, write_previews

    chosen = BuildOptions(
        options.content, options.templates, options.out, regions=(REGION,), languages=(LANGUAGE,)
    )
    build(chosen, report=lambda _line: None)
    for path in write_previews(options.out, options.docs):
        print(f"  {display_path(path)}  {path.stat().st_size // 1000} KB")
    return 0


def verify_sheet(options: argparse.Namespace) -> int:
    from handout.build.pipeline import load
    from handout.content.recheck import due_facts, write_sheet

    content = load(options.content)
    today = datetime.date.today()
    due = due_facts(content, today, everything=options.all)
    for path in write_sheet(content, options.templates, options.out, due, today):
        print(f"  wrote {display_path(path)}")
    print(f"{len(due)} facts to re-check.")
    return 0


def mark_checked(options: argparse.Namespace) -> int:
    from handout.build.pipeline import load
    from handout.content.models import CheckedHow, future_date_problem
    from handout.content.recheck import mark_checked as record

    future = future_date_problem(options.date)
    if future:
        raise UserError(f"--date {future}")
    content = load(options.content)
    how = CheckedHow(options.how) if options.how else None
    for path in record(content, options.ids, options.date, options.verified, how):
        print(f"  updated {path}")
    load(options.content)  # the files must still be valid
    print(f"Marked {len(options.ids)} checked on {options.date.isoformat()}.")
    return 0


def schema(options: argparse.Namespace) -> int:
    from handout.content.schema import write_schemas

    for path in write_schemas(options.out):
        print(f"  wrote {display_path(path)}")
    return 0


def merge_manifests(options: argparse.Namespace) -> int:
    from handout.build.gallery import write_gallery
    from handout.build.lock import output_lock
    from handout.build.manifest import merge_manifest_files
    from handout.build.publish import remove_leftovers

    with output_lock(options.out):
        remove_leftovers(options.out)
        path, count = merge_manifest_files(options.folders, options.out)
        print(f"  wrote {display_path(path)} ({count} files)")
        write_gallery(options.out, report=print)
    return 0


def import_hsds(options: argparse.Namespace) -> int:
    from handout.hsds.importer import import_hsds as run_import

    outcome = run_import(
        options.content,
        options.path[0],
        options.region,
        force=options.force,
        source=options.source,
        dry_run=options.dry_run,
        strict=options.strict,
        more=[Path(path) for path in options.path[1:]],
        timeout=options.timeout,
    )
    print(outcome.report())
    return 0


def serve(options: argparse.Namespace) -> int:
    from handout.preview.server import serve as live_preview

    return live_preview(options)
