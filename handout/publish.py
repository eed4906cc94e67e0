"""Writing the output folder: every file is written in full to a temporary file beside its
place, then renamed into place, so a reader (or a killed build) never sees half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from handout.errors import UserError, display_path


def stage(files: list[tuple[Path, bytes]]) -> list[tuple[Path, Path]]:
    """Write every file's bytes to a temporary file beside its final path. If any write
    fails, the temporary files are removed and nothing of the previous output changed."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
            )
            staged.append((Path(temporary), path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
    except OSError as error:
        discard(staged)
        where = error.filename or (files[len(staged)][0] if len(staged) < len(files) else "")
        raise UserError(
            f"cannot write {display_path(Path(str(where)))}: {error.strerror}; "
            "nothing was changed in the output folder"
        ) from error
    except BaseException:
        discard(staged)
        raise
    return staged


def publish(staged: list[tuple[Path, Path]]) -> None:
    """Move staged files into place (a rename each: a reader never sees half a file)."""
    for index, (temporary, path) in enumerate(staged):
        try:
            os.replace(temporary, path)
        except OSError as error:
            discard(staged[index:])
            raise UserError(f"cannot write {display_path(path)}: {error.strerror}") from error


def discard(staged: list[tuple[Path, Path]]) -> None:
    for temporary, _path in staged:
        temporary.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes) -> None:
    """Write one file via a temporary file and a rename."""
    publish(stage([(path, data)]))
