"""The output folder stays true: one build at a time, files checked against the state,
publishing as a set, no orphaned workers, modes that follow the umask (issue 13)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, edit, run_build
from tests.pdf import all_text

ONE = ("--region", "danbury", "--lang", "en", "--material", "pocket-card")
"""A small build: one variant."""

HOLD_THE_LOCK = """
import sys
from pathlib import Path
from handout.build.lock import output_lock
with output_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""

PAUSED_BUILD = """
import sys
from pathlib import Path
from handout.build.options import BuildOptions
from handout.build.pipeline import build

def report(line):
    print(line, flush=True)
    if ".pdf" in line and " pages" in line:  # its PDFs are in place, not its manifest
        print("paused", flush=True)
        sys.stdin.read()

build(BuildOptions(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), regions=("danbury",),
      languages=("en",), materials=("pocket-card",)), report=report)
"""


def python(script: str, *args: str | Path, **options: object) -> subprocess.Popen[str]:
    """Start a Python process running `script` in the project folder."""
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        **options,
    )


def build_process(*args: str | Path, **options: object) -> subprocess.Popen[str]:
    """Start `python build.py ARGS`."""
    return python(
        "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], "
        "run_name='__main__')",
        ROOT / "build.py",
        *args,
        **options,
    )


def wait_for_line(process: subprocess.Popen[str], text: str, seconds: float = 120) -> str:
    """Read the process's output until a line contains `text` (bounded by `seconds`)."""
    deadline = time.monotonic() + seconds
    seen = []
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if text in line:
            return line
    raise AssertionError(f"{text!r} never printed; output: {''.join(seen)!r}")


@contextlib.contextmanager
def cleaned_up(*processes: subprocess.Popen[str]) -> Iterator[None]:
    """Whatever happens, no process of the test outlives it."""
    try:
        yield
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=120)
            for stream in (process.stdin, process.stdout, process.stderr):
                if stream is not None:
                    stream.close()


# --- defect 8: one build at a time -------------------------------------------------------


def test_a_second_build_waits_and_says_who_holds_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = python(HOLD_THE_LOCK, out)
    with cleaned_up(holder):
        wait_for_line(holder, "held", 30)
        second = build_process("--out", out, *ONE)
        with cleaned_up(second):
            waiting = wait_for_line(second, "waiting", 60)
            assert f"pid {holder.pid}" in waiting and "since" in waiting
            time.sleep(1)
            assert second.poll() is None, "the second build did not wait"
            assert not (out / "danbury").exists()
            assert holder.stdin is not None
            holder.stdin.close()  # the holder ends: the second build goes on
            assert second.wait(timeout=180) == 0
        assert (out / "danbury" / "en" / "pocket-card.pdf").exists()


def test_a_build_run_while_another_is_paused_never_leaves_state_of_other_files(
    content_copy: Path, tmp_path: Path
) -> None:
    """The hardening pass's case: a build paused before its manifest, a second build of
    other content run meanwhile, then 'Nothing changed' over PDFs of the other content."""
    out = tmp_path / "out"
    other = Path(tmp_path / "other")
    shutil.copytree(content_copy, other)
    edit(other / "resources" / "connecticut.yaml", "(888) 774-2900", "(888) 774-2901")
    paused = python(PAUSED_BUILD, content_copy, ROOT / "templates", out)
    with cleaned_up(paused):
        wait_for_line(paused, "paused", 180)
        second = build_process("--content", other, "--out", out, *ONE)
        with cleaned_up(second):
            time.sleep(2)  # without a lock, the second build now runs to its end
            assert paused.stdin is not None
            paused.stdin.close()
            assert paused.wait(timeout=180) == 0, paused.stderr
            assert second.wait(timeout=180) == 0
    again = run_build("--content", content_copy, "--out", out, *ONE)
    assert again.returncode == 0, again.stderr
    card = out / "danbury" / "en" / "pocket-card.pdf"
    assert "774-2900" in all_text(card), "the state described the other build's PDF"


