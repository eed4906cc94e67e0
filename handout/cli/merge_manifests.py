"""`python build.py merge-manifests DIR...`: one manifest (and gallery) from the output
folders of several shards, e.g. of a CI matrix."""

from __future__ import annotations

import argparse
from pathlib import Path

from handout.build.gallery import Labels, read_manifest, thumbnails_of, write_gallery
from handout.build.lock import check_out_folder, output_lock
from handout.build.manifest import merge_manifest_files
from handout.build.publish import remove_leftovers
from handout.cli import arguments
from handout.content.errors import Problem, display_path


def parser(root: Path) -> argparse.ArgumentParser:
    command = arguments.Parser(
        prog="python build.py merge-manifests",
        description="Merge the manifest.json of several output folders (e.g. the shards of a "
        "CI matrix) into one.",
        epilog="Also writes the gallery (index.html) of the merged manifest, with the names and "
        "warnings of the content the shards were built from (--content), as a whole build "
        "writes it.\n\n"
        "example: python build.py merge-manifests shard-1 shard-2 shard-3 --out output",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument(
        "folders",
        nargs="+",
        type=Path,
        metavar="DIR",
        help="the output folders of the shards, each holding the manifest.json of a finished "
        "build (python build.py --shard K/N --out DIR)",
    )
    arguments.out(command, root, "where the merged manifest.json and index.html go")
    command.add_argument(
        "--content",
        type=Path,
        default=root / "content",
        metavar="FOLDER",
        help="the content the shards were built from, for the gallery's names of regions and "
        "languages and its warnings (default: content/; without a project.yaml there, the "
        "gallery shows ids)",
    )
    arguments.overwrite(command)
    return command


def run(options: argparse.Namespace) -> int:
    check_out_folder(options.out, options.overwrite)
    labels, notes = gallery_labels(options.content)  # a mistake there: nothing written
    with output_lock(options.out):
        remove_leftovers(options.out)
        ours = thumbnails_of(read_manifest(options.out))  # the earlier merge's
        path, count = merge_manifest_files(options.folders, options.out)
        print(f"  wrote {display_path(path)} ({count} files)")
        write_gallery(options.out, labels, notes, report=print, ours=ours)
    return 0


def gallery_labels(content_dir: Path) -> tuple[Labels | None, list[Problem]]:
    """The names and warnings a whole build's gallery shows, from the content folder (the
    merged gallery is then the same page); none when there is no content there."""
    if not (content_dir / "project.yaml").is_file():
        print(f"  note: no content in {display_path(content_dir)}: the gallery shows ids")
        return None, []
    from handout.content.load import content_warnings, load

    content = load(content_dir)
    return Labels.of(content), content_warnings(content)
