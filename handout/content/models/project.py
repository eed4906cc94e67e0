"""The project (`project.yaml`: title, languages, print settings, the words never to
print) and the wording of each material that is not a fact (`materials.yaml`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from handout.content.models.fields import LanguageCode, Prose, Strict, Text, Website


class Block3(Strict):
    title: Prose
    text: Prose


class PocketCardText(Strict):
    front_title: Prose
    front_for: Prose
    back_title: Prose


class FlyerText(Strict):
    headline: Prose
    subhead: Prose
    blocks: list[Block3] = Field(min_length=3, max_length=3)
    numbers_title: Prose
    tab_title: Prose
    tab_label: Prose = Field(
        description="The name printed on every tear-off tab: neutral, because a torn-off tab "
        "is carried and may be found (e.g. 'Free, private help, 24/7')."
    )


class BookletText(Strict):
    title: Prose
    subtitle: Prose
    contents_title: Prose
    directory_title: Prose
    directory_intro: Prose
    sources_title: Prose
    sources_intro: Prose
    back_cover: Prose


class DiscreetCardText(Strict):
    """A card that must not give away what it is: its front names no crime, abuse or police."""

    front_title: Prose
    front_text: Prose
    back_title: Prose


class TextMessageText(Strict):
    """The words of the text message (SMS) around its numbers. Short: the message must fit
    in `text_message_max_segments` SMS segments (two: 134 characters in Arabic or Chinese).
    Neutral: a phone may be read by whoever controls the reader."""

    opening: Prose = Field(description="The first line, neutral (e.g. 'Contacts').")
    line: Prose = Field(description="One number's line: '{label}: {numbers}'.")
    more: Prose = Field(description="Two ways to reach one label joined: '{first}, {second}'.")
    call_or_text: Prose = Field(description="A number that takes calls and texts.")
    text: Prose = Field(description="A number that takes only texts: 'text {number}'.")
    text_keyword: Prose = Field(
        description="A text line with a keyword: 'text {keyword} to {number}'."
    )
    tty: Prose = Field(description="A TTY number (for deaf callers): 'TTY {number}'.")
    unverified: Prose = Field(
        description="After a number that could not be confirmed, in words: "
        "'(not confirmed, call 211 to check)'."
    )


class MaterialText(Strict):
    """The wording of each material that is not a fact. `{region}` is replaced by its name."""

    pocket_card: PocketCardText
    discreet_card: DiscreetCardText
    flyer: FlyerText
    booklet: BookletText
    text_message: TextMessageText
    unverified_note: Prose = Field(description="Printed wherever an unverified fact appears.")
    checked_by_phone: Prose = Field(
        description="The date line when every fact a material shows was confirmed by a call "
        "(`checked_how: call`), e.g. 'Numbers confirmed by phone on {date}.'"
    )
    checked_online: Prose = Field(
        description="The date line otherwise, saying how the facts were checked, e.g. "
        "'Facts checked online and in documents on {date}, not by phone.'"
    )
    legal_caveat: Prose = Field(
        description="Printed with every law the materials explain, e.g. 'This is general "
        "information, not legal advice.'"
    )
    draft_note: Prose = Field(description="Printed on translations not yet reviewed.")


class Language(Strict):
    code: LanguageCode = Field(description="ISO 639 code, e.g. es; also the PO file's name.")
    name: Text = Field(description="The language's own name, e.g. Español.")
    reviewed: bool = Field(
        default=False,
        description="true once a native speaker has reviewed the translation; until then "
        "every material in this language says it is a draft.",
    )
    reviewer: Text | None = Field(default=None, description="Who reviewed it, and when.")


class PrintSettings(Strict):
    """How print copies are laid out (`<material>-print.pdf` beside each reading copy)."""

    card_sheet: Literal["avery-5371", "a4"] = Field(
        default="avery-5371",
        description="avery-5371: 10 cards on US Letter (Avery 5371/8371 perforated stock); "
        "a4: 10 cards centred on A4.",
    )
    offset_pt: tuple[float, float] = Field(
        default=(0.0, 0.0),
        description="Calibration [x, y] in points (1/72 in) if a printer shifts the cards: "
        "positive x moves right, positive y moves up.",
    )
    crop_marks: bool = Field(
        default=False, description="true to print cut marks, for plain (not perforated) stock."
    )
    booklet_max_pages: int | None = Field(
        default=None,
        ge=8,
        description="The most pages a booklet in the source language may have (a multiple "
        "of 4 is printed); the build fails on a longer one. Empty: no limit.",
    )
    booklet_translation_extra_pages: int = Field(
        default=4,
        ge=0,
        description="How many pages longer than the source language's booklet of the same "
        "region a translated booklet may run.",
    )


class PhonePageSettings(Strict):
    """The phone edition (`output/<region>/<lang>/index.html`)."""

    quick_exit: Website = Field(
        default="https://weather.com/",
        description="The neutral website the page's Quick exit button (and the Escape key) "
        "replaces it with, e.g. a weather or news site. It replaces the page's history "
        "entry too, so Back does not come back.",
    )


class Project(Strict):
    title: Text
    source_language: LanguageCode = Field(
        default="en", description="The language the content files are written in."
    )
    languages: list[Language] = Field(min_length=1)
    print: PrintSettings = Field(default_factory=PrintSettings)
    phone_page: PhonePageSettings = Field(
        default_factory=PhonePageSettings, description="The phone edition's settings."
    )
    text_message_max_segments: int = Field(
        default=2,
        ge=1,
        le=10,
        description="The most SMS segments a region's text message may take (160 Latin "
        "characters or 70 in other scripts make one; more are joined 153 or 67 a segment); "
        "the build fails on a longer message.",
    )
    checked_max_age_months: int = Field(
        default=12, ge=1, description="Facts checked longer ago than this are warnings."
    )
    forbidden_on_discreet_front: dict[LanguageCode, list[Text]] = Field(
        default_factory=dict,
        description="Words the discreet card's front and the flyer's tear-off tabs must never "
        "show, per language.",
    )
    internal_words: list[Text] = Field(
        default_factory=list,
        description="Editors' words that must never be printed (e.g. 'fact-check', 'seed "
        "article'): the build refuses any printed text or translation that holds one.",
    )
    proper_names: list[Text] = Field(
        default_factory=list,
        description="Names printed as written in every language (places, programs, "
        "organisations: 'Connecticut', 'Clean Slate'). They are never hyphenated, are read "
        "out in the source language, and may stay untranslated in a translation; any other "
        "text left in the source language fails a translated booklet.",
    )

    @property
    def codes(self) -> list[str]:
        return [language.code for language in self.languages]

    def language(self, code: str) -> Language:
        return next(language for language in self.languages if language.code == code)
