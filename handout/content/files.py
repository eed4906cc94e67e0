"""Every file the project writes is written here: content files, translation catalogs,
schemas, the output folder (PDFs, thumbnails, manifest, gallery, state), the verify sheet,
the README previews, the editor's history, the files of an import.

A file is never written in place. Its new bytes go to a temporary file beside it
(`.<name>.<random>.tmp`, in the same folder, so on the same file system), are flushed to
the disk (`fsync`), and the temporary file is then renamed over the file: a reader, a
killed process or a full disk leaves the old file or the new one, never half of one
(`mark-checked` once truncated a content file when the disk filled up, `translations update`
a catalog). A rewritten file keeps its mode; a new one gets the mode the umask gives
(0644 under umask 022), as any program's new file does. A text written over a file whose
lines all end in CRLF keeps CRLF (`in_line_ends_of`).

A write may be told what the file held when the writer read it (`was`): it is compared
again just before the rename, and a file someone else changed meanwhile is left alone
(`Changed`). Writers of the content folder hold its lock (`handout.content.lock`) from
that comparison to the rename, so no other handout command slips in between.

A failed write is a `WriteFailed` (a `UserError`: exit 1), whose message names the file
and says it was not changed. A test (tests/content/test_files.py) fails on any write in the
package outside this module.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from handout.content.errors import UserError, display_path


class _Anything:
    """The `was` of a write that does not care what the file held."""

    def __repr__(self) -> str:
        return "ANYTHING"


ANYTHING: Final = _Anything()
Expected = str | bytes | None | _Anything
"""What a file must hold for a write to go ahead: its text as `Path.read_text` gives it
(line ends made `\\n`), its exact bytes, None (it must not exist), or `ANYTHING`."""

Data = str | bytes
"""A file's new content: text is written as UTF-8, its line ends as they are."""


class WriteFailed(UserError):
    """A file could not be written (disk full, no permission, ...); it was not changed."""


class Changed(UserError):
    """Someone else changed a file after the writer read it; nothing was written."""

    def __init__(self, path: Path, now: str | None) -> None:
        self.path = path
        self.now = now
        """The file's text now (None if it is gone or not UTF-8)."""
        super().__init__(
            f"{display_path(path)} was changed by someone else while this change was being "
            "made; nothing was written. Run it again on the new version"
        )


DISK_FULL = frozenset({errno.EFBIG, errno.ENOSPC, errno.EDQUOT})
"""The errors of a write that found no room (a file too large for the limit, a full disk,
a full quota)."""

LEFTOVER = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
"""The name of a temporary file of `staged` (`tempfile.mkstemp`'s 8 random characters), left
behind by a process killed outright before its rename."""


def is_leftover(name: str) -> bool:
    """Whether a file name is one of our temporary files, which only a killed writer leaves
    (a user's own `.notes.tmp` is not)."""
    return LEFTOVER.fullmatch(name) is not None


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


def mode_for(path: Path) -> int:
    """The mode `path` is to have: its own if it exists (a rewritten file keeps it), else
    what the umask gives a new file (`mkstemp` alone would make every file 0600)."""
    try:
        found = path.stat()
    except OSError:
        found = None
    if found is not None and stat.S_ISREG(found.st_mode):
        return stat.S_IMODE(found.st_mode)
    return 0o666 & ~current_umask()


def in_line_ends_of(path: Path, data: Data) -> Data:
    """`data` with the line ends `path` has: a text read with `Path.read_text` (line ends
    made `\n`) and written back to a file whose every line ends in CRLF (as Windows editors
    and git's `autocrlf` leave them) keeps CRLF, so that a change of one line does not
    change every line of the file."""
    if not isinstance(data, str) or "\n" not in data or "\r" in data:
        return data
    try:
        with path.open("rb") as stream:
            found = stream.read(MAX_LINE_END_PROBE)
    except OSError:
        return data
    if b"\r\n" not in found or found.count(b"\n") != found.count(b"\r\n"):
        return data
    return data.replace("\n", "\r\n")


MAX_LINE_END_PROBE = 1 << 20
"""How much of an existing file is read to see its line ends."""


def _bytes(data: Data) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def staged(path: Path, data: Data) -> Path:
    """Write `data` to a new temporary file beside `path`, with the mode `path` is to have,
    flushed to the disk; returns the temporary file. Raises `OSError` (having removed the
    temporary file) when it cannot be written."""
    data = _bytes(data)  # before any file exists: an unencodable text changes nothing
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), mode_for(path))
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def put_in_place(temporary: Path, path: Path) -> None:
    """Rename a staged file over `path` (atomic), and flush the folder so the rename
    survives a power cut."""
    os.replace(temporary, path)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def holds(path: Path, was: Expected) -> bool:
    """Whether `path` holds what `was` says (see `Expected`)."""
    if isinstance(was, _Anything):
        return True
    try:
        found = path.read_bytes()
    except FileNotFoundError:
        return was is None
    except OSError:
        return False
    if was is None:
        return False
    if isinstance(was, bytes):
        return found == was
    return _text(found) == was


