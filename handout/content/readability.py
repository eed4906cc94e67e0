"""Reading level of the English texts (Flesch-Kincaid grade), to keep them plain.

Computed here, not with a library: the usual one (textstat) now downloads a dictionary
from the network at run time, and the build must stay offline. Syllables are counted as
groups of vowels with a silent final "e", the common approximation; good enough to flag a
text that is clearly too hard.
"""

from __future__ import annotations

import re

from handout.content.errors import Problem
from handout.content.i18n import content_objects, texts
from handout.content.read import Content

WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
VOWEL_GROUP = re.compile(r"[aeiouy]+")
MIN_WORDS = 8
"""Shorter texts (labels, titles) give meaningless grades and are not scored."""


def syllables(word: str) -> int:
    word = word.lower()
    count = len(VOWEL_GROUP.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def grade(text: str) -> float | None:
    """Flesch-Kincaid grade level, or None for texts too short to score."""
    words = WORD.findall(text)
    if len(words) < MIN_WORDS or not SENTENCE_END.search(text):
        return None  # a label or a name, not a sentence
    sentences = max(len(SENTENCE_END.findall(text)), 1)
    total = sum(syllables(word) for word in words)
    return 0.39 * len(words) / sentences + 11.8 * total / len(words) - 15.59


PLAIN_GRADE = 8
"""Card and flyer texts above this grade are warnings."""


def grade_warnings(content: Content) -> list[Problem]:
    """Card and flyer texts (materials.yaml) that read above grade 8."""
    source = content.files["materials.yaml"]
    problems = []
    for part in ("pocket_card", "discreet_card", "flyer"):
        for path, text in texts(getattr(content.text, part)):
            level = grade(text)
            if level is not None and level > PLAIN_GRADE:
                problems.append(
                    source.problem(
                        (part, *path),
                        f"reads at grade {level:.1f}, above {PLAIN_GRADE} for a card or flyer",
                        "use shorter sentences and shorter, common words",
                    )
                )
    return problems


def all_grades(content: Content) -> list[tuple[float, str, str]]:
    """(grade, where, text) of every English sentence text, hardest first."""
    found = []
    for place, obj in content_objects(content):
        for _path, text in texts(obj):
            level = grade(text)
            if level is not None:
                found.append((level, place, text))
    return sorted(found, reverse=True)
