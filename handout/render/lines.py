"""Lines broken too early: a line of one word in the middle of a paragraph, while the next
word would have fitted beside it ("You are the victim of a crime. You / can / get help").
A reader sees a hole; the cause is markup that keeps words together in the wrong place (a
no-break space, `white-space: nowrap`, an inline element WeasyPrint cannot break before).
Read off the laid-out boxes, so it finds the class of mistake, whatever the text."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from weasyprint.formatting_structure.boxes import Box, LineBox, MarginBox, TextBox

from handout.content.words import UNSPACED
from handout.render.measure import walk_boxes

BREAKABLE_SPACE = re.compile(r"[ \t\n\r]+")
"""Where a line may break: ordinary spaces (a no-break space joins two words into one)."""
NOWRAP = ("nowrap", "pre")


def early_breaks(page_box: Box) -> list[str]:
    """Each line of the main flow that holds one word though the first word of the next
    line of the same paragraph would have fitted after it, as "word (in 'paragraph…')"."""
    found = []
    for block in _line_parents(page_box):
        lines = [child for child in block.children if isinstance(child, LineBox)]
        for line, following in itertools.pairwise(lines):
            word = _words(line)
            if (
                len(word) == 1
                and not UNSPACED.search(word[0])  # Chinese: a line of words, not one
                and not _forced(line)
                and _would_fit(block, line, following)
            ):
                paragraph = " ".join(" ".join(_words(each)) for each in lines)
                found.append(f"{word[0]!r} (in {paragraph[:70]!r})")
    return found


def _line_parents(page_box: Box) -> Iterator[Box]:
    for child in page_box.children:
        if isinstance(child, MarginBox):
            continue
        for box in walk_boxes(child, skip_transformed=True):
            if any(isinstance(each, LineBox) for each in getattr(box, "children", ())):
                yield box


def _forced(line: Box) -> bool:
    """Whether the line ends where the text says so (a `<br>`), not where it was full."""
    return any(
        getattr(getattr(box, "element", None), "tag", None) == "br" for box in walk_boxes(line)
    )


def _texts(line: Box) -> list[TextBox]:
    return [box for box in walk_boxes(line) if isinstance(box, TextBox) and box.text.strip()]


def _words(line: Box) -> list[str]:
    text = "".join(box.text for box in _texts(line))
    return [word for word in BREAKABLE_SPACE.split(text) if word]


def _would_fit(block: Box, line: Box, following: Box) -> bool:
    """Whether the first unbreakable piece of `following` fits after the text of `line`,
    with a space and an em to spare (widths of a word are estimated from its text box)."""
    texts, next_texts = _texts(line), _texts(following)
    if not texts or not next_texts:
        return False
    right = block.content_box_x() + block.width
    end = max(box.position_x + box.width for box in texts)
    em = next_texts[0].style["font_size"]
    return end + 0.3 * em + _first_piece_width(next_texts) + em <= right


def _first_piece_width(texts: list[TextBox]) -> float:
    """Width of what the line starts with that cannot be broken: a run of nowrap text, or
    its first word (estimated by its share of its text box's letters)."""
    first = texts[0]
    if first.style["white_space"] in NOWRAP:
        width = 0.0
        for box in texts:
            if box.style["white_space"] not in NOWRAP:
                break
            width += box.width
        return width
    text = first.text.lstrip()
    word = BREAKABLE_SPACE.split(text, maxsplit=1)[0]
    return first.width * len(word) / max(len(text), 1)
