"""Writing the output folder: every file is written in full to a temporary file beside its
place (`.<name>.<random>.tmp`), then renamed into place, so a reader (or a killed build)
never sees half a file.

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
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from handout.content.errors import UserError, display_path


def stage(files: list[tuple[Path, bytes]]) -> list[tuple[Path, Path]]:
    """Write every file's bytes to a temporary file beside its final path. If any write
    fails, the temporary files are removed and nothing of the previous output changed.

    Each file gets the mode it will keep: a new file the one the umask gives (0644 under
    umask 022), a rewritten file the mode it had (`mkstemp` alone would make both 0600)."""
    staged: list[tuple[Path, Path]] = []
    new_file_mode = 0o666 & ~current_umask()
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
            )
            staged.append((Path(temporary), path))
            with os.fdopen(handle, "wb") as stream:
                os.fchmod(stream.fileno(), _mode_of(path, new_file_mode))
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


def _mode_of(path: Path, new_file_mode: int) -> int:
    """The mode `path` has if it exists (a rewritten file keeps it), else `new_file_mode`."""
    try:
        found = path.stat()
    except OSError:
        return new_file_mode
    return stat.S_IMODE(found.st_mode) if stat.S_ISREG(found.st_mode) else new_file_mode


def current_umask() -> int:
    """The process's umask. Linux shows it in /proc (reading it elsewhere means setting it
    for a moment)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def publish(staged: list[tuple[Path, Path]]) -> None:
    """Move staged files into place (a rename each: a reader never sees half a file), all
    of them before a Ctrl-C or SIGTERM is acted on."""
    with _signals_held():
        for index, (temporary, path) in enumerate(staged):
            try:
                make_way(path)
                os.replace(temporary, path)
            except (OSError, UserError) as error:
                discard(staged[index:])
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


STOPPING = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back (they arrive when this ends)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def is_leftover(name: str) -> bool:
    """A temporary file of `stage` (or of an older handout), left by a killed build."""
    return name.startswith(".") and name.endswith(".tmp")


def remove_leftovers(out_dir: Path) -> None:
    """Remove the temporary files a killed build left in the output folder (called with
    the folder locked, so no running build's files are touched)."""
    for folder, _folders, names in os.walk(out_dir):
        for name in names:
            if is_leftover(name):
                with contextlib.suppress(OSError):
                    (Path(folder) / name).unlink()


def discard(staged: list[tuple[Path, Path]]) -> None:
    for temporary, _path in staged:
        temporary.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes) -> None:
    """Write one file via a temporary file and a rename."""
    publish(stage([(path, data)]))
