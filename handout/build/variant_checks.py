"""The checks a rendered variant must pass before anything is written: its pages and texts,
its script set right (numbers in order on right-to-left pages, Chinese and Japanese line
starts: `render.script_checks`), no giveaway word on what a reader carries (the discreet
card's front, the flyer's tabs, the booklet's cut-out card), a booklet within its page
limit, and no text left in the source language of a translated booklet."""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from handout.build.plan import Plan, Variant, Warnings
from handout.content.errors import BuildError
from handout.content.read import Content
from handout.content.validate import region_records
from handout.content.words import UNSPACED
from handout.layout.materials import MATERIALS
from handout.layout.names import proper_names
from handout.layout.typography import PROTECTED, straight
from handout.render.checks import (
    forbidden_words_on_front,
    forbidden_words_on_tabs,
    missing_texts,
    page_problems,
    print_problems,
)
from handout.render.measure import LINES_END
from handout.render.rendered import Rendered
from handout.render.script_checks import script_problems

CARRIED = {
    "flyer": (
        "its tear-off tabs",
        "whoever carries one; give the region's flyer `tab:` a neutral `label:` (or change "
        "its translation)",
    ),
    "booklet": (
        "its cut-out card",
        "whoever carries it; the card prints the discreet card's labels: give the region's "
        "`discreet_card: back:` neutral `label:`s (or change their translation)",
    ),
}
"""Per material, the parts a reader carries away (`data-discreet` in its template) and how
to make them neutral again."""


def variant_problems(content: Content, item: Plan, rendered: Rendered) -> list[str]:
    """What is wrong with a rendered variant: pages, missing texts, a giveaway word."""
    material = MATERIALS[item.variant.material]
    problems = page_problems(material, rendered)
    if not problems:
        absent = missing_texts(rendered, item.texts)
        if absent:
            problems.append(
                "these texts are not on its pages (they did not fit, or a template hides "
                "them): " + "; ".join(repr(text[:60]) for text in absent)
            )
        problems += print_problems(material, rendered)
        problems += script_problems(item.variant.language, rendered.pdf, rendered.measures)
    forbidden = content.project.forbidden_on_discreet_front.get(item.variant.language, [])
    if item.variant.material == "discreet-card":
        leaked = forbidden_words_on_front(rendered, forbidden)
        if leaked:
            problems.append(
                f"its front shows {', '.join(leaked)}, which could give the card away; "
                "change the discreet_card front text (or its translation)"
            )
    carried = forbidden_words_on_tabs(rendered, forbidden)
    if carried:
        part, fix = CARRIED.get(
            item.variant.material, ("a part made to be carried", "whoever carries it")
        )
        problems.append(f"{part} show {', '.join(carried)}, which could give away {fix}")
    return problems


# --- Booklet length -----------------------------------------------------------------------


def booklet_length_problems(content: Content, pages: dict[tuple[str, str], int]) -> list[str]:
    """Booklets too long to print and carry: one in the source language over
    `print.booklet_max_pages`, a translation more than `print.booklet_translation_extra_pages`
    over the source language's booklet of the same region. `pages`: (region, language) ->
    page count of every booklet known to this build (rendered now or kept from before)."""
    settings = content.project.print
    source = content.project.source_language
    problems = []
    for (region, language), count in sorted(pages.items()):
        where = f"{region}/{language}/booklet"
        if language == source:
            limit = settings.booklet_max_pages
            if limit is not None and count > limit:
                problems.append(_too_long(content, region, where, count, limit))
            continue
        english = pages.get((region, source))
        if english is None:
            continue
        allowed = english + settings.booklet_translation_extra_pages
        if count > allowed:
            problems.append(
                f"{where}: {count} pages, more than {settings.booklet_translation_extra_pages} "
                f"over the {english} pages in {source} "
                "(`print.booklet_translation_extra_pages` in project.yaml); shorten its "
                "translations"
            )
    return problems


def _too_long(content: Content, region: str, where: str, count: int, limit: int) -> str:
    """Why a booklet is too long, in plain words, with its two fixes."""
    entries = len(region_records(content, region)) if region in content.regions else 0
    return (
        f"{where}: {count} pages, over the limit of {limit}. Its directory prints {entries} "
        f"entries (each record the region shows). Fix it one of two ways: raise "
        f"`print.booklet_max_pages` in project.yaml to {count}, or print less: take records "
        f"out of the `include:` list in regions/{region}.yaml (or import fewer), or shorten "
        "the chapters"
    )


# --- Text left in the source language -----------------------------------------------------

WORD = re.compile(r"[^\W\d_]{4,}")
"""A word long enough to tell languages apart (short ones, "a", "no", "de", are shared)."""


@dataclass(frozen=True)
class Vocabulary:
    """The words of the source language's texts that no translation into a language uses:
    such a word printed in that language is a text left untranslated."""

    source_only: frozenset[str]
    places: tuple[tuple[frozenset[str], str], ...] = ()
    """Each source text's words and where it is written ("resources/x.yaml:12"), to say
    where a line left in the source language comes from."""

    @classmethod
    def of(cls, template: Catalog, catalog: Catalog, leave_out: list[str]) -> Vocabulary:
        """From the source texts (`template`) and one language's `catalog`, leaving out the
        words of `leave_out` (texts already reported as missing or outdated: printed in
        the source language on purpose, so not left there by mistake)."""
        source = {word for message in template if message.id for word in _words(message.id)}
        translated = {
            word
            for message in catalog
            if message.id and message.string and not message.fuzzy
            for word in _words(message.string if isinstance(message.string, str) else "")
        }
        reported = {word for text in leave_out for word in _words(text)}
        places = tuple(
            (frozenset(_words(message.id)), _place(message.locations))
            for message in template
            if message.id and isinstance(message.id, str)
        )
        return cls(frozenset(source - translated - reported), places)

    def place_of(self, line: str) -> str:
        """Where the source text printed on `line` is written (the text sharing most words
        with it), or "" when no source text matches."""
        words = _words(line)
        best = max(self.places, key=lambda place: len(place[0] & words), default=None)
        return best[1] if best and best[0] & words else ""


