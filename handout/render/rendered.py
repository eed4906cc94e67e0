"""What rendering a material gives: its PDF and what the checks read off its laid-out
pages. Kept apart from `render` (which imports WeasyPrint) so that `check` can name these
types without importing the renderer, and `render` can use the checks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageMeasure:
    """What the print checks read off one laid-out page (made by `render.measure_page`)."""

    smallest_pt: float | None = None
    smallest_text: str = ""
    primary_pt: float | None = None
    """Size of the primary number (an element marked `data-role="primary"`), if any."""
    auto_hyphens: list[str] = field(default_factory=list)
    """Words broken by automatic hyphenation, as broken ("Збере-")."""
    hyphen_runs: list[str] = field(default_factory=list)
    """Second and later hyphenated lines in a row within one paragraph."""
    hyphenated_words: list[str] = field(default_factory=list)
    """The words automatic hyphenation broke, whole, as typed ("cleanslate-clearinghouse.org")."""
    numbers: list[tuple[float, bool, bool]] = field(default_factory=list)
    """Each number's text as (size in pt, is the primary number, is unconfirmed)."""
    nearest_edge_pt: float | None = None
    """How close the nearest mark (text or a rule; not background colour) comes to the trim."""
    nearest_edge_text: str = ""
    turned_overflow: list[str] = field(default_factory=list)
    """Texts that run past the turned box they are set in (a tab's text into its tear line)."""
    faint_rules: list[str] = field(default_factory=list)
    """Rules (borders) too thin or too pale to photocopy: element, side, width, colour."""
    kinsoku_lines: list[str] = field(default_factory=list)
    """Lines of the main flow that start with a closing mark ("。", "）") or end with an
    opening one ("「"): CJK typesetting never breaks there (`render.script_checks`)."""
    early_breaks: list[str] = field(default_factory=list)
    """Lines of one word in mid-paragraph though the next word fitted (`render.lines`)."""
    spacings: dict[tuple[float, float], str] = field(default_factory=dict)
    """Each (type size in pt, line spacing as a multiple of it) set on the page, with the
    first text set so: large print sets running text 1.5 times its size apart."""
    alignments: dict[str, str] = field(default_factory=dict)
    """Each alignment other than `start` a text is set in ("center", "justify", "end",
    or "left"/"right" against the line's direction), with the first text set so."""
    filled: float = 0.0
    """Share of the page's content height the main text reaches down to."""
    lines: int = 0
    """Lines of text in the main flow."""
    content_height_pt: float = 0.0
    free: bool = False
    """The page may stay partly empty (cover, contents, fill-in pages: `data-fill="free"`)."""


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    page_sizes: list[tuple[float, float]]
    part_pages: dict[str, int]
    """Page number (from 1) on which each `id="part-..."` element of the template starts."""
    page_texts: list[str]
    """The text laid out in each page's main area, as printed."""
    margin_text: str = ""
    """The text laid out in the page margins (page numbers, running elements)."""
    fit: dict[str, float] = field(default_factory=dict)
    """Type scale each auto-fitted part ended at (1 = as designed)."""
    overflowing: list[str] = field(default_factory=list)
    """Texts laid out past the right edge of their page's content area."""
    overlapping: list[tuple[str, str]] = field(default_factory=list)
    """Pairs of texts laid out on top of each other."""
    measures: list[PageMeasure] = field(default_factory=list)
    """What each page's print checks need: type sizes, hyphens, rules, how full it is."""
    page_words: list[str] = field(default_factory=list)
    """Each page's text (margins included) for reading word by word: one laid-out line per
    line, then each text box on its own line (so neither two texts set side by side nor a
    word set in two styles hides a word)."""
    discreet_texts: list[str] = field(default_factory=list)
    """The same, for each template element marked `data-discreet` (the flyer's tear-off
    tabs): parts a reader carries away, which must not give them away."""

    @property
    def pages(self) -> int:
        return len(self.page_sizes)
