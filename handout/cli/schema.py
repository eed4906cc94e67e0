"""`python build.py schema`: write the JSON Schemas of the content files, for editors."""

from __future__ import annotations

import argparse
from pathlib import Path

from handout.cli import arguments
from handout.content.errors import display_path
from handout.content.schema import write_schemas


def parser(root: Path) -> argparse.ArgumentParser:
    command = arguments.Parser(
        prog="python build.py schema",
        description="Write the JSON Schemas of the content files into schema/ (for editors).",
        epilog="example: python build.py schema    after changing handout/content/models/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument(
        "--out",
        type=arguments.folder,
        default=root / "schema",
        metavar="FOLDER",
        help="where the schema files go (default: schema/)",
    )
    return command


def run(options: argparse.Namespace) -> int:
    for path in write_schemas(options.out):
        print(f"  wrote {display_path(path)}")
    return 0
