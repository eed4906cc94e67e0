"""A digest of everything a build reads, so that a rebuild with nothing changed stops at once.

The incremental build fingerprints each variant's HTML (see `plan.plan`), which needs the
content loaded and validated first: about half a second. Before any of that, this module
hashes the input files themselves (content, templates, handout's own code), the versions of
the tools that shape the PDFs, the build options and today's date (freshness warnings depend
on it). When all of it matches the last successful build and every file of the output
folder's manifest is still there, there is nothing to do. Standard library only, so that
answer comes without importing pydantic, Jinja2 or WeasyPrint.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

RECORD = ".handout-inputs.json"
"""The digest of the last successful build in an output folder, and the warnings it gave."""

TOOLS = (
    "weasyprint",
    "pydyf",
    "pikepdf",
    "fonttools",
    "jinja2",
    "babel",
    "fontpkg-atkinson-hyperlegible",
    "fontpkg-noto-sans",
    "fontpkg-ibm-plex-sans-arabic",
)
"""Packages whose version can change the PDFs."""

PACKAGE = Path(__file__).resolve().parent.parent


def package_digest() -> str:
    """handout's own code and page templates: a change may change the output without a
    version bump."""
    return _files_digest(PACKAGE, "**/*")


def harfbuzz_subsetting() -> bool:
    """Whether WeasyPrint can subset fonts with HarfBuzz (Debian's libharfbuzz-subset0),
    2-10x faster than its fontTools fallback. The two subset fonts differently, so the
    PDFs' bytes differ between them (each is reproducible)."""
    from ctypes.util import find_library

    return find_library("harfbuzz-subset") is not None


def tool_versions() -> str:
    """The tools that shape the PDFs' bytes, with their versions."""
    found = [f"harfbuzz-subset={harfbuzz_subsetting()}"]
    for package in TOOLS:
        try:
            found.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            found.append(f"{package}=none")
    return " ".join(found)


def digest(content_dir: Path, templates_dir: Path, options: dict) -> str:
    """Everything a build with these options reads, as one sha256."""
    parts = {
        "content": str(content_dir.resolve()),
        "content files": _files_digest(content_dir, "**/*"),
        "templates": str(templates_dir.resolve()),
        "template files": _files_digest(templates_dir, "**/*"),
        "handout": package_digest(),
        "tools": tool_versions(),
        "options": options,
        "today": datetime.date.today().isoformat(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _files_digest(folder: Path, pattern: str) -> str:
    """Names and bytes of the files under `folder` (hidden ones and caches left out)."""
    hashed = hashlib.sha256()
    for path in sorted(folder.glob(pattern)):
        relative = path.relative_to(folder)
        if not path.is_file() or any(part.startswith((".", "__")) for part in relative.parts):
            continue
        hashed.update(f"{relative.as_posix()}\0{path.stat().st_size}\0".encode())
        hashed.update(path.read_bytes())
    return hashed.hexdigest()


def unchanged(out_dir: Path, current: str) -> list[str] | None:
    """The warnings of the last build if it had this digest and every file it wrote is
    still there as written (size and time; see `handout.build.state`); None if something must
    be looked at again."""
    from handout.build.state import read_state, unchanged_since

    try:
        record = json.loads((out_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeError, RecursionError):
        return None
    if not isinstance(record, dict) or record.get("digest") != current:
        return None
    state = read_state(out_dir)
    if not state.variants or not unchanged_since(out_dir, state) or _leftovers(out_dir):
        return None
    warnings = record.get("warnings", [])
    return [str(line) for line in warnings] if isinstance(warnings, list) else None


def _leftovers(out_dir: Path) -> bool:
    """Whether a killed build left temporary files (`.<name>.<random>.tmp`): then the build
    must run, to remove them with the folder locked."""
    from handout.content.files import is_leftover

    for _folder, _folders, names in os.walk(out_dir):
        if any(is_leftover(name) for name in names):
            return True
    return False


def remember(out_dir: Path, current: str, warnings: list[str]) -> None:
    """Record a successful build's digest (written after its manifest)."""
    from handout.build.publish import write_atomically

    text = json.dumps({"digest": current, "warnings": warnings}, indent=1) + "\n"
    write_atomically(out_dir / RECORD, text.encode("utf-8"))


def forget(out_dir: Path) -> None:
    """Drop the record before a build changes the output folder, so an interrupted build
    never looks finished."""
    from handout.build.publish import make_way
    from handout.content.errors import UserError, display_path

    try:
        make_way(out_dir / RECORD)
        (out_dir / RECORD).unlink(missing_ok=True)
    except OSError as error:
        raise UserError(
            f"cannot write in {display_path(out_dir)}: {error.strerror}; nothing was changed there"
        ) from error
