"""One build at a time per output folder.

`python build.py` and `python build.py serve` both write `output/` by default. Two builds
writing it at once mixed their files: one build's state could describe the other's PDFs,
and the next rebuild then said "Nothing changed" over PDFs of other content. So every
build holds an exclusive lock on the output folder (`filelock`: `flock` on Linux and macOS,
released by the system when the process ends, even killed) from reading the folder's state
to writing its last file. A second build waits, and says who holds the folder: the holder
writes its pid, command and start time beside the lock.

A folder that holds files but was never written by handout is refused (`check_out_folder`):
`--out ~/website` overwrote a user's index.html.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from handout.content.errors import UserError, display_path

LOCK = ".handout.lock"
"""The lock file in the output folder (kept: waiting builds lock the same file)."""
HOLDER = ".handout-lock.json"
"""Who holds the lock: pid, command and since when (for the waiting build's message);
removed when the build lets go."""


def holder(out_dir: Path) -> str:
    """Who holds the output folder, in words ("pid 4242 (`python build.py serve`) since
    03:12:05 UTC"), from what the holder wrote; "another build" if it wrote nothing yet."""
    try:
        record = json.loads((out_dir / HOLDER).read_text(encoding="utf-8"))
        pid, command, since = int(record["pid"]), str(record["command"]), str(record["since"])
    except (OSError, ValueError, KeyError, TypeError):
        return "another build"
    return f"pid {pid} (`{command[:200]}`) since {since}"


def _write_holder(out_dir: Path) -> None:
    """Say who holds the lock. Best effort: a folder we may lock but not write in (nothing
    to render) still builds."""
    from handout.build.publish import write_atomically

    now = datetime.datetime.now(datetime.UTC)
    record = {
        "pid": os.getpid(),
        "command": " ".join(["python", *sys.argv]) if sys.argv and sys.argv[0] else "python",
        "since": now.strftime("%Y-%m-%d %H:%M:%S UTC"),
    }
    with contextlib.suppress(OSError, UserError):
        write_atomically(out_dir / HOLDER, (json.dumps(record) + "\n").encode("utf-8"))


OWN = (LOCK, HOLDER, ".handout-state.json", ".handout-inputs.json")
"""Files only handout writes in an output folder: with one of the first three there, a
handout command wrote the folder (the lock file stays after every build or merge)."""


def check_out_folder(out_dir: Path, overwrite: bool = False) -> None:
    """Refuse to write into a folder that holds files but was never written by handout
    (`--out ~/website` replaced its index.html, and the gallery deleted its thumbnails),
    unless `overwrite` (the command line's --overwrite) says to write there anyway."""
    try:
        names = sorted(entry.name for entry in out_dir.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return  # a new folder (or a file there, which the lock reports)
    except OSError as error:
        raise UserError(
            f"cannot read the output folder {display_path(out_dir)}: {error}"
        ) from error
    if overwrite or not names or any(name in OWN[:3] for name in names):
        return
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    raise UserError(
        f"the output folder {display_path(out_dir)} holds files that handout did not write "
        f"({shown}), and a build writes index.html, manifest.json, thumbnails/ and a folder "
        "per region there; nothing was written. Build into a new or empty folder with --out, "
        "or add --overwrite to write there anyway (files of the same names are replaced, no "
        "other file is deleted)"
    )


@contextlib.contextmanager
def output_lock(
    out_dir: Path, report: Callable[[str], None] = print, timeout: float = -1
) -> Iterator[None]:
    """Hold the output folder for one build (creating the folder). If another build holds
    it, report who and wait (`timeout` seconds at most; negative: until it is free)."""
    from filelock import FileLock, Timeout

    where = display_path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(out_dir / LOCK), thread_local=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            report(
                f"waiting: the output folder {where} is being written by {holder(out_dir)}; "
                "this build goes on when that one ends (Ctrl-C stops)"
            )
            try:
                lock.acquire(timeout=timeout)
            except Timeout:
                raise UserError(
                    f"the output folder {where} is still being written by {holder(out_dir)}; "
                    "wait for that build to end, or build into another folder with --out"
                ) from None
    except OSError as error:
        raise UserError(
            f"cannot lock the output folder {where}: {error.strerror}; make it writable, or "
            "build into another folder with --out"
        ) from error
    try:
        _write_holder(out_dir)
        yield
    finally:
        with contextlib.suppress(OSError):
            (out_dir / HOLDER).unlink(missing_ok=True)
        lock.release()
