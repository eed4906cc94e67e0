"""Read a content folder into typed models, keeping the line and column of every value.

Every problem found is collected (not just the first) and raised together as
`ContentErrors`, each pointing at file:line:column with a plain-language fix.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from handout.content.characters import yaml_problems
from handout.content.errors import (
    ContentErrors,
    Problem,
    display_path,
    excerpt,
    field_words,
    not_a_date,
)
from handout.content.models import Law, MaterialText, Project, Region, Resource, Section
from handout.content.models.fields import LANGUAGE_CODE
from handout.content.yaml_file import Location, YamlFile, inside, outside_problem, read_yaml

M = TypeVar("M", bound=BaseModel)


@dataclass
class Content:
    """Everything a build needs, validated. Regions are keyed by id (their file name)."""

    root: Path
    project: Project
    resources: dict[str, Resource]
    laws: dict[str, Law]
    sections: list[Section]
    text: MaterialText
    regions: dict[str, Region]
    files: dict[str, YamlFile] = field(default_factory=dict)
    places: dict[str, tuple[str, Location]] = field(default_factory=dict)
    """Where each object was written: `resource:ID`, `law:ID`, `section:ID`, `region:ID`,
    `materials` -> (file name in `files`, location in that file)."""


def build_model(
    model: type[M], data: Any, source: YamlFile, location: Location, problems: list[Problem]
) -> M | None:
    """Validate `data` (found at `location` in `source`) as `model`; record any problems."""
    if not isinstance(data, dict):
        problems.append(
            source.problem(location, f"expected a set of `key: value` lines, found {_kind(data)}")
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for detail in error.errors():
            problems.append(explain(model, detail, source, location))
        return None


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of keys"
    return f"the value {excerpt(repr(value))}"


def explain(model: type[BaseModel], detail: dict, source: YamlFile, base: Location) -> Problem:
    """Turn one pydantic error into a located, plain-language problem."""
    loc = tuple(detail["loc"])
    full = (*base, *loc)
    kind = detail["type"]
    name = field_words(loc)
    given = detail.get("input")
    shown = excerpt(given if isinstance(given, str) else repr(given))
    if kind == "missing":
        return source.problem(
            full[:-1], f"{name} is missing", f"add a line `{loc[-1]}: ...` here (it is required)"
        )
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        fix = f"did you mean `{guess[0]}`?" if guess else "remove it or check its spelling"
        if allowed:
            fix += f" Allowed here: {', '.join(allowed)}."
        return source.problem(full, f"unknown field `{loc[-1]}`", fix)
    if given is None and kind.endswith("_type"):
        return source.problem(
            full, f"{name} is empty", "write a value after the colon, or remove the line"
        )
    if kind == "enum":
        return source.problem(
            full, f"{name} cannot be `{shown}`", f"use one of: {detail['ctx']['expected']}"
        )
    if kind in DATE_MISTAKES:
        return source.problem(full, *not_a_date(name, given))
    if kind == "literal_error":
        return source.problem(
            full, f"{name} cannot be `{shown}`", f"use one of: {detail['ctx']['expected']}"
        )
    if kind in LIMITS:
        word, fix = LIMITS[kind]
        limit = next(iter(detail.get("ctx", {}).values()), "")
        return source.problem(full, f"{name} is `{shown}`, {word} {limit}", fix)
    if kind in _MESSAGES:
        message, fix = _MESSAGES[kind]
        if kind == "string_pattern_mismatch":
            message = f"(`{shown}`) {message}"
            if detail.get("ctx", {}).get("pattern") == LANGUAGE_CODE:
                message = f"(`{shown}`) is not a language code"
                fix = "write a code such as es, pt_BR, zh-Hans or fa-AF"
            elif " - " in str(given):
                fix = (
                    "two items ran together: put each on its own line starting with `- `, "
                    "lined up with the items above"
                )
        return source.problem(full, f"{name} {message}" if name else message, fix)
    message = plain_message(detail["msg"])
    return source.problem(full, f"{name}: {message}" if name else message)


def plain_message(message: str) -> str:
    """pydantic's own words for a kind of mistake this module does not name: "Value error, "
    dropped, and "Input should be …" said as "it must be …"."""
    message = message.removeprefix("Value error, ")
    if message.startswith("Input should be "):
        return "it must be " + message.removeprefix("Input should be ")
    return message


LIMITS = {
    "greater_than_equal": ("but the least it may be is", "use a larger number"),
    "greater_than": ("but it must be more than", "use a larger number"),
    "less_than_equal": ("but the most it may be is", "use a smaller number"),
    "less_than": ("but it must be less than", "use a smaller number"),
}
"""Numbers outside their field's range: the message says the limit (ctx `ge`, `le`…)."""


DATE_MISTAKES = {
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
}
"""pydantic's kinds of "not a date": `date_mistake` says which part is wrong."""
_MESSAGES: dict[str, tuple[str, str]] = {
    "string_pattern_mismatch": (
        "is not a valid id",
        "use lower-case letters, digits and hyphens only, e.g. `ct-safe-connect`",
    ),
    "bool_type": ("must be true or false", "write `true` or `false`"),
    "bool_parsing": ("must be true or false", "write `true` or `false`"),
    "string_type": ("must be text", "write it as text; put it in quotes if it looks like a number"),
    "string_too_short": ("is empty", "write some text, or remove the line"),
    "list_type": ("must be a list", "write each item on its own line starting with `- `"),
    "too_short": ("has too few items", "add the missing items"),
    "too_long": ("has too many items", "remove the extra items"),
    "int_parsing": ("must be a whole number", "write a number such as 10"),
    "model_type": ("must be a set of `key: value` lines", "indent its fields under it"),
    "dict_type": ("must be a set of `key: value` lines", "indent its fields under it"),
    "int_type": ("must be a whole number", "write a number such as 10"),
    "int_from_float": ("must be a whole number", "write it without a decimal point"),
}


