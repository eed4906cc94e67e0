"""Where variants render: in this process (one job), or in worker processes forked as soon as
the content is loaded.

Workers never outlive the build: each asks the system for a signal when its parent dies
(Linux: `prctl(PR_SET_PDEATHSIG)`; elsewhere a thread watches the parent), ignores Ctrl-C
(the build, which gets it too, stops them), and on SIGTERM removes WeasyPrint's temporary
font folder before it exits. A build stopped by SIGTERM or Ctrl-C stops its workers at once
instead of waiting for their renders.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handout.content.errors import BuildError
from handout.content.models import PrintSettings
from handout.layout.compose import compose
from handout.layout.materials import MATERIALS
from handout.render.checks import page_problems

if TYPE_CHECKING:
    from handout.build.plan import Plan, Translations, Variant
    from handout.content.read import Content


@dataclass
class Result:
    rendered: object
    print_pdf: bytes | None
    press_pdf: bytes | None
    preflight: str | None
    thumbnails: list[bytes]
    """The gallery's image of each page (made here, in the worker, to share the work)."""
    seconds: float


_WORKER: dict = {}
"""What a renderer process holds: the content, the catalogs, and WeasyPrint's renderers."""


class Workers:
    """Where variants render: this process (one job), or a pool of worker processes forked
    as soon as the content is loaded. Forked then, the workers inherit the loaded content
    and catalogs instead of loading them again, and import WeasyPrint while this process
    plans the build. If nothing turns out to need rendering, they go unused."""

    def __init__(
        self,
        content: Content,
        translations: Translations,
        templates: Path,
        press: bool,
        card_sheet: str | None,
        jobs: int,
        variants: int,
    ) -> None:
        _WORKER.update(
            content=content,
            translations=translations,
            templates=templates,
            press_copies=press,
            card_sheet=card_sheet,
            parent=os.getpid(),
        )
        self.pool = None
        if jobs > 1 and variants > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(
                max_workers=min(jobs, variants),
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_pool_worker,
            )
            self.pool.submit(int)  # a fork pool starts all its workers with its first task

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, failed: type[BaseException] | None, *exc: object) -> None:
        self.close(at_once=failed is not None)

    def close(self, at_once: bool = False) -> None:
        """Stop the worker processes: once the renders are done, or `at_once` when the build
        failed or was stopped (their renders are of no use then)."""
        pool, self.pool = self.pool, None
        if pool is not None:
            # Python 3.11 has no public list of a pool's processes (3.14: terminate_workers).
            known = getattr(pool, "_processes", None) or {}
            processes = list(known.values()) if at_once else []
            manager = getattr(pool, "_executor_manager_thread", None)  # shutdown forgets it
            pool.shutdown(wait=not at_once, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(10)
                if process.is_alive():
                    process.kill()
                    process.join(10)
            # Let the pool's manager thread finish closing its pipes now: left running, it
            # can close one while Python's exit hook writes to it ("Bad file descriptor"
            # traceback after a failed build).
            if manager is not None:
                manager.join(10)
        _stop_worker()

    def render(
        self,
        todo: list[Plan],
        progress: Callable[[int, int], None] | None = None,
        keep_going: bool = False,
    ) -> list[Result | BuildError]:
        """Render each planned variant; `progress(done, total)` is called as they finish.
        With `keep_going`, a variant that cannot be made gives its `BuildError` in its place
        instead of stopping the others."""
        if not todo:
            return []
        order = _longest_first([item.variant for item in todo])
        chosen = [(todo[index].variant, todo[index].html) for index in order]
        done = progress or (lambda _done, _total: None)
        done(0, len(chosen))
        results: dict[int, Result | BuildError] = {}
        renderer = _render_or_failure if keep_going else _render_variant
        if self.pool is None:
            _start_renderers()
            finished = map(renderer, chosen)
        else:
            finished = self.pool.map(renderer, chosen)
        for index, result in zip(order, finished, strict=True):
            results[index] = result
            done(len(results), len(chosen))
        return [results[index] for index in range(len(todo))]


def _longest_first(chosen: list[Variant]) -> list[int]:
    """The variants' indexes, longest renders first (booklets, then flyers, then cards):
    a worker that starts a booklet last would keep the others waiting."""
    rank = {"booklet": 0, "flyer": 1}  # the large-print ones with them (`Material.kind`)
    kinds = [MATERIALS[variant.material].kind for variant in chosen]
    return sorted(range(len(chosen)), key=lambda i: (rank.get(kinds[i], 2), i))


def preload() -> None:
    """Import now what a render needs later: WeasyPrint, the PDF tools (print copies,
    thumbnails), Pillow's image formats and ICU (quotation marks). A worker does it while
    the build still plans, instead of at its first render (0.1-0.2 s); `serve` does it
    once, so the workers of every rebuild fork with it done."""
    import babel.numbers  # noqa: F401
    import icu  # noqa: F401
    import pikepdf  # noqa: F401
    import pypdfium2  # noqa: F401
    from PIL import Image

    import handout.render.impose
    import handout.render.renderer
    import handout.render.thumbnails  # noqa: F401

    Image.init()  # every format plugin, as the first save would


def _start_renderers() -> None:
    """Import WeasyPrint and make the renderers (once per process)."""
    from handout.render.renderer import Renderer

    preload()
    templates = _WORKER["templates"]
    _WORKER.update(
        renderer=Renderer(templates),
        press=Renderer(templates, press=True) if _WORKER["press_copies"] else None,
    )


def _start_pool_worker() -> None:
    from multiprocessing.util import Finalize

    signal.signal(signal.SIGTERM, _stop_at_once)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the build, which stops us
    _watch_parent(_WORKER["parent"])
    _start_renderers()
    Finalize(None, _stop_worker, exitpriority=1)


PR_SET_PDEATHSIG = 1
"""Linux's prctl option: the signal this process gets when its parent ends."""


def _watch_parent(parent: int) -> None:
    """End this worker with SIGTERM when the build that forked it ends, even killed: an
    orphaned worker would otherwise wait for tasks forever (its siblings keep the task
    pipe open)."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0:
            if os.getppid() != parent:  # it ended before we asked
                _stop_at_once()
            return
    threading.Thread(target=_poll_parent, args=(parent,), name="watch-parent", daemon=True).start()


def _poll_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)


def _stop_at_once(*_signal: object) -> None:
    """SIGTERM in a worker: remove WeasyPrint's temporary font folders and exit now (the
    build is gone or stopping; no render of ours is wanted)."""
    import shutil

    for key in ("renderer", "press"):
        fonts = getattr(_WORKER.get(key), "font_config", None)
        folder = getattr(fonts, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    os._exit(1)


def _stop_worker() -> None:
    """Let go of the renderers while Python is still whole: WeasyPrint then removes the
    temporary folder holding the font files (at interpreter exit it cannot, and a pool
    worker exits without collecting anything)."""
    _WORKER.clear()
    gc.collect()


def _render_or_failure(task: tuple[Variant, str | None]) -> Result | BuildError:
    try:
        return _render_variant(task)
    except BuildError as failure:
        return failure


def _render_variant(task: tuple[Variant, str | None]) -> Result:
    """Render a variant from the HTML its plan made (composing its context again only if
    a template must be rendered anew: a press copy, a booklet without marked spare pages)."""
    from handout.render.preflight import preflight
    from handout.render.thumbnails import page_thumbnails

    started = time.perf_counter()
    variant, html = task
    content = _WORKER["content"]
    material = MATERIALS[variant.material]

    def context() -> dict:
        translator = _WORKER["translations"].translator(variant.language)
        return compose(content, variant.region, variant.material, translator)

    rendered = _WORKER["renderer"].render(material, context, str(variant), html)
    copy = print_copy(variant.material, rendered.pdf, content.project.print, _WORKER["card_sheet"])
    press_pdf = report = None
    if _WORKER["press"] is not None:
        press_copy = _WORKER["press"].render(material, context, f"{variant} (press)")
        reading = preflight(press_copy.pdf)
        problems = page_problems(material, press_copy) + reading.problems
        if problems:
            raise BuildError(f"{variant} (press): " + "; ".join(problems))
        press_pdf = press_copy.pdf
        report = reading.report(variant.press_path(Path(".")).as_posix())
    thumbnails = page_thumbnails(rendered.pdf, rendered.page_sizes[0])
    return Result(rendered, copy, press_pdf, report, thumbnails, time.perf_counter() - started)


def print_copy(
    material: str, pdf: bytes, settings: PrintSettings, card_sheet: str | None = None
) -> bytes | None:
    """The print-shop version of a reading copy: cards 10-up on a sheet (fronts, then
    backs for long-edge duplex), booklets 2-up in saddle-stitch order (the large-print one
    on 11 × 17 in sheets). The flyers' reading copies are already their print copies (the
    flyer's tear-off tabs have dashed cut lines)."""
    from handout.render import impose

    if material in ("pocket-card", "discreet-card"):
        layout = (
            impose.A4_CARDS if (card_sheet or settings.card_sheet) == "a4" else impose.AVERY_5371
        )
        return impose.card_sheet(pdf, layout, settings.offset_pt, settings.crop_marks)
    if MATERIALS[material].kind == "booklet":
        return impose.booklet_2up(pdf, page_size=MATERIALS[material].size_pt)
    return None
