"""Card and flyer layouts of a region: which records each face lists, in which order,
with which labels, and the QR code; edited in the region's YAML file.

Each change is a small edit of the round-trip data (a swap, a removal, an added item, a
label), so the file keeps its comments and layout. A pick written as just the record id
(`- ct-211`) stays so until it is given a label.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from handout.content import yaml_edit, yaml_splice
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


FIRST_ALWAYS = ("pocket_card.front", "discreet_card.back", "flyer.key_numbers")
"""The faces that print the region's main number first, wherever it is in the list."""
EMERGENCY_APART = ("pocket_card.front", "flyer.key_numbers")
"""The faces that print 911 in a box of its own, wherever it is in the list."""
FIRST_WHY = (
    "Always printed first, in large type: it is this region's main number (the one on "
    "the flyer's tear-off tabs), so its place in this list changes nothing in print."
)
EMERGENCY_WHY = (
    "911 is always printed apart from the other numbers, in a box of its own, so its "
    "place in this list changes nothing in print."
)


def fixed_rows(
    name: str, rows: list[Row], main_number: str, is_911: Callable[[Row], bool]
) -> dict[int, str]:
    """The rows of list `name` whose place the printed face does not follow (index ->
    why, in plain words): moving them would save and change nothing in print."""
    fixed: dict[int, str] = {}
    if name in FIRST_ALWAYS:
        first = next((i for i, row in enumerate(rows) if row.resource == main_number), None)
        if first is not None:
            fixed[first] = FIRST_WHY
    if name in EMERGENCY_APART:
        apart = next((i for i, row in enumerate(rows) if i not in fixed and is_911(row)), None)
        if apart is not None:
            fixed[apart] = EMERGENCY_WHY
    return fixed


@dataclass(frozen=True)
class RowView:
    """A row as the page shows it: which moves change the printed order, or why none."""

    row: Row
    up: bool
    down: bool
    fixed: str


def row_views(rows: list[Row], fixed: dict[int, str]) -> list[RowView]:
    movable = [index for index in range(len(rows)) if index not in fixed]
    return [
        RowView(
            row,
            index in movable and movable.index(index) > 0,
            index in movable and movable.index(index) < len(movable) - 1,
            fixed.get(index, ""),
        )
        for index, row in enumerate(rows)
    ]


def _labelled(item: Any, label: str) -> Any:
    """`item` (plain) with `label` (an empty label removes it)."""
    if isinstance(item, str):
        return {"resource": item, "label": label} if label else item
    item = dict(item)
    if label:
        item["label"] = label
    else:
        item.pop("label", None)
    return item


def _moved(items: list[Any], verb: str, index: int, fixed: Collection[int]) -> list[Any]:
    """`items` after moving item `index` up or down past the next row that moves (the
    rows in `fixed` stay where they are)."""
    movable = [number for number in range(len(items)) if number not in fixed]
    if index not in movable:
        return items
    other = movable.index(index) + (-1 if verb == "up" else 1)
    if not 0 <= other < len(movable):
        return items
    moved = list(items)
    swap = movable[other]
    moved[index], moved[swap] = moved[swap], moved[index]
    return moved


def changed(
    text: str,
    name: str,
    action: str,
    labels: list[str],
    add: tuple[str, str],
    fixed: Collection[int] = (),
) -> str:
    """The region file's text after one action on list `name`: `up:N`, `down:N`,
    `remove:N`, `add` (the record and purpose in `add`) or `labels`; the labels typed in
    the form are applied in every case (so none is lost when a button is pressed). A row
    in `fixed` (see `fixed_rows`) does not move, and a move skips over it.

    Only the lines that change are written (`yaml_edit.set_value`): a moved row takes the
    comment lines just above it along, and the file's other lines stay as they were."""
    path = _path(name)
    items = yaml_splice.value_at(text, path) or []
    typed = [_labelled(item, label.strip()) for item, label in zip(items, labels, strict=False)]
    labelled = typed + items[len(typed) :]
    if labelled != items:
        text = yaml_edit.set_value(text, path, labelled)
    verb, _, number = action.partition(":")
    index = int(number) if number.isdigit() else -1
    new = labelled
    if verb in ("up", "down"):
        new = _moved(labelled, verb, index, fixed)
    elif verb == "remove" and 0 <= index < len(labelled):
        new = labelled[:index] + labelled[index + 1 :]
    elif verb == "add" and add[0]:
        resource, purpose = add
        new = [*labelled, {"resource": resource, "purpose": purpose} if purpose else resource]
    return text if new == labelled else yaml_edit.set_value(text, path, new)


def with_qr(text: str, material: str, resource: str, link: str) -> str:
    """The region file's text with a material's QR code set (or removed, when no record).
    A code written as just the record id stays so while it opens the record's website."""
    if material not in QR_CODES:
        raise KeyError(material)
    data = yaml_splice.value_at(text, ())
    holder = data.get(material)
    if holder is None:
        if not resource:
            return text
        return yaml_edit.set_value(
            text, (material,), {"qr": {"resource": resource, "link": link or "website"}}
        )
    if not resource:
        if "qr" not in holder:
            return text
        return yaml_edit.set_value(
            text, (material,), {k: v for k, v in holder.items() if k != "qr"}
        )
    wanted: Any = {"resource": resource, "link": link or "website"}
    old = holder.get("qr")
    if isinstance(old, dict):
        wanted = {**old, **wanted}
    elif old == resource and wanted["link"] == "website":
        return text
    return (
        yaml_edit.set_value(text, (material, "qr"), wanted)
        if "qr" in holder
        else (yaml_edit.set_value(text, (material,), {**holder, "qr": wanted}))
    )
