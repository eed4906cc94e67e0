"""`python build.py serve`: the live preview and the editor, rebuilt on every save."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from handout.build.gallery import Labels
from handout.cli import arguments
from handout.content.errors import UserError, display_path
from handout.content.load import load
from handout.editor.app import Site, make_app
from handout.editor.security import allowed_hosts
from handout.preview.live import Preview
from handout.preview.rebuild import watch
from handout.preview.server import Server


def parser(root: Path) -> argparse.ArgumentParser:
    command = arguments.Parser(
        prog="python build.py serve",
        description="Live preview: build, serve the gallery and PDFs on 127.0.0.1, and rebuild "
        "what changed whenever a content or template file is saved; the open page reloads "
        "itself, and shows the mistake (file, line, fix) when the content has one.",
        epilog="examples:\n"
        "  python build.py serve                              then open http://127.0.0.1:8000/\n"
        "  python build.py serve --region danbury --lang es   a faster preview of a subset\n"
        "  python build.py serve --port 8080",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    arguments.folders(command, root)
    arguments.out(command, root)
    arguments.overwrite(command)
    command.add_argument(
        "--port",
        type=arguments.port,
        default=8000,
        help="port on 127.0.0.1 (default: 8000; 0: any free port)",
    )
    command.add_argument(
        "--commit",
        action="store_true",
        help="when the content folder is a git repository, commit each save made in the "
        "editor (default: save without committing)",
    )
    arguments.selection(command)
    arguments.jobs(command)
    return command


STOP_WITHIN_S = 20
"""How long `serve` may take to stop after Ctrl-C or SIGTERM before it ends at once."""

STOPPED = 130
"""The exit code of a serve ended by its watchdog or a second Ctrl-C (as `handout.cli.main`)."""


class Stopping:
    """Ctrl-C and SIGTERM for `serve`. The first raises KeyboardInterrupt in the main thread
    (the build stops its workers, the server its answers), sets `event` (the watching loop
    ends on it, even if a library swallowed the interrupt) and starts a watchdog that ends
    the process if stopping takes over `STOP_WITHIN_S` (a thread that never ends would keep
    it alive: a service manager or a test waits in vain). A second one ends it at once."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def install(self) -> None:
        signal.signal(signal.SIGINT, self.signalled)
        signal.signal(signal.SIGTERM, self.signalled)

    def signalled(self, _number: int, _frame: FrameType | None) -> None:
        if self.event.is_set():
            _end_now("stopped again")
        self.event.set()
        watchdog = threading.Timer(STOP_WITHIN_S, _end_now, args=("stopping took too long",))
        watchdog.daemon = True
        watchdog.start()
        raise KeyboardInterrupt


def _end_now(why: str) -> None:
    """End the process without waiting for its threads (the output folder is never left
    half-written: each set of files is published by renames)."""
    print(f"{why}: serve ends now.", file=sys.stderr, flush=True)
    sys.stdout.flush()
    os._exit(STOPPED)


def run(options: argparse.Namespace) -> int:
    """Serve and rebuild until Ctrl-C (or SIGTERM)."""
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    stopping = Stopping()
    stopping.install()
    try:
        labels = Labels.of(load(options.content))
    except UserError:
        labels = Labels()
    preview = Preview(options.out, labels.title, labels)
    site = Site(
        preview,
        options.content,
        options.out,
        options.templates,
        commit=getattr(options, "commit", False),
    )
    server = Server(lambda port: make_app(site, allowed_hosts(port)), options.port)
    url = f"http://127.0.0.1:{server.port}/"
    print(f"Serving the preview of {display_path(options.out)} at {url}  (Ctrl-C stops)")
    try:
        watch(options, preview, stopping.event)
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()  # the event streams end, or uvicorn would wait for them
        server.stop()
    print("Stopped.")
    return 0
