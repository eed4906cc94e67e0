"""`serve` renders the variant on screen first: after a save, that PDF and its gallery page
are published (and the page reloads to show it) before the other variants have rendered;
the output folder then ends as after one whole build.

A real server on a copy of the content, real PDFs: one region, one language, the pocket
card (fast to render) and the booklet (slow).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from handout.content.read import read_content
from handout.editor import forms, records
from handout.editor.history import LOG
from tests.conftest import ROOT, edit, run_build

SUBSET = ("--region", "new-milford", "--lang", "en", "--material", "pocket-card", "booklet")
LEGAL_AID = "/edit/resource/ct-legal-services"
"""A record printed on the pocket card's back and in the booklet."""
CARD, BOOKLET = "new-milford/en/pocket-card", "new-milford/en/booklet"


class Serving:
    """`python build.py serve` as a subprocess, its output collected as it comes."""

    def __init__(self, content: Path, out: Path, subset: tuple[str, ...] = SUBSET) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0",
             "--content", str(content), "--out", str(out), *subset, "--jobs", "2"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
        )  # fmt: skip
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.url = self._address()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def _address(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = [m for line in self.lines if (m := re.search(r"http://127\.0\.0\.1:\d+", line))]
            if found:
                return found[0].group(0)
            assert self.process.poll() is None, self.log
            time.sleep(0.05)
        raise AssertionError(f"serve printed no address:\n{self.log}")

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def status(self, shown: str = "") -> dict:
        query = "?" + urllib.parse.urlencode({"shown": shown}) if shown else ""
        with urllib.request.urlopen(f"{self.url}/__handout__/status{query}", timeout=30) as answer:
            return json.loads(answer.read())

    def watching(self, timeout: float = 300) -> None:
        """Wait until the first build is done and the files are watched."""
        deadline = time.monotonic() + timeout
        while not any(line.startswith("Watching") for line in self.lines):
            assert self.process.poll() is None and time.monotonic() < deadline, self.log
            time.sleep(0.05)

    def save_form(self, path: str, content: Path, **changes: str) -> int:
        """Send the editor's form of a record back with `changes`, as a browser would."""
        with urllib.request.urlopen(self.url + path, timeout=30) as answer:
            page = answer.read().decode()
        hidden = dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page))
        loaded, _problems, _seen = read_content(content)
        place = records.place_of(loaded, "resource", path.rsplit("/", 1)[1])
        assert place is not None
        text = place.path.read_text(encoding="utf-8")
        values = {**hidden, **forms.values_of(place.model, records.record_data(place, text))}
        signed = {"_who": "Dana"}  # the name the editor's script fills in, as a browser's would
        data = urllib.parse.urlencode({**values, **signed, **changes}, doseq=True).encode()
        request = urllib.request.Request(self.url + path, data, headers={"Origin": self.url})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # follows the 303
                return answer.status
        except urllib.error.HTTPError as refused:
            return refused.code

    def stop(self) -> int:
        self.process.terminate()
        try:
            return self.process.wait(timeout=120)
        finally:
            self.reader.join(timeout=10)
            assert self.process.stdout is not None
            self.process.stdout.close()


@pytest.fixture
def server(content_copy: Path, tmp_path: Path) -> Iterator[Serving]:
    serving = Serving(content_copy, tmp_path / "out")
    try:
        serving.watching()
        yield serving
    finally:
        assert serving.stop() == 0, serving.log


def entries(out: Path) -> dict[str, str]:
    """Each variant's PDF hash in the manifest."""
    files = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    return {f"{e['region']}/{e['lang']}/{e['material']}": e["sha256"] for e in files}


def rebuild_order(log: list[str]) -> list[str]:
    """What the last rebuild published, in order: variants and gallery pages."""
    start = max(number for number, line in enumerate(log) if line.startswith("Changed:"))
    order = []
    for line in log[start:]:
        found = re.search(r"(new-milford/en/[\w-]+)\.pdf  ", line)
        if found:
            order.append(found.group(1))
        elif "index.html  gallery of" in line:
            order.append("gallery")
    return order


def files_of(out: Path) -> dict[str, bytes]:
    """The published files (not the build's own records, which hold file times, nor the
    editor's history)."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in out.rglob("*")
        if path.is_file() and not path.name.startswith(".") and path.name != LOG
    }


def test_the_variant_on_screen_is_published_before_the_others(
    server: Serving, content_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    before = entries(out)

    # Saved in the editor, with no gallery page open: the record's pocket card comes first.
    assert server.save_form(LEGAL_AID, content_copy, **{"phones.0.number": "(800) 453-3321"}) == 200
    seen_early, deadline = False, time.monotonic() + 300
    while sum(line.startswith("Rebuilt") for line in server.lines) < 2:
        assert time.monotonic() < deadline, server.log
        status, now = server.status(), entries(out)
        if now[CARD] != before[CARD] and now[BOOKLET] == before[BOOKLET]:
            # The new card is out, the booklet not yet: the page already has a new version.
            assert status["building"] and status["version"] not in ("starting", "")
            seen_early = True
        time.sleep(0.02)
    assert seen_early, server.log
    assert rebuild_order(server.lines) == [CARD, "gallery", BOOKLET, "gallery"], server.log
    assert "Rebuilt 2 PDFs" in server.lines[-1], server.log
    after = entries(out)
    assert after[CARD] != before[CARD] and after[BOOKLET] != before[BOOKLET]

    # The gallery page says it shows the booklet: the booklet comes first this time.
    server.status(shown=BOOKLET)
    edit(content_copy / "resources" / "local.yaml", "(800) 453-3321", "(860) 355-3135")
    deadline = time.monotonic() + 300
    while sum(line.startswith("Rebuilt") for line in server.lines) < 3:
        assert time.monotonic() < deadline, server.log
        server.status(shown=BOOKLET)  # as the page does with every poll
        time.sleep(0.1)
    assert rebuild_order(server.lines) == [BOOKLET, "gallery", CARD, "gallery"], server.log

    # The folder ends as after one whole build of the same content.
    whole = tmp_path / "whole"
    result = run_build("--content", content_copy, "--out", whole, *SUBSET, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert files_of(out) == files_of(whole)
    # And the incremental state knows both variants: nothing is rendered again.
    again = run_build("--content", content_copy, "--out", out, *SUBSET, "--jobs", "1")
    assert "2 variants unchanged" in again.stdout and "Built 0 PDFs" in again.stdout, again.stdout
