"""Which services serve a region: HSDS `service_areas`, matched against the names an import
is given (`--service-area Danbury`).

A county or state directory lists services for many towns; a region's materials should
list those that serve it. A service whose service areas name none of the places given is
left out, with a note naming the areas it does serve. A service that names no area at all
is kept, and counted in the report: a directory that leaves the area out usually means
"anyone", and leaving out help nobody said was elsewhere is the worse mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from handout.hsds.rows import Row, plain


def area_names(areas: list[Row]) -> list[str]:
    """Each service area as its name (else its description), once."""
    names = [plain(area.get("name") or area.get("description")) for area in areas]
    return list(dict.fromkeys(name for name in names if name))


@dataclass
class AreaChoice:
    """The places the region's services must serve (none: every service is imported), and
    what was left out or kept without an area, for the report."""

    wanted: list[str] = field(default_factory=list)
    left_out: int = 0
    unnamed: int = 0

    def serves(self, areas: list[Row]) -> tuple[bool, str]:
        """Whether a service with these areas is imported, and if not, why (for its note)."""
        if not self.wanted:
            return True, ""
        texts = [f"{plain(area.get('name'))} {plain(area.get('description'))}" for area in areas]
        if not any(text.strip() for text in texts):
            self.unnamed += 1
            return True, ""
        for place in self.wanted:
            pattern = re.compile(rf"(?<!\w){re.escape(place.strip())}(?!\w)", re.IGNORECASE)
            if any(pattern.search(text) for text in texts):
                return True, ""
        self.left_out += 1
        return False, (
            f"serves {'; '.join(area_names(areas))}, not {' or '.join(self.wanted)}; "
            "not imported (--service-area)"
        )

    def report(self) -> list[str]:
        """The report's lines on the choice, when one was asked for."""
        if not self.wanted:
            return []
        places = " or ".join(self.wanted)
        lines = [
            f"Only services that serve {places} were imported (--service-area): "
            f"{self.left_out} serving other areas {'was' if self.left_out == 1 else 'were'} "
            f"left out{' (listed below)' if self.left_out else ''}."
        ]
        if self.unnamed:
            one = self.unnamed == 1
            lines.append(
                f"{self.unnamed} service{'' if one else 's'} {'names' if one else 'name'} no "
                f"area, so {'it was' if one else 'they were'} imported; check that "
                f"{'it serves' if one else 'they serve'} {places}."
            )
        return lines
