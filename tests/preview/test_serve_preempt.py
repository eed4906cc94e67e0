"""A save made while `serve` rebuilds stops that rebuild at its next set (the renders
already running are not waited for beyond that) and starts over with the newest content;
the output folder is whole at every step: the manifest lists exactly the PDFs there, each
as written, and in the end the folder is what one whole build of the newest content makes.
Killing the server in the middle of a rebuild leaves no worker process behind, and the
next build finishes the folder.

A real server on a copy of the content, real PDFs: one region, its three languages, the
pocket card (fast) and the booklet (slow), so that a rebuild has sets still to render when
the test saves again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import edit, run_build
from tests.preview.test_serve_focus import Serving, files_of

SUBSET = ("--region", "new-milford", "--material", "pocket-card", "booklet")
PHONE = "(800) 453-3320"
"""Printed by every variant of the subset (the legal aid's number)."""


@pytest.fixture
def server(content_copy: Path, tmp_path: Path) -> Iterator[Serving]:
    serving = Serving(content_copy, tmp_path / "out", SUBSET)
    try:
        serving.watching()
        yield serving
    finally:
        if serving.process.poll() is None:
            assert serving.stop() == 0, serving.log
        else:  # killed by the test
            serving.reader.join(timeout=10)
            assert serving.process.stdout is not None
            serving.process.stdout.close()


def rebuilds(server: Serving) -> int:
    return sum(line.startswith(("Rebuilt", "Build failed")) for line in server.lines)


def wait_for(server: Serving, done: object, what: str) -> None:
    deadline = time.monotonic() + 300
    while not done():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"{what}:\n{server.log}"
        assert server.process.poll() is None, server.log
        time.sleep(0.02)


def published_since_change(server: Serving) -> int:
    """PDFs the rebuild of the last change reported so far."""
    changed = [n for n, line in enumerate(server.lines) if line.startswith("Changed:")]
    if not changed:
        return 0
    start = changed[-1]
    return sum(bool(re.search(r"\.pdf  \d+ page", line)) for line in server.lines[start:])


def assert_whole(out: Path) -> None:
    """The manifest lists exactly the PDFs in the folder, each as written (its hash)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    listed = {}
    for entry in manifest:
        listed[entry["path"]] = entry["sha256"]
        if entry.get("print_path"):
            listed[entry["print_path"]] = entry["print_sha256"]
    present = {path.relative_to(out).as_posix() for path in out.rglob("*.pdf")}
    assert present == set(listed)
    for relative, sha in listed.items():
        assert hashlib.sha256((out / relative).read_bytes()).hexdigest() == sha, relative


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid`."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_saves_during_a_rebuild_stop_it_and_the_newest_content_is_built(
    server: Serving, content_copy: Path, tmp_path: Path
) -> None:
    out, local = tmp_path / "out", content_copy / "resources" / "local.yaml"
    before = rebuilds(server)
    edit(local, PHONE, "(800) 453-3321")
    wait_for(server, lambda: published_since_change(server) >= 1, "no PDF published")
    assert rebuilds(server) == before, "the rebuild ended before the next save"
    assert_whole(out)  # published sets only: whole in the middle of a rebuild too

    # Saves in a row while it renders: the rebuild stops at its next set, and starts over.
    for old, new in (("3321", "3322"), ("3322", "3323"), ("3323", "3324")):
        edit(local, f"(800) 453-{old}", f"(800) 453-{new}")
    wait_for(server, lambda: rebuilds(server) > before, "no rebuild finished")
    assert any(line.startswith("A newer save came") for line in server.lines), server.log
    wait_for(server, lambda: not server.status()["building"], "still building")
    assert server.lines[-1].startswith("Rebuilt"), server.log
    assert_whole(out)
    assert children(server.process.pid) == set(), "worker processes left running"

    # The folder is what one whole build of the newest content makes.
    whole = tmp_path / "whole"
    result = run_build("--content", content_copy, "--out", whole, *SUBSET, "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert files_of(out) == files_of(whole)


def test_a_server_killed_mid_rebuild_leaves_no_worker_and_the_next_build_finishes(
    server: Serving, content_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    edit(content_copy / "resources" / "local.yaml", PHONE, "(800) 453-3329")
    wait_for(server, lambda: published_since_change(server) >= 1, "no PDF published")
    wait_for(server, lambda: children(server.process.pid), "no worker rendering")
    workers = children(server.process.pid)
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=60)
    wait_for_gone = time.monotonic() + 60
    while any(alive(pid) for pid in workers):
        assert time.monotonic() < wait_for_gone, "a worker outlived the killed server"
        time.sleep(0.05)

    result = run_build("--content", content_copy, "--out", out, *SUBSET, "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert_whole(out)
    whole = tmp_path / "whole"
    result = run_build("--content", content_copy, "--out", whole, *SUBSET, "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert files_of(out) == files_of(whole)


def test_a_mistake_the_later_checks_find_is_shown_after_the_variant_on_screen(
    server: Serving, content_copy: Path
) -> None:
    """The variant on screen is built before the checks over the whole content run: a
    character no font has is found after it is published, and the page then shows the
    mistake (file, fix) instead of the gallery, until the file is fixed."""
    local = content_copy / "resources" / "local.yaml"
    server.status(shown="new-milford/en/booklet")  # it prints every name
    before = rebuilds(server)
    edit(local, "name: Connecticut Legal Services", "name: Connecticut Legal Services \U00013000")
    wait_for(server, lambda: rebuilds(server) > before, "no rebuild finished")
    assert server.lines[-1].startswith("Build failed"), server.log
    start = max(n for n, line in enumerate(server.lines) if line.startswith("Changed:"))
    first = next(line for line in server.lines[start:] if ".pdf  " in line or "error" in line)
    assert "new-milford/en/booklet.pdf" in first, server.log  # published, then the check
    with urllib.request.urlopen(server.url + "/", timeout=30) as answer:
        page = answer.read().decode()
    assert "U+13000" in page and 'id="build-error"' in page, page
    assert not server.status()["building"]

    edit(local, " \U00013000", "")
    wait_for(server, lambda: rebuilds(server) > before + 1, "no rebuild after the fix")
    assert server.lines[-1].startswith("Rebuilt"), server.log
    with urllib.request.urlopen(server.url + "/", timeout=30) as answer:
        assert "U+13000" not in answer.read().decode()
