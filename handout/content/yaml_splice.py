"""Setting a value in a YAML file's text by changing only the characters of that value.

A file is never parsed and written out again (that unwraps folded lines, moves comments and
blank lines, and keeps aliases): the value's new text is worked out from the parse tree's
places and set in, so every other byte stays as it was. A changed scalar keeps its quoting,
block style and line width; a mapping changes key by key (a new key goes inside its own
block, after its neighbour, indented like its siblings; a removed key takes its own lines,
not the comments above it, which may say more); a list item by item (an item's block is
its lines and the comment lines just above it: a moved item takes its comment along, a
deleted one takes it and one blank line with it, an added one gets the blank line its
siblings have).

The result is read back and must hold exactly the intended data; `Unsupported` is raised
when it would not (or for a shape this does not handle, such as an anchored list), and the
caller falls back to writing the file out again.
"""

from __future__ import annotations

import json
from collections import Counter
from difflib import SequenceMatcher
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from handout.content import yaml_render as render
from handout.content.yaml_file import Location, compose_places

Place = tuple[yaml.Node | None, Any]
"""Where a value stands: its mapping and key node, its list and index, or (None, None)."""

IMPORT_WIDTH = 96
"""The width `import-hsds` folds long values at; a folded value is folded again at it."""


class Unsupported(Exception):
    """The change cannot be made in place (the caller writes the file out again)."""


def spliced(text: str, location: Location, new: Any) -> str:
    """`text` with the value at `location` set to `new`, changing only the characters that
    must change (a key not written yet is added last to its mapping)."""
    try:
        splice = _Splice(text)
        new = render.written(new)
        try:
            node, place = splice.find(location)
        except KeyError:
            splice.add_key(location, new)  # a key not written yet (a material's first QR code)
        else:
            splice.change(node, place, new)
        result = splice.result()
        expected = render.written(_value(text))
        _set(expected, location, new)
        back = _loose(render.written(_value(result)))
    except (yaml.YAMLError, ValueError) as error:  # a text it did not foresee
        raise Unsupported(f"the edit at {location}: {error}") from error
    if back != _loose(expected):
        raise Unsupported(f"the edit at {location} would not read back as intended")
    return result


class _QuickLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Reads a file's values as the content loader does (dates as text), with libyaml when
    it is installed: checking an edit reads the whole file again."""


_QuickLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _value(text: str) -> Any:
    return yaml.load(text, Loader=_QuickLoader)  # a safe loader


def value_at(text: str, location: Location) -> Any:
    """The plain value at `location` of a YAML text (dates as text)."""
    data = _value(text)
    for part in location:
        data = data[part]
    return data


def _set(data: Any, location: Location, new: Any) -> None:
    if not location:
        raise Unsupported("the whole file")
    for part in location[:-1]:
        data = data[part]
    data[location[-1]] = new


def _loose(value: Any) -> Any:
    """`value` with every one-item list as its item: the same to the content's models."""
    if isinstance(value, dict):
        return {key: _loose(item) for key, item in value.items()}
    if isinstance(value, list):
        return _loose(value[0]) if len(value) == 1 else [_loose(item) for item in value]
    return value


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


