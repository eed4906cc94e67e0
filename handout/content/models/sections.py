"""The booklet's chapters (`sections.yaml`): each a title and blocks of text, lists, steps,
callouts, or the records and laws to print there."""

from __future__ import annotations

import builtins
import datetime
import re
from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from handout.content.models.fields import (
    CheckedHow,
    Citation,
    Id,
    Prose,
    Strict,
    Text,
    as_citations,
)

SEE_REFERENCE = re.compile(r"\{see:([a-z0-9]+(?:-[a-z0-9]+)*)\}")
"""`{see:clear-record}` in a chapter's text: printed as that chapter's title, in the
reader's language, and the page it starts on. Never typed by hand, so never stale."""
BOOKLET_PARTS = ("directory", "sources")
"""What `{see:...}` may name besides a section's id. Not the pages at the back (cut-out
card, safety plan): the pages before them vary, so they carry no page number to point to."""


class Block(Strict):
    """One piece of a booklet section. Exactly one of its fields is set.

    (`builtins.list` because the field named `list` hides the built-in inside this class.)
    """

    heading: Prose | None = None
    text: Prose | None = None
    list: builtins.list[Prose] | None = None
    steps: builtins.list[Prose] | None = None
    callout: Prose | None = None
    resources: builtins.list[Id] | None = None
    laws: builtins.list[Id] | None = None
    only_in: builtins.list[Id] | None = Field(
        default=None, description="Region ids where this block is printed (default: all)."
    )
    except_in: builtins.list[Id] | None = Field(
        default=None, description="Region ids where this block is not printed."
    )
    source: Text | None = Field(
        default=None,
        description="Editors' note: where a fact stated in this block comes from (never printed).",
    )
    checked: datetime.date | None = Field(default=None, description="When that fact was checked.")
    checked_how: CheckedHow | None = None
    cite: builtins.list[Citation] = Field(
        default_factory=builtins.list,
        description="The source printed for readers in the booklet's sources chapter.",
    )

    _cite_list = field_validator(
        "cite", mode="before", json_schema_input_type=Citation | builtins.list[Citation]
    )(as_citations)

    NOT_KINDS: ClassVar[tuple[str, ...]] = (
        "only_in",
        "except_in",
        "source",
        "checked",
        "checked_how",
        "cite",
    )

    @classmethod
    def kinds(cls) -> builtins.list[str]:
        return [name for name in cls.model_fields if name not in cls.NOT_KINDS]

    @model_validator(mode="after")
    def _fact_needs_source_and_date(self) -> Block:
        if (self.source is None) != (self.checked is None):
            raise ValueError(
                "a block that states a fact needs both `source:` and `checked:`; "
                "add the missing one"
            )
        return self

    @model_validator(mode="after")
    def _exactly_one(self) -> Block:
        given = [name for name in self.kinds() if getattr(self, name) is not None]
        if len(given) != 1:
            names = ", ".join(self.kinds())
            raise ValueError(f"a block holds exactly one of: {names} (found {len(given)})")
        return self

    @property
    def kind(self) -> str:
        return next(name for name in self.kinds() if getattr(self, name) is not None)

    def shown_in(self, region_id: str) -> bool:
        if self.except_in is not None and region_id in self.except_in:
            return False
        return self.only_in is None or region_id in self.only_in


class Section(Strict):
    id: Id
    title: Prose
    blocks: list[Block] = Field(min_length=1)


class SectionsFile(Strict):
    """sections.yaml: the booklet's chapters, in print order."""

    sections: list[Section]
