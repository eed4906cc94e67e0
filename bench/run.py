"""Benchmark: how long builds take. Prints figures (min and median of --runs); asserts nothing.

    python bench/run.py [--runs N]

1. naive baseline: one `weasyprint` command-line process per reading copy, one after the
   other (what gluing the tools together by hand gives);
2. full cold build of every variant with --jobs 1 and with --jobs = cores;
3. warm render time per material inside one worker (ms), and the renderer's floor;
4. no-op rebuild (nothing changed);
5. rebuild after editing one region's phone number, and how many variants re-rendered;
6. PDF size per material;
7. `--check` of content with 1,000 and 10,000 imported records, and the part of it spent
   updating the translation catalogs in memory (`--imports-only` runs just this step);
8. `serve` of every region and language: from saving a phone number of a record in the
   editor's form to the server reporting a new page whose New Milford English pocket card
   shows its new thumbnail, that card being on screen (the bench polls as the open page
   does, naming it; `--serve-only` runs just this step);
9. a cold build of one pocket card and one flyer with 10,000 records in the content that
   neither prints, against the same build of the shipped content (`--printed-only`).
10. shards: a copy of the content with 300 regions (each shipped one copied 100 times), its
   pocket cards (900 PDFs) built whole, as `--shard 1/10`, `1/100` and `1/1000`: the
   ratios against 1/N plus a fixed cost, and that fixed cost step by step
   (`--shards-only` runs just this step).
11. per material, handout's warm render of a variant ÷ WeasyPrint alone laying out and
   writing the same final HTML (`--pipeline-only` runs just this step; goal ≤ 1.10×);
12. the booklet's ms per page with 5× the directory's records ÷ with 1× (the layout's cost
   should grow with the pages; `--booklet-pages-only` runs just this step; goal ≤ 1.05×).
13. the editions that are not PDFs: a cold build of every phone page and text message,
   in-process ms to make one of each, and the pages' sizes (`--editions-only`).
Ends with one line of ratios: speedup_vs_naive=… parallel_speedup=… noop_s=…
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from handout.build.plan import Translations, variants  # noqa: E402
from handout.content.load import load  # noqa: E402
from handout.layout.materials import MATERIALS, Material  # noqa: E402

if TYPE_CHECKING:
    from handout.render.rendered import Rendered
    from handout.render.renderer import Renderer

CONTENT, TEMPLATES = ROOT / "content", ROOT / "templates"


def figures(samples: list[float], unit: str = "s", scale: float = 1.0) -> str:
    low, middle = min(samples) * scale, statistics.median(samples) * scale
    return f"min {low:.3f} {unit}  median {middle:.3f} {unit}"


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return time.perf_counter() - started, result.stdout


def build_command(out: Path, *options: str, content: Path = CONTENT) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "build.py"),
        "--content",
        str(content),
        "--out",
        str(out),
        *options,
    ]


def naive_baseline(runs: int) -> list[float]:
    """Write each variant's HTML, then run the weasyprint CLI once per file."""
    from handout.layout import fonts
    from handout.layout.compose import compose
    from handout.layout.html import Templates

    content = load(CONTENT)
    translations = Translations(content, TEMPLATES)
    pages = Templates(TEMPLATES)

    samples = []
    with tempfile.TemporaryDirectory() as folder:
        htmls = []
        for variant in variants(content):
            context = compose(
                content, variant.region, variant.material, translations.translator(variant.language)
            )
            html = pages.html(MATERIALS[variant.material], context).replace(
                "<head>", f"<head><style>{fonts.font_face_css()}</style>", 1
            )
            path = Path(folder) / f"{variant.region}-{variant.language}-{variant.material}.html"
            path.write_text(html, encoding="utf-8")
            htmls.append(path)
        for _ in range(runs):
            started = time.perf_counter()
            for html in htmls:
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "weasyprint",
                        "--base-url",
                        f"{TEMPLATES}/",
                        str(html),
                        str(html.with_suffix(".pdf")),
                    ],
                    check=True,
                    capture_output=True,
                )
            samples.append(time.perf_counter() - started)
    return samples


