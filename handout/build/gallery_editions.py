"""The gallery's view of the editions that are not PDFs (`handout.build.editions`): each
region and language's phone page, shown in a frame at a phone's width, and its text
message, shown as it will be pasted, with its encoding and length in SMS segments.

They are found in the output folder itself (`<region>/<lang>/index.html`, ...), so a
gallery rewritten after a merge of shards shows those that were built."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from handout.layout.materials import EDITIONS

EDITION_NAMES = {"phone": "Phone page", "text-message": "Text message"}


@dataclass(frozen=True)
class EditionCard:
    region: str
    lang: str
    edition: str
    path: str
    """Relative to the output folder."""
    text: str | None = None
    """A text message's words (None for a page)."""
    facts: str = ""

    @property
    def id(self) -> str:
        return f"{self.region}-{self.lang}-{self.edition}"

    @property
    def name(self) -> str:
        return EDITION_NAMES.get(self.edition, self.edition)


def edition_cards(out_dir: Path) -> list[EditionCard]:
    """Every edition the output folder holds, in region, language and edition order."""
    found = []
    for edition, file_name in EDITIONS.items():
        for path in sorted(out_dir.glob(f"*/*/{file_name}")):
            region, lang = path.parent.parent.name, path.parent.name
            relative = path.relative_to(out_dir).as_posix()
            found.append(_card(path, region, lang, edition, relative))
    return sorted(found, key=lambda card: list(EDITIONS).index(card.edition))


def _card(path: Path, region: str, lang: str, edition: str, relative: str) -> EditionCard:
    data = path.read_bytes()
    if edition == "text-message":
        from handout.layout.sms import measure

        text = data.decode("utf-8", errors="replace")
        size = measure(text)
        unit = "characters" if size.encoding == "GSM-7" else "UCS-2 code units"
        segments = f"{size.segments} SMS segment{'s' if size.segments != 1 else ''}"
        facts = f"{size.encoding}, {size.length} {unit}: {segments}"
        return EditionCard(region, lang, edition, relative, text, facts)
    return EditionCard(region, lang, edition, relative, facts=f"{len(data) / 1000:.0f} KB")


def editions_digest(out_dir: Path) -> str:
    """What the editions the gallery shows are made of (their names and bytes)."""
    digest = hashlib.sha256()
    for file_name in EDITIONS.values():
        for path in sorted(out_dir.glob(f"*/*/{file_name}")):
            digest.update(path.relative_to(out_dir).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
