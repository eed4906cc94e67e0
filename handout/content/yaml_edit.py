"""Writing a changed record back into its YAML file so that only the changed lines differ.

Every change is made by `handout.content.yaml_splice`: only the characters of the values
that change are replaced, so comments, blank lines, folded lines and quoting stay exactly
as they were. Should it not manage a change (a shape it does not handle), the file is read
with ruamel.yaml's round-trip loader and the new record merged into the old one value by
value, which keeps most of the layout (`import-hsds` uses that to update region files).
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

__all__ = ["CommentedMap"]
from ruamel.yaml.scalarstring import ScalarString

from handout.content import yaml_splice

Location = tuple[str | int, ...]


def round_trip() -> YAML:
    """ruamel.yaml set to write back what it read: quotes kept, no line folding, the
    project's indentation (also used by `import-hsds` to update an import file)."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    # Never write an alias (`*id001`) for a value used twice (a date shared by two records):
    # `mark-checked` refuses to change an aliased value, as it would change the others too.
    yaml.representer.ignore_aliases = lambda _data: True
    return yaml


def load(text: str) -> Any:
    return round_trip().load(text)


def dump(data: Any) -> str:
    out = io.StringIO()
    round_trip().dump(data, out)
    return out.getvalue()


def at(data: Any, location: Location) -> Any:
    for part in location:
        data = data[part]
    return data


def plain(value: Any) -> Any:
    """A round-trip value as plain Python (dicts, lists, str, dates)."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, ScalarString):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return datetime.date(value.year, value.month, value.day)
    return value


def same(old: Any, new: Any) -> bool:
    """Whether two values mean the same: `kind: call` is `kind: [call]`, a date is its
    ISO text."""
    old, new = plain(old), plain(new)
    if isinstance(old, datetime.date) and isinstance(new, str):
        return old.isoformat() == new
    if isinstance(new, list) and not isinstance(old, list):
        return new == [old]
    return old == new


def merged(old: Any, new: Any) -> Any:
    """`new`, reusing `old`'s objects (and so its layout) wherever they did not change."""
    if same(old, new):
        return old
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        merge_map(old, new)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        if all(isinstance(item, dict) for item in new) and all(
            isinstance(item, CommentedMap) for item in old
        ):
            for index, item in enumerate(new):
                if index < len(old):
                    old[index] = merged(old[index], item)
                else:
                    old.append(item)
            del old[len(new) :]
        else:
            del old[:]
            old.extend(new)
        return old
    if isinstance(new, list) and len(new) == 1 and not isinstance(old, list | dict):
        new = new[0]  # `kind: call` stays a single value
    if isinstance(old, ScalarString) and isinstance(new, str):
        return type(old)(new)  # keep the quoting style
    return new


def merge_map(old: CommentedMap, new: dict[str, Any]) -> None:
    """Make `old` hold `new`: changed keys set in place, new keys after their neighbours
    in `new`'s order, dropped keys removed."""
    for key in [key for key in old if key not in new]:
        del old[key]
    for position, (key, value) in enumerate(new.items()):
        if key in old:
            value = merged(old[key], value)
            if value is not old[key]:
                old[key] = value
        else:
            before = list(new)[:position]
            index = max((list(old).index(k) + 1 for k in before if k in old), default=0)
            old.insert(index, key, value)


def set_value(text: str, location: Location, value: Any) -> str:
    """The file's text with the value at `location` (a record, a list, a label) set to
    `value`, changing only the characters that must change."""
    try:
        return yaml_splice.spliced(text, location, value)
    except yaml_splice.Unsupported:
        data = load(text)
        parent = at(data, location[:-1])
        parent[location[-1]] = merged(parent[location[-1]], as_written(value))
        return dump(data)


def replace_record(text: str, location: Location, record: dict[str, Any]) -> str:
    """The file's text with the record at `location` replaced by `record`."""
    return set_value(text, location, record)


def update_record(
    text: str, location: Location, changes: dict[str, Any], remove: tuple[str, ...] = ()
) -> str:
    """The file's text with some keys of the record at `location` set, and the keys in
    `remove` removed (the others kept as they are). A key already holding its value is
    not written again."""
    target = yaml_splice.value_at(text, location)
    wanted = {key: value for key, value in {**target, **changes}.items() if key not in remove}
    return set_value(text, location, wanted)


def with_item(text: str, location: Location, item: Any) -> str:
    """The file's text with `item` added at the end of the list at `location`."""
    items = yaml_splice.value_at(text, location)
    return set_value(text, location, [*items, item])


def without_item(text: str, location: Location) -> str:
    """The file's text without the list item at `location` (its comment lines go with it)."""
    items = list(yaml_splice.value_at(text, location[:-1]))
    del items[location[-1]]
    return set_value(text, location[:-1], items)


def as_written(value: Any) -> Any:
    """New data in the content files' own style: lists of plain values in brackets
    (`topics: [legal]`), a one-item `kind` as just the value (`kind: call`)."""
    if isinstance(value, dict):
        return CommentedMap(
            (key, item[0] if key == "kind" and isinstance(item, list) and len(item) == 1
             else as_written(item))
            for key, item in value.items()
        )  # fmt: skip
    if isinstance(value, list):
        seq = CommentedSeq(as_written(item) for item in value)
        if not any(isinstance(item, dict | list) for item in value):
            seq.fa.set_flow_style()
        return seq
    return value
