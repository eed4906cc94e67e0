"""One writer of the content folder at a time.

The editor checks that a file is as the form was made from, spends a second or more checking
a copy of the whole content with the change, then writes. `mark-checked`, `import-hsds`
and `translations update` run in other processes and work the same way. Without a lock, a
change made by one of them in between was overwritten, and the editor said "saved". So every
writer of the content folder holds this lock from its last look at the files it writes to
their rename, and compares each file with what it read just before the rename
(`handout.content.files`). A text editor takes no lock; the comparison still catches its
save, unless it lands in the instant between the comparison and the rename.

The lock is an exclusive `flock` on the content folder itself (the output folder's lock,
`handout.build.lock`, is a file in it; here a file would show in the content's `git status`
and be committed by `git add .`). Like any `flock`, it is released by the system when the
process ends, even killed. Where `flock` is missing (Windows), `filelock` locks a file
`.handout.lock` in the folder instead.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from handout.content.errors import UserError, display_path

LOCK = ".handout.lock"
"""The lock file where `flock` is missing."""
POLL_SECONDS = 0.05
"""How often a writer that waits at most a while looks whether the lock is free."""


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@contextlib.contextmanager
def content_lock(
    content_root: Path, report: Callable[[str], None] = _to_stderr, timeout: float = -1
) -> Iterator[None]:
    """Hold the content folder while writing in it. If another writer holds it, report
    that and wait (`timeout` seconds at most, then `UserError`; negative: until it is free)."""
    where = display_path(content_root)
    waiting = (
        f"waiting: another handout command (the editor, mark-checked, import-hsds or "
        f"translations update) is writing in the content folder {where}; this one goes on "
        "when it is done (Ctrl-C stops)"
    )
    busy = (
        f"the content folder {where} is still being written by another handout command; "
        "nothing was written. Try again in a moment"
    )
    try:
        import fcntl
    except ImportError:  # Windows
        with _file_lock(content_root, report, timeout, waiting, busy):
            yield
        return
    try:
        handle = os.open(content_root, os.O_RDONLY)
    except OSError as error:
        raise UserError(
            f"cannot lock the content folder {where}: {error.strerror}; nothing was written"
        ) from error
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            report(waiting)
            _wait(handle, timeout, busy)
        yield
    finally:
        os.close(handle)  # lets go of the lock


def _wait(handle: int, timeout: float, busy: str) -> None:
    import fcntl

    if timeout < 0:
        fcntl.flock(handle, fcntl.LOCK_EX)  # Ctrl-C interrupts it
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise UserError(busy) from None
            time.sleep(POLL_SECONDS)


@contextlib.contextmanager
def _file_lock(
    content_root: Path, report: Callable[[str], None], timeout: float, waiting: str, busy: str
) -> Iterator[None]:
    from filelock import FileLock, Timeout

    lock = FileLock(str(content_root / LOCK), thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        report(waiting)
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise UserError(busy) from None
    try:
        yield
    finally:
        lock.release()
