"""The field types every part of the case model shares: text, times, ids, the item ceilings.

Separate from `model` so that the parts (`model_clinical`, `model_figures`) and the case
itself build on the same definitions without importing each other.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    WithJsonSchema,
)

from casereport.articles import CREDIT_ROLES, credit_role
from casereport.clinical.times import parse_time

MAX_BODY_CHARACTERS = 100_000  # about 15,000 words: far above any journal's limit

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _year_as_text(value: object) -> object:
    """A year written bare in YAML (`when: 2005`) is read as the text "2005"."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


When = Annotated[
    str,
    BeforeValidator(_year_as_text, json_schema_input_type=str | int),
    StringConstraints(strip_whitespace=True, min_length=1),
]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]
# A reference id may also be an identifier key such as `doi:10.1056/nejmoa1912196`.
ReferenceId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/()-]*$")]

# A BCP 47 language tag as HTML's `lang` takes it: a language, then optional script, region
# or variant subtags (en, en-GB, pt-BR, zh-Hant-TW).
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_ORCID = re.compile(r"^(https://orcid\.org/)?\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def _check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"{value!r} is not an e-mail address")
    return value


def _check_lang(value: str) -> str:
    if not _LANG.match(value):
        raise ValueError(f"{value!r} is not a language tag (en, en-GB, it, pt-BR)")
    return value


def _check_orcid(value: str) -> str:
    if not _ORCID.match(value):
        raise ValueError(f"{value!r} is not an ORCID iD (0000-0000-0000-0000)")
    return value


def as_list(value: object) -> object:
    """One file name written alone stands for a list of one."""
    return [value] if isinstance(value, str) else value


def check_time(value: str) -> str:
    parse_time(value)  # raises TimeError, a ValueError, with the accepted forms
    return value


def check_optional_time(value: str | None) -> str | None:
    return None if value is None else check_time(value)


# The schema states the same patterns, so that an editor flags a bad address as it is typed.
Email = Annotated[
    str, AfterValidator(_check_email), WithJsonSchema({"type": "string", "pattern": _EMAIL.pattern})
]
Lang = Annotated[
    str, AfterValidator(_check_lang), WithJsonSchema({"type": "string", "pattern": _LANG.pattern})
]
Orcid = Annotated[
    str, AfterValidator(_check_orcid), WithJsonSchema({"type": "string", "pattern": _ORCID.pattern})
]


# How many of each a case may hold: far more than any letter or case report prints, few
# enough that no list makes a build take minutes (each item is drawn, typeset or decoded).
MAX_ITEMS = {
    "figures": 20,
    "panels": 64,  # an 8x8 layout
    "marks": 20,  # arrows, and circles, on one panel
    "tables": 20,
    "scores": 200,  # timepoints: the rows of a scores table, the points of a chart
    "treatments": 50,
    "doses": 200,
    "labs": 500,
    "timeline": 200,
    "references": 1000,
    "bibliography": 20,
    "keywords": 20,
    "sections": 40,
    "journals": 40,
}


class Model(BaseModel):
    """Common settings: immutable, unknown fields refused, strings stripped. The validator
    is built on first use, or read from the build cache (`model_cache.prepare_models`)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True
    )


def shape(value: object) -> str:
    """Which member of a text-or-list-or-mapping field a value is for (`Discriminator`):
    the tag is in an error's location and `is_shape_tag` removes it from what is printed."""
    if isinstance(value, dict):
        return "(mapping)"
    return "(list)" if isinstance(value, list | tuple) else "(text)"


def is_shape_tag(part: object) -> bool:
    """A location part that names a member of such a field, not a field."""
    return part in ("(mapping)", "(list)", "(text)")


# The texts of a case, and the values editors are offered (the case file's schema).

CreditRole = Annotated[
    Text,
    AfterValidator(credit_role),
    WithJsonSchema(
        {
            "anyOf": [{"enum": list(CREDIT_ROLES)}, {"type": "string", "minLength": 1}],
            "description": "A CRediT role (British spellings and hyphens accepted).",
        }
    ),
]


def consent_choices(schema: dict[str, Any]) -> None:
    """Offer `written` to editors (the journal's own sentence); any statement is accepted."""
    schema["anyOf"] = [
        {"const": "written", "description": "Print the journal's own consent sentence."},
        *schema["anyOf"],
    ]


Prose = Annotated[Text, StringConstraints(max_length=MAX_BODY_CHARACTERS)]
AbstractText = Annotated[
    Annotated[Prose, Tag("(text)")] | Annotated[dict[Text, Prose], Tag("(mapping)")],
    Discriminator(shape),
]
SectionText = Annotated[
    Annotated[Prose, Tag("(text)")]
    | Annotated[tuple[Text, ...], Tag("(list)")]
    | Annotated[dict[Text, Prose], Tag("(mapping)")],
    Discriminator(shape),
]


class CoverLetter(Model):
    """What the letter to the editor that goes with a submission (`casereport bundle`) says
    beyond the case's own title, authors and declarations."""

    adds: Prose | None = Field(
        default=None,
        description="How the case adds to the literature, in a sentence or two (some "
        "journals return a paper whose cover letter does not say; default: the abstract's "
        "conclusions, else the learning points).",
    )
    prior_publication: Text | None = Field(
        default=None,
        description="Any earlier publication or submission of any part of the work (an "
        "abstract at a congress); none given: the letter says there was none.",
    )