# --- defect 17: no orphaned render workers; SIGTERM and Ctrl-C stop the whole build ------


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie, or a pid no longer there, is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def workers_of(process: subprocess.Popen[str], count: int, seconds: float = 60) -> set[int]:
    """The build's render workers, once it has forked `count` of them."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = {pid for pid in children(process.pid) if alive(pid)}
        if len(found) >= count:
            return found
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError(f"the build never started {count} workers")


def survivors(pids: set[int], seconds: float) -> set[int]:
    """The processes of `pids` still alive after waiting up to `seconds` for them to end."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.1)
    return {pid for pid in pids if alive(pid)}


def kill_all(pids: set[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def as_in_a_terminal() -> None:
    """Ctrl-C as a terminal's command gets it: a test run started in the background by a
    script (`pytest &`) ignores SIGINT, and its children would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


@needs_proc
def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    build = build_process("--out", tmp_path / "out", "--lang", "en", "--jobs", "2")
    workers: set[int] = set()
    try:
        with cleaned_up(build):
            workers = workers_of(build, 2)
            time.sleep(1.5)  # rendering
            build.send_signal(signal.SIGKILL)
            build.wait(timeout=120)
        assert survivors(workers, 15) == set(), "render workers outlived their parent"
    finally:
        kill_all(workers)


@needs_proc
@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_sigterm_or_ctrl_c_stops_the_whole_build_cleanly(tmp_path: Path, how: str) -> None:
    out = tmp_path / "out"
    assert run_build("--out", out, *ONE).returncode == 0
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    build = build_process(
        "--out",
        out,
        "--lang",
        "en",
        "--jobs",
        "2",
        start_new_session=True,
        preexec_fn=as_in_a_terminal,
    )
    workers: set[int] = set()
    try:
        with cleaned_up(build):
            workers = workers_of(build, 2)
            time.sleep(1.5)  # rendering
            if how == "SIGTERM":
                build.send_signal(signal.SIGTERM)
            else:  # a terminal sends Ctrl-C to every process of the foreground group
                os.killpg(build.pid, signal.SIGINT)
            _stdout, stderr = build.communicate(timeout=120)
        assert build.returncode not in (0, 3), stderr
        assert "Traceback" not in stderr and "stopped" in stderr, stderr
        assert survivors(workers, 15) == set(), "render workers outlived the build"
        after = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
        assert {p: b for p, b in after.items() if not p.name.startswith(".handout-lock")} == {
            p: b for p, b in before.items() if not p.name.startswith(".handout-lock")
        }
    finally:
        kill_all(workers)


# --- defect 9: the rebuild checks the output folder against the state -------------------

DANBURY_EN = ("--region", "danbury", "--lang", "en", "--jobs", "1")


def files_of(out: Path) -> dict[str, bytes]:
    """The output folder's files (not the build's own records: state, lock)."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not path.name.startswith(".handout-")
    }


def rebuilt(out: Path) -> list[str]:
    """Rebuild; the PDFs it rendered again."""
    result = run_build("--out", out, *DANBURY_EN)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return sorted(
        Path(line.split()[0]).relative_to(out).as_posix()
        for line in result.stdout.splitlines()
        if line.strip().endswith(("]", "s)")) and ".pdf  " in line
    )


