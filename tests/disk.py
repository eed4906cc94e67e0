"""Real full disks for the tests of writes: a process whose files may not grow past a size
(`RLIMIT_FSIZE`: a write fails part-way with EFBIG, as on a full disk), and a small tmpfs
filled to the last byte (ENOSPC), when this machine lets the tests mount one."""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT


def limited(size: int) -> Callable[[], None]:
    """A `preexec_fn`: the process's files may not grow past `size` bytes (Python ignores
    SIGXFSZ, so the write fails with EFBIG instead of killing it)."""

    def limit() -> None:
        _soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))

    return limit


def run_limited(size: int, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """`python build.py ARGS` with its files limited to `size` bytes."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *map(str, args)], capture_output=True,
        text=True, cwd=ROOT, timeout=300, preexec_fn=limited(size),
    )  # fmt: skip


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (but the content lock's, which a writer may create)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in (".handout.lock", "filler")
    }


@contextlib.contextmanager
def full_disk(folder: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of `folder` on a tmpfs of 1 MiB, the rest of which is then filled: nothing
    more can be written there (ENOSPC). Skips the test where mounting is not allowed."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        copy = Path(shutil.copytree(folder, disk / folder.name))
        with open(disk / "filler", "wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"\0" * 4096)
            except OSError as error:
                assert error.errno == errno.ENOSPC
        os.sync()
        yield copy
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)
