"""New YAML text for a value, in the content files' own style, to be set into a file at a
given column (`yaml_splice` places it; nothing else of the file is written again).

The style is the hand-written files': blocks indented by 2, a list's dashes 2 in from its
key, short lists of plain values in brackets (`topics: [legal]`), a one-item `kind` as just
the value (`kind: call`). Scalars are written by PyYAML's emitter (so quoting is always
right), dates as plain `2026-11-28`, and a scalar keeps the quoting or block style
(`>-`) and the line width of the value it replaces.
"""

from __future__ import annotations

import datetime
import textwrap
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

STR, MAP, SEQ = (f"tag:yaml.org,2002:{name}" for name in ("str", "map", "seq"))
UNLIMITED = 10**6


class _Dumper(yaml.SafeDumper):
    """Resolves plain text as the content loader reads it: `2026-11-28` is text (the
    models read dates from text), so a date is written plain, not quoted."""


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def written(value: Any, key: object = None) -> Any:
    """`value` as the files write it: dates as ISO text, a one-item `kind` list as its
    item. Two values that are `written` the same mean the same."""
    if isinstance(value, dict):
        return {str(name): written(item, name) for name, item in value.items()}
    if isinstance(value, list):
        if key == "kind" and len(value) == 1 and not isinstance(value[0], dict | list):
            return written(value[0])
        return [written(item) for item in value]
    if isinstance(value, datetime.datetime | datetime.date):
        return datetime.date(value.year, value.month, value.day).isoformat()
    if isinstance(value, str):
        return str(value)  # a ruamel ScalarString as plain text
    return value


def _scalar_node(value: Any, style: str | None = None) -> ScalarNode:
    if isinstance(value, bool):
        return ScalarNode("tag:yaml.org,2002:bool", "true" if value else "false")
    if value is None:
        return ScalarNode("tag:yaml.org,2002:null", "null")
    if isinstance(value, int):
        return ScalarNode("tag:yaml.org,2002:int", str(value))
    if isinstance(value, float):
        return ScalarNode("tag:yaml.org,2002:float", repr(value))
    return ScalarNode(STR, str(value), style=style)


def _flow_node(value: Any) -> yaml.Node:
    """`value` written in brackets (`[a, b]`, `{name: x, website: y}`)."""
    if isinstance(value, list):
        return SequenceNode(SEQ, [_flow_node(item) for item in value], flow_style=True)
    if isinstance(value, dict):
        pairs = [(ScalarNode(STR, str(k)), _flow_node(v)) for k, v in value.items()]
        return MappingNode(MAP, pairs, flow_style=True)
    return _scalar_node(value)


def _is_block(value: Any) -> bool:
    """Whether `value` is written as a block of its own lines (a mapping, or a list that
    holds mappings or lists), not on its key's line."""
    if isinstance(value, dict):
        return bool(value)
    return isinstance(value, list) and any(isinstance(item, dict | list) for item in value)


def _emitted(node: yaml.Node, width: int, key_length: int = 1) -> list[str]:
    """The lines PyYAML writes for `kkk: <node>` at column 0, without the key (as long as
    the real one, so that a value is folded where it would be after its real key)."""
    key = "k" * max(key_length, 1)
    document = MappingNode(MAP, [(ScalarNode(STR, key), node)], flow_style=False)
    text = yaml.serialize(document, Dumper=_Dumper, width=width, allow_unicode=True)
    lines = text.removesuffix("\n").split("\n")
    if lines[-1] == "...":
        lines = lines[:-1]
    lines[0] = lines[0].removeprefix(key + ":").removeprefix(" ")
    return lines


def inline(
    value: Any,
    column: int,
    style: str | None = None,
    width: int | None = None,
    key_length: int = 1,
) -> str:
    """`value` (a scalar, or a list or mapping written in brackets) as written after a key
    (`key_length` characters long) or dash at `column`: continuation lines (a folded or
    block scalar) indented 2 more. `style`: the quoting or block style to keep ("'", '"',
    '>' or '|'); `width`: fold at this column, as the file around it does (else one
    line)."""
    if style == ">" and width is not None and _foldable(value):
        return _folded(value, column, width)
    node = _flow_node(value) if isinstance(value, dict | list) else _scalar_node(value, style)
    room = UNLIMITED if width is None else max(width - column, 20)
    lines = _emitted(node, room, key_length)
    pad = " " * column
    return "\n".join([lines[0], *(pad + line if line else line for line in lines[1:])])


def _foldable(value: Any) -> bool:
    """Whether a text can be written as `>-` lines broken at its single spaces."""
    return (
        isinstance(value, str)
        and bool(value)
        and value == value.strip()
        and "  " not in value
        and all(char == " " or not char.isspace() for char in value)
    )


def _folded(value: str, column: int, width: int) -> str:
    """`value` as a folded block (`>-`) whose lines, indented 2 more than `column`, stay
    within `width` columns where its words allow, as a person wraps such a text."""
    pad = " " * (column + 2)
    lines = textwrap.wrap(
        value, max(width - len(pad), 20), break_long_words=False, break_on_hyphens=False
    )
    return ">-\n" + "\n".join(pad + line for line in lines)


def block_lines(value: Any, column: int) -> list[str]:
    """The lines of a mapping, or a list, written as a block at `column`."""
    pad = " " * column
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            lines += _pair_lines(str(key), item, column)
        return lines
    for item in value:
        if _is_block(item):
            inner = block_lines(item, column + 2)
            lines += [pad + "- " + inner[0][column + 2 :], *inner[1:]]
        else:
            lines.append(pad + "- " + inline(item, column))
    return lines


def _pair_lines(key: str, value: Any, column: int) -> list[str]:
    head = " " * column + inline(key, column) + ":"
    if _is_block(value):
        return [head, *block_lines(value, column + 2)]
    return [head + " " + inline(value, column)]


def after_key(value: Any, column: int, flow: bool = False) -> str:
    """What follows `key:` for a key at `column`: ` value`, or a new line and a block
    (`flow`: in brackets, as the value it replaces was)."""
    if _is_block(value) and not flow:
        return "\n" + "\n".join(block_lines(value, column + 2))
    return " " + inline(value, column)


def pair(key: str, value: Any, column: int) -> str:
    """`key: value` as lines of their own at `column` (no line end after the last)."""
    return "\n".join(_pair_lines(key, value, column))


def item_body(value: Any, column: int, flow: bool = False) -> str:
    """A list item as written after its `- `, starting at `column` (`flow`: in brackets,
    as the value it replaces was)."""
    if flow or not _is_block(value):
        return inline(value, column - 2)
    lines = block_lines(value, column)
    return "\n".join([lines[0][column:], *lines[1:]])


def item(value: Any, dash: int) -> str:
    """A new list item, dash at column `dash` (no line end after the last line)."""
    return " " * dash + "- " + item_body(value, dash + 2)
