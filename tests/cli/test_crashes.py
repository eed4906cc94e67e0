"""Mistakes that used to end in a traceback (exit 3): each now ends in a clear message
naming the file and place (exit 1), and `serve` lives on to show it."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, assert_clean_failure, edit, pdfs, run_build


def test_an_override_of_a_record_that_does_not_exist(content_copy: Path, tmp_path: Path) -> None:
    edit(
        content_copy / "regions" / "danbury.yaml", "  ct-legal-services:\n", "  ct-legal-servce:\n"
    )
    expected = (
        "regions/danbury.yaml:20:3",
        "no record has the id `ct-legal-servce`",
        "did you mean",
    )
    assert_clean_failure(run_build("--content", content_copy, "--check"), *expected)
    result = run_build(
        "--content", content_copy, "--out", tmp_path / "out", "--region", "danbury",
        "--lang", "en", "--material", "discreet-card",
    )  # fmt: skip
    assert_clean_failure(result, *expected)
    assert pdfs(tmp_path / "out") == []


CORRUPT_PO = {
    "not UTF-8": b"\xff\xfe\x00garbage",
    "a plural index that is not a number": b'msgid "a"\nmsgid_plural "b"\nmsgstr[x] "c"\n',
    "a broken plural header": b'msgid ""\nmsgstr "Plural-Forms: nplurals=abc; plural=(n;\\n"\n',
    "an unknown charset": (
        b'msgid ""\nmsgstr "Content-Type: text/plain; charset=klingon\\n"\n'
        b'\nmsgid "a"\nmsgstr "b"\n'
    ),
}


@pytest.mark.parametrize("name", sorted(CORRUPT_PO))
def test_a_corrupt_po_file(content_copy: Path, name: str) -> None:
    (content_copy / "locale" / "es.po").write_bytes(CORRUPT_PO[name])
    result = run_build("--content", content_copy, "--check")
    assert_clean_failure(result, "locale/es.po", "cannot be read as a translation catalog")


def test_a_po_file_that_is_a_folder(content_copy: Path) -> None:
    (content_copy / "locale" / "es.po").unlink()
    (content_copy / "locale" / "es.po").mkdir()
    assert_clean_failure(run_build("--content", content_copy, "--check"), "locale/es.po")


def test_a_po_file_linked_from_outside(content_copy: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.po"
    secret.write_text('msgid "root:x:0:0"\nmsgstr[x] "root:x:0:0"\n')
    (content_copy / "locale" / "es.po").unlink()
    (content_copy / "locale" / "es.po").symlink_to(secret)
    result = run_build("--content", content_copy, "--check")
    assert_clean_failure(result, "locale/es.po", "outside the content folder")
    assert "root:x" not in result.stderr


ATTACHMENT = '<link rel="attachment" href="file:///etc/hostname"></head>'


def test_an_attachment_outside_the_templates_is_refused(
    templates_copy: Path, tmp_path: Path
) -> None:
    edit(templates_copy / "base.html", "</head>", ATTACHMENT)
    result = run_build(
        "--templates", templates_copy, "--out", tmp_path / "out", "--material", "pocket-card",
        "--region", "danbury", "--lang", "en", "--jobs", "1",
    )  # fmt: skip
    assert_clean_failure(result, "refused to load file:///etc/hostname")


def test_serve_survives_a_refused_attachment(templates_copy: Path, tmp_path: Path) -> None:
    edit(templates_copy / "base.html", "</head>", ATTACHMENT)
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "serve",
            "--port",
            "0",
            "--templates",
            templates_copy,
            "--out",
            tmp_path / "out",
            "--region",
            "danbury",
            "--lang",
            "en",
            "--material",
            "pocket-card",
            "--jobs",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(line.rstrip() for line in process.stdout), daemon=True
    )
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while not any("the page shows why" in line for line in lines):
            assert process.poll() is None, "serve stopped:\n" + "\n".join(lines)
            assert time.monotonic() < deadline, "\n".join(lines)
            time.sleep(0.1)
        found = (re.search(r"http://127\.0\.0\.1:\d+/", line) for line in lines)
        url = next(match.group(0) for match in found if match)
        page = urllib.request.urlopen(url, timeout=10).read().decode()
        assert "refused to load file:///etc/hostname" in page
        assert "This is a bug" not in page
        assert process.poll() is None
    finally:
        process.terminate()
        process.wait(timeout=120)
        reader.join(timeout=10)
        process.stdout.close()
