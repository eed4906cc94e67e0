"""The build, as a pipeline: load and validate all content, render every variant, check
each one, and only then write the PDFs. A failure anywhere writes nothing."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from handout import compose
from handout.check import page_problems
from handout.errors import BuildError, UserError
from handout.load import Content, display_path, load_content
from handout.materials import MATERIALS
from handout.validate import validate_references


@dataclass(frozen=True)
class Variant:
    region: str
    language: str
    material: str

    def path(self, out: Path) -> Path:
        return out / self.region / self.language / f"{self.material}.pdf"

    def __str__(self) -> str:
        return f"{self.region}/{self.language}/{self.material}"


@dataclass(frozen=True)
class Built:
    variant: Variant
    path: Path
    pages: int
    unverified: int


def load(content_dir: Path) -> Content:
    """Read and validate a content folder (raises ContentErrors listing every problem)."""
    content = load_content(content_dir)
    validate_references(content)
    return content


def variants(
    content: Content, regions: list[str] | None, materials: list[str] | None
) -> list[Variant]:
    for name in regions or []:
        if name not in content.regions:
            raise UserError(f"no region `{name}`; known regions: {', '.join(content.regions)}")
    for name in materials or []:
        if name not in MATERIALS:
            raise UserError(f"no material `{name}`; known materials: {', '.join(MATERIALS)}")
    return [
        Variant(region, language, material)
        for region in regions or sorted(content.regions)
        for language in content.project.languages
        for material in materials or MATERIALS
    ]


def build(
    content_dir: Path,
    templates_dir: Path,
    out_dir: Path,
    regions: list[str] | None = None,
    materials: list[str] | None = None,
    report: Callable[[str], None] = print,
) -> list[Built]:
    """Build the chosen variants into `out_dir`; returns what was written."""
    from handout.render import Renderer  # imports WeasyPrint: only when rendering

    content = load(content_dir)
    chosen = variants(content, regions, materials)
    renderer = Renderer(templates_dir)
    finished = []
    for variant in chosen:
        started = time.perf_counter()
        material = MATERIALS[variant.material]
        context = compose.COMPOSERS[variant.material](content, variant.region, variant.language)
        context["text"] = content.text
        context["project"] = content.project
        rendered = renderer.render(material, context, str(variant))
        problems = page_problems(material, rendered)
        if problems:
            raise BuildError(f"{variant}: " + "; ".join(problems))
        seconds = time.perf_counter() - started
        finished.append((variant, rendered, context["view"], seconds))
    built = []
    for variant, rendered, view, seconds in finished:
        path = variant.path(out_dir)
        write_atomically(path, rendered.pdf)
        built.append(Built(variant, path, rendered.pages, len(view.unverified)))
        note = f", {len(view.unverified)} unverified facts marked" if view.unverified else ""
        pages = f"{rendered.pages} page{'s' if rendered.pages != 1 else ''}"
        report(f"  {display_path(path)}  {pages}{note}  ({seconds:.2f} s)")
    return built


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a reader never sees half a PDF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
