"""The options several commands share: the content and templates folders, which variants
(regions, languages, materials), how many render workers, and a shard of the matrix."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from handout.layout.materials import MATERIALS


def folders(command: argparse.ArgumentParser, root: Path) -> None:
    """--content and --templates, defaulting to the project's own folders."""
    command.add_argument(
        "--content", type=Path, default=root / "content", help="content folder (default: content/)"
    )
    command.add_argument(
        "--templates",
        type=Path,
        default=root / "templates",
        help="templates folder (default: templates/)",
    )


def overwrite(command: argparse.ArgumentParser) -> None:
    """--overwrite: write into an --out folder that holds files handout did not write."""
    command.add_argument(
        "--overwrite",
        action="store_true",
        help="write into an --out folder that already holds other files (no earlier build "
        "there): files with the names a build writes (index.html, manifest.json, "
        "thumbnails/..., <region>/...) are replaced; no other file is deleted. Without it, "
        "such a folder is refused",
    )


def selection(command: argparse.ArgumentParser) -> None:
    """--region, --lang, --material: which variants of the matrix to build (default: all)."""
    command.add_argument("--region", nargs="+", action="extend", metavar="ID", help="regions")
    command.add_argument("--lang", nargs="+", action="extend", metavar="CODE", help="languages")
    command.add_argument(
        "--material", nargs="+", action="extend", choices=list(MATERIALS), help="materials"
    )


def jobs(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="render in N worker processes (default: the number of cores)",
    )


def shard(text: str) -> tuple[int, int]:
    """`K/N` of --shard, as (K, N)."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not K/N, e.g. 2/4") from None
    if not 1 <= index <= count:
        raise argparse.ArgumentTypeError(f"{text!r}: K must be from 1 to N")
    return index, count
