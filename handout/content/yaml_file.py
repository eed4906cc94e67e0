"""Reading one YAML file safely, keeping the line and column of every value.

A syntax error, a character YAML forbids, a duplicate key, or a file too large, too deeply
nested or with aliases standing for too much becomes a located `ContentErrors` with a fix
in plain words, never a crash inside PyYAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from handout.content.errors import ContentErrors, Problem, display_path, excerpt

Location = tuple[str | int, ...]
"""Where a value stands in a file: its keys and list indexes from the top."""


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


class _Guarded:
    """What both loaders add to PyYAML's composer: a bound on how deep values nest (it
    composes recursively) and a note of every alias, so that the values aliases stand for
    can be counted before they are used."""

    depth: int
    aliases: list[tuple[yaml.Node, yaml.Mark]]
    alias_spans: dict[tuple[int, object], tuple[int, int, int]]

    def _start_guard(self) -> None:
        self.depth = 0
        self.aliases = []
        self.alias_spans = {}

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = super().compose_node(parent, index)
            self.aliases.append((node, event.start_mark))
            place = index if isinstance(index, int) else id(index)
            span = (event.start_mark.index, event.end_mark.index, id(node))
            self.alias_spans[(id(parent), place)] = span
            return node
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Refused(
                    f"values are nested more than {MAX_DEPTH} levels deep",
                    "content needs only a few levels: check the brackets and indentation here",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self.depth -= 1


class _TextDatesLoader(_Guarded, yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so the models check them and a wrong date
    (2026-13-01) becomes a located content error instead of a crash inside PyYAML. Pure
    Python: its marks index the text exactly (the editing tools rely on that), and its
    messages are the ones `_yaml_problem` words plainly."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._start_guard()


NO_TIMESTAMPS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_TextDatesLoader.yaml_implicit_resolvers = NO_TIMESTAMPS

_FastLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):
    from yaml._yaml import CParser

    class _LibyamlEventsLoader(
        _Guarded, yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor,
        yaml.resolver.Resolver,
    ):  # fmt: skip
        """The same loader, reading the text with libyaml (C) and composing in Python:
        the scanner and parser were most of the time of a large import's `--check`
        (10,000 records: pure-Python PyYAML read them at about 1.3 s a thousand). The
        composer stays Python, so that nesting is bounded before it recurses (libyaml's
        own composer recurses in C, where a file of nested brackets would crash)."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._start_guard()

    _LibyamlEventsLoader.yaml_implicit_resolvers = NO_TIMESTAMPS
    _FastLoader = _LibyamlEventsLoader


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
        try:
            node, data = _parsed(text, _FastLoader or _TextDatesLoader, where)
        except yaml.YAMLError:
            if _FastLoader is None:
                raise
            # libyaml words its mistakes its own way: read again in Python for the
            # messages (and marks) `_yaml_problem` knows.
            node, data = _parsed(text, _TextDatesLoader, where)
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


def _parsed(text: str, loader_class: type, where: Path) -> tuple[yaml.Node | None, Any]:
    """The node tree and the values of `text`, its aliases and duplicate keys checked."""
    loader = loader_class(text)
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
    return node, data


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


@dataclass
class Composed:
    """The node tree of a YAML text, for tools that edit it in place (`yaml_splice`)."""

    root: yaml.Node | None
    aliased: set[int]
    """The ids of the nodes an alias (`*name`) refers to."""
    alias_spans: dict[tuple[int, object], tuple[int, int, int]]
    """Where an alias stands instead of a value: (id of its mapping or list, the id of its
    key node or its index) -> the alias's first and end character indexes, and the id of
    the node it refers to."""


def compose_places(text: str) -> Composed:
    """`compose_text`, with where each alias is written."""
    loader = _TextDatesLoader(text)
    try:
        node = loader.get_single_node()
        aliased = {id(target) for target, _mark in loader.aliases}
        return Composed(node, aliased, dict(loader.alias_spans))
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


def inside(root: Path, path: Path) -> bool:
    """Whether `path`, links followed, is inside the folder `root`."""
    return path.resolve().is_relative_to(root.resolve())


def outside_problem(path: Path) -> Problem:
    return Problem(
        display_path(path),
        "is a link (symlink) to a file outside the content folder, which is not read",
        "copy the file into the content folder instead of linking to it",
    )
