"""`python build.py serve`: a live preview of the gallery while the content is edited.

The output folder is served on 127.0.0.1. The content and templates folders are watched
(watchfiles); every save starts a build, which renders only the variants that changed (the
incremental build does that). The page in the browser polls a small status endpoint and
brings in the new page when the build's outcome changed (its new thumbnails loaded first:
see `live.js`). When the content has a mistake (it does not load), the page shows it (file,
line, fix) instead of the previews, until the file is fixed. When only some variants cannot
be made (a text too long for its card), the others are still made and published
(`keep_going`), and the page keeps the gallery with the problem above it (see
`handout.preview.problems`).

The variant on screen renders first: with each poll the page says which variant it shows,
and saving a record in the editor names the variants that print it (for when no page is
open). A rebuild renders the first of those that changed, publishes it with the gallery
page (the page reloads and shows it), then renders the others as many at a time as there
are jobs, and publishes each set with its gallery page as soon as it is made: on a first
start the gallery fills in instead of staying empty for minutes. The terminal counts the
PDFs ("[3/36] output/danbury/es/flyer.pdf ..."), and the page polls how far the build is
("3 of 36 PDFs done", the latest one) and shows it.

While a rebuild replaces thumbnails, the ones the open page shows stay served (see
`handout.preview.kept`).

The reload script is added to the page as it is served; `index.html` on disk stays the
plain gallery that works from a folder without a server.

The pages are a Starlette app (`handout.editor.app`) run by uvicorn in a thread; the main
thread watches the files and builds. Saving in the editor writes a content file, which the
watcher sees like any other save: so `rebuild` is the one place a build starts.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from dataclasses import replace
from pathlib import Path

from handout.build.options import from_arguments
from handout.content.errors import UserError, counted, display_path
from handout.preview.live import Preview


def rebuild(options: argparse.Namespace, preview: Preview) -> None:
    """One build, the same as the build command's with these options (the variant on screen
    first, then the others a few at a time, each set shown as soon as it is published); its
    progress and outcome (success or mistake) go to the terminal and the page."""
    from handout.build.pipeline import build

    preview.started()
    started = time.perf_counter()
    error: BaseException | None = None
    chosen = from_arguments(options)
    try:
        built = build(
            replace(
                chosen,
                first=preview.focus(),
                publish_every=max(1, chosen.jobs),
                keep_going=True,
            ),
            report=preview.report,
            progress=preview.progress,
            published=preview.published,
        )
    except UserError as mistake:
        error = mistake
        print(f"error: {mistake}", file=sys.stderr, flush=True)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as bug:  # also a library's BaseException: the preview lives on
        error = bug
        traceback.print_exc()
    seconds = time.perf_counter() - started
    preview.finished(error, editor_open=error is None or content_loads(options.content))
    if error is None:
        unchanged = "" if built else " (nothing they print changed)"
        print(f"Rebuilt {counted(len(built), 'PDF')} in {seconds:.2f} s{unchanged}.", flush=True)
    else:
        print(f"Build failed after {seconds:.2f} s; the page shows why.", flush=True)


def content_loads(folder: Path) -> bool:
    """Whether the content folder loads (the editor can open its records then, even when
    the build failed later, on a card that does not fit, say)."""
    from handout.content.load import load

    try:
        load(folder)
    except Exception:  # a mistake, or a bug in loading: the editor would fail the same way
        return False
    return True


def watch(options: argparse.Namespace, preview: Preview) -> None:
    """Build once, then again after every save in the content or templates folder, until
    Ctrl-C (or SIGTERM)."""
    import watchfiles

    print("Reading the content and checking what needs building…", flush=True)
    warm_up()  # before the first build: then the files are watched as soon as it ends
    rebuild(options, preview)
    print(f"Watching {display_path(options.content)} and {display_path(options.templates)}")
    for changes in watchfiles.watch(
        options.content, options.templates, watch_filter=SeenByPeople()
    ):
        names = sorted({display_path(Path(path)).as_posix() for _change, path in changes})
        print(f"Changed: {', '.join(names)}")
        rebuild(options, preview)


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


def warm_up() -> None:
    """Import the renderer and what it uses once, so that the rebuilds (and the worker
    processes they fork) do not pay for loading them again. Done before the first build,
    not between it and the watching: a save made while WeasyPrint loaded there went unseen
    (the page, reloaded at the end of the build, invites one at once)."""
    from handout.build.workers import preload

    preload()
