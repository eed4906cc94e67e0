"""Small PNG previews of each material for the README (`python build.py previews`).

Users would rather look than read: the README shows what the materials look like, made from
the English New Milford PDFs by a command anyone can rerun after changing a template. Each
image stays under `MAX_BYTES` (palette PNG), so the repository stays small.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pypdfium2

from handout.build.options import BuildOptions
from handout.build.pipeline import build
from handout.cli import arguments
from handout.content.errors import BuildError, display_path
from handout.content.files import write_all

REGION = "new-milford"
LANGUAGE = "en"
MAX_BYTES = 150_000
PAGES = {
    "pocket-card": (1, 2),
    "discreet-card": (1, 2),
    "flyer": (1,),
    "booklet": (1, 3, -1),
    "large-print-booklet": (1, 4),
}
"""The pages each preview shows, side by side (booklet: cover, first chapter, back cover)."""
HEIGHT_PX = {
    "pocket-card": 380,
    "discreet-card": 380,
    "flyer": 1000,
    "booklet": 640,
    "large-print-booklet": 800,
}
SCRIPTS = ("ar", "zh-Hans")
"""Languages in other scripts whose pocket card is shown too (`pocket-card-<lang>.png`)."""
GAP_PX = 16


def parser(root: Path) -> argparse.ArgumentParser:
    command = arguments.Parser(
        prog="python build.py previews",
        description="Build the English New Milford materials (and the Arabic and Chinese "
        "pocket cards), then write small PNG previews of each (under 150 KB) into docs/ for "
        "the README.",
        epilog="examples:\n  python build.py previews               after changing a template",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    arguments.folders(command, root)
    arguments.out(command, root, "where the English New Milford PDFs are built")
    command.add_argument(
        "--docs",
        type=arguments.folder,
        default=root / "docs",
        metavar="FOLDER",
        help="where the PNGs go (default: docs/)",
    )
    return command


def run(options: argparse.Namespace) -> int:
    chosen = BuildOptions(
        options.content,
        options.templates,
        options.out,
        regions=(REGION,),
        languages=(LANGUAGE, *SCRIPTS),
        materials=(*PAGES, "phone"),
    )
    build(chosen, report=lambda _line: None)
    for path in write_previews(options.out, options.docs):
        print(f"  {display_path(path)}  {path.stat().st_size // 1000} KB")
    phone = phone_preview_png(options.out)
    if phone is None:
        print(f"  note: {PHONE_PREVIEW} not made: it needs Playwright and Debian's chromium")
    else:
        write_all([(options.docs / PHONE_PREVIEW, phone)], nothing="")
        print(f"  {display_path(options.docs / PHONE_PREVIEW)}  {len(phone) // 1000} KB")
    return 0


PHONE_PREVIEW = "phone-page.png"
PHONE_LANGUAGES = (LANGUAGE, "ar")
PHONE_SIZE_PX = (320, 640)
CHROMIUM = Path("/usr/bin/chromium")


def phone_preview_png(out_dir: Path) -> bytes | None:
    """The top of the English and Arabic phone pages at 320 px, side by side, as a browser
    shows them (None without Playwright or Chromium: they are test tools, not the build's)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    from PIL import Image

    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            width, height = PHONE_SIZE_PX
            for language in PHONE_LANGUAGES:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto((out_dir / REGION / language / "index.html").resolve().as_uri())
                shots.append(Image.open(io.BytesIO(page.screenshot())).convert("RGB"))
        finally:
            browser.close()
    sheet = Image.new(
        "RGB",
        (sum(shot.width for shot in shots) + GAP_PX * (len(shots) + 1), height + 2 * GAP_PX),
        (229, 231, 235),
    )
    for number, shot in enumerate(shots):
        sheet.paste(shot, (GAP_PX + number * (width + GAP_PX), GAP_PX))
    buffer = io.BytesIO()
    sheet.quantize(colors=64, dither=Image.Dither.NONE).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def preview_png(pdf: Path, pages: tuple[int, ...], height: int) -> bytes:
    """The chosen pages of a PDF side by side on a light grey ground, as a palette PNG."""
    from PIL import Image

    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for number in pages:
            page = document[number - 1 if number > 0 else len(document) + number]
            scale = height / page.get_size()[1]
            images.append(page.render(scale=scale).to_pil().convert("RGB"))
    finally:
        document.close()
    width = sum(image.width for image in images) + GAP_PX * (len(images) + 1)
    sheet = Image.new("RGB", (width, height + 2 * GAP_PX), (229, 231, 235))
    left = GAP_PX
    for image in images:
        sheet.paste(image, (left, GAP_PX))
        left += image.width + GAP_PX
    buffer = io.BytesIO()
    sheet.quantize(colors=128, dither=Image.Dither.NONE).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def write_previews(out_dir: Path, docs_dir: Path) -> list[Path]:
    """Write docs/<material>.png from the built PDFs in `out_dir` (all made before any is
    written, then written as one set)."""
    written: list[tuple[Path, bytes]] = []
    shown = [(LANGUAGE, material, material) for material in PAGES]
    shown += [(language, "pocket-card", f"pocket-card-{language}") for language in SCRIPTS]
    for language, material, name in shown:
        pages = PAGES[material]
        pdf = out_dir / REGION / language / f"{material}.pdf"
        if not pdf.is_file():
            raise BuildError(f"{pdf} is missing; build it first (python build.py)")
        data = preview_png(pdf, pages, HEIGHT_PX[material])
        if len(data) > MAX_BYTES:
            raise BuildError(
                f"the {material} preview is {len(data) // 1000} KB, over {MAX_BYTES // 1000} KB; "
                f"lower its height in handout/cli/previews.py (HEIGHT_PX)"
            )
        written.append((docs_dir / f"{name}.png", data))
    write_all(written, nothing="none of the previews was changed")
    return [path for path, _data in written]
