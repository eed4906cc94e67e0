"""The command line: `python build.py [options]`.

Exit codes: 0 built; 1 a mistake in the content or options (the message says where and
how to fix it); 2 wrong command-line usage. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from handout.errors import UserError
from handout.load import display_path
from handout.materials import MATERIALS
from handout.pipeline import build


def parser(root: Path) -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python build.py",
        description="Build print-ready outreach materials (PDF) from the content folder.",
        epilog="examples:\n"
        "  python build.py                      build everything into output/\n"
        "  python build.py --region new-milford --material pocket-card\n"
        "  python build.py --content my-content --out /tmp/proofs",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument(
        "--content", type=Path, default=root / "content", help="content folder (default: content/)"
    )
    command.add_argument(
        "--templates",
        type=Path,
        default=root / "templates",
        help="templates folder (default: templates/)",
    )
    command.add_argument(
        "--out", type=Path, default=root / "output", help="output folder (default: output/)"
    )
    command.add_argument(
        "--region", action="append", metavar="ID", help="build only this region (repeatable)"
    )
    command.add_argument(
        "--material",
        action="append",
        choices=list(MATERIALS),
        help="build only this material (repeatable)",
    )
    return command


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    root = root or Path.cwd()
    options = parser(root).parse_args(argv)
    started = time.perf_counter()
    print(f"Building from {display_path(options.content)} into {display_path(options.out)}")
    try:
        built = build(
            options.content, options.templates, options.out, options.region, options.material
        )
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Built {len(built)} PDFs in {time.perf_counter() - started:.1f} s")
    return 0