def _place(locations: list[tuple[str, int | None]]) -> str:
    if not locations:
        return ""
    file, line = locations[0]
    return f"{file}:{line}" if line else file


def _words(text: str) -> set[str]:
    return {word.casefold() for word in WORD.findall(text)}


HYPHENATED = re.compile(r"(?<=[^\W\d_])-\n(?=[^\W\d_])")
"""A word broken at a line's end by automatic hyphenation ("Help-" / "line"): joined again
before reading, so neither half is taken for a word of its own."""


@dataclass(frozen=True)
class LeftOver:
    """Source-language words printed on a page, with each line that prints them."""

    page: int
    words: list[str]
    lines: list[str]


def left_in_source_language(
    rendered: Rendered, vocabulary: Vocabulary, proper_names: list[str]
) -> list[LeftOver]:
    """Where a translated material prints source-language words that are not part of a
    proper name or an address, page by page."""
    names = sorted(
        {" ".join(straight(name).split()) for name in proper_names}, key=len, reverse=True
    )
    spaced = "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in names if name)
    # A name is a whole word: the keyword HELP must not take "Help" out of "Helpline"; a
    # script written without spaces may follow it at once ("Project Rescue项目").
    letter = rf"[^\W{UNSPACED.pattern[1:-1]}]"
    whole = [rf"(?<!{letter})(?:{spaced})(?!{letter})"] if spaced else []
    ignored = re.compile("|".join([PROTECTED.pattern, *whole]), re.VERBOSE | re.IGNORECASE)
    pages = [HYPHENATED.sub("", straight(text)) for text in rendered.page_words]
    lines = [page.split(LINES_END)[0] for page in pages]  # the laid-out lines, in order
    across = _without_names(lines, ignored)
    found = []
    for number, (joined, running) in enumerate(zip(pages, across, strict=True), start=1):
        # Left in both readings: word by word on the page, and in the running text read
        # across page ends (where a name cut by a page break is whole again).
        flat = " ".join(joined.split())
        words = _words(ignored.sub(" ", flat)) & _words(running) & vocabulary.source_only
        if words:
            lines = [
                " ".join(line.split())
                for line in joined.splitlines()
                if _words(ignored.sub(" ", line)) & words
            ]
            found.append(LeftOver(number, sorted(words), list(dict.fromkeys(lines))))
    return found


PAGE_NUMBER = re.compile(r"^\d+\s|\s\d+$")
"""A page number at the start or end of a page's text (a running foot)."""


def _without_names(pages: list[str], ignored: re.Pattern[str]) -> list[str]:
    """Each page's running text, flat, with the proper names and addresses (`ignored`)
    blanked out, read across page ends: a name that starts at the foot of one page and
    ends at the top of the next ("Office for" / "Victims of Crime") is still a name. A page
    number at either end is left out of the reading."""
    flats = [PAGE_NUMBER.sub(" ", " ".join(page.split())).strip() for page in pages]
    whole = " ".join(flats)
    blanked = ignored.sub(lambda found: " " * len(found.group()), whole)
    texts, start = [], 0
    for flat in flats:
        texts.append(blanked[start : start + len(flat)])
        start += len(flat) + 1
    return texts


def untranslated_problems(
    content: Content, item: Plan, rendered: Rendered, vocabulary: Vocabulary
) -> list[str]:
    """A translated booklet must not print source-language text other than proper names
    (`proper_names` in project.yaml, the regions' and organisations' own names) and texts
    printed in it because their translation is missing (reported apart)."""
    proper = proper_names(content, item.variant.region)
    found = left_in_source_language(rendered, vocabulary, proper)
    if not found:
        return []
    shown = "; ".join(_left_over_line(left, vocabulary) for left in found[:4])
    return [
        f"words left in {content.project.source_language}: {shown}; translate them in "
        f"locale/{item.variant.language}.po, or add the name they belong to to "
        "`proper_names` in project.yaml"
    ]


def _left_over_line(left: LeftOver, vocabulary: Vocabulary) -> str:
    """ "page 3: 'line' in the line 'Call the help line' (from resources/x.yaml:12)"."""
    line = left.lines[0] if left.lines else ""
    place = vocabulary.place_of(line) if line else ""
    words = ", ".join(repr(word) for word in left.words[:6])
    said = f"page {left.page}: {words}"
    if line:
        said += f" in the line {line!r}"
    return said + (f" (from {place})" if place else "")


def fail_on_translation_warnings(finished: list[tuple[Variant, Warnings]]) -> None:
    lines = []
    for variant, warnings in finished:
        for status, texts in (("outdated", warnings.outdated), ("missing", warnings.missing)):
            lines += [f"  {variant}: {status} translation of {text!r}" for text in texts]
    if lines:
        raise BuildError(
            "--strict: some translations are outdated or missing; nothing was written. "
            "Run `python build.py translations status` and update the PO files:\n"
            + "\n".join(lines)
        )