def _fields_at(model: type[BaseModel], loc: Location) -> list[str]:
    """The field names allowed at `loc` inside `model` (for "did you mean")."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(part))
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """Find the model class inside `list[X]`, `X | None`, `Annotated[X, ...]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, types.UnionType):
        return None
    return None


def _records(
    source: YamlFile, key: str, model: type, problems: list[Problem]
) -> list[tuple[Any, Location]]:
    """Validate each item of the list under `key` in `source`."""
    data = source.data
    if not isinstance(data, dict) or key not in data:
        problems.append(
            source.problem((), f"the file needs a `{key}:` list", f"start the file with `{key}:`")
        )
        return []
    unknown = [name for name in data if name != key]
    for name in unknown:
        problems.append(
            source.problem((name,), f"unknown field `{name}`", f"only `{key}:` belongs here")
        )
    items = data[key]
    if not isinstance(items, list):
        problems.append(source.problem((key,), f"`{key}` must be a list", "start items with `- `"))
        return []
    built = []
    for index, item in enumerate(items):
        record = build_model(model, item, source, (key, index), problems)
        if record is not None:
            built.append((record, (key, index)))
    return built


def _unique(
    found: list[tuple[Any, Location, YamlFile]], what: str, problems: list[Problem]
) -> dict[str, Any]:
    by_id: dict[str, Any] = {}
    first_place: dict[str, YamlFile] = {}
    for record, location, source in found:
        if record.id in by_id:
            other = first_place[record.id]
            problems.append(
                source.problem(
                    (*location, "id"),
                    f"the {what} id `{record.id}` is used twice",
                    f"give one of them another id (the other is in {display_path(other.path)})",
                )
            )
            continue
        by_id[record.id] = record
        first_place[record.id] = source
    return by_id


def _required_file(root: Path, name: str, problems: list[Problem]) -> YamlFile | None:
    path = root / name
    if (path.exists() or path.is_symlink()) and not inside(root, path):
        problems.append(outside_problem(path))
        return None
    if not path.is_file():
        problems.append(Problem(display_path(path), "file not found", f"create {name}"))
        return None
    try:
        return read_yaml(path)
    except ContentErrors as error:
        problems.extend(error.problems)
        return None


ID_LINE = re.compile(r"^\s*(?:-\s*)?id:\s*([A-Za-z0-9-]+)\s*$", re.MULTILINE)


def seen_ids(root: Path) -> set[str]:
    """Every `id:` written in the content files, even in files that failed to parse or
    validate: references to such a record are not reported a second time as unknown."""
    found: set[str] = set()
    for path in root.rglob("*.yaml"):
        if not inside(root, path):
            continue
        try:
            found |= set(ID_LINE.findall(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
    return found


def read_content(root: Path) -> tuple[Content, list[Problem], set[str]]:
    """Read every file of `root`: the content that validated, every problem found, and the
    ids written anywhere. Reading goes on past problems so that a run reports them all."""
    if not root.is_dir():
        found = "is a file, not a folder" if root.exists() else "content folder not found"
        fix = "give --content the folder that holds project.yaml (default: content/)"
        raise ContentErrors([Problem(display_path(root), found, fix)])
    problems: list[Problem] = []
    files: dict[str, YamlFile] = {}
    places: dict[str, tuple[str, Location]] = {"materials": ("materials.yaml", ())}

    def single(name: str, model: type[BaseModel]) -> Any:
        source = _required_file(root, name, problems)
        if source is None:
            return None
        files[name] = source
        return build_model(model, source.data, source, (), problems)

    project = single("project.yaml", Project)
    text = single("materials.yaml", MaterialText)

    resource_files = sorted((root / "resources").glob("*.yaml"))
    if not resource_files:
        problems.append(
            Problem(display_path(root / "resources"), "no resource files", "add resources/*.yaml")
        )
    found_resources = []
    for path in resource_files:
        name = str(path.relative_to(root))
        source = _required_file(root, name, problems)
        if source is None:
            continue
        files[name] = source
        for record, location in _records(source, "records", Resource, problems):
            found_resources.append((record, location, source))
            places.setdefault(f"resource:{record.id}", (name, location))
    resources = _unique(found_resources, "record", problems)

    laws: dict[str, Law] = {}
    sections: list[Section] = []
    for name, key, model in (("laws.yaml", "laws", Law), ("sections.yaml", "sections", Section)):
        source = _required_file(root, name, problems)
        if source is None:
            continue
        files[name] = source
        found = [(r, loc, source) for r, loc in _records(source, key, model, problems)]
        for record, location, _source in found:
            places.setdefault(f"{key[:-1]}:{record.id}", (name, location))
        if model is Law:
            laws = _unique(found, "law", problems)
        else:
            sections = list(_unique(found, "section", problems).values())

    regions: dict[str, Region] = {}
    for path in sorted((root / "regions").glob("*.yaml")):
        name = str(path.relative_to(root))
        source = _required_file(root, name, problems)
        if source is None:
            continue
        files[name] = source
        region = build_model(Region, source.data, source, (), problems)
        if region is not None:
            regions[path.stem] = region
            places[f"region:{path.stem}"] = (name, ())
    if not any((root / "regions").glob("*.yaml")):
        problems.append(
            Problem(display_path(root / "regions"), "no region files", "add regions/<id>.yaml")
        )

    language = project.source_language if project is not None else "en"
    for source in files.values():
        problems += yaml_problems(source, language)
    content = Content(root, project, resources, laws, sections, text, regions, files, places)
    return content, problems, seen_ids(root)
