"""The preview gallery (output/index.html): every variant, its page thumbnails, warnings and
links; incremental thumbnails; a gallery after a sharded build; the command line's help and
progress bar."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from handout.build.progress import ProgressBar
from handout.cli.main import COMMANDS, main
from handout.render.thumbnails import DENSITY, display_size
from tests.conftest import CONTENT, REGULAR, ROOT, TEMPLATES, edit, run_build
from tests.pdf import reader


class Page(HTMLParser):
    """The parts of the gallery a test looks at: variants, images, links, labels."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.articles: list[dict] = []
        self.images: list[dict] = []
        self.links: list[str] = []
        self.label_for: set[str] = set()
        self.selects: list[str] = []
        self.headings: list[str] = []
        self.frames: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if tag == "article":
            self.articles.append(values | {"images": [], "links": []})
        elif tag == "img":
            self.images.append(values)
            self.articles[-1]["images"].append(values)
        elif tag == "a" and values.get("href"):
            self.links.append(values["href"])
            if self.articles:
                self.articles[-1]["links"].append(values["href"])
        elif tag == "iframe":
            self.frames.append(values)
        elif tag == "label":
            self.label_for.add(values.get("for", ""))
        elif tag in ("select", "input"):
            self.selects.append(values.get("id", ""))
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(tag)


def gallery(out: Path) -> Page:
    return Page((out / "index.html").read_text(encoding="utf-8"))


def test_the_gallery_shows_every_variant_with_its_pages_warnings_and_links(matrix: Path) -> None:
    page = gallery(matrix)
    manifest = json.loads((matrix / "manifest.json").read_text(encoding="utf-8"))["files"]
    pdfs = [article for article in page.articles if "edition" not in article["class"]]
    assert len(pdfs) == len(manifest) == 98  # large print in one region
    by_id = {article["id"]: article for article in page.articles}
    for entry in manifest:
        article = by_id[f"{entry['region']}-{entry['lang']}-{entry['material']}"]
        assert article["data-region"] == entry["region"]
        assert len(article["images"]) == entry["pages"], "a thumbnail for every page"
        assert entry["path"] in article["links"]
        if entry["print_path"]:
            assert entry["print_path"] in article["links"]
        for number, image in enumerate(article["images"], start=1):
            assert image["alt"].endswith(f"page {number} of {entry['pages']}")
            assert image["loading"] == "lazy"
            width, height = display_size(entry["page_size_pt"])
            assert (int(image["width"]), int(image["height"])) == (width, height)
            with Image.open(matrix / image["src"]) as picture:
                assert picture.format == "WEBP"
                assert abs(picture.height - height * DENSITY) <= 1
    for link in page.links:
        if not link.startswith("#"):
            assert (matrix / link.split("#")[0]).exists(), link
    thumbnails = list((matrix / "thumbnails").iterdir())
    assert len(thumbnails) == len(page.images) == sum(entry["pages"] for entry in manifest)
    average = sum(path.stat().st_size for path in thumbnails) / len(thumbnails)
    assert average < 16 * 1024, f"thumbnails average {average / 1024:.1f} KiB"

    html = (matrix / "index.html").read_text(encoding="utf-8")
    assert "Draft translation: not yet reviewed by a native speaker" in html
    assert re.search(r"\d+ unverified facts?, printed with a red \*", html)
    # Accessible: one h1, labelled filters, every image described; works from disk.
    assert page.headings.count("h1") == 1
    assert {"filter-region", "filter-lang", "filter-material", "filter-warnings"} <= set(
        page.selects
    ) & page.label_for
    assert all(image.get("alt") for image in page.images)
    assert "fetch(" not in html and "__handout__" not in html, "no server needed on disk"
    assert '<form id="filters" class="filters" hidden' in html, "without JS: no dead filters"


def test_the_gallery_shows_each_phone_page_at_a_phone_s_width(matrix: Path) -> None:
    page = gallery(matrix)
    phones = [article for article in page.articles if article["data-material"] == "phone"]
    assert len(phones) == len(page.frames) == 21, "3 regions × 7 languages"
    for frame in page.frames:
        assert (matrix / frame["src"]).name == "index.html"
        assert (matrix / frame["src"]).parent.parent.parent == matrix
        assert frame["title"] and frame["loading"] == "lazy"
        assert frame["sandbox"] == "allow-scripts", "a page in the gallery cannot steer it"
    css = (ROOT / "handout" / "build" / "ui" / "gallery.css").read_text(encoding="utf-8")
    assert re.search(r"\.phone-frame \{[^}]*width: 360px", css)


