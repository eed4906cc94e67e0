"""`python build.py mark-checked ID...`: record that facts were confirmed, changing only the
characters of their dates (and flags) in the content files."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from handout.cli import arguments
from handout.content.errors import UserError
from handout.content.files import Seen
from handout.content.load import load
from handout.content.models import CheckedHow, future_date_problem
from handout.content.recheck import mark_checked as record


def parser(root: Path) -> argparse.ArgumentParser:
    command = arguments.Parser(
        prog="python build.py mark-checked",
        description="Record that facts were confirmed: sets `checked:` in the content files "
        "(comments and layout are kept).",
        epilog="examples:\n"
        "  python build.py mark-checked ct-211 ct-safe-connect --date 2026-11-29\n"
        "  python build.py mark-checked chci-danbury --verified   confirmed today\n"
        "  python build.py mark-checked ct-211 --how call         someone called it today",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument(
        "ids", nargs="+", metavar="ID", help="the ids of the records or laws, e.g. ct-211"
    )
    command.add_argument(
        "--date",
        type=arguments.date,
        metavar="YYYY-MM-DD",
        default=datetime.date.today(),
        help="the day they were checked, written YYYY-MM-DD (year, month, day), like "
        "2026-12-06 (default: today)",
    )
    command.add_argument(
        "--verified",
        action="store_true",
        help="also mark them confirmed (a `verified: false` becomes true and its "
        "unverified_note goes; nothing is added where verified is not written) "
        "(default: leave verified as it is)",
    )
    command.add_argument(
        "--how",
        type=arguments.lower,
        choices=["call", "website", "directory", "document"],
        help="how they were checked (sets checked_how); only `call` lets a material say its "
        "numbers were confirmed by phone (default: leave checked_how as it is)",
    )
    arguments.content_folder(command, root)
    return command


def run(options: argparse.Namespace) -> int:
    future = future_date_problem(options.date)
    if future:
        raise UserError(f"--date {future}")
    seen = Seen(options.content)  # before the content is read: see `record`
    content = load(options.content)
    how = CheckedHow(options.how) if options.how else None
    for path in record(content, options.ids, options.date, options.verified, how, seen):
        print(f"  updated {path}")
    load(options.content)  # the files must still be valid
    print(f"Marked {len(options.ids)} checked on {options.date.isoformat()}.")
    return 0
