"""Writing the output folder: every file is written in full to a temporary file beside its
place (`.<name>.<random>.tmp`), then renamed into place, so a reader (or a killed build)
never sees half a file (the temporary file and the rename are `handout.content.files`'s, as
for every file the project writes).

A build's files are one set: all are staged before any is renamed, the renames are not
interrupted by Ctrl-C or SIGTERM (those wait until the set is in place), and `manifest.json`
comes last. A build killed outright (SIGKILL, power loss) may leave temporary files and a
set half renamed: the next build removes the temporary files when it starts
(`remove_leftovers`) and finds the renamed files not matching its state, so it renders them
again (see `handout.build.state`).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from handout.content.errors import UserError, display_path
from handout.content.files import is_leftover, put_in_place, signals_held, staged, write


def stage(files: list[tuple[Path, bytes]]) -> list[tuple[Path, Path]]:
    """Write every file's bytes to a temporary file beside its final path (with the mode it
    will keep, flushed to the disk: `handout.content.files.staged`). If any write fails, the
    temporary files are removed and nothing of the previous output changed."""
    done: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            done.append((staged(path, data), path))
    except OSError as error:
        discard(done)
        where = error.filename or (files[len(done)][0] if len(done) < len(files) else "")
        raise UserError(
            f"cannot write {display_path(Path(str(where)))}: {error.strerror}; "
            "nothing was changed in the output folder"
        ) from error
    except BaseException:
        discard(done)
        raise
    return done


def publish(staged_files: list[tuple[Path, Path]]) -> None:
    """Move staged files into place (a rename each: a reader never sees half a file), all
    of them before a Ctrl-C or SIGTERM is acted on."""
    with signals_held():
        for index, (temporary, path) in enumerate(staged_files):
            try:
                make_way(path)
                put_in_place(temporary, path)
            except (OSError, UserError) as error:
                discard(staged_files[index:])
                if isinstance(error, UserError):
                    raise
                raise UserError(f"cannot write {display_path(path)}: {error.strerror}") from error


def make_way(path: Path) -> None:
    """An empty folder where a file is to be written goes (the build's records, such as
    `manifest.json`, count as absent then); a folder with files in it is the user's to
    remove."""
    if path.is_dir() and not path.is_symlink():
        try:
            path.rmdir()
        except OSError as error:
            raise UserError(
                f"{display_path(path)} is a folder, where the build writes a file; move or "
                "remove it, then build again"
            ) from error


def remove_leftovers(out_dir: Path) -> None:
    """Remove the temporary files a killed build left in the output folder (called with
    the folder locked, so no running build's files are touched). Only names of the form
    our temporary files have (`.<name>.<8 random characters>.tmp`) are removed."""
    for folder, _folders, names in os.walk(out_dir):
        for name in names:
            if is_leftover(name):
                with contextlib.suppress(OSError):
                    (Path(folder) / name).unlink()


def write_atomically(path: Path, data: bytes) -> None:
    """Write one file of the output folder at once (`handout.content.files.write`), an
    empty folder in its place removed first (`make_way`)."""
    make_way(path)
    write(path, data)


def discard(staged_files: list[tuple[Path, Path]]) -> None:
    for temporary, _path in staged_files:
        temporary.unlink(missing_ok=True)


def differs(path: Path, data: bytes) -> bool:
    """Whether a file does not hold `data` already (an unchanged file is not written again:
    a build with nothing to render works in a read-only folder)."""
    try:
        return path.read_bytes() != data
    except OSError:
        return True
