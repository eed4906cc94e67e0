"""Sharded builds as docs/shards.md sets them up: the job definitions there (GitHub Actions,
a Kubernetes Indexed Job) run valid commands of our command line; their merge steps, run as
written on real shards, give the folder a whole build gives; a shard plans only its own
variants. (That shards are disjoint and cover the matrix: test_incremental.py; the gallery
of a merge: test_gallery.py; the checks of a shard's manifest: test_output.py.)"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from handout.build import pipeline
from handout.build.options import BuildOptions
from handout.build.plan import Variant, shard_of, variants
from handout.cli.main import COMMANDS, command_module
from handout.content.load import load
from handout.layout.materials import MATERIALS
from tests.conftest import CONTENT, ROOT, TEMPLATES, run_build

JOBS = ROOT / "docs" / "shards"
WORKFLOW = JOBS / "github-actions.yml"
KUBERNETES = JOBS / "kubernetes-job.yaml"

SELECTION = ("--region", "danbury", "--lang", "en", "--material", "pocket-card", "discreet-card")
"""Two cards: cheap to render, and enough for two shards of one PDF each."""


def parsed(argv: list[str]) -> argparse.Namespace:
    """`python build.py ARGV` read by the command line's own parsers (exit 2 if wrong)."""
    assert argv[:2] == ["python", "build.py"], argv
    words = argv[2:]
    if words[:1] and words[0] in COMMANDS:
        return command_module(COMMANDS[words[0]]).parser(ROOT).parse_args(words[1:])
    return command_module("build").parser(ROOT).parse_args(words)


