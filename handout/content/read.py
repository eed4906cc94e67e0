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

import yaml
from pydantic import BaseModel, ValidationError

from handout.content.errors import ContentErrors, Problem, display_path, excerpt
from handout.content.models import Law, MaterialText, Project, Region, Resource, Section

Location = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass
class YamlFile:
    """A parsed YAML file and where each of its values stands."""

    path: Path
    data: Any
    marks: dict[Location, tuple[int, int]] = field(default_factory=dict)

    def where(self, location: Location) -> tuple[int | None, int | None]:
        """Line and column of `location`, or of its nearest enclosing value."""
        for end in range(len(location), -1, -1):
            if location[:end] in self.marks:
                return self.marks[location[:end]]
        return None, None

    def problem(self, location: Location, message: str, fix: str = "") -> Problem:
        line, column = self.where(location)
        return Problem(display_path(self.path), message, fix, line, column)


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


MAX_FILE_BYTES = 10 * 1024 * 1024
"""The largest content file read (10 MiB, about 15,000 imported records): a bigger one is
refused before it is parsed, so a mistake (a log pasted in) cannot stall a build."""
MAX_DEPTH = 40
"""How deep values may be nested; the content's own files never go past 8 levels."""
MAX_ALIAS_VALUES = 10_000
"""How many values the aliases (`*name`) of one file may stand for in all: YAML aliases
can repeat an anchored value so that 15 lines stand for billions (an "alias bomb")."""
NOT_IN_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters YAML does not allow anywhere in a file, even in a comment: control
characters (NUL, BEL, the C1 block where Windows' dashes land when mis-decoded)."""


class _Refused(Exception):
    """A file that is valid YAML in principle but too large, deep or repetitive to read."""

    def __init__(self, message: str, fix: str, mark: yaml.Mark | None) -> None:
        super().__init__(message)
        self.message, self.fix, self.mark = message, fix, mark


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so the models check them and a wrong date
    (2026-13-01) becomes a located content error instead of a crash inside PyYAML.

    It also bounds how deep values nest (PyYAML composes recursively) and notes every
    alias, so that the values aliases stand for can be counted before they are used."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.aliases: list[tuple[yaml.Node, yaml.Mark]] = []

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            node = super().compose_node(parent, index)
            self.aliases.append((node, mark))
            return node
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Refused(
                    f"values are nested more than {MAX_DEPTH} levels deep",
                    "content needs only a few levels: check the brackets and indentation here",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> YamlFile:
    """Parse one YAML file; a syntax error, a character YAML forbids, a duplicate key, or
    a file too large, too deeply nested or with aliases standing for too much becomes a
    located `ContentErrors`."""
    where = display_path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ContentErrors(
            [
                Problem(
                    where,
                    f"the file is {size / 2**20:.1f} MiB; content files may be at most "
                    f"{MAX_FILE_BYTES // 2**20} MiB",
                    "split it into several files in the same folder",
                )
            ]
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentErrors(
            [Problem(where, "is not UTF-8 text", "save the file as UTF-8")]
        ) from error
    bad = NOT_IN_YAML.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise ContentErrors(
            [
                Problem(
                    where,
                    f"an invisible control character (U+{ord(bad.group()):04X}) is in the "
                    "file, which YAML does not allow (not even in a comment)",
                    "delete it and type the text again; such characters come with text "
                    "copied from another program",
                    line,
                    column,
                )
            ]
        )
    try:
        loader = _TextDatesLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_aliases(loader.aliases)
                duplicates = _duplicate_keys(node, where)
                if duplicates:
                    raise ContentErrors(duplicates)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _Refused as error:
        mark = error.mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise ContentErrors([Problem(where, error.message, error.fix, line, column)]) from None
    except yaml.MarkedYAMLError as error:
        problem = str(error.problem or error.context)
        message, fix = _yaml_problem(problem)
        unclosed = "end of stream" in problem or "expected ','" in problem
        mark = (error.context_mark if unclosed else None) or error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        quote_line = _unclosed_quote(text, line)
        if quote_line is not None:
            line, column = quote_line, None
            message = 'YAML syntax error: a quote (") opened on this line is never closed'
            fix = 'add the closing quote (") at the end of the text'

        raise ContentErrors([Problem(where, message, fix, line, column)]) from error
    marks: dict[Location, tuple[int, int]] = {}
    if node is not None:
        marks[()] = (node.start_mark.line + 1, node.start_mark.column + 1)
        _collect_marks(node, (), marks)
    return YamlFile(path, data, marks)


def compose_text(text: str) -> tuple[yaml.Node | None, set[int]]:
    """The node tree of YAML `text` (its marks index into `text` exactly as given, CRLF
    line ends included) and the ids of the nodes an alias refers to. For tools that edit
    a file in place, changing only the characters they must."""
    loader = _TextDatesLoader(text)
    try:
        node = loader.get_single_node()
        return node, {id(target) for target, _mark in loader.aliases}
    finally:
        loader.dispose()


def _check_aliases(aliases: list[tuple[yaml.Node, yaml.Mark]]) -> None:
    """Refuse aliases that together stand for more than `MAX_ALIAS_VALUES` values,
    counted without expanding them (each node's size is worked out once)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, yaml.MappingNode):
            total = 1 + sum(size(key) + size(value) for key, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size(item) for item in node.value)
        else:
            total = 1
        sizes[id(node)] = total
        return total

    standing_for = 0
    for node, mark in aliases:
        standing_for += size(node)
        if standing_for > MAX_ALIAS_VALUES:
            raise _Refused(
                f"aliases (`*name`) in this file stand for more than {MAX_ALIAS_VALUES:,} "
                "values, which looks like an alias bomb",
                "write the values out, or use fewer aliases",
                mark,
            )


def _duplicate_keys(root: yaml.Node, where: Path) -> list[Problem]:
    """Every key written twice in the same mapping, located at its second use and naming
    the first: YAML would silently keep only the last one (a second `phones:` would
    replace the first list in print)."""
    problems: list[Problem] = []
    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                stack.append(value)
                if not isinstance(key, yaml.ScalarNode):
                    continue
                line = key.start_mark.line + 1
                if key.value in first:
                    problems.append(
                        Problem(
                            where,
                            f"`{excerpt(key.value)}` is written twice here (first on line "
                            f"{first[key.value]}); YAML would keep only the last one",
                            "remove one of them, or merge the two into one",
                            line,
                            key.start_mark.column + 1,
                        )
                    )
                else:
                    first[key.value] = line
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(problems, key=lambda problem: problem.line or 0)


def _unclosed_quote(text: str, error_line: int | None) -> int | None:
    """The line (1-based) at or shortly before `error_line` with an unbalanced double
    quote: PyYAML reports an unclosed quote where the damage shows, lines later."""
    if error_line is None:
        return None
    lines = text.splitlines()
    for number in range(min(error_line, len(lines)), max(error_line - 12, 0), -1):
        line = lines[number - 1].split(" #")[0]
        if line.replace('\\"', "").count('"') % 2 == 1:
            return number
    return None


_YAML_PROBLEMS = (
    (
        "expected <block end>",
        "the indentation does not match the lines around it",
        "line this key up with the keys above it, using spaces",
    ),
    (
        "mapping values are not allowed",
        "a colon (:) stands where YAML does not expect one",
        "put text that contains a colon in quotes, or fix the indentation",
    ),
    ("'\\t'", "a tab is used for indentation", "indent with spaces only"),
    (
        "could not find expected ':'",
        "a line is missing its colon",
        "write each field as `key: value`",
    ),
    (
        "found unexpected end of stream",
        "a quote or bracket is never closed",
        "close the quote or bracket that opens here",
    ),
    ("expected ','", "a bracket [ ] or { } is not closed", "close the bracket that opens here"),
)


def _yaml_problem(problem: str) -> tuple[str, str]:
    """A PyYAML message in plain words, with a fix."""
    for marker, message, fix in _YAML_PROBLEMS:
        if marker in problem:
            return f"YAML syntax error: {message}", fix
    return (
        f"YAML syntax error: {problem}",
        "check the indentation and punctuation here and on the line above",
    )


def _collect_marks(node: yaml.Node, location: Location, marks: dict) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*location, key_node.value)
            marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _collect_marks(value_node, child, marks)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*location, index)
            marks[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _collect_marks(item, child, marks)


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
            problems.append(_explain(model, detail, source, location))
        return None


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of keys"
    return f"the value {excerpt(repr(value))}"


def _explain(model: type[BaseModel], detail: dict, source: YamlFile, base: Location) -> Problem:
    """Turn one pydantic error into a located, plain-language problem."""
    loc = tuple(detail["loc"])
    full = (*base, *loc)
    kind = detail["type"]
    name = _dotted(loc)
    given = detail.get("input")
    shown = excerpt(given if isinstance(given, str) else repr(given))
    if kind == "missing":
        return source.problem(
            full[:-1], f"`{name}` is missing", f"add a line `{loc[-1]}: ...` here (it is required)"
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
            full, f"`{name}` is empty", "write a value after the colon, or remove the line"
        )
    if kind == "enum":
        return source.problem(
            full, f"`{name}` cannot be `{shown}`", f"use one of: {detail['ctx']['expected']}"
        )
    if kind in _MESSAGES:
        message, fix = _MESSAGES[kind]
        if kind == "string_pattern_mismatch":
            message = f"(`{shown}`) {message}"
            if " - " in str(given):
                fix = (
                    "two items ran together: put each on its own line starting with `- `, "
                    "lined up with the items above"
                )
        return source.problem(full, f"`{name}` {message}" if name else message, fix)
    message = detail["msg"].removeprefix("Value error, ")
    return source.problem(full, f"`{name}`: {message}" if name else message)


_MESSAGES: dict[str, tuple[str, str]] = {
    "string_pattern_mismatch": (
        "is not a valid id",
        "use lower-case letters, digits and hyphens only, e.g. `ct-safe-connect`",
    ),
    "date_type": ("is not a date", "write dates as YYYY-MM-DD, e.g. 2026-11-27"),
    "date_from_datetime_parsing": ("is not a date", "write dates as YYYY-MM-DD, e.g. 2026-11-27"),
    "date_parsing": ("is not a date", "write dates as YYYY-MM-DD, e.g. 2026-11-27"),
    "bool_type": ("must be true or false", "write `true` or `false`"),
    "bool_parsing": ("must be true or false", "write `true` or `false`"),
    "string_type": ("must be text", "write it as text; put it in quotes if it looks like a number"),
    "string_too_short": ("is empty", "write some text, or remove the line"),
    "list_type": ("must be a list", "write each item on its own line starting with `- `"),
    "too_short": ("has too few items", "add the missing items"),
    "too_long": ("has too many items", "remove the extra items"),
    "int_parsing": ("must be a whole number", "write a number such as 10"),
    "greater_than_equal": ("is too small", "use a larger number"),
    "less_than_equal": ("is too large", "use a smaller number"),
    "model_type": ("must be a set of `key: value` lines", "indent its fields under it"),
}


def _dotted(loc: Location) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[item {part + 1}]")
        else:
            parts.append(f".{part}" if parts else str(part))
    return "".join(parts)


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


def inside(root: Path, path: Path) -> bool:
    """Whether `path`, links followed, is inside the folder `root`."""
    return path.resolve().is_relative_to(root.resolve())


def outside_problem(path: Path) -> Problem:
    return Problem(
        display_path(path),
        "is a link (symlink) to a file outside the content folder, which is not read",
        "copy the file into the content folder instead of linking to it",
    )


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
        raise ContentErrors(
            [Problem(display_path(root), "content folder not found", "check --content")]
        )
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

    content = Content(root, project, resources, laws, sections, text, regions, files, places)
    return content, problems, seen_ids(root)
