"""Fast builds: incremental (fingerprints), parallel, sharded; always the same bytes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REGULAR, ROOT, edit, run_build

NO_OP_WITHOUT_WEASYPRINT = """
import sys
from handout.cli.main import main
code = main(sys.argv[1:], root=__import__("pathlib").Path({root!r}))
assert code == 0, code
assert "weasyprint" not in sys.modules, "a no-op rebuild imported WeasyPrint"
"""


def reading_copies(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*.pdf")
        if not path.stem.endswith(("-print", "-press"))
    }


def test_a_rebuild_with_nothing_changed_renders_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_build("--out", out, "--lang", "en", *REGULAR, "--jobs", "2")
    assert first.returncode == 0, first.stderr
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    script = NO_OP_WITHOUT_WEASYPRINT.format(root=str(ROOT))
    again = subprocess.run(
        [sys.executable, "-c", script, "--out", str(out), "--lang", "en", *REGULAR],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert "Nothing changed since the last build" in again.stdout
    assert "Built 0 PDFs" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == before
    forced = run_build("--out", out, "--lang", "en", *REGULAR, "--region", "danbury", "--force")
    assert "Built 4 PDFs" in forced.stdout


def test_a_rebuild_with_unchanged_files_does_not_even_load_the_content(tmp_path: Path) -> None:
    """The first check hashes the input files; only when they changed is the content loaded
    and each variant fingerprinted."""
    out = tmp_path / "out"
    subset = ("--region", "danbury", "--lang", "en", "--material", "pocket-card")
    assert run_build("--out", out, *subset).returncode == 0
    script = NO_OP_WITHOUT_WEASYPRINT.format(root=str(ROOT)) + (
        'assert "handout.build.pipeline" not in sys.modules, "the content was loaded"\n'
    )
    again = subprocess.run(
        [sys.executable, "-c", script, "--out", str(out), *subset],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    (out / "danbury" / "en" / "pocket-card-print.pdf").unlink()
    restored = run_build("--out", out, *subset)
    assert "Nothing changed" not in restored.stdout
    assert (out / "danbury" / "en" / "pocket-card-print.pdf").exists()


def test_an_edit_re_renders_exactly_the_affected_variants(
    content_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    asked = ("--content", content_copy, "--out", out, "--lang", "en", *REGULAR)
    assert run_build(*asked).returncode == 0
    edit(content_copy / "resources" / "local.yaml", "(800) 453-3320", "(800) 453-3321")
    result = run_build(*asked)
    assert result.returncode == 0, result.stderr
    rebuilt = sorted(line.split()[0] for line in result.stdout.splitlines() if ".pdf" in line)
    assert [Path(path).relative_to(out).as_posix() for path in rebuilt] == [
        f"{region}/en/{material}.pdf"
        for region in ("danbury", "new-milford", "waterbury")
        for material in ("booklet", "pocket-card")
    ]  # legal aid's number: every region's pocket card and booklet, nothing else
    assert "6 variants unchanged" in result.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["files"]) == 12


WITHOUT_HARFBUZZ = """
import sys
from pathlib import Path
import weasyprint.pdf.fonts
weasyprint.pdf.fonts.harfbuzz_subset = None  # as on a machine without libharfbuzz-subset0
from handout.cli.main import main
sys.exit(main(sys.argv[1:], root=Path({root!r})))
"""


def test_builds_without_harfbuzz_subsetting_are_byte_identical_too(tmp_path: Path) -> None:
    """WeasyPrint subsets fonts with fontTools when HarfBuzz's subsetter is missing: other
    bytes than with HarfBuzz, but the same from one build to the next."""
    subset = ("--region", "danbury", "--lang", "es", "--material", "pocket-card", "booklet")
    for name in ("one", "two"):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                WITHOUT_HARFBUZZ.format(root=str(ROOT)),
                "--out",
                str(tmp_path / name),
                *subset,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
    one, two = reading_copies(tmp_path / "one"), reading_copies(tmp_path / "two")
    assert len(one) == 2 and one == two


def test_parallel_and_sequential_builds_are_byte_identical(tmp_path: Path) -> None:
    subset = ("--region", "danbury", "--lang", "es", "pt", *REGULAR)
    assert run_build("--out", tmp_path / "one", "--jobs", "1", *subset).returncode == 0
    assert run_build("--out", tmp_path / "two", "--jobs", "2", *subset).returncode == 0
    one, two = reading_copies(tmp_path / "one"), reading_copies(tmp_path / "two")
    assert len(one) == 8 and one == two


def test_shards_together_build_exactly_the_full_set(tmp_path: Path) -> None:
    shards = []
    for index in (1, 2, 3):
        folder = tmp_path / f"shard-{index}"
        result = run_build("--out", folder, "--lang", "en", *REGULAR, "--shard", f"{index}/3")
        assert result.returncode == 0, result.stderr
        shards.append(set(reading_copies(folder)))
    assert all(shards)
    assert not (shards[0] & shards[1] or shards[1] & shards[2] or shards[0] & shards[2])
    listed = run_build("--list", "--lang", "en", *REGULAR, "--out", tmp_path / "all")
    expected = {
        Path(line).relative_to(tmp_path / "all").as_posix()
        for line in listed.stdout.split()
        if line.endswith(".pdf")
    }
    assert shards[0] | shards[1] | shards[2] == expected
    merged = run_build(
        "merge-manifests",
        *(tmp_path / f"shard-{i}" for i in (1, 2, 3)),
        "--out",
        tmp_path / "merged",
    )
    assert merged.returncode == 0, merged.stderr
    files = json.loads((tmp_path / "merged" / "manifest.json").read_text())["files"]
    assert len(files) == 12
