"""The command line.

    python build.py [--region ID...] [--lang CODE...] [--material ID...] [--list] [--strict]
    python build.py translations update|status [--lang CODE...]

Exit codes: 0 done; 1 a mistake in the content or options (the message says where and how
to fix it), or --strict found a problem; 2 wrong command-line usage. Anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from handout.errors import UserError
from handout.load import display_path
from handout.materials import MATERIALS

EXAMPLES = """examples:
  python build.py                                  build every region, language and material
  python build.py --region danbury --lang es pt    a subset
  python build.py --list                           show what would be built
  python build.py --content my-content --out /tmp/proofs
  python build.py translations update              write locale/*.po for translators
  python build.py translations status              what is translated, outdated, missing
"""


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
    command.add_argument("--region", nargs="+", action="extend", metavar="ID", help="regions")
    command.add_argument("--lang", nargs="+", action="extend", metavar="CODE", help="languages")
    command.add_argument(
        "--material", nargs="+", action="extend", choices=list(MATERIALS), help="materials"
    )
    command.add_argument("--list", action="store_true", help="print the variants; build nothing")
    command.add_argument(
        "--strict",
        action="store_true",
        help="fail (and write nothing) if any translation is outdated or missing",
    )
    return command


def translations_parser(root: Path) -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python build.py translations",
        description="Manage the translations (gettext PO files in content/locale/).",
        epilog="update: write locale/messages.pot and update each locale/<lang>.po\n"
        "status: per language and material, how many texts are translated, outdated, missing",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("action", choices=["update", "status"])
    _folders(command, root)
    command.add_argument("--lang", nargs="+", action="extend", metavar="CODE", help="languages")
    return command


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    root = root or Path.cwd()
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv[:1] == ["translations"]:
            return translations(translations_parser(root).parse_args(argv[1:]))
        return build_command(build_parser(root).parse_args(argv))
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def build_command(options: argparse.Namespace) -> int:
    from handout.pipeline import build, load, variants

    if options.list:
        content = load(options.content)
        for variant in variants(content, options.region, options.lang, options.material):
            print(display_path(variant.path(options.out)))
        return 0
    started = time.perf_counter()
    print(f"Building from {display_path(options.content)} into {display_path(options.out)}")
    built = build(
        options.content,
        options.templates,
        options.out,
        regions=options.region,
        materials=options.material,
        languages=options.lang,
        strict=options.strict,
    )
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
    from handout.catalogs import translation_status, update_catalogs
    from handout.i18n import Status
    from handout.pipeline import load

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