def cold_builds(runs: int, jobs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            samples.append(timed(build_command(Path(out), "--jobs", str(jobs)))[0])
    return samples


def warm_renders(runs: int) -> dict[str, tuple[list[float], int, int]]:
    """Per material: render times in one warm worker, PDF size, pages (Spanish, Danbury)."""
    from handout.layout.compose import compose
    from handout.render.renderer import Renderer

    content = load(CONTENT)
    translations = Translations(content, TEMPLATES)
    renderer = Renderer(TEMPLATES)
    results = {}
    for material_id, material in MATERIALS.items():
        context = compose(content, "danbury", material_id, translations.translator("es"))
        rendered = renderer.render(material, context, material_id)  # warm-up
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            rendered = renderer.render(material, context, material_id)
            samples.append(time.perf_counter() - started)
        results[material_id] = (samples, len(rendered.pdf), rendered.pages)
    return results


def renderer_floor(warm: dict, jobs: int) -> float:
    """Sum of warm render times over the whole matrix / workers, plus one import."""
    content = load(CONTENT)
    count = len(content.regions) * len(content.project.languages)
    per_variant = sum(statistics.median(samples) for samples, _size, _pages in warm.values())
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import weasyprint"], check=True)
    return per_variant * count / jobs + (time.perf_counter() - started)


def print_cold_against_floor(runs: int, cores: int) -> tuple[list[float], list[float], dict]:
    """Steps 2-3: cold builds with one worker and with one per core, each material's warm
    render, and the cold build against what its renders alone take (the floor)."""
    one = cold_builds(runs, 1)
    many = cold_builds(runs, cores)
    print(f"2. cold build --jobs 1: {figures(one)}")
    print(f"   cold build --jobs {cores}: {figures(many)}")
    warm = warm_renders(max(runs, 5))
    for material_id, (samples, _size, pages) in warm.items():
        per_page = statistics.median(samples) / pages * 1000
        print(
            f"3. warm render {material_id:13s} {figures(samples, 'ms', 1000)}  "
            f"({per_page:.0f} ms/page)"
        )
    floor = renderer_floor(warm, cores)
    print(
        f"   renderer floor (warm renders / {cores} workers + one import): {floor:.2f} s; "
        f"cold build is {statistics.median(many) / floor:.2f}x the floor"
    )
    return one, many, warm


def rebuilds(runs: int, jobs: int) -> tuple[list[float], list[float], int]:
    noop, edited, rerendered = [], [], 0
    with tempfile.TemporaryDirectory() as folder:
        out, content = Path(folder) / "out", Path(folder) / "content"
        shutil.copytree(CONTENT, content)
        timed(build_command(out, "--jobs", str(jobs), content=content))
        for _ in range(runs):
            noop.append(timed(build_command(out, content=content))[0])
        local = content / "resources" / "local.yaml"
        for run in range(runs):
            text = local.read_text(encoding="utf-8")
            new = f"(860) 355-31{34 + run % 2}"
            local.write_text(re.sub(r"\(860\) 355-313\d", new, text, count=1), encoding="utf-8")
            seconds, output = timed(build_command(out, "--jobs", str(jobs), content=content))
            edited.append(seconds)
            rerendered = int(re.search(r"Built (\d+) PDFs", output)[1])
    return noop, edited, rerendered


IMPORT_SIZES = (1_000, 10_000)


def write_imported_records(content: Path, count: int) -> None:
    """`count` records as an HSDS import writes them (one file, each with its own English
    texts, all included in one region), so the catalogs gain three texts per record."""
    lines = ["records:"]
    for number in range(count):
        lines += [
            f"  - id: imported-{number}",
            f"    name: Community Service {number}",
            f"    helps_with: Food, clothing and rides for families in need, program {number}.",
            "    scope: local",
            f"    hours: Monday to Friday, 9 am to 5 pm, room {number}",
            "    phones:",
            f"      - number: (203) 555-{number % 10_000:04d}",
            "        kind: call",
            "    source: County directory",
            "    checked: 2026-11-01",
        ]
    (content / "resources" / "hsds-danbury.yaml").write_text("\n".join(lines) + "\n")
    region = content / "regions" / "danbury.yaml"
    ids = "".join(f"  - imported-{number}\n" for number in range(count))
    region.write_text(
        region.read_text(encoding="utf-8").replace("include:\n", "include:\n" + ids, 1)
    )


def large_imports(runs: int) -> dict[int, tuple[list[float], list[float]]]:
    """count -> (seconds of `--check`, seconds of the catalog update alone)."""
    found = {}
    for count in IMPORT_SIZES:
        with tempfile.TemporaryDirectory() as folder:
            content = Path(folder) / "content"
            shutil.copytree(CONTENT, content)
            write_imported_records(content, count)
            check = [
                timed(
                    [sys.executable, str(ROOT / "build.py"), "--check", "--content", str(content)]
                )[0]
                for _ in range(runs)
            ]
            loaded, catalogs = load(content), []
            for _ in range(runs):
                started = time.perf_counter()
                Translations(loaded, TEMPLATES)
                catalogs.append(time.perf_counter() - started)
            found[count] = (check, catalogs)
    return found


def print_large_imports(runs: int) -> None:
    """Each size's figures, then how much longer the largest takes than the smallest: 10×
    the records should take about 10× the time (linear), not 100× (quadratic)."""
    found = large_imports(runs)
    for count, (check, catalogs) in found.items():
        print(
            f"7. --check with {count:,} imported records: {figures(check)}  "
            f"(catalog update: {figures(catalogs)})"
        )
    (small, (check_s, catalogs_s)), (large, (check_l, catalogs_l)) = (
        min(found.items()),
        max(found.items()),
    )
    print(
        f"   {large:,} / {small:,} records: --check {min(check_l) / min(check_s):.1f}x, "
        f"catalog update {min(catalogs_l) / min(catalogs_s):.1f}x "
        f"(linear would be {large / small:.0f}x)"
    )


PRINTED_SIZE = 10_000


def printed_records(runs: int) -> tuple[list[float], list[float]]:
    """Seconds of a cold build of one pocket card and one flyer (Danbury, English), with
    the shipped content and with 10,000 imported records in Danbury that neither prints."""
    found = []
    for count in (0, PRINTED_SIZE):
        with tempfile.TemporaryDirectory() as folder:
            content = Path(folder) / "content"
            shutil.copytree(CONTENT, content)
            if count:
                write_imported_records(content, count)
            samples = []
            for run in range(runs):
                out = Path(folder) / f"out-{run}"
                command = build_command(out, "--region", "danbury", "--lang", "en", content=content)
                samples.append(timed([*command, "--material", "pocket-card", "flyer"])[0])
            found.append(samples)
    return found[0], found[1]


def print_printed_records(runs: int) -> None:
    """A card pays for what it prints: the build with 10,000 more records (which the card
    and flyer do not print) against the shipped content's (goal: within 2x)."""
    shipped, large = printed_records(runs)
    print(
        f"9. pocket card + flyer, {PRINTED_SIZE:,} records in the content / shipped content: "
        f"{min(large) / min(shipped):.1f}x  ({figures(large)} vs {figures(shipped)})"
    )


SHARD_REGIONS = 300
"""Regions of the content the shard step builds: each shipped region copied 100 times."""
SHARD_MATERIAL = "pocket-card"
"""The one material the shard step builds (300 regions × 3 languages = 900 PDFs)."""


def region_copy_id(region: str, number: int) -> str:
    return f"{region}-{number:03d}"


def write_many_regions(content: Path, count: int = SHARD_REGIONS) -> list[str]:
    """Replace the regions of the content folder `content` (a copy) by `count` copies of the
    shipped ones, each with its own id (file name, `danbury-042`) and name (`Danbury 42`),
    and point the sections' `only_in:`/`except_in:` lists at the copies of the regions they
    named. Records are shared, as towns of one state share most of theirs. Returns the ids."""
    folder = content / "regions"
    paths = sorted(folder.glob("*.yaml"))
    shipped = {path.stem: path.read_text(encoding="utf-8") for path in paths}
    for region in shipped:
        (folder / f"{region}.yaml").unlink()
    copies = -(-count // len(shipped))
    written = []
    for number in range(1, copies + 1):
        for region, text in shipped.items():
            if len(written) == count:
                break
            ident = region_copy_id(region, number)
            named = re.sub(r"^name: (.*)$", rf"name: \1 {number}", text, count=1, flags=re.M)
            (folder / f"{ident}.yaml").write_text(named, encoding="utf-8")
            written.append(ident)
    sections = content / "sections.yaml"
    sections.write_text(
        re.sub(
            r"^(\s*(?:only_in|except_in): )\[([^\]]*)\]",
            lambda found: found.group(1) + _copies_of(found.group(2), written),
            sections.read_text(encoding="utf-8"),
            flags=re.M,
        ),
        encoding="utf-8",
    )
    return written


def _copies_of(listed: str, written: list[str]) -> str:
    """A flow list of the ids in `written` that copy one of the ids of `listed`."""
    originals = [ident.strip() for ident in listed.split(",") if ident.strip()]
    chosen = [ident for ident in written if ident.rsplit("-", 1)[0] in originals]
    return "[" + ", ".join(chosen) + "]"


SHARDS = ("1/10", "1/100", "1/1000")


def shard_content(folder: Path, count: int = SHARD_REGIONS) -> Path:
    """A copy of the shipped content with `count` regions, in `folder`."""
    content = Path(shutil.copytree(CONTENT, folder / "content"))
    write_many_regions(content, count)
    return content


def built_count(stdout: str) -> int:
    found = re.search(r"^Built (\d+) PDF", stdout, flags=re.M)
    return int(found.group(1)) if found else 0


def shard_builds(content: Path, runs: int, jobs: int) -> dict[str, tuple[list[float], int]]:
    """Cold builds of `SHARD_MATERIAL` for every region and language: the whole set once (it
    takes minutes), each of `SHARDS` `runs` times. Label -> (seconds, PDFs built)."""
    found = {}
    for label in ("full", *SHARDS):
        shard = [] if label == "full" else ["--shard", label]
        samples, count = [], 0
        for _ in range(1 if label == "full" else runs):
            with tempfile.TemporaryDirectory() as out:
                command = build_command(
                    Path(out) / "out", "--material", SHARD_MATERIAL, "--jobs", str(jobs), *shard,
                    content=content,
                )  # fmt: skip
                seconds, stdout = timed(command)
            samples.append(seconds)
            count = built_count(stdout)
        found[label] = (samples, count)
    return found


def fixed_costs(content: Path, shard: str = SHARDS[-1]) -> dict[str, float]:
    """Seconds of each step a build takes before rendering, in this process (imports done):
    what every shard pays whatever its size. Planning is timed for one shard's variants."""
    from handout.build.options import BuildOptions
    from handout.build.plan import plan, selected
    from handout.content.load import content_warnings, translation_checks
    from handout.layout.contrast import check_templates
    from handout.layout.glyphs import missing_glyphs

    load(content)  # imports and caches warm, as in a build's own process
    steps: dict[str, float] = {}

    def step(name: str, work: Callable[[], object]) -> object:
        started = time.perf_counter()
        done = work()
        steps[name] = time.perf_counter() - started
        return done

    loaded = step("load+validate", lambda: load(content))
    index, count = map(int, shard.split("/"))
    options = BuildOptions(
        content, TEMPLATES, Path("unused"), materials=(SHARD_MATERIAL,), shard=(index, count)
    )
    chosen = step("select", lambda: selected(loaded, options))
    step("warnings", lambda: content_warnings(loaded, datetime.date.today()))
    translations = step("catalogs", lambda: Translations(loaded, TEMPLATES))
    step("glyphs", lambda: missing_glyphs(loaded, TEMPLATES, translations.catalogs))
    step("translation checks", lambda: translation_checks(loaded))
    step("template checks", lambda: check_templates(TEMPLATES))
    step(f"plan {len(chosen)}", lambda: plan(loaded, TEMPLATES, translations, chosen, {}))
    return steps


def print_shards(runs: int, jobs: int) -> None:
    """Ratios first: a shard 1/N should cost 1/N of the variants' work plus a fixed cost that
    does not grow with N (the 1/1000 shard builds one PDF: it is nearly all fixed cost)."""
    with tempfile.TemporaryDirectory() as folder:
        content = shard_content(Path(folder))
        found = shard_builds(content, runs, jobs)
        steps = fixed_costs(content)
    shipped = fixed_costs(CONTENT)
    best = {label: min(samples) for label, (samples, _count) in found.items()}
    counts = {label: count for label, (_samples, count) in found.items()}
    fixed = best["1/1000"]
    per_pdf = (best["full"] - fixed) / max(counts["full"] - counts["1/1000"], 1)

    def predicted(label: str) -> float:
        return fixed + per_pdf * (counts[label] - counts["1/1000"])

    print(
        f"10. shards: 1/10 / full {best['1/10'] / best['full']:.3f}x "
        f"(1/N + fixed/full would be {predicted('1/10') / best['full']:.3f}x); "
        f"1/100 / 1/10 {best['1/100'] / best['1/10']:.3f}x "
        f"(would be {predicted('1/100') / predicted('1/10'):.3f}x); "
        f"1/1000 / 1/100 {best['1/1000'] / best['1/100']:.3f}x"
    )
    print(
        f"   {SHARD_REGIONS} regions x 3 languages, --material {SHARD_MATERIAL} --jobs {jobs}: "
        f"fixed cost {fixed:.2f} s, then {per_pdf:.3f} s per PDF"
    )
    for label in ("full", *SHARDS):
        print(f"   {label:6s} {counts[label]:4d} PDFs: {figures(found[label][0])}")
    for regions, measured in ((SHARD_REGIONS, steps), (len(load(CONTENT).regions), shipped)):
        print(
            f"   before rendering, in process, {regions} regions: "
            + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in measured.items())
        )


LEGAL_AID = "/edit/resource/ct-legal-services"
"""A record the New Milford English pocket card prints (its back), unlike the police."""
CARD = ("new-milford", "en", "pocket-card")


class Serving:
    """`python build.py serve` on a content folder, as a coordinator starts it (every region
    and language); its output is read as it comes."""

    def __init__(self, content: Path, out: Path) -> None:
        command = [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0",
                   "--content", str(content), "--out", str(out)]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._address()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def _address(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                found = re.search(r"http://127\.0\.0\.1:\d+", line)
                if found:
                    return found.group(0)
            time.sleep(0.05)
        raise RuntimeError("serve printed no address:\n" + "\n".join(self.lines))

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return response.read()

    def status(self) -> dict:
        """The page's poll, saying (as the open page does) that the card is on screen."""
        return json.loads(self.get("/__handout__/status?shown=" + "/".join(CARD)))

    def idle(self, timeout: float = 600) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status["version"] != "starting" and not status["building"]:
                return status
            time.sleep(0.1)
        raise RuntimeError("serve did not finish building:\n" + "\n".join(self.lines))

    def post(self, path: str, values: dict) -> int:
        data = urllib.parse.urlencode(values, doseq=True).encode()
        request = urllib.request.Request(
            self.url + path, data=data, headers={"Origin": self.url}, method="POST"
        )

        class Kept(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *_args: object, **_kwargs: object) -> None:
                return None  # the 303 is the answer

        try:
            with urllib.request.build_opener(Kept).open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as answer:
            return answer.code

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def card_thumbnail(out: Path) -> Path | None:
    """The current thumbnail of the pocket card's back (page 2), if the manifest lists it."""
    from handout.build.gallery import THUMBNAILS, thumbnail_name

    try:
        files = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        return None
    for entry in files:
        if (entry["region"], entry["lang"], entry["material"]) == CARD:
            path = out / THUMBNAILS / thumbnail_name(entry, 2)
            return path if path.exists() else None
    return None


def save_to_thumbnail(runs: int) -> tuple[list[float], str]:
    """Seconds from the editor's save of a phone number to the server reporting a new page
    with the pocket card's new thumbnail on disk; and the server's last rebuild line."""
    from handout.content.read import read_content
    from handout.editor import forms, records

    samples = []
    with tempfile.TemporaryDirectory() as folder:
        content, out = Path(folder) / "content", Path(folder) / "out"
        shutil.copytree(CONTENT, content)
        server = Serving(content, out)
        try:
            while not any(line.startswith("Watching") for line in server.lines):
                time.sleep(0.1)  # the first build is done, and the files are watched
            server.idle()
            for run in range(runs):
                page = server.get(LEGAL_AID).decode()
                hidden = dict(
                    re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page)
                )
                loaded, _problems, _seen = read_content(content)
                place = records.place_of(loaded, "resource", "ct-legal-services")
                assert place is not None
                text = place.path.read_text(encoding="utf-8")
                values = {
                    **hidden,
                    **forms.values_of(place.model, records.record_data(place, text)),
                }
                values["phones.0.number"] = f"(800) 453-332{1 - run % 2}"
                values["_who"] = "Bench"  # every save is signed, as the editor's page does
                before, version = card_thumbnail(out), server.status()["version"]
                started = time.perf_counter()
                answer = server.post(LEGAL_AID, values)
                if answer != 303:
                    raise RuntimeError(f"the editor answered {answer} to the save")
                while True:
                    status = server.status()
                    now = card_thumbnail(out)
                    if status["version"] != version and now is not None and now != before:
                        samples.append(time.perf_counter() - started)
                        break
                    if time.perf_counter() - started > 120:
                        raise RuntimeError("no new thumbnail:\n" + "\n".join(server.lines))
                    time.sleep(0.02)
                server.idle()
                time.sleep(1)
            rebuilt = [line for line in server.lines if line.startswith("Rebuilt")]
        finally:
            server.stop()
    return samples, rebuilt[-1] if rebuilt else ""


def print_save_to_thumbnail(runs: int) -> None:
    samples, rebuilt = save_to_thumbnail(runs)
    print(
        f"8. serve, save -> updated pocket-card thumbnail: {figures(samples)}  "
        f"(whole rebuild: {rebuilt.removeprefix('Rebuilt ')})"
    )


def final_html(renderer: Renderer, material: Material, context: dict, rendered: Rendered) -> str:
    """The HTML of a variant as its PDF was last laid out: with the auto-fit scales found,
    and (booklets) the padding pages kept, not the spare ones the renderer drops."""
    padding = 0
    if material.pages_multiple_of:
        unpadded = renderer.layout(renderer.templates.html(material, context), "count")
        padding = -len(unpadded.pages) % material.pages_multiple_of
    html = renderer.templates.html(material, {**context, "padding": padding})
    return renderer.with_settings(html, rendered.fit)


def weasyprint_alone(renderer: Renderer, html: str) -> bytes:
    """WeasyPrint laying out and writing `html`, with the renderer's parsed stylesheets,
    fonts and fetcher (all warm), and the same PDF variant: nothing of handout's own."""
    import weasyprint

    html, linked = renderer._linked_stylesheets(html)
    document = weasyprint.HTML(
        string=html, base_url=renderer._base_url, url_fetcher=renderer.fetcher
    ).render(stylesheets=[renderer.font_faces, *linked], font_config=renderer.font_config)
    return document.write_pdf(pdf_variant="pdf/ua-1")


def pipeline_vs_weasyprint(runs: int) -> dict[str, tuple[list[float], list[float]]]:
    """Per material (Spanish, Danbury, as step 3): seconds of `Renderer.render` in a warm
    process, and of WeasyPrint alone on the same final HTML, measured in turns."""
    from handout.layout.compose import compose
    from handout.render.renderer import Renderer

    content = load(CONTENT)
    translations = Translations(content, TEMPLATES)
    renderer = Renderer(TEMPLATES)
    results = {}
    for material_id, material in MATERIALS.items():
        context = compose(content, "danbury", material_id, translations.translator("es"))
        rendered = renderer.render(material, context, material_id)  # warm-up
        html = final_html(renderer, material, context, rendered)
        weasyprint_alone(renderer, html)  # warm-up
        ours, alone = [], []
        for _ in range(runs):
            started = time.perf_counter()
            renderer.render(material, context, material_id)
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            weasyprint_alone(renderer, html)
            alone.append(time.perf_counter() - started)
        results[material_id] = (ours, alone)
    return results


def print_pipeline_vs_weasyprint(runs: int) -> None:
    """The ratio of the fastest runs: the machine's other work slows either side at random,
    never speeds one up."""
    for material_id, (ours, alone) in pipeline_vs_weasyprint(runs).items():
        ratio = min(ours) / min(alone)
        print(
            f"11. {ratio:.2f}x  per-variant pipeline / WeasyPrint alone, warm, {material_id:13s} "
            f"(handout {figures(ours, 'ms', 1000)}; WeasyPrint {figures(alone, 'ms', 1000)})"
        )


BOOKLET_SCALE = 5


def write_copied_records(content: Path, region: str, copies: int) -> int:
    """`copies` - 1 more of each record in the region's booklet directory, with new ids and
    numbered names, as local records the region includes: its directory grows `copies`×.
    Returns how many records the directory had."""
    import yaml

    from handout.layout.compose import compose

    loaded = load(content)
    translations = Translations(loaded, TEMPLATES)
    context = compose(loaded, region, "booklet", translations.translator("en"))
    wanted = {entry.id for entry in context["directory"]}
    records = [
        record
        for path in sorted((content / "resources").glob("*.yaml"))
        for record in yaml.safe_load(path.read_text(encoding="utf-8"))["records"]
        if record["id"] in wanted
    ]
    copied = [
        {
            **record,
            "id": f"{record['id']}-copy-{number}",
            "name": f"{record['name']} {number}",
            "scope": "local",
        }
        for number in range(2, copies + 1)
        for record in records
    ]
    for record in copied:
        record.pop("short_name", None)
    (content / "resources" / "bench-copies.yaml").write_text(
        yaml.safe_dump({"records": copied}, sort_keys=False, allow_unicode=True)
    )
    path = content / "regions" / f"{region}.yaml"
    ids = "".join(f"  - {record['id']}\n" for record in copied)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("include:\n", "include:\n" + ids, 1), encoding="utf-8")
    return len(records)


