"""`manifest.json`: every PDF of an output folder, and the merging of shards' manifests.

A shard's manifest comes from another machine (a CI artifact) and is read as untrusted
input: before it is merged, every entry is checked with the same rules as the content
(ids are slugs, languages are language codes), its numbers are bounded, and its paths
must be the ones a build writes for that variant, inside the output folder. A region of
`../../..` once wrote a thumbnail outside `--out`, and `pages: 10000000` took 6 GB.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from handout.build.plan import Variant, Warnings
from handout.content.errors import UserError, display_path
from handout.content.models import Id, LanguageCode
from handout.layout.materials import MATERIALS

MANIFEST = "manifest.json"

MAX_PAGES = 10_000
"""More pages than any material has (a booklet of thousands of records stays below)."""
MAX_PAGE_PT = 14_400.0
"""The largest page a PDF may have: 200 in."""
MAX_ENTRIES = 100_000

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Length = Annotated[float, Field(gt=0, le=MAX_PAGE_PT)]
PartName = Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,40}$")]
Texts = Annotated[list[Annotated[str, Field(max_length=2000)]], Field(max_length=10_000)]


class EntryWarnings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unverified_facts: Texts = []
    stale_checks: Texts = []
    draft_translation: bool = False
    outdated_translations: Texts = []
    missing_translations: Texts = []


class Entry(BaseModel):
    """One PDF of a manifest (and its print and press copies)."""

    model_config = ConfigDict(extra="forbid")

    region: Id
    lang: LanguageCode
    material: Literal[tuple(MATERIALS)]  # type: ignore[valid-type]
    path: str
    pages: int = Field(ge=1, le=MAX_PAGES)
    page_size_pt: tuple[Length, Length]
    sha256: Sha256
    type_scale: dict[PartName, Annotated[float, Field(gt=0, le=1)]] = Field(max_length=20)
    print_path: str | None
    print_sha256: Sha256 | None
    press_path: str | None = None
    warnings: EntryWarnings

    @model_validator(mode="after")
    def _paths_are_the_variants(self) -> Entry:
        """The paths a build writes for this variant, nothing else: so they stay inside the
        output folder whatever the shard says."""
        stem = f"{self.region}/{self.lang}/{self.material}"
        for field, suffix in (("path", ""), ("print_path", "-print"), ("press_path", "-press")):
            value = getattr(self, field)
            if value is not None and value != f"{stem}{suffix}.pdf":
                raise ValueError(f"`{field}` must be {stem}{suffix}.pdf, not {value[:80]!r}")
        if (self.print_path is None) != (self.print_sha256 is None):
            raise ValueError("`print_path` and `print_sha256` go together")
        return self


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    files: list[Entry] = Field(max_length=MAX_ENTRIES)


def read_shard_manifest(folder: Path) -> list[dict]:
    """A shard's manifest entries, checked (UserError naming the file, entry and field)."""
    path = folder / MANIFEST
    where = display_path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeError, RecursionError) as error:
        reason = getattr(error, "strerror", None) or str(error)[:200] or "too deeply nested"
        raise UserError(
            f"{where}: not a manifest ({reason}); give the output folder of a finished build"
        ) from error
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as error:
        raise UserError(_problems(where, data, error)) from None
    return [entry.model_dump(mode="json") for entry in manifest.files]


def _problems(where: Path, data: object, error: ValidationError) -> str:
    lines = []
    for problem in error.errors()[:20]:
        place = problem["loc"]
        if len(place) >= 2 and place[0] == "files" and isinstance(place[1], int):
            entry = data["files"][place[1]] if isinstance(data, dict) else None  # type: ignore[index]
            name = ""
            if isinstance(entry, dict):
                parts = (str(entry.get(key))[:40] for key in ("region", "lang", "material"))
                name = f" ({'/'.join(parts)})"
            field = ".".join(str(part) for part in place[2:]) or _field_of(problem)
            lines.append(f"  entry {place[1] + 1}{name}: `{field}`: {problem['msg']}")
        else:
            field = ".".join(str(part) for part in place) or "files"
            lines.append(f"  `{field}`: {problem['msg']}")
    count = error.error_count()
    return (
        f"{where}: not a manifest of handout ({count} problem{'s' if count != 1 else ''}); "
        "build that shard again, or leave it out:\n" + "\n".join(lines)
    )


def _field_of(problem: dict) -> str:
    """The field a whole-entry problem names (`path` must be ...)."""
    message = str(problem.get("msg", ""))
    start = message.find("`")
    end = message.find("`", start + 1)
    return message[start + 1 : end] if 0 <= start < end else "entry"


def manifest_bytes(entries: list[dict]) -> bytes:
    """`manifest.json`: every variant of the folder, in the order of the matrix."""

    def key(entry: dict) -> tuple[str, str, str]:
        return entry["region"], entry["lang"], entry["material"]

    manifest = {"files": sorted(entries, key=key)}
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def merge_manifest_files(folders: list[Path], out: Path) -> tuple[Path, int]:
    """One manifest from several (shards): entries keyed by region, language, material;
    paths stay relative to the output folder, where the shards' files are copied. Every
    shard is checked before anything is written."""
    from handout.build.publish import write_atomically

    entries: dict[tuple[str, str, str], dict] = {}
    for folder in folders:
        for entry in read_shard_manifest(folder):
            entries[(entry["region"], entry["lang"], entry["material"])] = entry
    target = out / MANIFEST
    write_atomically(target, manifest_bytes(list(entries.values())))
    return target, len(entries)


@dataclass(frozen=True)
class Built:
    variant: Variant
    path: Path
    pages: int
    page_size_pt: tuple[float, float]
    sha256: str
    warnings: Warnings
    fit: dict[str, float] = dataclass_field(default_factory=dict)
    print_path: Path | None = None
    print_sha256: str | None = None
    press_path: Path | None = None


def manifest_warnings(warnings: Warnings) -> dict:
    return {
        "unverified_facts": warnings.unverified,
        "stale_checks": warnings.stale,
        "draft_translation": warnings.draft_translation,
        "outdated_translations": warnings.outdated,
        "missing_translations": warnings.missing,
    }


def manifest_entry(item: Built, out_dir: Path) -> dict:
    """A variant's entry in `manifest.json`."""
    variant = item.variant
    return {
        "region": variant.region,
        "lang": variant.language,
        "material": variant.material,
        "path": item.path.relative_to(out_dir).as_posix(),
        "pages": item.pages,
        "page_size_pt": [round(item.page_size_pt[0], 2), round(item.page_size_pt[1], 2)],
        "sha256": item.sha256,
        "type_scale": item.fit,
        "print_path": item.print_path.relative_to(out_dir).as_posix() if item.print_path else None,
        "print_sha256": item.print_sha256,
        "press_path": item.press_path.relative_to(out_dir).as_posix() if item.press_path else None,
        "warnings": manifest_warnings(item.warnings),
    }
