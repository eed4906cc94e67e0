"""Card and flyer layouts of a region: which records each face lists, in which order,
with which labels, and the QR code; edited in the region's YAML file.

Each change is a small edit of the round-trip data (a swap, a removal, an added item, a
label), so the file keeps its comments and layout. A pick written as just the record id
(`- ct-211`) stays so until it is given a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap

from handout.content import yaml_edit
from handout.content.models import QrLink

LISTS: dict[str, str] = {
    "pocket_card.front": "Pocket card, front",
    "pocket_card.back": "Pocket card, back",
    "discreet_card.back": "Discreet card, back",
    "flyer.key_numbers": "Flyer, key numbers",
}
"""The lists of picks a coordinator orders, by their path in the region file."""

QR_CODES: dict[str, str] = {
    "pocket_card": "Pocket card",
    "flyer": "Flyer",
    "booklet": "Booklet cover",
}
QR_LINKS = [link.value for link in QrLink]


@dataclass(frozen=True)
class Row:
    resource: str
    purpose: str
    label: str


def _path(name: str) -> tuple[str, ...]:
    if name not in LISTS:
        raise KeyError(name)
    return tuple(name.split("."))


def rows(data: dict[str, Any], name: str) -> list[Row]:
    """The picks of list `name` in a region's (plain) data."""
    items = yaml_edit.at(data, _path(name)) or []
    found = []
    for item in items:
        if isinstance(item, str):
            found.append(Row(item, "", ""))
        else:
            found.append(
                Row(item.get("resource", ""), item.get("purpose") or "", item.get("label") or "")
            )
    return found


def qr_of(data: dict[str, Any], material: str) -> tuple[str, str]:
    """(record id, link kind) of a material's QR code; ("", "") when it has none."""
    qr = (data.get(material) or {}).get("qr")
    if qr is None:
        return "", ""
    if isinstance(qr, str):
        return qr, "website"
    return qr.get("resource", ""), qr.get("link", "website")


def _labelled(item: Any, label: str) -> Any:
    """`item` with `label` (an empty label removes it)."""
    if isinstance(item, str):
        if not label:
            return item
        return CommentedMap([("resource", item), ("label", label)])
    if label:
        if item.get("label") != label:
            item["label"] = label
    elif "label" in item:
        del item["label"]
    return item


def changed(text: str, name: str, action: str, labels: list[str], add: tuple[str, str]) -> str:
    """The region file's text after one action on list `name`: `up:N`, `down:N`,
    `remove:N`, `add` (the record and purpose in `add`) or `labels`; the labels typed in
    the form are applied in every case (so none is lost when a button is pressed)."""
    data = yaml_edit.load(text)
    items = yaml_edit.at(data, _path(name))
    for index, label in enumerate(labels[: len(items)]):
        new = _labelled(items[index], label.strip())
        if new is not items[index]:
            items[index] = new
    verb, _, number = action.partition(":")
    index = int(number) if number.isdigit() else -1
    if verb == "up" and 0 < index < len(items):
        items[index - 1], items[index] = items[index], items[index - 1]
    elif verb == "down" and 0 <= index < len(items) - 1:
        items[index], items[index + 1] = items[index + 1], items[index]
    elif verb == "remove" and 0 <= index < len(items):
        del items[index]
    elif verb == "add" and add[0]:
        resource, purpose = add
        items.append(
            CommentedMap([("resource", resource), ("purpose", purpose)]) if purpose else resource
        )
    return yaml_edit.dump(data)


def with_qr(text: str, material: str, resource: str, link: str) -> str:
    """The region file's text with a material's QR code set (or removed, when no record)."""
    if material not in QR_CODES:
        raise KeyError(material)
    data = yaml_edit.load(text)
    holder = data.get(material)
    if holder is None:
        if not resource:
            return text
        holder = data[material] = CommentedMap()
    if not resource:
        if "qr" in holder:
            del holder["qr"]
        return yaml_edit.dump(data)
    wanted = {"resource": resource, "link": link or "website"}
    old = holder.get("qr")
    if isinstance(old, CommentedMap):
        yaml_edit.merge_map(old, {**yaml_edit.plain(old), **wanted})
    elif old != resource or wanted["link"] != "website":
        holder["qr"] = CommentedMap(wanted.items())
    return yaml_edit.dump(data)