class _Splice:
    """The edits that set values into one text: each replaces characters from one index
    to another of the text as read, so that edits made anywhere do not move each other."""

    def __init__(self, text: str) -> None:
        self.text = text
        root = yaml.compose(text, Loader=_QuickLoader)
        if root is None:
            raise Unsupported("an empty file")
        self.root: yaml.Node = root
        self.aliased: set[int] = set()
        self.alias_spans: dict[tuple[int, object], tuple[int, int, int]] = {}
        if _has_aliases(root) or text.startswith("\ufeff"):  # the slower composer knows
            # where each alias stands, and counts a byte-order mark as libyaml may not
            composed = compose_places(text)
            self.root, self.aliased = composed.root, composed.aliased  # type: ignore[assignment]
            self.alias_spans = composed.alias_spans
        self.edits: list[tuple[int, int, int, str]] = []
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.constructor = SafeConstructor()

    # -- reading the tree --------------------------------------------------------------

    def value_of(self, node: yaml.Node) -> Any:
        return self.constructor.construct_object(node, deep=True)

    def find(self, location: Location) -> tuple[yaml.Node, Place]:
        node, place = self.root, (None, None)
        for part in location:
            if isinstance(node, MappingNode) and isinstance(part, str):
                pair = next((pair for pair in node.value if pair[0].value == part), None)
                if pair is None:
                    raise KeyError(part)
                node, place = pair[1], (node, pair[0])
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                node, place = node.value[part], (node, part)
            else:
                raise KeyError(part)
        return node, place

    def add_key(self, location: Location, new: Any) -> None:
        """Add the key `location[-1]` to the block mapping at `location[:-1]`, last."""
        mapping, _place = self.find(location[:-1])
        name = location[-1] if location else None
        if not isinstance(mapping, MappingNode) or mapping.flow_style or not mapping.value:
            raise Unsupported("a key added outside a block mapping")
        if not isinstance(name, str):
            raise KeyError(name)
        self.insert_pair(mapping, name, new, mapping.value[-1])

    def alias_at(self, place: Place) -> tuple[int, int, int] | None:
        parent, index = place
        if parent is None:
            return None
        return self.alias_spans.get((id(parent), index if isinstance(index, int) else id(index)))

    def start_of(self, place: Place, node: yaml.Node) -> int:
        alias = self.alias_at(place)
        return alias[0] if alias else node.start_mark.index

    def end_of(self, place: Place, node: yaml.Node) -> int:
        """Where the value at `place` ends: its last character (not the blank lines and
        comments that PyYAML counts into a block)."""
        alias = self.alias_at(place)
        if alias:
            return alias[1]
        if isinstance(node, ScalarNode):
            if node.style in ("|", ">"):
                return len(self.text[: node.end_mark.index].rstrip())
            return node.end_mark.index
        if node.flow_style or not node.value:
            return node.end_mark.index
        if isinstance(node, MappingNode):
            return self.pair_end(node, *node.value[-1])
        return self.end_of((node, len(node.value) - 1), node.value[-1])

    def pair_end(self, mapping: MappingNode, key: yaml.Node, value: yaml.Node) -> int:
        return max(key.end_mark.index, self.end_of((mapping, key), value))

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        end = self.text.find("\n", index)
        return len(self.text) if end < 0 else end + 1

    def comments_above(self, line_start: int, column: int) -> int:
        """The start of the comment lines just above a line (none: the line itself), those
        written at the same column: the comment of the entry on that line."""
        while line_start > 0:
            above = self.line_start(line_start - 1)
            line = self.text[above:line_start].rstrip("\r\n")
            if not line.lstrip().startswith("#") or len(line) - len(line.lstrip()) != column:
                break
            line_start = above
        return line_start

    def dash(self, seq: SequenceNode, index: int) -> int:
        """The index of the `-` of a block list's item."""
        at = self.start_of((seq, index), seq.value[index]) - 1
        while at >= 0 and self.text[at] in " \t\r\n":
            at -= 1
        if at < 0 or self.text[at] != "-":
            raise Unsupported("a list item without its dash")
        return at

    def column(self, place: Place) -> int:
        """The column of the key or dash a value is written after."""
        parent, index = place
        if isinstance(parent, MappingNode):
            return index.start_mark.column
        if isinstance(parent, SequenceNode):
            at = self.dash(parent, index)
            return at - self.line_start(at)
        return 0

    # -- editing -----------------------------------------------------------------------

    def add(self, start: int, end: int, text: str) -> None:
        """Replace the characters from `start` to `end` by `text` (new text: its line
        ends become the file's). Edits at the same place keep the order they were made."""
        self.edits.append((start, end, len(self.edits), text.replace("\n", self.newline)))

    def result(self) -> str:
        text = self.text
        for start, end, _order, new in sorted(self.edits, reverse=True):
            text = text[:start] + new + text[end:]
        return text

    def change(self, node: yaml.Node, place: Place, new: Any) -> None:
        if isinstance(new, list) and len(new) == 1 and not isinstance(node, SequenceNode):
            new = new[0]  # a form's one-item list for a single value (`cite:`) stays single
        if render.written(self.value_of(node)) == new:
            return
        if self.alias_at(place) is not None or not _same_shape(node, new):
            self.replace(place, node, new)
            return
        if id(node) in self.aliased:
            self.unalias(node)
        if isinstance(node, ScalarNode):
            self.replace_scalar(place, node, new)
        elif node.flow_style:
            self.replace(place, node, new)
        elif isinstance(node, MappingNode):
            self.change_mapping(node, new)
        else:
            self.change_list(place, node, new)

    def unalias(self, node: yaml.Node) -> None:
        """Write out the value itself where an alias refers to `node`, which changes."""
        text = self.text[node.start_mark.index : node.end_mark.index]
        if not isinstance(node, ScalarNode) or "\n" in text or not text.startswith("&"):
            raise Unsupported("an anchored value that is not one scalar on one line")
        own = text.split(None, 1)[1] if " " in text else ""
        for start, end, target in self.alias_spans.values():
            if target == id(node):
                self.add(start, end, own)

    def replace(self, place: Place, node: yaml.Node, new: Any) -> None:
        """Write the value at `place` anew (a value that changes shape, an alias, a list or
        mapping in brackets)."""
        parent, index = place
        start, end = self.start_of(place, node), self.end_of(place, node)
        flow = bool(getattr(node, "flow_style", False)) and self.alias_at(place) is None
        if isinstance(parent, MappingNode):
            colon = self.text.index(":", index.end_mark.index)
            self.add(colon + 1, end, render.after_key(new, self.column(place), flow))
        elif isinstance(parent, SequenceNode):
            column = start - self.line_start(start)
            self.add(start, end, render.item_body(new, column, flow))
        else:
            raise Unsupported("the whole file")

    def replace_scalar(self, place: Place, node: ScalarNode, new: Any) -> None:
        start, end = node.start_mark.index, self.end_of(place, node)
        style = node.style if node.style in ("'", '"', ">", "|") else None
        width = None
        if "\n" in self.text[start:end]:  # folded over lines: fold the new value alike
            lines = self.text[self.line_start(start) : end].splitlines()
            width = max(map(len, lines)) if style in (">", "|") else IMPORT_WIDTH
        elif style in (">", "|"):
            style = None
        column = self.column(place)
        key_length = start - self.line_start(start) - column - 2
        self.add(start, end, render.inline(new, column, style, width, key_length))

    def change_mapping(self, mapping: MappingNode, new: dict[str, Any]) -> None:
        pairs = {key.value: (key, value) for key, value in mapping.value}
        for key, value in mapping.value:
            if key.value not in new:
                self.remove_pair(mapping, key, value)
        previous = None
        for name, value in new.items():
            if name in pairs:
                key, node = pairs[name]
                self.change(node, (mapping, key), value)
                previous = pairs[name]
            else:
                self.insert_pair(mapping, name, value, previous)

    def insert_pair(
        self,
        mapping: MappingNode,
        name: str,
        value: Any,
        previous: tuple[yaml.Node, yaml.Node] | None,
    ) -> None:
        """Add `name: value` on lines of its own after the pair `previous` (else after the
        first pair), before any blank line or comment that follows it."""
        first_key = mapping.value[0][0]
        key, node = previous or mapping.value[0]
        at = self.line_end(self.pair_end(mapping, key, node))
        lead = "" if self.text[at - 1 : at] == "\n" else "\n"
        self.add(at, at, lead + render.pair(name, value, first_key.start_mark.column) + "\n")

    def remove_pair(self, mapping: MappingNode, key: yaml.Node, value: yaml.Node) -> None:
        start = key.start_mark.index
        end = self.line_end(self.pair_end(mapping, key, value))
        line = self.line_start(start)
        if not self.text[line:start].strip():  # the comments above stay: they may say more
            self.add(line, end, "")
            return
        keys = [pair[0] for pair in mapping.value]
        position = keys.index(key)
        if position + 1 == len(keys):
            raise Unsupported("removing the only key of a list item")
        self.add(start, keys[position + 1].start_mark.index, "")  # the next key moves up

    def blocks(self, seq: SequenceNode) -> list[tuple[int, int]]:
        """Each item's lines: from the comment lines just above its dash to its line end."""
        found = []
        for index, item in enumerate(seq.value):
            dash = self.dash(seq, index)
            line = self.line_start(dash)
            start = self.comments_above(line, dash - line)
            found.append((start, self.line_end(self.end_of((seq, index), item))))
        return found

    def change_list(self, place: Place, seq: SequenceNode, new: list[Any]) -> None:
        old = [_key(render.written(self.value_of(item))) for item in seq.value]
        wanted = [_key(item) for item in new]
        blocks = self.blocks(seq)
        if Counter(old) == Counter(wanted):
            self.reorder(blocks, old, wanted)
            return
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, wanted, False).get_opcodes():
            if tag == "equal":
                continue
            paired = min(i2 - i1, j2 - j1)
            for step in range(paired):
                self.change(seq.value[i1 + step], (seq, i1 + step), new[j1 + step])
            if i2 - i1 > paired:
                self.delete_items(blocks, i1 + paired, i2)
            if j2 - j1 > paired:
                self.insert_items(seq, blocks, i1 + paired - 1, new[j1 + paired : j2])

    def reorder(self, blocks: list[tuple[int, int]], old: list[str], wanted: list[str]) -> None:
        """Set the items in the new order: each item's block (its comment lines with it)
        moves, the blank lines between items stay where they were."""
        texts = [self.text[start:end] for start, end in blocks]
        gaps = [self.text[blocks[i][1] : blocks[i + 1][0]] for i in range(len(blocks) - 1)]
        ends_file = not texts[-1].endswith("\n")
        texts[-1] += self.newline if ends_file else ""
        free = list(range(len(old)))
        order = []
        for key in wanted:
            index = next(index for index in free if old[index] == key)
            free.remove(index)
            order.append(index)
        out = texts[order[0]] + "".join(
            gap + texts[i] for gap, i in zip(gaps, order[1:], strict=True)
        )
        if ends_file:
            out = out.removesuffix(self.newline)
        self.edits.append((blocks[0][0], blocks[-1][1], len(self.edits), out))

    def blank_lines(self, start: int, end: int) -> tuple[int, int]:
        """The blank lines that end the text from `start` to `end`: their first index."""
        at = end
        while at > start:
            above = self.line_start(at - 1)
            if self.text[above:at].strip():
                break
            at = above
        return at, end

    def delete_items(self, blocks: list[tuple[int, int]], first: int, last: int) -> None:
        """Remove items `first` to `last` (excluded) and the blank line that set them off."""
        start, end = blocks[first][0], blocks[last - 1][1]
        if first > 0:
            start = self.blank_lines(blocks[first - 1][1], start)[0]
        elif last < len(blocks):
            gap_start = self.blank_lines(end, blocks[last][0])[0]
            if gap_start == end:  # the gap is only blank lines
                end = blocks[last][0]
        self.add(start, end, "")

    def insert_items(
        self, seq: SequenceNode, blocks: list[tuple[int, int]], after: int, values: list[Any]
    ) -> None:
        """Add items after item `after` (-1: before the first), set off like their
        siblings (by a blank line where they are)."""
        dash = self.column((seq, 0))
        gaps = [self.text[blocks[i][1] : blocks[i + 1][0]] for i in range(len(blocks) - 1)]
        blank = [gap.count("\n") for gap in gaps if not gap.strip()]
        gap = "\n" * Counter(blank).most_common(1)[0][0] if blank else ""
        items = [render.item(value, dash) for value in values]
        if after >= 0:
            at = blocks[after][1]
            lead = "" if self.text[at - 1 : at] == "\n" else "\n"
            self.add(at, at, lead + "".join(gap + item + "\n" for item in items))
        else:
            self.add(blocks[0][0], blocks[0][0], "".join(item + "\n" + gap for item in items))


def _has_aliases(root: yaml.Node) -> bool:
    """Whether a node tree uses a node twice (an alias, `*name`, refers to it)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, MappingNode):
            stack += [part for pair in node.value for part in pair]
        elif isinstance(node, SequenceNode):
            stack += node.value
    return False


def _same_shape(node: yaml.Node, new: Any) -> bool:
    """Whether `new` can be set into `node` part by part (else it is written anew)."""
    if isinstance(node, ScalarNode):
        return not isinstance(new, dict | list)
    if isinstance(node, MappingNode):
        return isinstance(new, dict) and bool(new)
    return isinstance(new, list) and bool(new)
