"""Forms made from the content models: one widget per field, chosen by the field's type.

The loader's pydantic models (handout/content/models/) are the only description of a record, so a
field added there appears in the form without form code. A field is named by its path in
the record (`phones.0.number`), which is also where pydantic reports its errors: an error
lands next to its field. Values travel as the text the form shows; `parse` turns a submitted
form back into the data a YAML file holds.
"""

from __future__ import annotations

import datetime
import enum
import inspect
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from handout.content.models import TRANSLATE

Values = dict[str, str | list[str]]
"""What a form shows or sent: the text of each field by name (a list for check boxes)."""

READ_ONLY = frozenset({"id"})
"""Shown but not editable: other files refer to a record by its id."""


@dataclass
class Widget:
    """One field of a form, or (kind `group`) a list of records such as phone numbers."""

    name: str
    label: str
    kind: str  # text, textarea, date, number, select, checks, lines, group
    hint: str = ""
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    model: type[BaseModel] | None = None
    read_only: bool = False

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace("_", "-")


@dataclass
class Shape:
    """What a model field's annotation means for a form."""

    kind: str
    required: bool
    options: list[tuple[str, str]] = field(default_factory=list)
    model: type[BaseModel] | None = None


def _unwrap(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """(the type, whether None is allowed, Annotated metadata) of an annotation."""
    optional, metadata = False, []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            metadata += extra
        elif origin in (typing.Union, types.UnionType):
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            annotation = args[0]
        else:
            return annotation, optional, metadata


def shape(info: FieldInfo) -> Shape:
    """The widget for a model field."""
    annotation, optional, metadata = _unwrap(info.annotation)
    metadata += info.metadata
    required = info.is_required() and not optional
    origin = typing.get_origin(annotation)
    if origin is list:
        item, _, _meta = _unwrap(typing.get_args(annotation)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return Shape("group", required, model=item)
        if isinstance(item, type) and issubclass(item, enum.Enum):
            return Shape("checks", required, [(m.value, m.value) for m in item])
        return Shape("lines", required)
    if origin is typing.Literal:
        return Shape("select", required, [(str(v), str(v)) for v in typing.get_args(annotation)])
    if annotation is bool:
        return Shape("select", required, [("true", "yes"), ("false", "no")])
    if annotation is datetime.date:
        return Shape("date", required)
    if annotation is int:
        return Shape("number", required)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return Shape("select", required, [(m.value, m.value) for m in annotation])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Shape("group", required, model=annotation)
    if annotation is str:
        return Shape("textarea" if TRANSLATE in metadata else "text", required)
    return Shape("unsupported", required)


def label_of(name: str) -> str:
    return name.replace("_", " ").capitalize()


def field_label(name: str) -> str:
    """`phones.0.number` as a reader names it: "Phone 1, number"."""
    words, parts = [], name.split(".")
    for index, part in enumerate(parts):
        if part.isdigit():
            words[-1] = f"{words[-1].removesuffix('s')} {int(part) + 1}"
        else:
            words.append(label_of(part) if index == 0 else part.replace("_", " "))
    return ", ".join(words)


def ordered_fields(model: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    """The model's own fields first, then those it inherits (a record's name before the
    source and check date every fact shares)."""
    own = set(inspect.get_annotations(model))
    fields = list(model.model_fields.items())
    return [item for item in fields if item[0] in own] + [
        item for item in fields if item[0] not in own
    ]


def widgets(model: type[BaseModel], prefix: str = "", new: bool = False) -> list[Widget]:
    """The form of `model`: one widget per field, in the model's order (`new`: for a
    record being added, whose id is still to be chosen)."""
    found = []
    for name, info in ordered_fields(model):
        found_shape = shape(info)
        if found_shape.kind == "unsupported":
            continue
        found.append(
            Widget(
                name=prefix + name,
                label=label_of(name),
                kind=found_shape.kind,
                hint=info.description or "",
                required=found_shape.required,
                options=found_shape.options,
                model=found_shape.model,
                read_only=not new and not prefix and name in READ_ONLY,
            )
        )
    return found


def has_value(widget: Widget, values: Values) -> bool:
    """Whether the form holds something for `widget` (for a group: at least one item)."""
    if widget.kind == "group":
        return item_count(values, widget.name) > 0
    value = values.get(widget.name)
    if isinstance(value, list):
        return any(item.strip() for item in value)
    return bool(value and value.strip())


def folded(
    shown: list[Widget], values: Values, errors: dict[str, str]
) -> tuple[list[Widget], list[Widget]]:
    """Split a form into the fields to show and the optional ones folded away under "More
    fields": a field is shown when it is required, holds a value, or has an error, so a
    record's form is as long as the record, and a new phone asks only for its number and
    how to reach it."""
    kept, more = [], []
    for widget in shown:
        has_error = any(key == widget.name or key.startswith(widget.name + ".") for key in errors)
        if widget.required or widget.read_only or has_error or has_value(widget, values):
            kept.append(widget)
        else:
            more.append(widget)
    return kept, more


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def values_of(model: type[BaseModel], data: dict[str, Any], prefix: str = "") -> Values:
    """The form's values for a record as written in its file (`data`)."""
    values: Values = {}
    for widget in widgets(model, prefix):
        key = widget.name[len(prefix) :]
        value = data.get(key)
        if widget.kind == "group" and widget.model is not None:
            items = value if isinstance(value, list) else [value] if value else []
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    values.update(values_of(widget.model, item, f"{widget.name}.{index}."))
        elif widget.kind == "checks":
            items = value if isinstance(value, list) else [value] if value is not None else []
            values[widget.name] = [_text(item) for item in items]
        elif widget.kind == "lines":
            items = value if isinstance(value, list) else [value] if value is not None else []
            values[widget.name] = "\n".join(_text(item) for item in items)
        else:
            values[widget.name] = _text(value)
    return values


def item_count(values: Values, name: str) -> int:
    """How many items of the group `name` the values hold."""
    indexes = [
        int(key[len(name) + 1 :].split(".", 1)[0])
        for key in values
        if key.startswith(name + ".") and key[len(name) + 1 :].split(".", 1)[0].isdigit()
    ]
    return max(indexes, default=-1) + 1


def with_lists(model: type[BaseModel], values: Values, prefix: str = "") -> Values:
    """`values` with every multi-value field (check boxes) as a list, also when one box or
    none was ticked. A browser sends one ticked box as a single value; kept as text,
    "health" would be found inside "mental-health" when the form is shown again."""
    for widget in widgets(model, prefix):
        if widget.kind == "group" and widget.model is not None:
            for index in range(item_count(values, widget.name)):
                with_lists(widget.model, values, f"{widget.name}.{index}.")
        elif widget.kind == "checks":
            chosen = values.get(widget.name, [])
            if isinstance(chosen, str):
                values[widget.name] = [chosen] if chosen else []
    return values


def _date(text: str) -> datetime.date | None:
    """A date box's value: YYYY-MM-DD as a browser's date box sends it, or month/day/year
    as typed where a browser shows a plain text box; None if it is neither."""
    for read in (datetime.date.fromisoformat, _month_day_year):
        try:
            return read(text.strip())
        except ValueError:
            continue
    return None


def _month_day_year(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, "%m/%d/%Y").date()


def shown_date(day: datetime.date) -> str:
    """A date as the date box shows it: month/day/year."""
    return f"{day.month:02}/{day.day:02}/{day.year}"


def date_errors(model: type[BaseModel], values: Values, prefix: str = "") -> dict[str, str]:
    """The date boxes whose value is not a date a fact can have been checked on, with a
    message in the box's own terms (it shows month/day/year, not the file's YYYY-MM-DD)."""
    errors, today = {}, datetime.date.today()
    pick = f"Pick the date in the box, or type month, day and year, like {shown_date(today)}"
    for widget in widgets(model, prefix):
        if widget.kind == "group" and widget.model is not None:
            for index in range(item_count(values, widget.name)):
                errors.update(date_errors(widget.model, values, f"{widget.name}.{index}."))
            continue
        text = str(values.get(widget.name) or "").strip()
        if widget.kind != "date" or not text:
            continue
        day = _date(text)
        if day is None and text.split("-")[0].isdigit() and len(text.split("-")[0]) > 4:
            errors[widget.name] = f"The year has more than 4 digits. {pick}"
        elif day is None:
            errors[widget.name] = f"This is not a date. {pick}"
        elif day > today:
            errors[widget.name] = (
                f"{shown_date(day)} is after today. Pick the day it was really checked "
                "(today or earlier)"
            )
    return errors


def _scalar(kind: str, text: str) -> Any:
    """A field's text as the value YAML holds; text that does not convert stays text, so
    that the model reports it with the command line's message."""
    if kind == "date":
        return _date(text) or text
    if kind == "number":
        try:
            return int(text)
        except ValueError:
            return text
    if text in ("true", "false") and kind == "select":
        return text == "true"
    return text


def parse(model: type[BaseModel], values: Values, prefix: str = "") -> dict[str, Any]:
    """The record a submitted form describes: empty fields are left out (as unwritten
    keys), a group's item whose `_remove` box is ticked or whose fields are all empty is
    dropped (the empty one is the form's "add another" row)."""
    data: dict[str, Any] = {}
    for widget in widgets(model, prefix):
        key = widget.name[len(prefix) :]
        if widget.kind == "group" and widget.model is not None:
            items = []
            for index in range(item_count(values, widget.name)):
                item_prefix = f"{widget.name}.{index}."
                if values.get(item_prefix + "_remove"):
                    continue
                item = parse(widget.model, values, item_prefix)
                if item:
                    items.append(item)
            if items:
                data[key] = items
        elif widget.kind == "checks":
            chosen = values.get(widget.name, [])
            chosen = [chosen] if isinstance(chosen, str) else chosen
            if chosen:
                data[key] = list(chosen)
        elif widget.kind == "lines":
            lines = [line.strip() for line in str(values.get(widget.name, "")).splitlines()]
            if any(lines):
                data[key] = [line for line in lines if line]
        else:
            text = str(values.get(widget.name, "")).strip()
            if text:
                data[key] = _scalar(widget.kind, text)
    return data


def error_name(loc: tuple[Any, ...]) -> str:
    """The form field a pydantic error location points at."""
    return ".".join(str(part) for part in loc)
