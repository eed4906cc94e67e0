"""Text colour against background colour, WCAG AA (at least 4.5:1), from the templates' CSS.

Every text colour a stylesheet sets is checked against the page (white) and against every
background colour set in the same stylesheets: stricter than needed (not every pair meets on
a page), but simple, and it never misses a pair that does.
"""

from __future__ import annotations

import re
from pathlib import Path

from handout.content.errors import ContentErrors, Problem, display_path

MINIMUM = 4.5
HEX = r"#(?:[0-9a-fA-F]{3}){1,2}\b"
TEXT_COLOUR = re.compile(rf"(?<![-\w])color\s*:\s*({HEX})")
BACKGROUND = re.compile(rf"background(?:-color)?\s*:\s*({HEX})(?![^\n]*(?:decorative|/\*\s*on\s))")
"""A background on a line marked `/* decorative */` holds no text and is not checked; one on
a line marked `/* on #xxxxxx */` is a colour band, checked only against the text set on it."""
ON_BAND = re.compile(rf"/\*\s*on\s+({HEX})\s*\*/")
"""`/* on #0a3d6b */` after a rule: its text colours are printed on that band colour only
(white on a dark band), so they are checked against it, not against the page."""
PAGE = "#ffffff"


def _rgb(colour: str) -> tuple[float, float, float]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(colour: str) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def contrast_problems(templates: Path) -> list[Problem]:
    """Text colours in the templates' stylesheets that fail 4.5:1 on a background they use."""
    problems = []
    for sheet in sorted(templates.glob("*.css")):
        css = sheet.read_text(encoding="utf-8")
        shared = (templates / "base.css").read_text(encoding="utf-8")
        backgrounds = {PAGE, *BACKGROUND.findall(css), *BACKGROUND.findall(shared)}
        for number, line in enumerate(css.splitlines(), start=1):
            band = ON_BAND.search(line)
            for colour in TEXT_COLOUR.findall(line):
                for background in [band.group(1)] if band else sorted(backgrounds):
                    value = ratio(colour, background)
                    if value < MINIMUM:
                        problems.append(
                            Problem(
                                display_path(sheet),
                                f"text colour {colour} on background {background} has "
                                f"contrast {value:.2f}:1, below {MINIMUM}:1 (WCAG AA)",
                                "use a darker text colour (or a lighter background)",
                                number,
                            )
                        )
    return problems


def check_templates(templates: Path) -> None:
    """The templates' colours must be readable (WCAG AA contrast)."""
    problems = contrast_problems(templates)
    if problems:
        raise ContentErrors(problems, "the templates")
