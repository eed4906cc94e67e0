"""Benchmark: how long a build takes. Prints figures; asserts nothing.

    python bench/run.py [--runs N]

1. cold build: `python build.py` in a new process (imports included), all materials;
2. warm render time per material (Spanish) inside one process;
3. PDF size per material.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from handout.compose import compose  # noqa: E402
from handout.materials import MATERIALS  # noqa: E402
from handout.pipeline import Translations, load  # noqa: E402


def figures(samples: list[float]) -> str:
    return f"min {min(samples):.3f} s  median {statistics.median(samples):.3f} s"


def cold_build(runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, str(ROOT / "build.py"), "--out", out],
                check=True,
                capture_output=True,
            )
            samples.append(time.perf_counter() - started)
    return samples


def warm_renders(runs: int) -> dict[str, tuple[list[float], int]]:
    from handout.render import Renderer

    content = load(ROOT / "content")
    renderer = Renderer(ROOT / "templates")
    translator = Translations(content, ROOT / "templates").translator("es")
    region = sorted(content.regions)[0]
    results = {}
    for material_id, material in MATERIALS.items():
        context = compose(content, region, material_id, translator)
        renderer.render(material, context, material_id)  # warm-up
        samples, size = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            size = len(renderer.render(material, context, material_id).pdf)
            samples.append(time.perf_counter() - started)
        results[material_id] = (samples, size)
    return results


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=5)
    runs = options.parse_args().runs
    content = load(ROOT / "content")
    variants = len(content.regions) * len(content.project.languages) * len(MATERIALS)
    print(f"cold build (new process, all {variants} PDFs): {figures(cold_build(runs))}")
    for material_id, (samples, size) in warm_renders(runs).items():
        print(f"warm render {material_id:12s} {figures(samples)}  size {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