def booklet_per_page(runs: int) -> dict[int, tuple[list[float], int, int]]:
    """Scale (1 and BOOKLET_SCALE) -> (seconds of a warm English Danbury booklet render,
    its pages, its directory's records), both renders measured in turns."""
    from handout.layout.compose import compose
    from handout.render.renderer import Renderer

    material = MATERIALS["booklet"]
    with tempfile.TemporaryDirectory() as folder:
        renders = {}
        for scale in (1, BOOKLET_SCALE):
            content = Path(folder) / f"content-{scale}"
            shutil.copytree(CONTENT, content)
            entries = write_copied_records(content, "danbury", scale) * scale
            loaded = load(content)
            translator = Translations(loaded, TEMPLATES).translator("en")
            renders[scale] = (compose(loaded, "danbury", "booklet", translator), entries)
    renderer = Renderer(TEMPLATES)
    found: dict[int, tuple[list[float], int, int]] = {}
    for scale, (context, entries) in renders.items():
        pages = renderer.render(material, context, "booklet").pages  # warm-up
        found[scale] = ([], pages, entries)
    for _ in range(runs):
        for scale, (context, _entries) in renders.items():
            started = time.perf_counter()
            renderer.render(material, context, "booklet")
            found[scale][0].append(time.perf_counter() - started)
    return found


