"""Checks on a rendered material before it is written: page count and paper size.

A fixed-size card or flyer whose text runs long spills onto an extra page, so an exact
page count is also the first guard against text that does not fit.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from handout.content.characters import as_seen
from handout.content.words import HIDDEN_MARKS, UNSPACED
from handout.layout.materials import Material
from handout.layout.typography import PROTECTED
from handout.render.rendered import PageMeasure, Rendered

SIZE_TOLERANCE_PT = 0.5
ADDRESS = re.compile(rf"{PROTECTED.pattern}|\(?\d{{3}}\)?[ -]?\d{{3}}-\d{{4}}", PROTECTED.flags)
"""A web or e-mail address, or a phone number: never to be broken by a hyphen."""


def page_problems(material: Material, rendered: Rendered) -> list[str]:
    """What is wrong with the pages of `rendered`, in plain words (empty when all is well)."""
    problems = []
    if material.pages is not None and rendered.pages != material.pages:
        part = overflowing_part(rendered.part_pages, material.pages)
        where = f"the {part} part does not fit its page" if part else "some text does not fit"
        problems.append(
            f"has {rendered.pages} pages instead of {material.pages}: {where}; "
            "shorten its text or pick fewer entries"
        )
    if rendered.overflowing:
        problems.append(
            "text runs past the edge of the page: "
            + "; ".join(repr(text[:40]) for text in rendered.overflowing[:5])
            + "; shorten it or allow it to wrap"
        )
    if rendered.overlapping:
        problems.append(
            "texts are printed on top of each other: "
            + "; ".join(
                f"{first[:30]!r} and {second[:30]!r}" for first, second in rendered.overlapping[:3]
            )
            + "; check the template's stylesheet (an uncleared float, a negative margin, "
            "a fixed height too small for its text)"
        )
    multiple = material.pages_multiple_of
    if multiple and rendered.pages % multiple:
        problems.append(f"has {rendered.pages} pages, not a multiple of {multiple}")
    width, height = material.size_pt
    for number, (page_width, page_height) in enumerate(rendered.page_sizes, start=1):
        if (
            abs(page_width - width) > SIZE_TOLERANCE_PT
            or abs(page_height - height) > SIZE_TOLERANCE_PT
        ):
            problems.append(
                f"page {number} is {page_width / 72:.2f} × {page_height / 72:.2f} in, "
                f"not {material.width_in} × {material.height_in} in "
                "(check the template's @page size)"
            )
            break
    return problems


def overflowing_part(part_pages: dict[str, int], allowed_pages: int) -> str | None:
    """The part (template element `id="part-NAME"`) running past the last allowed page:
    the last part that starts on an allowed page."""
    inside = [name for name, page in part_pages.items() if page <= allowed_pages]
    return inside[-1] if inside else None


def forbidden_words_on_front(rendered: Rendered, forbidden: list[str]) -> list[str]:
    """Words on page 1 (the discreet card's front) that start with a forbidden stem."""
    return forbidden_words(rendered.page_words[0], forbidden)


def forbidden_words_on_tabs(rendered: Rendered, forbidden: list[str]) -> list[str]:
    """Words on the parts a reader carries away (template elements marked `data-discreet`,
    the flyer's tear-off tabs) that start with a forbidden stem."""
    return forbidden_words("\n".join(rendered.discreet_texts), forbidden)


def forbidden_words(printed: str, forbidden: list[str]) -> list[str]:
    """The words of `printed` (laid-out text, one line of the page per line) that start
    with one of the `forbidden` stems, as a reader would read them.

    A reader sees words, not code points, so both sides are folded the same way first:
    Unicode compatibility forms (NFKC: full-width and mathematical letters), characters
    that print nothing (soft hyphens, zero-width spaces) and letters that look like Latin
    ones (Cyrillic о, Greek ρ, a capital I for an l) are all folded away, and accents are
    ignored when comparing. A word hyphenated or broken at the end of a line is read
    whole as well as in its two halves, and so is a word with an apostrophe or quotation
    mark inside ("po’lice"); quotation marks around a word never hide it. Each line is also
    read in the order it is shown (`as_seen`): a right-to-left override makes the letters
    "ecilop" show as "police".
    """
    stems = [_bare(reading) for stem in forbidden for reading in _readings(stem) if reading]
    seen = as_seen(printed)
    texts = (printed, LINE_END_BREAK.sub("", printed), seen, LINE_END_BREAK.sub("", seen))
    readings = {joined for text in texts for reading in _readings(text)
                for joined in (reading, QUOTE_IN_WORD.sub("", reading))}  # fmt: skip
    words = {word for reading in readings for word in WORD.findall(reading)}
    found = {word for word in words if any(_bare(word).startswith(s) for s in stems)}
    return sorted(found | _phrases_found(readings, stems))


def _phrases_found(readings: set[str], stems: list[str]) -> set[str]:
    """The forbidden entries that are not one word: a phrase ("mại dâm", found even across
    a line end), and a word of a script written without spaces (Chinese "人口贩卖",
    found anywhere in a run of characters, even split over two lines)."""
    found: set[str] = set()
    for stem in stems:
        if UNSPACED.match(stem):
            for reading in readings:
                found.update(re.findall(re.escape(stem), "".join(_bare(reading).split())))
        elif " " in stem.strip():
            pattern = r"(?<!\w)" + re.escape(" ".join(stem.split())) + r"\w*"
            for reading in readings:
                found.update(re.findall(pattern, " ".join(_bare(reading).split())))
    return found


WORD = re.compile(r"\w+")
QUOTE_IN_WORD = re.compile(
    r"(?<=\w)['\"`´\u02b9-\u02bc\u02bf\u2018-\u201f\u2032-\u2037\u2039\u203a«»]+(?=\w)"
)
"""Apostrophes, primes and quotation marks between two letters (read after NFKC, which
makes full-width ones plain): "po’lice" reads as "police" as well as "po" and "lice"."""
LINE_END_BREAK = re.compile("[-\u00ad\u2010\u2011\u200b-\u200d\u2060\ufeff]+\n")
"""A line ending in a hyphen (or in a soft hyphen or zero-width break, where a word was
split without one): the word may go on at the start of the next line."""

DEFAULT_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
"""Unicode's Default_Ignorable_Code_Point characters (DerivedCoreProperties.txt): they
print nothing, so a word with one inside reads as the word without it."""


def _readings(text: str) -> set[str]:
    """The ways `text` can be read: NFKC, without characters that print nothing, each
    letter that looks like a Latin one replaced by it, case folded. Look-alikes depend on
    case (a capital I looks like a small l, not like an i), so letters are compared both
    as printed and in lower case."""
    text = HIDDEN_MARKS.sub("", DEFAULT_IGNORABLE.sub("", unicodedata.normalize("NFKC", text)))
    return {_latin(text).casefold(), _latin(text.casefold()).casefold()}


def _latin(text: str) -> str:
    return "".join(_look_alike(character) for character in text)


def _bare(word: str) -> str:
    """`word` without accents, so `pólice` reads as `police` and `policía` as `policia`."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def _look_alike(character: str) -> str:
    """The Latin letter (or digit) `character` looks like, or `character` itself.

    Uses Unicode's confusables (TR39) data as kept by the confusable-homoglyphs package:
    characters confusable with each other form one group, read as its Latin letter
    (`1`, `I`, `l` and `|` all read as `l`; `0` and `O` as `O`)."""
    return _latin_look_alikes().get(character, character)


@functools.cache
def _latin_look_alikes() -> dict[str, str]:
    """Each character that looks like a Latin letter or digit -> that letter (built once)."""
    from confusable_homoglyphs.confusables import confusables_data

    parent: dict[str, str] = {}
    seen: set[str] = set()

    def root(character: str) -> str:
        while parent.get(character, character) != character:
            character = parent[character]
        return character

    for character, homoglyphs in confusables_data.items():
        for homoglyph in homoglyphs:
            if len(character) == 1 and len(homoglyph["c"]) == 1:
                seen |= {character, homoglyph["c"]}
                parent[root(character)] = root(homoglyph["c"])
    groups: dict[str, list[str]] = {}
    for character in seen:
        groups.setdefault(root(character), []).append(character)
    latin: dict[str, str] = {}
    for members in groups.values():
        ascii_letters = sorted(m for m in members if m.isascii() and m.isalnum())
        lower = [m for m in ascii_letters if m.islower()]
        chosen = (lower or [m for m in ascii_letters if m.isalpha()] or ascii_letters or [None])[0]
        if chosen is not None:
            latin.update({member: chosen for member in members if member != chosen})
    return latin


LETTERS = re.compile(r"[\W_]+")


def _letters(text: str) -> str:
    """Only letters and digits: hyphenation, line breaks, spacing and quotation marks (a
    straight quote in the content prints typographic) do not count."""
    return LETTERS.sub("", text).casefold()


def missing_texts(rendered: Rendered, texts: list[str]) -> list[str]:
    """Texts that should be printed but are not in the laid-out pages: WeasyPrint drops
    what runs past a fixed-size page without a word, so this is checked for every PDF."""
    printed = _letters("".join(rendered.page_texts) + rendered.margin_text)
    return [text for text in texts if _letters(text) not in printed]


MIN_TAIL_LINES = 3
"""A page (other than a free one) with fewer lines than this holds only a block's tail."""


def print_problems(material: Material, rendered: Rendered) -> list[str]:
    """What a print designer would reject on the laid-out pages: type below the material's
    smallest size, a primary number too small or missing, automatic hyphens where words
    must not break, rules a photocopier loses, and (booklets) near-empty pages. Each names
    the page and its part, and a fix."""
    problems: list[str] = []
    text_pages = [n for n, m in enumerate(rendered.measures, start=1) if not m.free]
    last_text_page = text_pages[-1] if text_pages else 0
    for number, measure in enumerate(rendered.measures, start=1):
        where = f"page {number}{_part_name(rendered.part_pages, number)}"
        found = page_print_problems(material, measure, number, last=number == last_text_page)
        problems += [f"{where}: {problem}" for problem in found]
    return problems


def page_print_problems(
    material: Material, measure: PageMeasure, number: int, last: bool = False
) -> list[str]:
    """The print problems of one page (see `print_problems`). The `last` page of the text
    may end anywhere, so only its tail is checked, not how full it is."""
    problems = []
    css = f"templates/{material.id}.css"
    if measure.smallest_pt is not None and measure.smallest_pt < material.min_type_pt - 0.05:
        problems.append(
            f"type at {measure.smallest_pt:.1f} pt ({measure.smallest_text[:30]!r}) is below "
            f"the {material.min_type_pt:g} pt this material allows; set it to at least "
            f"{material.min_type_pt:g} pt in {css}"
        )
    if number in material.primary_pages:
        if measure.primary_pt is None:
            problems.append(
                "has no primary number; mark the line of the number that leads this face "
                'with data-role="primary" in the template (or give the face an entry with a '
                "number)"
            )
        elif measure.primary_pt < material.primary_min_pt - 0.05:
            problems.append(
                f"the primary number is {measure.primary_pt:.1f} pt, below its "
                f"{material.primary_min_pt:g} pt minimum; shorten the other texts of this "
                f"face or raise its size in {css}"
            )
    if not material.hyphenation and measure.auto_hyphens:
        problems.append(
            "words are broken by automatic hyphenation ("
            + ", ".join(repr(word) for word in measure.auto_hyphens[:3])
            + f"); set `hyphens: manual` for that text in {css}"
        )
    if material.hyphenation:
        short = [word for word in measure.auto_hyphens if len(_letters(word)) < 4]
        if short:
            problems.append(
                "a hyphenated word keeps fewer than 4 letters on a line ("
                + ", ".join(repr(word) for word in short[:3])
                + f"); raise `hyphenate-limit-chars` in {css}"
            )
        if measure.hyphen_runs:
            problems.append(
                "two hyphenated lines in a row ("
                + ", ".join(repr(word) for word in measure.hyphen_runs[:3])
                + f"); allow fewer breaks (`hyphenate-limit-chars`) in {css}"
            )
    problems += _safe_zone_problems(material, measure, css)
    problems += _clear_print_problems(material, measure, css)
    if measure.turned_overflow:
        problems.append(
            "text runs past its turned box, into the clear space a tear-off tab keeps at its "
            "torn end: "
            + "; ".join(repr(text[:30]) for text in measure.turned_overflow[:3])
            + f"; shorten it (or its translation), or let it wrap, in {css}"
        )
    problems += _number_problems(material, measure, css)
    addresses = [word for word in measure.hyphenated_words if ADDRESS.search(word)]
    if addresses:
        problems.append(
            "an address is broken by automatic hyphenation ("
            + ", ".join(repr(word) for word in addresses[:3])
            + "): a reader would type the hyphen and reach nothing; print it in a link or "
            f"with `hyphens: manual` in {css}"
        )
    if measure.early_breaks:
        problems.append(
            "a line holds one word though the next word fits beside it: "
            + "; ".join(measure.early_breaks[:3])
            + "; something keeps words together there (a no-break space, `white-space: "
            f"nowrap`, a link that starts with a quote): change it in {css} or the template"
        )
    if measure.faint_rules:
        problems.append(
            "rules a photocopy would lose (at least 0.75 pt and 3:1 against white): "
            + "; ".join(measure.faint_rules[:3])
            + f"; make them thicker or darker (e.g. 0.75pt solid #555) in {css}"
        )
    if material.min_fill and not measure.free:
        if measure.lines < MIN_TAIL_LINES:
            problems.append(
                f"holds only {measure.lines} line(s) of text, the tail of a block; keep the "
                f"block together (`break-inside: avoid`, orphans and widows) in {css}"
            )
        elif measure.filled < material.min_fill and not last:
            problems.append(
                f"is only {measure.filled:.0%} filled (at least {material.min_fill:.0%}); let "
                f"the next chapter start on this page (no forced break) in {css}"
            )
    return problems


def _part_name(part_pages: dict[str, int], number: int) -> str:
    """` (front)`: the part (template `id="part-NAME"`) this page belongs to, if any."""
    started = [name for name, page in part_pages.items() if page <= number]
    return f" ({started[-1]})" if started else ""


def _safe_zone_problems(material: Material, measure: PageMeasure, css: str) -> list[str]:
    """Every mark at least `safe_zone_in` inside the trim: a cut a little off the line
    (print shops allow 1/8 in) must take nothing a reader needs."""
    nearest = measure.nearest_edge_pt
    limit = material.safe_zone_in * 72
    if not limit or nearest is None or nearest >= limit - 0.05:
        return []
    return [
        f"{measure.nearest_edge_text[:30]!r} comes {nearest / 72:.3f} in from the trim, "
        f"inside the {material.safe_zone_in:g} in every mark must keep clear; widen the page "
        f"margin in {css}"
    ]


def _number_problems(material: Material, measure: PageMeasure, css: str) -> list[str]:
    """One hierarchy: on a card, every number but the primary one has the same size; and on
    any face, an unconfirmed number is never the largest one."""
    problems = []
    others = {size for size, primary, _unverified in measure.numbers if not primary}
    if material.one_number_size and len(others) > 1:
        sizes = ", ".join(f"{size:g} pt" for size in sorted(others))
        problems.append(
            f"its numbers other than the primary one have several sizes ({sizes}); give "
            f"them one size in {css}"
        )
    unconfirmed = [size for size, _primary, unverified in measure.numbers if unverified]
    confirmed = [size for size, _primary, unverified in measure.numbers if not unverified]
    if unconfirmed and (not confirmed or max(unconfirmed) > max(confirmed) + 0.05):
        problems.append(
            f"an unconfirmed number is the largest on this page ({max(unconfirmed):g} pt); "
            f"print it no larger than the confirmed ones (see {css})"
        )
    return problems


def _clear_print_problems(material: Material, measure: PageMeasure, css: str) -> list[str]:
    """Large print's clear-print rules: running text (below `display_pt`) set at least
    `min_line_spacing` times its size apart, and nothing justified or centred."""
    problems = []
    if material.min_line_spacing:
        tight = sorted(
            (spacing, size, text)
            for (size, spacing), text in measure.spacings.items()
            if size < material.display_pt and spacing < material.min_line_spacing - 0.005
        )
        if tight:
            spacing, size, text = tight[0]
            problems.append(
                f"text at {size:g} pt ({text[:30]!r}) is set {spacing:g} times its size "
                f"apart, less than the {material.min_line_spacing:g} this material needs; "
                f"set `line-height: {material.min_line_spacing:g}` for it in {css}"
            )
    if material.flush_start:
        off = list(measure.alignments.items())
        if off:
            problems.append(
                "text is not flush with its starting edge: "
                + "; ".join(f"{align} ({text[:30]!r})" for align, text in off[:3])
                + f"; large print sets every line flush (`text-align: start`) in {css}"
            )
    return problems
