"""A build never wipes a folder it did not write (issue 21, defect 7): `--out ~/website`
replaced the site's index.html and deleted thumbnails/holiday.webp. A folder of other files
is refused unless --overwrite says so, and a build deletes only files its state lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_clean_failure, edit, run_build
from tests.disk import full_disk, snapshot

ONE = ("--region", "new-milford", "--lang", "en", "--material", "pocket-card")
SITE = {
    "index.html": b"<h1>Our outreach site</h1>\n",
    "thumbnails/holiday.webp": b"RIFF\x00\x00\x00\x00WEBPVP8 holiday",
    "thumbnails/.notes.tmp": b"my notes\n",
}


@pytest.fixture
def website(tmp_path: Path) -> Path:
    """Someone's website: a folder handout never wrote."""
    site = tmp_path / "website"
    for name, data in SITE.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    return site


@pytest.mark.parametrize("command", ["build", "merge-manifests"])
def test_a_folder_of_other_files_is_refused(website: Path, tmp_path: Path, command: str) -> None:
    args = [*ONE] if command == "build" else ["merge-manifests", tmp_path / "shard"]
    result = run_build(*args, "--out", website)
    assert_clean_failure(result, str(website), "did not write", "--overwrite", "index.html")
    assert snapshot(website) == SITE, "nothing written, nothing deleted"
    assert sorted(path.name for path in website.iterdir()) == ["index.html", "thumbnails"]


def test_with_overwrite_the_build_writes_there_and_deletes_nothing_of_theirs(
    website: Path,
) -> None:
    result = run_build(*ONE, "--out", website, "--overwrite")
    assert result.returncode == 0, result.stderr
    assert (website / "new-milford" / "en" / "pocket-card.pdf").exists()
    assert (website / "index.html").read_bytes() != SITE["index.html"], "replaced, as asked"
    for name in ("thumbnails/holiday.webp", "thumbnails/.notes.tmp"):
        assert (website / name).read_bytes() == SITE[name]
    again = run_build(*ONE, "--out", website)  # its own folder now: no flag needed
    assert again.returncode == 0, again.stderr


def test_a_rebuild_deletes_only_the_thumbnails_its_state_lists(
    content_copy: Path, tmp_path: Path
) -> None:
    """A file someone put in the output folder's thumbnails/ survives a rebuild; the build's
    own thumbnails of a PDF that changed go."""
    out = tmp_path / "out"
    args = (*ONE, "--content", content_copy, "--out", out)
    assert run_build(*args).returncode == 0
    own = {path.name for path in (out / "thumbnails").iterdir()}
    (out / "thumbnails" / "holiday.webp").write_bytes(SITE["thumbnails/holiday.webp"])
    (out / "thumbnails" / ".draft.webp.tmp").write_bytes(b"mine")
    edit(content_copy / "resources" / "local.yaml", "(800) 453-3320", "(800) 453-3321")
    result = run_build(*args)
    assert result.returncode == 0, result.stderr
    names = {path.name for path in (out / "thumbnails").iterdir()}
    assert not own & names, "the changed PDF's old thumbnails are removed"
    assert {"holiday.webp", ".draft.webp.tmp"} <= names
    assert (out / "thumbnails" / "holiday.webp").read_bytes() == SITE["thumbnails/holiday.webp"]
    assert (out / "thumbnails" / ".draft.webp.tmp").read_bytes() == b"mine"


def test_a_build_on_a_full_disk_changes_nothing_in_its_folder(tmp_path: Path) -> None:
    """The output folder on a full disk (a filled tmpfs): the build renders, cannot stage
    its files, and leaves every file of the folder as it was (exit 1, no traceback); so does
    the verify sheet."""
    out = tmp_path / "out"
    assert run_build(*ONE, "--out", out).returncode == 0
    with full_disk(out, tmp_path) as full:
        before = snapshot(full)
        result = run_build(*ONE, "--out", full, "--force")
        assert_clean_failure(result, "No space left on device", "nothing was changed")
        assert snapshot(full) == before
        assert not [path for path in full.rglob("*.tmp")], "no temporary file left"
        sheet = run_build("verify-sheet", "--out", full)
        assert_clean_failure(sheet, "verify-sheet", "No space left on device", "neither file")
        assert snapshot(full) == before
