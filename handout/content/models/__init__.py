"""The content model: what a content folder may say, as typed pydantic models.

One place defines every field, so validation, error messages, the editor's forms and the
JSON Schema for editors all come from here. `fields` holds the kinds of value and what every
fact carries; `records` the organisations and laws; `sections` the booklet's chapters;
`regions` what each region prints where; `project` the project and the materials' wording.
"""

from handout.content.models.fields import (
    TRANSLATE,
    CheckedHow,
    Citation,
    Email,
    Fact,
    Id,
    LanguageCode,
    Prose,
    Strict,
    Text,
    Translate,
    Website,
    future_date_problem,
    website_url,
)
from handout.content.models.project import (
    Block3,
    BookletText,
    DiscreetCardText,
    FlyerText,
    Language,
    MaterialText,
    PocketCardText,
    PrintSettings,
    Project,
)
from handout.content.models.records import (
    Law,
    LawsFile,
    Phone,
    PhoneKind,
    Resource,
    ResourcesFile,
    Scope,
    Topic,
)
from handout.content.models.regions import (
    BookletLayout,
    DiscreetCardLayout,
    FlyerLayout,
    Pick,
    PocketCardLayout,
    QrCode,
    QrLink,
    Region,
)
from handout.content.models.sections import (
    BOOKLET_PARTS,
    SEE_REFERENCE,
    Block,
    Section,
    SectionsFile,
)

__all__ = [
    "BOOKLET_PARTS",
    "SEE_REFERENCE",
    "TRANSLATE",
    "Block",
    "Block3",
    "BookletLayout",
    "BookletText",
    "CheckedHow",
    "Citation",
    "DiscreetCardLayout",
    "DiscreetCardText",
    "Email",
    "Fact",
    "FlyerLayout",
    "FlyerText",
    "Id",
    "Language",
    "LanguageCode",
    "Law",
    "LawsFile",
    "MaterialText",
    "Phone",
    "PhoneKind",
    "Pick",
    "PocketCardLayout",
    "PocketCardText",
    "PrintSettings",
    "Project",
    "Prose",
    "QrCode",
    "QrLink",
    "Region",
    "Resource",
    "ResourcesFile",
    "Scope",
    "Section",
    "SectionsFile",
    "Strict",
    "Text",
    "Topic",
    "Translate",
    "Website",
    "future_date_problem",
    "website_url",
]
