"""A progress bar while variants render, on a terminal only: logs (CI, files, pipes) get
the plain per-variant and summary lines and nothing else."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

SHOWN_FROM = 5
"""Builds of fewer variants than this finish too fast for a bar to help."""


class ProgressBar:
    """A `progress(done, total)` callback for `pipeline.build` that draws a tqdm bar on the
    terminal (and disappears when done). tqdm is imported only when a bar is drawn."""

    def __init__(self, stream: TextIO | None = None, shown_from: int = SHOWN_FROM) -> None:
        self.stream = stream or sys.stderr
        self.shown_from = shown_from
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if done == 0:
            self.close()
            if total >= self.shown_from and self.stream.isatty():
                from tqdm import tqdm

                self.bar = tqdm(
                    total=total, desc="Rendering", unit="variant", leave=False, file=self.stream
                )
        elif self.bar is not None:
            self.bar.update(done - self.bar.n)
            if done >= total:
                self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *_exception: object) -> None:
        self.close()


class Remembered:
    """A report that keeps the warnings and notes, to repeat them when nothing changed."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self.report = report
        self.warnings: list[str] = []

    def __call__(self, line: str) -> None:
        if line.startswith(("warning:", "note:")):
            self.warnings.append(line)
        self.report(line)
