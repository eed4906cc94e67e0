"""Words that must not be printed: a label on what is carried (a tear-off tab, the
discreet card's front) that names what its number is for, and editors' words ("fact-check",
"seed article") in any printed text or translation."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from babel.messages.catalog import Catalog
from pydantic import BaseModel

from handout.content.characters import as_seen
from handout.content.errors import Problem, display_path
from handout.content.i18n import catalog_path
from handout.content.read import Content
from handout.content.yaml_file import Location, YamlFile

HIDDEN_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u00ad\u200b-\u200d\u2060\ufeff]"
)
"""What a reader does not see as part of a word's letters, and an editor could put inside a
word (by chance or not) so that a check no longer knows it: Arabic vowel marks and
tatweel (the stretching stroke: شـرطة is شرطة), soft hyphens, zero-width spaces and joiners."""

UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]"
)
"""Scripts written without spaces between words (Chinese, Japanese kana, Thai, Lao, Khmer,
Myanmar): there a forbidden word is found anywhere in a text, not only at a word's start."""


def _folded(text: str) -> str:
    """`text` as the checks compare it: NFC, hidden marks out, case folded, spaces single."""
    text = HIDDEN_MARKS.sub("", unicodedata.normalize("NFC", text))
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def giveaway_words(text: str, forbidden: list[str]) -> list[str]:
    """The words of `text` that a forbidden entry gives away (as on the discreet card's
    front): a word starting with the entry ("polic" finds "policía"), a phrase starting
    with it ("mại dâm"), and in a script written without spaces (Chinese) the entry
    anywhere. Read as stored and as a reader sees them (a right-to-left override shows
    "ecilop" as "police"), without the marks that hide a word (`HIDDEN_MARKS`)."""
    shown = _folded(f"{text}\n{as_seen(text)}")
    found = set()
    for entry in filter(None, map(_folded, forbidden)):
        anywhere = UNSPACED.match(entry) is not None
        before = "" if anywhere else r"(?<!\w)"
        after = "" if anywhere else r"\w*"
        found.update(re.findall(before + re.escape(entry) + after, shown))
    return sorted(found)


def tab_label(content: Content, region_id: str) -> str:
    """The English label every tear-off tab of the region's flyer prints."""
    return content.regions[region_id].flyer.tab.label or content.text.flyer.tab_label


def tab_hours_problems(content: Content, region_id: str, source: YamlFile) -> list[Problem]:
    """A tab label may say when the number answers only through `{hours}`, filled in from
    the number's own `hours:` (a fact with a source), never typed into the label."""
    label = tab_label(content, region_id)
    pick = content.regions[region_id].flyer.tab
    record = content.resources.get(pick.resource)
    if "{hours}" not in label or record is None:
        return []
    phones = [phone for phone in record.phones if phone.purpose == pick.purpose]
    if any(phone.hours for phone in phones):
        return []
    if content.regions[region_id].flyer.tab.label:
        where, location = source, ("flyer", "tab", "label")
    else:
        where, location = content.files["materials.yaml"], ("flyer", "tab_label")
    return [
        where.problem(
            location,
            f"the tear-off tab label says `{{hours}}`, but no number of `{record.id}` on the "
            "tab has `hours:`",
            f"add `hours:` (with its source) to the number in the record `{record.id}`, or "
            "take `{hours}` out of the label",
        )
    ]


def tab_label_problems(content: Content, region_id: str, source: YamlFile) -> list[Problem]:
    """A tab is torn off to be carried: found in a watched person's pocket, a label that
    names trafficking or the police gives them away. Same words as the discreet card."""
    label = tab_label(content, region_id)
    forbidden = content.project.forbidden_on_discreet_front.get(content.project.source_language, [])
    found = giveaway_words(label, forbidden)
    if not found:
        return []
    if content.regions[region_id].flyer.tab.label:
        where, location = source, ("flyer", "tab", "label")
        fix = "write a neutral label such as `Free, private help, 24/7`, or remove `label:`"
    else:
        where, location = content.files["materials.yaml"], ("flyer", "tab_label")
        fix = "write a neutral label such as `Free, private help, 24/7`"
    return [
        where.problem(
            location,
            f"the tear-off tab label `{label}` says {', '.join(found)}, which could give away "
            "whoever carries a torn-off tab (words in `forbidden_on_discreet_front`)",
            fix,
        )
    ]