def test_thumbnails_are_remade_only_for_re_rendered_variants(
    content_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    subset = ("--content", content_copy, "--out", out, "--region", "new-milford", "--lang", "en")
    subset += REGULAR
    first = run_build(*subset)
    assert first.returncode == 0, first.stderr
    assert "index.html  gallery of 4 variants" in first.stdout
    reading = [out / "new-milford" / "en" / f"{material}.pdf" for material in REGULAR[1:]]
    pages = sum(len(reader(pdf).pages) for pdf in reading)
    assert len(list((out / "thumbnails").iterdir())) == pages  # one a page, made by the workers
    before = {path.name: path.stat().st_mtime_ns for path in (out / "thumbnails").iterdir()}

    nothing_changed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from handout.cli.main import main; "
            f"assert main(sys.argv[1:], root=Path({str(ROOT)!r})) == 0; "
            "assert 'weasyprint' not in sys.modules and 'pypdfium2' not in sys.modules",
            *map(str, subset),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert nothing_changed.returncode == 0, nothing_changed.stderr
    assert "thumbnails made" not in nothing_changed.stdout
    assert {p.name: p.stat().st_mtime_ns for p in (out / "thumbnails").iterdir()} == before

    edit(content_copy / "resources" / "local.yaml", "(800) 453-3320", "(800) 453-3321")
    again = run_build(*subset)
    assert again.returncode == 0, again.stderr
    after = {path.name: path.stat().st_mtime_ns for path in (out / "thumbnails").iterdir()}
    kept = {name for name in after if name in before}
    unchanged = ("new-milford_en_discreet-card_", "new-milford_en_flyer_")  # no legal aid there
    assert kept and all(name.startswith(unchanged) for name in kept)
    assert all(after[name] == before[name] for name in kept), "unchanged ones not rewritten"
    assert len(after) == len(before), "the old thumbnails of re-rendered PDFs are removed"
    html = (out / "index.html").read_text(encoding="utf-8")
    assert all(f"thumbnails/{name}" in html for name in after)


def test_stale_facts_are_listed_at_the_top_with_file_line_and_fix(
    content_copy: Path, tmp_path: Path
) -> None:
    edit(content_copy / "project.yaml", "title: Help and Safety Guide", "title: Test Guide")
    text = (content_copy / "resources" / "local.yaml").read_text(encoding="utf-8")
    first_check = re.search(r"checked: (\d{4}-\d\d-\d\d)", text)
    assert first_check
    edit(content_copy / "resources" / "local.yaml", first_check.group(0), "checked: 2020-01-15")
    out = tmp_path / "out"
    result = run_build(
        "--content", content_copy, "--out", out, "--region", "danbury", "--lang", "en",
        "--material", "discreet-card",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>Test Guide: preview gallery</title>" in html
    notes = html[html.index("Needs attention") : html.index("</section>")]
    assert re.search(r"local\.yaml:\d+</code>", notes)
    assert "2020-01-15" in notes and "mark-checked" in notes


def test_a_sharded_build_merged_has_a_gallery_of_every_variant(tmp_path: Path) -> None:
    subset = ("--region", "danbury", "--lang", "en", "--material", "pocket-card", "flyer")
    shards = [tmp_path / "shard-1", tmp_path / "shard-2"]
    for index, folder in enumerate(shards, start=1):
        result = run_build("--out", folder, *subset, "--shard", f"{index}/2")
        assert result.returncode == 0, result.stderr
        assert len(gallery(folder).articles) == 1
    out = tmp_path / "output"
    for folder in shards:  # as in the README: copy the shards' files, then merge
        shutil.copytree(folder, out, dirs_exist_ok=True)
    merged = run_build("merge-manifests", *shards, "--out", out)
    assert merged.returncode == 0, merged.stderr
    page = gallery(out)
    assert sorted(article["id"] for article in page.articles) == [
        "danbury-en-flyer",
        "danbury-en-pocket-card",
    ]
    assert all((out / image["src"]).exists() for image in page.images)
    assert len(page.images) == 3


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help_with_examples(
    command: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        main([command, "--help"] if command else ["--help"], root=ROOT)
    assert exit.value.code == 0
    shown = capsys.readouterr().out
    assert "usage: python build.py" in shown
    assert "example" in shown


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_is_drawn_on_a_terminal_only() -> None:
    terminal, log = Terminal(), io.StringIO()
    for stream in (terminal, log):
        with ProgressBar(stream) as progress:
            progress(0, 12)
            for done in range(1, 13):
                progress(done, 12)
    assert "Rendering" in terminal.getvalue() and "/12 " in terminal.getvalue()
    assert log.getvalue() == ""
    small = Terminal()
    with ProgressBar(small) as progress:
        progress(0, 2)
        progress(2, 2)
    assert small.getvalue() == "", "a build of a few variants needs no bar"


def test_facts_falling_due_show_on_each_variant_without_re_rendering(tmp_path: Path) -> None:
    """A fact falls due for re-checking as days pass, not with an edit: the next build
    renders nothing again but marks every variant that prints it."""
    import datetime
    from dataclasses import replace

    from handout.build.options import BuildOptions
    from handout.build.pipeline import build

    out = tmp_path / "out"
    subset = BuildOptions(
        CONTENT, TEMPLATES, out, regions=("danbury",), languages=("en",),
        materials=("pocket-card",), jobs=1,
    )  # fmt: skip
    quiet = {"report": lambda _line: None}
    first = build(replace(subset, today=datetime.date(2026, 11, 28)), **quiet)
    assert len(first) == 1
    (entry,) = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert entry["warnings"]["stale_checks"] == []

    later = build(replace(subset, today=datetime.date(2028, 1, 5)), **quiet)
    assert later == [], "nothing printed changed, so nothing is rendered again"
    (entry,) = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert "ct-211" in entry["warnings"]["stale_checks"]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "due for re-checking" in html and 'class="notice notice-stale"' in html
