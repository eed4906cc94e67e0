"""The saves `serve` rebuilds after: told by the editor as it saves (at once) and by the
file watcher (any other editor), waited for by the builder, and asked by a running rebuild
whether it is still wanted (a newer save stops it: see `handout.preview.rebuild`).

A file saved by the editor is told twice: by the editor, then by the watcher a moment
later. Each file is told with a digest of its bytes, so the second telling, of the same
bytes, is no news (it would stop the rebuild the first one started).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from handout.content.errors import display_path

WATCH_STEP_MS = 20
"""How long the watcher waits for more changes after one before it tells them (a save is
one rename; watchfiles' default is 50 ms)."""


class Changes:
    """The files saved since the builder last took them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.event = threading.Event()
        self.names: set[str] = set()
        self.digests: dict[str, str | None] = {}
        """Each file told so far -> the digest of its bytes then (None: it was removed)."""

    def saved(self, paths: Iterable[Path]) -> bool:
        """`paths` were saved (or removed): the builder is woken, and a running rebuild told
        it is out of date, unless each file holds the bytes it was last told with. Returns
        whether that was news."""
        news = []
        for path in paths:
            key, digest = os.path.abspath(path), _digest(Path(path))
            with self.lock:
                if key in self.digests and self.digests[key] == digest:
                    continue
                self.digests[key] = digest
            news.append(display_path(Path(path)).as_posix())
        if news:
            with self.lock:
                self.names.update(news)
                self.event.set()
        return bool(news)

    def pending(self) -> bool:
        """Whether a save came since the builder last took them (the running build is out
        of date then)."""
        return self.event.is_set()

    def take(self, timeout: float) -> list[str] | None:
        """Wait up to `timeout` seconds for saves; the files saved since the last call
        (None: none came)."""
        if not self.event.wait(timeout):
            return None
        with self.lock:
            self.event.clear()
            names, self.names = sorted(self.names), set()
        return names


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:  # removed, or a folder
        return None


def _people_see(name: str) -> bool:
    """Whether a changed file is one a person edits: not a hidden file, such as the
    temporary file a save writes before it renames it into place (`.x.yaml.1a2b.tmp`),
    the content folder's lock or an editor's swap file."""
    return not name.startswith(".") and not name.endswith(("~", ".swp", ".tmp"))


class SeenByPeople:
    """watchfiles' default filter (no .git, no caches), and only the files people edit:
    a save is reported once, as the file it changed, and starts one rebuild."""

    def __init__(self) -> None:
        import watchfiles

        self.default = watchfiles.DefaultFilter()

    def __call__(self, change: object, path: str) -> bool:
        return self.default(change, path) and _people_see(Path(path).name)


def start_watching(
    folders: Iterable[Path], changes: Changes, stop: threading.Event
) -> threading.Thread:
    """Watch `folders` in a thread (until `stop` is set) and tell `changes` of each file
    saved there that people edit (see `SeenByPeople`)."""
    import watchfiles

    watched = list(folders)
    ready = threading.Event()

    def run() -> None:
        ready.set()
        for batch in watchfiles.watch(
            *watched,
            watch_filter=SeenByPeople(),
            stop_event=stop,
            step=WATCH_STEP_MS,
            raise_interrupt=False,
        ):
            changes.saved(Path(path) for _change, path in batch)

    thread = threading.Thread(target=run, name="watch", daemon=True)
    thread.start()
    ready.wait(5)
    return thread