def translation_problems(content: Content, catalogs: dict[str, Catalog]) -> list[Problem]:
    """Translations that must not be printed: a tab label naming what the number is for,
    or an editors' word. `catalogs` are the languages' PO catalogs as read from disk (so
    each problem names its line)."""
    problems: list[Problem] = []
    labels = {tab_label(content, region_id) for region_id in content.regions}
    internal = content.project.internal_words
    for code, catalog in catalogs.items():
        path = display_path(catalog_path(content.root, code))
        forbidden = content.project.forbidden_on_discreet_front.get(code, [])
        for message in catalog:
            if not message.id or not message.string or message.fuzzy:
                continue
            translation = message.string if isinstance(message.string, str) else message.string[0]
            found = giveaway_words(translation, forbidden) if message.id in labels else []
            if found:
                problems.append(
                    Problem(
                        path,
                        f"the tear-off tab label `{message.id}` is translated as "
                        f"`{translation}`, which says {', '.join(found)} and could give away "
                        "whoever carries a torn-off tab",
                        "translate it with neutral words (see `forbidden_on_discreet_front`)",
                        message.lineno,
                    )
                )
            for word in internal_in(translation, internal):
                problems.append(
                    Problem(
                        path,
                        f"the translation of `{message.id[:50]}` holds the editors' word "
                        f"`{word}`, which must not be printed",
                        "reword the translation for readers (see `internal_words` in project.yaml)",
                        message.lineno,
                    )
                )
    return problems


def internal_in(text: str, words: list[str]) -> list[str]:
    """The editors' words (or phrases) found in `text` as whole words, in any case, as
    stored and as a reader sees it."""
    folded = unicodedata.normalize("NFC", f"{text}\n{as_seen(text)}").casefold()
    patterns = _word_patterns(tuple(words))
    if not patterns or patterns[0].search(folded) is None:  # one search rules most texts out
        return []
    return [
        word for word, pattern in zip(words, patterns[1:], strict=True) if pattern.search(folded)
    ]


@functools.lru_cache(maxsize=32)
def _word_patterns(words: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """One pattern for any of `words` (as whole words, folded), then one for each."""
    if not words:
        return ()
    escaped = [re.escape(unicodedata.normalize("NFC", word).casefold()) for word in words]
    whole = [re.compile(rf"(?<!\w){word}(?!\w)") for word in escaped]
    return (re.compile(rf"(?<!\w)(?:{'|'.join(escaped)})(?!\w)"), *whole)


NOT_PRINTED = frozenset({"source", "id", "checked", "checked_how", "source_year", "verified"})
"""Fields that are never printed: editors' notes and bookkeeping."""


def printed_strings(value: object, path: Location) -> Iterator[tuple[Location, str]]:
    """Every printed text inside a content object (model, list or override dict), with
    where it stands in the object, in the order written. Walked with a stack rather than
    by recursion: a statewide import holds a million values."""
    stack: list[tuple[Location, object]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, BaseModel):
            fields = _printed_fields(type(item))
            stack += [((*where, name), getattr(item, name)) for name in reversed(fields)]
        elif isinstance(item, dict):
            inner = [(key, inner) for key, inner in item.items() if key not in NOT_PRINTED]
            stack += [((*where, key), inner) for key, inner in reversed(inner)]
        elif isinstance(item, list):
            stack += [((*where, index), inner) for index, inner in reversed(list(enumerate(item)))]


@functools.cache
def _printed_fields(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(name for name in model.model_fields if name not in NOT_PRINTED)


def internal_word_problems(content: Content) -> list[Problem]:
    """Printed texts holding an editors' word (`internal_words` in project.yaml), such as
    "fact-check" or "seed article": notes meant for editors, not for readers."""
    words = content.project.internal_words
    if not words:
        return []
    problems = []
    objects: list[tuple[str, object]] = [("materials", content.text)]
    objects += [(f"resource:{rid}", record) for rid, record in content.resources.items()]
    objects += [(f"law:{lid}", law) for lid, law in content.laws.items()]
    objects += [(f"section:{section.id}", section) for section in content.sections]
    objects += [(f"region:{rid}", region) for rid, region in content.regions.items()]
    for place, obj in objects:
        if place not in content.places or obj is None:
            continue
        file, base = content.places[place]
        for path, text in printed_strings(obj, ()):
            for word in internal_in(text, words):
                problems.append(
                    content.files[file].problem(
                        (*base, *path),
                        f"`{word}` is an editors' word and must not be printed (in `{text[:60]}`)",
                        "reword it for readers; notes for editors belong in `source:`",
                    )
                )
    return problems
