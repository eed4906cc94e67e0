"""The options several commands share: the content and templates folders, which variants
(regions, languages, materials), how many render workers, and a shard of the matrix."""

from __future__ import annotations

import argparse
import datetime
import difflib
import math
import os
import re
from pathlib import Path

from handout.content.errors import not_a_date
from handout.layout.materials import EDITIONS, MATERIALS

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Parser(argparse.ArgumentParser):
    """argparse, with a choice that is not one of the list answered in plain words and
    a suggestion: "`Call` is not one of: call, website, ... (did you mean `call`?)"."""

    def _check_value(self, action: argparse.Action, value: object) -> None:
        if action.choices is None or value in action.choices:
            return
        choices = [str(choice) for choice in action.choices]
        guess = difflib.get_close_matches(str(value).lower(), choices, n=1, cutoff=0.5)
        hint = f"; did you mean `{guess[0]}`?" if guess else ""
        raise argparse.ArgumentError(action, f"`{value}` is not one of: {', '.join(choices)}{hint}")


def content_folder(command: argparse.ArgumentParser, root: Path) -> None:
    """--content, defaulting to the project's own folder."""
    command.add_argument(
        "--content",
        type=Path,
        default=root / "content",
        metavar="FOLDER",
        help="content folder (default: content/)",
    )


def folders(command: argparse.ArgumentParser, root: Path) -> None:
    """--content and --templates, defaulting to the project's own folders."""
    content_folder(command, root)
    command.add_argument(
        "--templates",
        type=Path,
        default=root / "templates",
        metavar="FOLDER",
        help="templates folder (default: templates/)",
    )


def out(command: argparse.ArgumentParser, root: Path, what: str = "output folder") -> None:
    """--out: the folder a command writes into (default: output/)."""
    command.add_argument(
        "--out",
        type=folder,
        default=root / "output",
        metavar="FOLDER",
        help=f"{what} (default: output/)",
    )


def overwrite(command: argparse.ArgumentParser) -> None:
    """--overwrite: write into an --out folder that holds files handout did not write."""
    command.add_argument(
        "--overwrite",
        action="store_true",
        help="write into an --out folder that already holds other files (no earlier build "
        "there): files with the names a build writes (index.html, manifest.json, "
        "thumbnails/..., <region>/...) are replaced; no other file is deleted (default: "
        "such a folder is refused)",
    )


def selection(command: argparse.ArgumentParser) -> None:
    """--region, --lang, --material: which variants of the matrix to build (default: all)."""
    command.add_argument(
        "--region",
        nargs="+",
        action="extend",
        metavar="ID",
        help="regions, e.g. danbury new-milford (default: every region)",
    )
    command.add_argument(
        "--lang",
        nargs="+",
        action="extend",
        metavar="CODE",
        help="languages, e.g. en es (default: every language)",
    )
    command.add_argument(
        "--material",
        nargs="+",
        action="extend",
        type=lower,
        choices=[*MATERIALS, *EDITIONS],
        metavar="NAME",
        help=f"materials: {', '.join(MATERIALS)}; editions that are not PDFs: "
        f"{', '.join(EDITIONS)} (default: all of them)",
    )


def jobs(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--jobs",
        type=at_least_one,
        default=os.cpu_count() or 1,
        metavar="N",
        help="render in N worker processes (default: the number of cores)",
    )


def shard(text: str) -> tuple[int, int]:
    """`K/N` of --shard, as (K, N)."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"`{text}` is not K/N; write it like 2/4 (the second of 4 parts)"
        ) from None
    if not 1 <= index <= count:
        raise argparse.ArgumentTypeError(f"`{text}`: K must be from 1 to N, like 2/4")
    return index, count


def date(text: str) -> datetime.date:
    """A date option, written YYYY-MM-DD; anything else is refused saying what to type."""
    if ISO_DATE.match(text.strip()):
        try:
            return datetime.date.fromisoformat(text.strip())
        except ValueError:
            pass
    message, fix = not_a_date(f"`{text}`", text)
    raise argparse.ArgumentTypeError(f"{message}. Fix: {fix}")


def whole_number(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"`{text}` is not a whole number; write digits only, like 2"
        ) from None


def at_least_one(text: str) -> int:
    """A number of workers or the like: a whole number of at least 1."""
    number = whole_number(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"`{text}` is too few; give 1 or more, like 2")
    return number


def port(text: str) -> int:
    """A TCP port: 0 (any free port) to 65535."""
    number = whole_number(text)
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(
            f"`{text}` is not a port; give a number from 1024 to 65535, like 8000 "
            "(0: any free port)"
        )
    return number


MAX_SECONDS = 3600.0
"""The longest wait an option may ask for (an hour): `inf` or `1e300` is a slip."""


def seconds(text: str) -> float:
    """A time in seconds, above 0 and at most an hour (`inf`, `nan`, `1e300` and `0` are
    refused here, with the other mistakes of the command line)."""
    try:
        number = float(text.strip())
    except ValueError:
        number = float("nan")
    if not (math.isfinite(number) and 0 < number <= MAX_SECONDS):
        raise argparse.ArgumentTypeError(
            f"`{text}` is not a number of seconds; write one above 0 and at most "
            f"{MAX_SECONDS:g}, like 30"
        )
    return number


def lower(text: str) -> str:
    """A choice typed in any case (`Call`, `FLYER`): the lists are all lower case."""
    return text.strip().lower()


def folder(text: str) -> Path:
    """A folder to write into: it may not exist yet, but must not be a file."""
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"`{text}` is a file, not a folder; give a folder")
    return path
