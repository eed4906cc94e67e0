"""`python build.py serve`: the live preview and the editor, rebuilt on every save."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

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


def run(options: argparse.Namespace) -> int:
    """Serve and rebuild until Ctrl-C (or SIGTERM)."""
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    signal.signal(signal.SIGTERM, signal.default_int_handler)
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
        watch(options, preview)
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()  # the event streams end, or uvicorn would wait for them
        server.stop()
    print("Stopped.")
    return 0