def test_the_rebuild_restores_what_was_deleted_or_damaged_in_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_build("--out", out, *DANBURY_EN).returncode == 0
    before = files_of(out)
    card, booklet = "danbury/en/pocket-card.pdf", "danbury/en/booklet.pdf"
    thumbnail = next(name for name in before if "flyer" in name and name.endswith(".webp"))

    (out / "manifest.json").unlink()
    assert rebuilt(out) == []  # nothing to render: the manifest is written again
    assert files_of(out) == before

    with (out / card).open("r+b") as pdf:
        pdf.truncate(1000)
    assert rebuilt(out) == [card]
    assert files_of(out) == before

    (out / thumbnail).unlink()
    (out / "index.html").unlink()
    assert rebuilt(out) == ["danbury/en/flyer.pdf"]
    assert files_of(out) == before

    (out / "index.html").write_text("<html>not the gallery</html>\n")
    assert rebuilt(out) == []
    assert files_of(out) == before

    os.utime(out / booklet)  # a newer time, the same bytes: hashed, found the same
    assert rebuilt(out) == []
    damaged = bytearray((out / booklet).read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF  # same size, other bytes, a newer time
    (out / booklet).write_bytes(bytes(damaged))
    assert rebuilt(out) == [booklet]
    assert files_of(out) == before


# --- defect 10: publishing is one set; a killed build's leftovers go at the next start ----

SIGNALLED_WHILE_PUBLISHING = """
import os, signal, sys
from pathlib import Path
from handout.cli.main import main

after, how = int(sys.argv[1]), getattr(signal, sys.argv[2])
real, renamed = os.replace, []

def replace(source, target, *args, **options):
    real(source, target, *args, **options)
    if str(target).endswith(".pdf"):
        renamed.append(target)
        if len(renamed) == after:  # in the middle of putting the new PDFs in place
            os.kill(os.getpid(), how)

os.replace = replace
sys.exit(main(sys.argv[3:], root=Path({root!r})))
"""


def signalled_while_publishing(how: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """A build that gets `how` (SIGKILL, SIGTERM) after renaming 3 of its new PDFs."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            SIGNALLED_WHILE_PUBLISHING.format(root=str(ROOT)),
            "3",
            how,
            *map(str, args),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def manifest_matches_the_files(out: Path) -> None:
    import hashlib

    for entry in json.loads((out / "manifest.json").read_text())["files"]:
        pdf = (out / entry["path"]).read_bytes()
        assert hashlib.sha256(pdf).hexdigest() == entry["sha256"], entry["path"]
        if entry["print_path"]:
            printed = (out / entry["print_path"]).read_bytes()
            assert hashlib.sha256(printed).hexdigest() == entry["print_sha256"]


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_a_build_stopped_while_publishing_leaves_one_consistent_set(
    content_copy: Path, tmp_path: Path, how: str
) -> None:
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    options = ("--content", content_copy, *DANBURY_EN)
    assert run_build("--out", out, *options).returncode == 0
    edit(content_copy / "resources" / "connecticut.yaml", "(888) 774-2900", "(888) 774-2901")
    stopped = signalled_while_publishing(how, "--out", out, *options)
    assert stopped.returncode in (-9, 130), stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert run_build("--out", fresh, *options).returncode == 0
    if how == "SIGTERM":  # the set was put in place whole before the build stopped
        assert not list(out.rglob("*.tmp"))
        manifest_matches_the_files(out)
        pdfs = {name: data for name, data in files_of(out).items() if name.endswith(".pdf")}
        assert pdfs == {n: d for n, d in files_of(fresh).items() if n.endswith(".pdf")}
    again = run_build("--out", out, *options)
    assert again.returncode == 0, again.stderr
    assert not list(out.rglob("*.tmp")), "a killed build's temporary files are still there"
    manifest_matches_the_files(out)
    assert files_of(out) == files_of(fresh)


def test_temporary_files_left_by_a_killed_build_go_at_the_next_start(tmp_path: Path) -> None:
    """Killed while staging, a build leaves temporary files and the last build's record:
    the next build must not stop at 'Nothing changed' before removing them."""
    out = tmp_path / "out"
    assert run_build("--out", out, *ONE).returncode == 0
    left = [
        out / "danbury" / "en" / ".pocket-card.pdf.k1ll3d00.tmp",
        out / "thumbnails" / ".danbury_en_pocket-card_0123456789ab_p1.webp.k1ll3d00.tmp",
        out / ".manifest.json.k1ll3d00.tmp",
    ]
    for path in left:
        path.write_bytes(b"half a file")
    again = run_build("--out", out, *ONE)
    assert again.returncode == 0, again.stderr
    assert not [path for path in left if path.exists()]
    assert "Built 0 PDFs" in again.stdout


# --- defect 16 (the output folder's part): damaged records, a read-only folder -----------


@pytest.fixture(scope="module")
def one_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder with one variant built."""
    out = tmp_path_factory.mktemp("one") / "out"
    assert run_build("--out", out, *ONE).returncode == 0
    return out


@pytest.mark.parametrize("name", [".handout-state.json", ".handout-inputs.json", "manifest.json"])
@pytest.mark.parametrize("damage", ["[]", "null", '"a string"', "{", "a folder"])
def test_a_damaged_record_of_the_output_folder_counts_as_absent(
    one_built: Path, tmp_path: Path, name: str, damage: str
) -> None:
    out = Path(shutil.copytree(one_built, tmp_path / "out"))
    before = files_of(out)
    (out / name).unlink()
    if damage == "a folder":
        (out / name).mkdir()
    else:
        (out / name).write_text(damage)
    result = run_build("--out", out, *ONE)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert files_of(out) == before
    again = run_build("--out", out, *ONE)
    assert "Nothing changed" in again.stdout, "the records were not written again"


def test_a_folder_in_place_of_the_manifest_with_files_in_it_is_a_clear_error(
    one_built: Path, tmp_path: Path
) -> None:
    out = Path(shutil.copytree(one_built, tmp_path / "out"))
    (out / "manifest.json").unlink()
    (out / "manifest.json").mkdir()
    (out / "manifest.json" / "notes.txt").write_text("mine")
    result = run_build("--out", out, *ONE)
    assert result.returncode == 1, result.stderr
    assert "manifest.json" in result.stderr and "is a folder" in result.stderr
    assert "Traceback" not in result.stderr


NOBODY = 65534


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root")
def test_a_read_only_output_folder_with_nothing_to_render_is_no_crash() -> None:
    """As a user who may read the output folder but not write it (root may write anything,
    so the build runs as `nobody`)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="handout-read-only-"))
    try:
        folder.chmod(0o755)
        out = folder / "out"
        assert run_build("--out", out, *ONE).returncode == 0
        (out / ".handout-inputs.json").unlink()  # so the build looks at everything
        before = files_of(out)
        as_nobody = subprocess.run(
            [
                "setpriv",
                f"--reuid={NOBODY}",
                f"--regid={NOBODY}",
                "--clear-groups",
                sys.executable,
                str(ROOT / "build.py"),
                "--out",
                str(out),
                *ONE,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
        assert as_nobody.returncode in (0, 1), as_nobody.stderr
        assert "Traceback" not in as_nobody.stderr
        if as_nobody.returncode == 1:
            assert str(out) in as_nobody.stderr or "out" in as_nobody.stderr
            assert "Permission denied" in as_nobody.stderr
        assert files_of(out) == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- defect 4 and 16: merge-manifests checks the shards' manifests -----------------------


def shard_with(one_built: Path, tmp_path: Path, change: dict, drop: str = "") -> Path:
    """A copy of a built shard whose manifest entry is changed."""
    shard = Path(shutil.copytree(one_built, tmp_path / "shard"))
    manifest = json.loads((shard / "manifest.json").read_text())
    entry = manifest["files"][0] | change
    entry.pop(drop, None)
    manifest["files"][0] = entry
    (shard / "manifest.json").write_text(json.dumps(manifest))
    return shard


@pytest.mark.parametrize(
    ("change", "drop", "said"),
    [
        ({"region": "../../.."}, "", "region"),
        ({"lang": "en/../../x"}, "", "lang"),
        ({"material": "poster"}, "", "material"),
        ({"pages": 10_000_000}, "", "pages"),
        ({"pages": 0}, "", "pages"),
        ({"page_size_pt": [1e12, 1]}, "", "page_size_pt"),
        ({"path": "../../elsewhere.pdf"}, "", "path"),
        ({"print_path": "/etc/passwd"}, "", "print_path"),
        ({"sha256": "../../x"}, "", "sha256"),
        ({}, "sha256", "sha256"),
        ({}, "region", "region"),
        ({"files": "x"}, "", "files"),
    ],
)
def test_merge_manifests_refuses_a_shard_manifest_that_is_not_one(
    one_built: Path, tmp_path: Path, change: dict, drop: str, said: str
) -> None:
    shard = shard_with(one_built, tmp_path, change, drop)
    out = tmp_path / "place" / "out"
    result = run_build("merge-manifests", shard, "--out", out)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "manifest.json" in result.stderr and f"`{said}" in result.stderr, result.stderr
    assert not (out / "manifest.json").exists()
    assert [path.name for path in tmp_path.rglob("*.webp") if shard not in path.parents] == []


@pytest.mark.parametrize("text", ["[]", "null", '"x"', '{"files": [1]}', "[" * 100_000])
def test_merge_manifests_refuses_a_manifest_of_the_wrong_shape(
    one_built: Path, tmp_path: Path, text: str
) -> None:
    shard = Path(shutil.copytree(one_built, tmp_path / "shard"))
    (shard / "manifest.json").write_text(text)
    result = run_build("merge-manifests", shard, "--out", tmp_path / "out")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "manifest.json" in result.stderr


# --- defect 15: written files follow the umask; rewritten files keep their mode ----------


def with_umask(umask: int, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """`python build.py ARGS` run under `umask`."""
    command = " ".join(f"'{arg}'" for arg in [sys.executable, ROOT / "build.py", *args])
    return subprocess.run(
        ["sh", "-c", f"umask {umask:03o} && exec {command}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_written_files_follow_the_umask_and_rewritten_ones_keep_their_mode(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    assert with_umask(0o027, "--out", out, *ONE).returncode == 0
    written = [p for p in out.rglob("*") if p.is_file() and p.name != ".handout.lock"]
    assert {p.relative_to(out).as_posix(): mode(p) for p in written} == {
        p.relative_to(out).as_posix(): 0o640 for p in written
    }
    assert len(written) > 5
    kept = [out / "danbury" / "en" / "pocket-card.pdf", out / "index.html", out / "manifest.json"]
    for path in kept:
        path.chmod(0o664)
    forced = with_umask(0o077, "--out", out, "--force", "--card-sheet", "a4", *ONE)
    assert forced.returncode == 0, forced.stderr
    assert [mode(path) for path in kept] == [0o664] * 3
    assert mode(out / "danbury" / "en" / "pocket-card-print.pdf") == 0o640  # rewritten: kept

    sheet = with_umask(0o022, "verify-sheet", "--out", tmp_path / "sheet")
    assert sheet.returncode == 0, sheet.stderr
    assert mode(tmp_path / "sheet" / "verify-sheet.csv") == 0o644
    (tmp_path / "sheet" / "verify-sheet.csv").chmod(0o660)
    assert with_umask(0o022, "verify-sheet", "--out", tmp_path / "sheet").returncode == 0
    assert mode(tmp_path / "sheet" / "verify-sheet.csv") == 0o660


def test_files_rewritten_by_import_hsds_keep_their_mode(content_copy: Path) -> None:
    region = content_copy / "regions" / "danbury.yaml"
    region.chmod(0o664)
    dataset = ROOT / "tests" / "data" / "hsds" / "json" / "sample-county.json"
    imported = with_umask(
        0o022, "import-hsds", dataset, "--region", "danbury", "--content", content_copy
    )
    assert imported.returncode == 0, imported.stderr
    assert mode(region) == 0o664
    assert mode(content_copy / "resources" / "hsds-danbury.yaml") == 0o644