def print_booklet_per_page(runs: int) -> None:
    """Per page of the fastest run of each size (as step 9)."""
    found = booklet_per_page(runs)
    per_page = {
        scale: min(samples) / pages * 1000 for scale, (samples, pages, _entries) in found.items()
    }
    print(
        f"12. {per_page[BOOKLET_SCALE] / per_page[1]:.2f}x  booklet ms per page, "
        f"{BOOKLET_SCALE}x / 1x records"
    )
    for scale, (samples, pages, entries) in found.items():
        print(
            f"    {scale}x ({entries} directory records, {pages} pages): "
            f"{per_page[scale]:.1f} ms/page  ({figures(samples)})"
        )


def editions(runs: int) -> tuple[list[float], list[float], list[float], list[int]]:
    """Seconds of a cold `--material phone text-message` build of every region and
    language; ms to make one phone page and one text message in-process; page sizes."""
    from handout.build.plan import Translations
    from handout.layout.html import Templates
    from handout.layout.phone_page import phone_page
    from handout.layout.sms import compose_message

    cold = []
    for _run in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            command = build_command(Path(folder) / "out", "--material", "phone", "text-message")
            cold.append(timed(command)[0])
    content = load(CONTENT)
    translations = Translations(content, TEMPLATES)
    pages = Templates(TEMPLATES)
    page_ms, message_ms, sizes = [], [], []
    for region in sorted(content.regions):
        for language in content.project.codes:
            translator = translations.translator(language)
            started = time.perf_counter()
            page = phone_page(content, region, translator, pages)
            page_ms.append((time.perf_counter() - started) * 1000)
            sizes.append(len(page.data))
            started = time.perf_counter()
            compose_message(content, region, translator)
            message_ms.append((time.perf_counter() - started) * 1000)
    return cold, page_ms, message_ms, sizes


