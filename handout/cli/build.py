"""`python build.py [options]`: build the materials (the command without a name).

Before anything is loaded, the input files are hashed (`handout.build.inputs`): when nothing
changed since the last build, it says so at once. `--check` validates and renders nothing
(`handout.cli.check`); `--list` prints the variants.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from handout.build import inputs
from handout.build.options import from_arguments
from handout.cli import arguments
from handout.content.errors import counted, display_path

USAGE = """python build.py [options]            build the materials (options below)
       python build.py COMMAND [options]    one of the commands below
       python build.py COMMAND --help       a command's own options and examples"""

COMMANDS = """commands:
  translations     write the translators' files, or show what is translated
  verify-sheet     a call sheet (PDF and CSV) of the facts due for re-checking
  mark-checked     record that facts were confirmed (sets checked: in the files)
  schema           write the JSON Schemas of the content files, for editors
  previews         write the README pictures of the materials (docs/*.png)
  merge-manifests  join the output folders of several shards (a CI matrix) into one
  import-hsds      records from an Open Referral HSDS service directory
  serve            live preview and the editor in your browser
"""

EXAMPLES = """examples:
  python build.py                                  build every region, language and material
  python build.py --region danbury --lang es pt    a subset
  python build.py --list                           show what would be built
  python build.py --content my-content --out /tmp/proofs
  python build.py --check                          validate everything, render nothing
  python build.py translations update              write locale/*.po for translators
  python build.py translations status              what is translated, outdated, missing
  python build.py verify-sheet                     call sheet of facts due for re-checking
  python build.py mark-checked ct-211 --date 2026-11-29 --how call
  python build.py schema                           regenerate schema/*.json for editors
  python build.py previews                         README pictures of the materials (docs/)
  python build.py --shard 1/2 --out shard-1        half of the PDFs (a CI matrix job)
  python build.py merge-manifests shard-1 shard-2 --out output   join the shards' folders
  python build.py import-hsds county.json --region danbury   records from a service directory
  python build.py serve                            live preview at http://127.0.0.1:8000/

Every build also writes output/index.html, a gallery of every PDF with page thumbnails.
`python build.py COMMAND --help` explains each command.
"""


def parser(root: Path) -> argparse.ArgumentParser:
    command = arguments.Parser(
        prog="python build.py",
        usage=USAGE,
        description="Build print-ready outreach materials (PDF) from the content folder.\n\n"
        + COMMANDS,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    arguments.folders(command, root)
    arguments.out(command, root)
    arguments.overwrite(command)
    arguments.selection(command)
    command.add_argument(
        "--card-sheet",
        type=arguments.lower,
        choices=["avery-5371", "a4"],
        help="paper of the cards' print copies: avery-5371 (US Letter) or a4 "
        "(default: print.card_sheet in content/project.yaml)",
    )
    command.add_argument(
        "--press",
        action="store_true",
        help="also write <material>-press.pdf for a print shop: 0.125 in bleed, crop marks, "
        "PDF/X-4 with a CMYK output intent (needs Debian's libgs-common) (default: reading and "
        "print copies only)",
    )
    arguments.jobs(command)
    command.add_argument(
        "--force",
        action="store_true",
        help="render every variant, even unchanged ones (default: only what changed)",
    )
    command.add_argument(
        "--shard",
        type=arguments.shard,
        metavar="K/N",
        help="build only shard K of N (1-based) of the variants, e.g. 2/3 for a CI matrix "
        "(default: all variants)",
    )
    command.add_argument(
        "--list", action="store_true", help="print the variants; build nothing (default: build)"
    )
    command.add_argument(
        "--check",
        action="store_true",
        help="validate the content and report; render nothing (default: build)",
    )
    command.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (stale facts, hard texts, outdated or missing translations) as "
        "errors: fail and write nothing (default: warnings are printed, the build goes on)",
    )
    command.add_argument(
        "--verbose",
        action="store_true",
        help="with --check: also list each outdated or missing translation and the reading "
        "level of the hardest texts (default: only what needs action is printed)",
    )
    return command


def run(options: argparse.Namespace) -> int:
    if options.check:
        from handout.cli import check

        return check.run(options)
    if options.list:
        return list_variants(options)
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


def list_variants(options: argparse.Namespace) -> int:
    """`--list`: the PDF each chosen variant would be written to, then the file of each
    chosen edition (phone page, text message)."""
    from handout.build.plan import chosen_editions, selected
    from handout.content.load import load
    from handout.layout.materials import EDITIONS

    content, chosen = load(options.content), from_arguments(options)
    for variant in selected(content, chosen):
        print(display_path(variant.path(options.out)))
    for region, language, edition in chosen_editions(content, chosen):
        print(display_path(options.out / region / language / EDITIONS[edition]))
    return 0


def summary(built: list, seconds: float) -> str:
    def total(of: Callable[[Any], int]) -> int:
        return sum(of(item.warnings) for item in built)

    notes = [
        (total(lambda w: bool(w.unverified)), "PDF", " with unverified facts marked"),
        (total(lambda w: w.draft_translation), "draft translation", ""),
        (total(lambda w: len(w.outdated)), "outdated translated text", " (English printed)"),
        (total(lambda w: len(w.missing)), "missing translated text", " (English printed)"),
    ]
    said = "; ".join(counted(count, what) + after for count, what, after in notes if count)
    return f"Built {counted(len(built), 'PDF')} in {seconds:.1f} s." + (
        f" Warnings: {said}." if said else ""
    )