def shell_words(command: str, env: dict[str, str], cwd: Path) -> list[str]:
    """The words `sh` makes of `command` (variables, arithmetic, globs expanded in `cwd`)."""
    result = subprocess.run(
        ["sh", "-c", f"printf '%s\\n' {command}"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", **env},
        check=True,
    )
    return result.stdout.splitlines()


def build_lines(script: str) -> list[str]:
    """The `python build.py ...` commands of a shell script (`&&` or new lines between)."""
    commands = [part.strip() for line in script.splitlines() for part in line.split("&&")]
    return [command for command in commands if command.startswith("python build.py")]


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps_run(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def kubernetes() -> dict[str, dict]:
    """The Kubernetes objects of the file, by name."""
    documents = yaml.safe_load_all(KUBERNETES.read_text(encoding="utf-8"))
    return {document["metadata"]["name"]: document for document in documents}


def container_script(job: dict, init: bool = False) -> str:
    pod = job["spec"]["template"]["spec"]
    (container,) = pod["initContainers" if init else "containers"]
    assert container["command"] == ["sh", "-c"]
    return " ".join(container["args"])


def env_of(job: dict) -> dict[str, str]:
    (container,) = job["spec"]["template"]["spec"]["containers"]
    return {item["name"]: item["value"] for item in container.get("env", [])}


# --- the job definitions are valid ----------------------------------------------------------


def test_the_workflow_runs_one_valid_shard_command_per_matrix_entry(tmp_path: Path) -> None:
    jobs = workflow()["jobs"]
    count = int(workflow()["env"]["SHARDS"])
    matrix = jobs["shard"]["strategy"]["matrix"]["shard"]
    assert matrix == list(range(1, count + 1))
    (command,) = [line for run in steps_run(jobs["shard"]) for line in build_lines(run)]
    for shard in matrix:
        text = command.replace("${{ matrix.shard }}", str(shard))
        text = text.replace("${{ env.SHARDS }}", str(count))
        assert "${{" not in text
        options = parsed(shell_words(text, {}, tmp_path))
        assert options.shard == (shard, count)
        assert options.out == Path(f"shard-{shard}")
        upload = next(s for s in jobs["shard"]["steps"] if "upload-artifact" in s.get("uses", ""))
        assert upload["with"]["path"].replace("${{ matrix.shard }}", str(shard)) == f"shard-{shard}"


def test_the_workflows_merge_job_merges_every_shards_folder(tmp_path: Path) -> None:
    merge = workflow()["jobs"]["merge"]
    assert merge["needs"] == "shard"
    download = next(s for s in merge["steps"] if "download-artifact" in s.get("uses", ""))
    assert download["with"] == {"pattern": "shard-*", "path": "shards"}
    for shard in (1, 2):
        (tmp_path / "shards" / f"shard-{shard}").mkdir(parents=True)
    (command,) = [line for run in steps_run(merge) for line in build_lines(run)]
    options = parsed(shell_words(command, {}, tmp_path))
    assert options.folders == [Path("shards/shard-1"), Path("shards/shard-2")]
    assert options.out == Path("output")


def test_the_workflow_installs_what_the_build_needs() -> None:
    """The Debian packages .ci/run installs for rendering, and the project itself."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    runs = "\n".join(steps_run(workflow()["jobs"]["shard"]))
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in ci and package in runs
    for job in workflow()["jobs"].values():
        assert "pip install -e ." in "\n".join(steps_run(job))


def test_the_indexed_job_gives_each_pod_its_own_shard(tmp_path: Path) -> None:
    shards = kubernetes()["handout-shards"]
    spec = shards["spec"]
    assert spec["completionMode"] == "Indexed"
    count = int(env_of(shards)["SHARDS"])
    assert spec["completions"] == spec["parallelism"] == count
    (command,) = build_lines(container_script(shards))
    seen = []
    for index in range(count):
        words = shell_words(
            command, {"JOB_COMPLETION_INDEX": str(index), "SHARDS": str(count)}, tmp_path
        )
        options = parsed(words)
        assert options.out == Path(f"/shards/shard-{index + 1}")
        seen.append(options.shard)
    assert seen == [(shard, count) for shard in range(1, count + 1)]


def test_the_merge_job_waits_for_every_shard_then_merges_them(tmp_path: Path) -> None:
    objects = kubernetes()
    merge = objects["handout-merge"]
    count = int(env_of(objects["handout-shards"])["SHARDS"])
    (wait,) = merge["spec"]["template"]["spec"]["initContainers"]
    assert {"name": "SHARDS", "value": str(count)} in wait["env"]
    (command,) = build_lines(container_script(merge))
    options = parsed(shell_words(command, {}, tmp_path))
    assert options.folders == [Path("/shards/shard-*")]  # the shell expands it in the pod
    assert options.out == Path("/shards/output")
    claims = {
        volume["persistentVolumeClaim"]["claimName"]
        for job in (objects["handout-shards"], merge)
        for volume in job["spec"]["template"]["spec"]["volumes"]
    }
    assert claims == {"handout-files"}
    assert objects["handout-files"]["kind"] == "PersistentVolumeClaim"
    assert objects["handout-files"]["spec"]["accessModes"] == ["ReadWriteMany"]


def test_the_merge_jobs_wait_ends_once_every_shard_wrote_its_manifest(tmp_path: Path) -> None:
    script = container_script(kubernetes()["handout-merge"], init=True)
    script = script.replace("/shards/", f"{tmp_path}/")
    for shard in (1, 2):
        (tmp_path / f"shard-{shard}").mkdir()
    (tmp_path / "shard-1" / "manifest.json").write_text("{}")
    (tmp_path / "shard-2" / "manifest.json").write_text("{}")
    subprocess.run(
        ["sh", "-c", script], env={"SHARDS": "2", "PATH": "/usr/bin:/bin"}, check=True, timeout=60
    )


@pytest.mark.parametrize("count", [2, 3, 4, 5, 8])
def test_every_shard_gets_its_share_of_each_material(count: int) -> None:
    """Dealt from the plain sorted matrix, where the materials come round every 4
    variants, 4 shards gave one shard every booklet (minutes, against seconds for the
    pocket cards' shard)."""
    content = load(CONTENT)
    everything = variants(content)
    shards = [shard_of(everything, index, count) for index in range(1, count + 1)]
    assert sorted(v for shard in shards for v in shard) == sorted(everything)
    for material in MATERIALS:
        shares = [sum(v.material == material for v in shard) for shard in shards]
        assert max(shares) - min(shares) <= 1, (material, shares)


def test_the_readme_and_the_shards_page_link_files_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/shards.md)" in readme
    for page in (ROOT / "README.md", ROOT / "docs" / "shards.md"):
        text = page.read_text(encoding="utf-8")
        links = re.findall(r"\]\(((?:docs/)?shards[^)#]*)\)", text)
        assert links, page.name
        for link in links:
            assert (page.parent / link).is_file(), (page.name, link)


# --- their merge steps, run on real shards ---------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`SELECTION` built whole (whole/) and as two shards (shard-1/, shard-2/)."""
    folder = tmp_path_factory.mktemp("shards")
    for name, shard in (
        ("whole", ()),
        ("shard-1", ("--shard", "1/2")),
        ("shard-2", ("--shard", "2/2")),
    ):
        result = run_build(*SELECTION, *shard, "--out", folder / name)
        assert result.returncode == 0, result.stderr
    return folder


def visible_files(folder: Path) -> dict[str, str]:
    """Each file but the hidden ones (the build's state and lock): its sha256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    }


def shards_as_uploaded(built: Path, shards: Path) -> None:
    """The two shards' folders in `shards`, without their hidden files, as upload-artifact
    (v4.4 and later) uploads them."""
    for name in ("shard-1", "shard-2"):
        shutil.copytree(built / name, shards / name, ignore=shutil.ignore_patterns(".*"))


def merge_script(kind: str, tmp_path: Path) -> tuple[str, Path]:
    """The merge step of a job file, to run in `tmp_path`: its shell script, and where it
    writes the merged folder. The shards are put where that file's shard jobs put them."""
    python = f"{shlex.quote(sys.executable)} {shlex.quote(str(ROOT / 'build.py'))}"
    if kind == "github":
        (script,) = [run for run in steps_run(workflow()["jobs"]["merge"]) if "build.py" in run]
        return script.replace("python build.py", python), tmp_path / "output"
    script = container_script(kubernetes()["handout-merge"])
    script = script.replace("python build.py", python).replace("/shards/", f"{tmp_path}/")
    return script, tmp_path / "output"


@pytest.mark.parametrize("kind", ["github", "kubernetes"])
def test_the_merge_step_gives_what_a_whole_build_gives(
    kind: str, built: Path, tmp_path: Path
) -> None:
    shards_as_uploaded(built, tmp_path / "shards" if kind == "github" else tmp_path)
    script, output = merge_script(kind, tmp_path)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    whole = json.loads((built / "whole" / "manifest.json").read_text(encoding="utf-8"))
    merged = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert len(merged["files"]) == 2
    assert merged == whole
    assert visible_files(output) == visible_files(built / "whole")  # PDFs, thumbnails, gallery


# --- a shard plans only its own variants -----------------------------------------------------


def test_a_shard_plans_only_its_own_variants(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Planning composes and templates each variant's HTML: a shard must not do it for the
    whole matrix and throw most of it away."""
    planned: list[list[Variant]] = []
    real = pipeline.plan

    def counted(*args: object, **kwargs: object) -> object:
        planned.append(list(args[3]))  # plan(content, templates, translations, chosen, ...)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "plan", counted)
    options = BuildOptions(
        CONTENT, TEMPLATES, tmp_path / "out", materials=("pocket-card",), shard=(3, 21)
    )
    built = pipeline.build(options, report=lambda _line: None)
    assert [item.variant for item in built] == [Variant("danbury", "es", "pocket-card")]
    assert planned == [[Variant("danbury", "es", "pocket-card")]]


def test_a_merge_without_the_content_labels_the_gallery_with_ids(
    built: Path, tmp_path: Path
) -> None:
    out = tmp_path / "output"
    for name in ("shard-1", "shard-2"):
        shutil.copytree(built / name, out, dirs_exist_ok=True)
    shards = (built / "shard-1", built / "shard-2")
    result = run_build("merge-manifests", *shards, "--out", out, "--content", tmp_path / "none")
    assert result.returncode == 0, result.stderr
    assert "the gallery shows ids" in result.stdout
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<option value="danbury">danbury</option>' in html
    assert visible_files(out)["manifest.json"] == visible_files(built / "whole")["manifest.json"]