def print_editions(runs: int) -> None:
    cold, page_ms, message_ms, sizes = editions(runs)
    print(
        f"13. editions: cold build of {len(sizes)} phone pages and text messages: "
        f"{figures(cold)}; one phone page {figures(page_ms, 'ms')}, one text message "
        f"{figures(message_ms, 'ms')}; pages {min(sizes) / 1000:.0f}-{max(sizes) / 1000:.0f} KB"
    )


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=3)
    options.add_argument(
        "--imports-only", action="store_true", help="only step 7 (large imported content)"
    )
    options.add_argument(
        "--serve-only", action="store_true", help="only step 8 (save -> updated thumbnail)"
    )
    options.add_argument(
        "--printed-only",
        action="store_true",
        help="only step 9 (a card and a flyer with 10,000 records in the content)",
    )
    options.add_argument(
        "--shards-only", action="store_true", help="only step 10 (shards of 300 regions)"
    )
    options.add_argument(
        "--pipeline-only",
        action="store_true",
        help="only step 11 (per-variant pipeline / WeasyPrint alone)",
    )
    options.add_argument(
        "--booklet-pages-only",
        action="store_true",
        help="only step 12 (booklet ms per page, 5x / 1x records)",
    )
    options.add_argument(
        "--cold-only",
        action="store_true",
        help="only steps 2-3 (cold builds against the renderer's floor)",
    )
    options.add_argument(
        "--editions-only", action="store_true", help="only step 13 (phone pages, text messages)"
    )
    parsed = options.parse_args()
    runs = parsed.runs
    if parsed.editions_only:
        print_editions(runs)
        return
    if parsed.cold_only:
        print_cold_against_floor(runs, os.cpu_count() or 1)
        return
    if parsed.pipeline_only:
        print_pipeline_vs_weasyprint(max(runs, 5))
        return
    if parsed.booklet_pages_only:
        print_booklet_per_page(runs)
        return
    if parsed.printed_only:
        print_printed_records(runs)
        return
    if parsed.imports_only:
        print_large_imports(runs)
        return
    if parsed.serve_only:
        print_save_to_thumbnail(runs)
        return
    cores = os.cpu_count() or 1
    if parsed.shards_only:
        print_shards(runs, cores)
        return
    content = load(CONTENT)
    count = len(variants(content))
    print(f"{count} variants; {cores} cores; harfbuzz subsetting: {_harfbuzz()}")
    naive = naive_baseline(runs)
    print(f"1. naive baseline (weasyprint CLI per reading copy): {figures(naive)}")
    one, many, warm = print_cold_against_floor(runs, cores)
    noop, edited, rerendered = rebuilds(runs, cores)
    print(f"4. no-op rebuild: {figures(noop)}")
    print(
        f"5. rebuild after editing one phone number: {figures(edited)}  "
        f"({rerendered} variants re-rendered)"
    )
    print(
        "6. PDF size: "
        + ", ".join(
            f"{material_id} {size / 1024:.0f} KiB" for material_id, (_s, size, _p) in warm.items()
        )
    )
    print_large_imports(runs)
    print_save_to_thumbnail(runs)
    print_printed_records(runs)
    print_shards(runs, cores)
    print_pipeline_vs_weasyprint(max(runs, 5))
    print_booklet_per_page(runs)
    print_editions(runs)
    print(
        f"speedup_vs_naive={statistics.median(naive) / statistics.median(many):.1f} "
        f"parallel_speedup={statistics.median(one) / statistics.median(many):.2f} "
        f"noop_s={statistics.median(noop):.2f}"
    )


def _harfbuzz() -> str:
    from ctypes.util import find_library

    return "yes" if find_library("harfbuzz-subset") else "no (fontTools fallback)"


if __name__ == "__main__":
    main()
