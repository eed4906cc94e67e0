"""`python build.py import-hsds PATH... --region ID`: a region's records from an Open
Referral HSDS data set (see `handout.hsds`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from handout.cli import arguments
from handout.hsds.importer import import_hsds as run_import


def parser(root: Path) -> argparse.ArgumentParser:
    command = arguments.Parser(
        prog="python build.py import-hsds",
        description="Import the organizations and services of an Open Referral HSDS data set\n"
        "(a service directory: HSDS 3.0 or 3.1 as JSON or as CSV files with a\n"
        "datapackage.json; HSDS 1.x or 2.0 as CSV files with a datapackage.json) as the\n"
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
        type=arguments.seconds,
        default=30.0,
        metavar="SECONDS",
        help="with a URL: the most one request may take, its whole answer included "
        "(default: 30; each page is tried 3 times)",
    )
    command.add_argument(
        "--time-limit",
        type=arguments.seconds,
        default=1800.0,
        metavar="SECONDS",
        help="with a URL: the most the whole import may take fetching pages (default: 1800)",
    )
    command.add_argument(
        "--region",
        required=True,
        metavar="ID",
        help="the region to import for, e.g. danbury (required)",
    )
    command.add_argument(
        "--force",
        action="store_true",
        help="overwrite records that were changed by hand, and replace hand-written records "
        "with the same id (default: if there is one, import nothing and say which)",
    )
    command.add_argument(
        "--dry-run",
        action="store_true",
        help="check and report what would change; write nothing (default: write)",
    )
    command.add_argument(
        "--strict",
        action="store_true",
        help="refuse the data set if a link names an object it does not have (default: the "
        "rest is imported and each such link reported)",
    )
    command.add_argument(
        "--service-area",
        action="append",
        metavar="PLACE",
        help="import only the services whose service areas name this place (a town or "
        "county; give it again for more); services that name no area are imported too "
        "(default: every service)",
    )
    command.add_argument(
        "--source",
        metavar="TEXT",
        help="the data set's name for each record's `source` (default: its title or file name)",
    )
    arguments.content_folder(command, root)
    return command


def run(options: argparse.Namespace) -> int:
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
        time_limit=options.time_limit,
        service_areas=options.service_area,
    )
    print(outcome.report())
    return 0