def _text(data: bytes) -> str | None:
    """A file's text as `Path.read_text` gives it (universal line ends), None if not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _changed(path: Path) -> Changed:
    try:
        now = _text(path.read_bytes())
    except OSError:
        now = None
    return Changed(path, now)


def _failed(path: Path, error: OSError, nothing: str) -> WriteFailed:
    reason = error.strerror or str(error)
    return WriteFailed(f"cannot write {display_path(path)}: {reason}; {nothing}")


def write(path: Path, data: Data, was: Expected = ANYTHING) -> None:
    """Replace `path` with `data` at once (see the module's docstring), if it still holds
    what `was` says. Raises `WriteFailed` or `Changed`; the file is unchanged then."""
    write_all([(path, data)], {path: was})


def write_all(
    files: Sequence[tuple[Path, Data]],
    was: Mapping[Path, Expected] | None = None,
    nothing: str = "",
) -> None:
    """Write several files as one set: every one is staged before any is renamed, and each
    must still hold what `was` says (default: anything) just before the renames; the renames
    are not interrupted by Ctrl-C or SIGTERM. If a file cannot be written or has changed,
    none is (`WriteFailed`, `Changed`). `nothing`: how the message says nothing changed."""
    was = was or {}
    done: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            try:
                done.append((staged(path, in_line_ends_of(path, data)), path))
            except OSError as error:
                single = f"{display_path(path)} was not changed"
                raise _failed(path, error, nothing or single) from error
        for _temporary, path in done:
            if not holds(path, was.get(path, ANYTHING)):
                raise _changed(path)
        with signals_held():
            placed: list[Path] = []
            while done:
                temporary, path = done[0]
                try:
                    put_in_place(temporary, path)
                except OSError as error:
                    also = ", ".join(str(display_path(other)) for other in placed)
                    said = f"it was not changed{f' (but {also} were written)' if also else ''}"
                    raise _failed(path, error, said) from error
                placed.append(done.pop(0)[1])
    finally:
        for temporary, _path in done:
            temporary.unlink(missing_ok=True)


def append_line(path: Path, line: str) -> None:
    """Add one line to a log (the editor's history): the earlier lines are never rewritten.
    The line starts on a line of its own even if the last one was cut short (a crash, a
    full disk), and a write that fails part-way is cut off again, so the log is as before.
    A new log gets the mode the umask gives."""
    data = line.rstrip("\n").encode("utf-8") + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
    except OSError as error:
        raise _failed(path, error, "the line was not added") from error
    try:
        size = os.fstat(handle).st_size
        try:
            if size and os.pread(handle, 1, size - 1) != b"\n":
                data = b"\n" + data
            written = 0
            while written < len(data):
                written += os.write(handle, data[written:])
            os.fsync(handle)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.ftruncate(handle, size)
            raise _failed(path, error, "it was not changed") from error
    finally:
        os.close(handle)


def scratch_copy(folder: Path, copy: Path, ignore: Callable[..., Any] | None = None) -> None:
    """Copy `folder` to `copy`, a new folder in a temporary folder, where a change is tried
    before it is made (the content checked with it): never a file of the project. A copy
    that cannot be made (no room in the temporary folder) is a `WriteFailed`."""
    try:
        shutil.copytree(folder, copy, ignore=ignore)
    except (OSError, shutil.Error) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        if isinstance(error, shutil.Error):
            reason = "; ".join(str(item[2]) for item in error.args[0][:1])
        raise WriteFailed(
            f"cannot copy {display_path(folder)} to {copy.parent} to check the change there "
            f"({reason}); nothing was written"
        ) from error


STOPPING = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back (they arrive when this ends), so that a set of renames
    is not left half done."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


class Seen:
    """The files of a folder as a command found them when it started (their bytes), so that
    it can write at the end only what nobody changed meanwhile (`Seen.was`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.files: dict[Path, bytes] = {}
        for place, folders, names in os.walk(self.folder):
            folders[:] = [name for name in folders if not name.startswith(".")]  # .git
            for name in names:
                path = Path(place) / name
                with contextlib.suppress(OSError):
                    if path.is_file():
                        self.files[path] = path.read_bytes()

    def was(self, path: Path) -> bytes | None:
        """What `path` held when the command started (None: it did not exist)."""
        return self.files.get(path.resolve())
