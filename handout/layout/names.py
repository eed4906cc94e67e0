"""Names as readers need them: which texts are names, printed as written in every
language (a place, an organisation's own name, an address, a source's name), and what an
organisation's name says, in the reader's language, without its bracket."""

from __future__ import annotations

import re
from collections.abc import Iterable

from handout.content.models import Resource
from handout.content.read import Content
from handout.content.validate import region_records

TRAILING_BRACKET = re.compile(r"\s*\([^()]*\)\s*$")


def without_bracket(name: str) -> str:
    """A name without the bracket it ends with: "Instituto ... (CIRI)" -> "Instituto ..."."""
    return TRAILING_BRACKET.sub("", name).strip() or name


def proper_names(
    content: Content, region_id: str, records: Iterable[Resource] | None = None
) -> list[str]:
    """Names printed as written in every language: the content's list, the region's name
    and state, the organisations' own and former names (not the generic ones), their
    addresses, the keywords to text (HELP), and the names of the sources cited, where
    they are written as names. Of the organisations, those of `records` when a material
    prints only those (a card prints 8 of a statewide directory's 10,000), else all the
    region's."""
    region = content.regions[region_id]
    names = [*content.project.proper_names, region.name, region.state]
    if records is None:
        records = region_records(content, region_id).values()
    records = list(records)
    cited = [*records, *content.laws.values()]
    cited += [block for section in content.sections for block in section.blocks]
    for record in records:
        if not record.generic_name:
            names.append(record.name)
        names += [text for text in (record.formerly, record.address) if text]
        names += [phone.keyword for phone in record.phones if phone.keyword]
    names += [cite.name for fact in cited for cite in fact.cite if _written_as_name(cite.name)]
    return names


SMALL_WORD = re.compile(r"[^\W\d_]{4,}")


def _written_as_name(text: str) -> bool:
    """Whether every word of four letters or more starts with a capital ("Connecticut
    Coalition to End Homelessness"), as a name is written, unlike a description ("911, the
    U.S. emergency number"), which must be translated."""
    return all(word[0].isupper() for word in SMALL_WORD.findall(text))
