"""What a build is asked to do: the folders and the choices of the command line.

The build command and `serve` both make their options with `from_arguments`, so that a
rebuild of the live preview is the same build as `python build.py` with the same flags.
Standard library only: the build command reads the options before it knows whether anything
needs loading (see `handout.build.inputs`).
"""

from __future__ import annotations

import argparse
import datetime
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildOptions:
    """The paths and choices of one build (`handout.build.pipeline.build`)."""

    content: Path
    """The content folder (project.yaml, regions, records, translations)."""
    templates: Path
    """The templates of the printed materials."""
    out: Path
    """The output folder: PDFs, manifest, gallery, and the state of the incremental build."""
    regions: tuple[str, ...] | None = None
    """Build only these regions (None: all)."""
    languages: tuple[str, ...] | None = None
    """Build only these languages (None: all)."""
    materials: tuple[str, ...] | None = None
    """Build only these materials (None: all)."""
    strict: bool = False
    """Warnings (stale facts, hard texts, outdated translations) fail the build."""
    card_sheet: str | None = None
    """Paper of the cards' print copies (None: project.yaml's `print.card_sheet`)."""
    press: bool = False
    """Also write the print shop's press copies."""
    jobs: int = 1
    """Render in this many worker processes."""
    force: bool = False
    """Render every variant, even those whose fingerprint says they are unchanged."""
    shard: tuple[int, int] | None = None
    """Build only shard K of N (1-based) of the chosen variants."""
    today: datetime.date | None = None
    """The day that decides which facts are due for re-checking (None: the date)."""
    inputs_digest: str | None = None
    """The digest of the inputs (see `handout.build.inputs`) to record when the build succeeds,
    so that the next build with the same inputs stops at once; None records nothing."""
    overwrite: bool = False
    """Write into an output folder that holds files handout did not write (--overwrite)."""
    first: tuple[tuple[str, str, str], ...] = ()
    """Variants as (region, language, material), in order of preference: the first of them
    that must be rendered is rendered and published before the others (in `serve`, the one
    on screen). It changes only the order, never what is written."""
    publish_every: int = 0
    """Publish the rendered variants this many at a time (with their gallery page), so that
    `serve` shows each soon after it renders; 0: all at once. A failed build then keeps the
    sets published before it, even in a folder it made."""
    keep_going: bool = False
    """A variant that cannot be made (it does not fit, or fails a check) is left as it was
    (its last good PDF stays, nothing half made is written) and the others are still made
    and published; the build then fails naming it (`VariantsFailed`). For `serve`, so one
    card that does not fit does not hide all the others."""
    only: tuple[tuple[str, str, str], ...] | None = None
    """Of the chosen variants, plan and render only the first of these that is chosen
    (None: all of them), and write nothing when none is; with `checks_later`, `serve`
    builds the variant on screen alone before the others."""
    checks_later: bool = False
    """Skip the checks over the whole content (characters no font has, translations that
    must not be printed, the templates' contrast), and read only the catalogs of the
    languages built: the caller runs a whole build after this one, which makes them
    (`serve` publishes the variant on screen first)."""

    def output_choices(self) -> dict:
        """The choices that change what a build writes (not `jobs`, say), as the command
        line spells them: part of the inputs' digest."""
        listed = {"region": self.regions, "lang": self.languages, "material": self.materials}
        return {
            **{name: list(value) if value is not None else None for name, value in listed.items()},
            "strict": self.strict,
            "card_sheet": self.card_sheet,
            "press": self.press,
            "shard": self.shard,
        }


def from_arguments(arguments: argparse.Namespace) -> BuildOptions:
    """The options of the parsed command line (of the build command or `serve`, which has
    no --strict, --press, ...: those keep their defaults)."""

    def chosen(name: str) -> tuple[str, ...] | None:
        value = getattr(arguments, name, None)
        return tuple(value) if value is not None else None

    return BuildOptions(
        content=arguments.content,
        templates=arguments.templates,
        out=arguments.out,
        regions=chosen("region"),
        languages=chosen("lang"),
        materials=chosen("material"),
        strict=getattr(arguments, "strict", False),
        card_sheet=getattr(arguments, "card_sheet", None),
        press=getattr(arguments, "press", False),
        jobs=getattr(arguments, "jobs", 1),
        force=getattr(arguments, "force", False),
        shard=getattr(arguments, "shard", None),
        overwrite=getattr(arguments, "overwrite", False),
    )
