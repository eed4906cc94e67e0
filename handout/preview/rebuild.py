"""`python build.py serve`: a live preview of the gallery while the content is edited.

The output folder is served on 127.0.0.1. The content and templates folders are watched
(watchfiles); every save starts a build, which renders only the variants that changed (the
incremental build does that). The page in the browser hears of each new page (pushed, or
polled) and brings it in (its new thumbnails loaded first: see `live.js`). When the content
has a mistake (it does not load), the page shows it (file, line, fix) instead of the
previews, until the file is fixed. When only some variants cannot be made (a text too long
for its card), the others are still made and published (`keep_going`), and the page keeps
the gallery with the problem above it (see `handout.preview.problems`).

The variant on screen renders first, and alone: with each poll the page says which variant
it shows, and saving a record in the editor names the variants that print it (for when no
page is open). A rebuild first builds that one variant by itself: the content loaded, only
its language's catalog updated, only its HTML planned, rendered in this process (no worker
to start) and published with the gallery page, which the page brings in at once (pushed to
it: see `handout.preview.events`). Only then does the whole build run: the checks over the
whole content (a character no font has...), the plans of every variant, the renders of
those that changed, as many at a time as there are jobs, each set published with its
gallery page as soon as it is made: on a first start the gallery fills in instead of
staying empty for minutes. A mistake those later checks find is shown on the page as any
other (the variant on screen may have been published before it). The terminal counts the
PDFs ("[3/36] output/danbury/es/flyer.pdf ..."), and the page shows how far the build is
("3 of 36 PDFs done", the latest one).

A save never waits for a rebuild of older content: the files are watched in a thread (and
the editor tells of its own saves at once, `handout.preview.changes`); a rebuild asks
before each planning step and each set whether a save came since it started, and if so
stops there (its worker processes with it; the sets published before are whole) and
starts over with the new content, the variant on screen first.

While a rebuild replaces thumbnails, the ones the open page shows stay served (see
`handout.preview.kept`).

The reload script is added to the page as it is served; `index.html` on disk stays the
plain gallery that works from a folder without a server.

The pages are a Starlette app (`handout.editor.app`) run by uvicorn in a thread; the main
thread builds, a third thread watches the files. `rebuild` is the one place a build starts.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from handout.build.batches import Cancelled
from handout.build.options import BuildOptions, from_arguments
from handout.content.errors import ContentErrors, UserError, counted, display_path
from handout.preview.changes import start_watching
from handout.preview.live import Preview

if TYPE_CHECKING:
    from handout.build.pipeline import Built

WAKE_S = 0.5
"""How often the builder, waiting for a save, looks up (so that Ctrl-C is seen)."""


def rebuild(options: argparse.Namespace, preview: Preview) -> bool:
    """One build, the same as the build command's with these options: the variant on screen
    alone first (planned, rendered and published before anything else is planned), then the
    others a few at a time, each set shown as soon as it is published; its progress and
    outcome (success or mistake) go to the terminal and the page. Returns False when a newer
    save stopped it (the caller starts again)."""
    preview.started()
    started = time.perf_counter()
    error: BaseException | None = None
    chosen = from_arguments(options)
    focus = preview.focus()
    built: list[Built] = []
    try:
        built = on_screen_first(chosen, focus, preview)
        first = len(built)

        def progress(done: int, total: int) -> None:
            preview.progress(first + done, first + total)

        built += build_all(chosen, focus, preview, progress)
    except Cancelled:
        print("A newer save came: building again with it.", flush=True)
        return False
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
    return True


def on_screen_first(
    chosen: BuildOptions, focus: tuple[tuple[str, str, str], ...], preview: Preview
) -> list[Built]:
    """Build the variant on screen alone (the first of `focus` the options choose, say the
    record's pocket card in the first region this serve builds): only its own language's
    catalog read, only its HTML planned, the checks over the whole content left to the
    build of all that follows; rendered in this process (no workers to start) and published
    with its gallery page. A mistake of that variant alone (it does not fit) is shown at
    once, and the build of the others goes on; a mistake of the content stops it all."""
    if not focus:
        return []
    from handout.build.pipeline import build

    alone = replace(
        chosen,
        only=focus,
        checks_later=True,
        keep_going=True,
        inputs_digest=None,
        first=(),
        publish_every=0,
        jobs=1,
    )
    try:
        return build(
            alone, report=preview.report, progress=preview.progress, published=preview.published
        )
    except ContentErrors:
        raise
    except UserError as problem:
        preview.problem(problem)
        return []


def build_all(
    chosen: BuildOptions,
    focus: tuple[tuple[str, str, str], ...],
    preview: Preview,
    progress: Callable[[int, int], None],
) -> list[Built]:
    """The build of every variant (those unchanged since, the variant on screen among them,
    are not rendered again), stopped (`Cancelled`) as soon as a newer save comes."""
    from handout.build.pipeline import build

    return build(
        replace(
            chosen,
            first=focus,
            publish_every=max(1, chosen.jobs),
            keep_going=True,
        ),
        report=preview.report,
        progress=progress,
        published=preview.published,
        cancelled=preview.changes.pending,
    )


def content_loads(folder: Path) -> bool:
    """Whether the content folder loads (the editor can open its records then, even when
    the build failed later, on a card that does not fit, say)."""
    from handout.content.load import load

    try:
        load(folder)
    except Exception:  # a mistake, or a bug in loading: the editor would fail the same way
        return False
    return True


def watch(options: argparse.Namespace, preview: Preview, stop: threading.Event) -> None:
    """Build once, then again after every save in the content or templates folder, until
    `stop` is set (Ctrl-C or SIGTERM, which also interrupt the build under way). The files
    are watched from the start, in a thread: a save made while a build runs stops it at its
    next set, and the build starts again with it."""
    print("Reading the content and checking what needs building…", flush=True)
    warm_up()  # before the first build: then the renders of every rebuild start warm
    watcher = start_watching((options.content, options.templates), preview.changes, stop)
    try:
        done = rebuild(options, preview)
        print(f"Watching {display_path(options.content)} and {display_path(options.templates)}")
        while not stop.is_set():
            names = preview.changes.take(0 if not done else WAKE_S)
            if names is None and done:
                continue
            if names:
                print(f"Changed: {', '.join(names)}")
            done = rebuild(options, preview)
    finally:
        stop.set()
        watcher.join(timeout=5)


def warm_up() -> None:
    """Import the renderer and what it uses once, so that the rebuilds (and the worker
    processes they fork) do not pay for loading them again. Done before the first build,
    not between it and the watching: a save made while WeasyPrint loaded there went unseen
    (the page, reloaded at the end of the build, invites one at once)."""
    from handout.build.workers import preload

    preload()
