"""The editions that are not PDFs, one per region and language: the phone page
(`index.html`, `handout.layout.phone_page`) and the text message (`text-message.txt`,
`handout.layout.sms`).

They are made from the same composed facts as the PDFs, in milliseconds, so a build makes
every one it was asked for and checks them all before anything renders: a text message
over its length or a page over its weight stops the build with nothing written. They are
published after the PDFs, each written only if its bytes changed, atomically like them,
and recorded in the output folder's state (so a deleted or edited one is noticed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from handout.build.plan import Translations
from handout.build.publish import differs, publish, stage
from handout.build.state import FileRecord, record_of
from handout.content.errors import BuildError, ContentErrors, counted, display_path
from handout.content.read import Content
from handout.content.words import giveaway_words
from handout.layout import phone_page, sms
from handout.layout.materials import EDITIONS

PHONE = "phone"
TEXT_MESSAGE = "text-message"


@dataclass(frozen=True)
class EditionFile:
    region: str
    language: str
    edition: str
    data: bytes

    @property
    def relative(self) -> str:
        return f"{self.region}/{self.language}/{EDITIONS[self.edition]}"

    def __str__(self) -> str:
        return f"{self.region}/{self.language}/{self.edition}"

    @property
    def summary(self) -> str:
        """Its size as a reader pays for it: kilobytes, or SMS segments."""
        if self.edition == TEXT_MESSAGE:
            size = sms.measure(self.data.decode("utf-8"))
            return (
                f"{size.encoding}, {size.segments} SMS segment{'s' if size.segments != 1 else ''}"
            )
        return f"{len(self.data) / 1000:.0f} KB"


def make_editions(
    content: Content,
    templates: Path,
    translations: Translations,
    wanted: Sequence[tuple[str, str, str]],
) -> list[EditionFile]:
    """Each (region, language, edition) `wanted`, checked: raises BuildError naming every
    one that breaks its limit."""
    from handout.layout.html import Templates

    pages = Templates(templates)
    made, problems, content_problems = [], [], []
    for region, language, edition in wanted:
        translator = translations.translator(language)
        if edition == PHONE:
            page = phone_page.phone_page(content, region, translator, pages)
            made.append(EditionFile(region, language, PHONE, page.data))
            forbidden = content.project.forbidden_on_discreet_front.get(language, [])
            found = giveaway_words(page.neutral_title, forbidden)
            if found:
                problems.append(
                    f"{region}/{language}/{EDITIONS[PHONE]}: its title `{page.neutral_title}` "
                    f"(the discreet card's `back_title`, which a phone shows in its tabs, "
                    f"history and shared links) says {', '.join(found)}; translate it neutrally"
                )
            if len(page.data) > phone_page.MAX_BYTES:
                problems.append(
                    f"{region}/{language}/{EDITIONS[PHONE]} weighs "
                    f"{len(page.data) / 1000:.0f} KB, over the phone page's "
                    f"{phone_page.MAX_BYTES // 1000} KB: it must open at once on a slow "
                    "connection; the region shows too many records (its `include:`) or too "
                    "long texts"
                )
        if edition == TEXT_MESSAGE:
            message = sms.compose_message(content, region, translator)
            # As pasted: no line end after the last line (it would be sent, and counted).
            made.append(EditionFile(region, language, TEXT_MESSAGE, message.text.encode()))
            content_problems += sms.message_problems(content, message)
    if content_problems:
        raise ContentErrors(content_problems)
    if problems:
        raise BuildError(
            f"{counted(len(problems), 'edition')} over its limit; nothing was written:\n  "
            + "\n  ".join(problems)
        )
    return made


def publish_editions(
    out_dir: Path, made: Sequence[EditionFile], report: Callable[[str], None]
) -> dict[str, FileRecord]:
    """Write the editions whose bytes changed, all at once; returns every edition's record
    for the folder's state."""
    changed = [item for item in made if differs(out_dir / item.relative, item.data)]
    if changed:
        publish(stage([(out_dir / item.relative, item.data) for item in changed]))
        for item in changed:
            report(f"  {display_path(out_dir / item.relative)}  ({item.summary})")
    return {item.relative: record_of(out_dir / item.relative, item.data) for item in made}
