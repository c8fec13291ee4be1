"""The lint's rules for names, initials and places (Safe Harbor A and B).

Names have no shape, so each rule needs a reason in the text to read one: a title ("Mrs
Whitfield", "Mr. K"), "named", a relative or neighbour in apposition ("her husband, John
Doherty"), "patient" before a name or initials, a given name from `words.GIVEN_NAMES` before
a capitalised word, dotted initials opening a sentence ("A.B. was"). Places: a city of
`words.CITIES` after a word that places something ("in", "from", "near"), a named hospital
or clinic, a street address, a postcode or ZIP code. A capitalised word followed by a noun
of `words.EPONYM_HEADS` (Sjögren syndrome, the Berlin criteria) is never a name or a place,
and the authors' and cited authors' surnames (`Known`) are never reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from casereport.privacy.findings import Finding, Known, finding
from casereport.privacy.words import (
    CITIES,
    EPONYM_HEADS,
    GIVEN_NAMES,
    NOT_INITIALS,
    NOT_SURNAMES,
    RELATIVES,
    TITLES,
)

# A capitalised word with a lower-case letter, matched one way only (possessive: a run of
# capitalised words that fails cannot backtrack into each word's letters).
_CAP = r"[A-ZÀ-ÖØ-Þ](?=[\w'’-]*[a-zß-ÿ])[\w'’-]*+"
_PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|du|la|le|bin|ibn|al|ter)"
_NAME = rf"{_CAP}(?:\s+(?:{_PARTICLE}\s+)*{_CAP}){{0,2}}"
_INITIALS = r"(?:[A-Z]\.\s?){1,3}[A-Z]?(?![\w'’])|[A-Z](?![\w'’.-])"
_TITLE = re.compile(
    rf"\b(?:{'|'.join(TITLES)})\b\.?\s+(?:(?P<initials>{_INITIALS})(?!\s*{_CAP})"
    rf"|(?P<name>(?:[A-Z]\.\s?){{0,3}}{_NAME}))"
)
_NAMED = re.compile(rf"\b(?:named|called|nicknamed|known\s+as)\s+({_NAME})")
_RELATIVE = re.compile(rf"\b(?:{RELATIVES})\b,?\s+({_CAP}(?:\s+{_CAP}){{1,2}})")
_PATIENT_NAME = re.compile(rf"\b[Pp]atient,?\s+({_CAP}\s+{_CAP})")
_PATIENT_INITIALS = re.compile(
    r"\b(?:[Pp]atient|[Cc]ase|[Ii]nitials)\s+([A-Z]\.(?:\s?[A-Z]\.){0,2})"
)
_OPENING_INITIALS = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))((?:[A-Z]\.){2,3})(?=,?\s+[a-z])")
_GIVEN = re.compile(rf"\b({_CAP})\s+({_CAP})")
_AFTER = re.compile(r"(?:['’]s)?[\s-]+(?:[A-Z][\w-]*+\s+){0,2}([\w-]+)")

_NAME_ADVICE = (
    "names a person (Safe Harbor A: the patient, relatives, employers, household); "
    'call them "the patient", "his wife", "the registrar"'
)
_INITIALS_ADVICE = 'are initials used as a name (Safe Harbor A); write "the patient" or "patient 1"'


def names(text: str, known: Known) -> Iterator[Finding]:
    """Personal names, where a title, "named", a relative or a given name announces one."""
    for match in _TITLE.finditer(text):
        if match.group("name") and _is_name(text, match, "name", known):
            yield finding("names", match, _NAME_ADVICE)
    for pattern in (_NAMED, _RELATIVE, _PATIENT_NAME):
        for match in pattern.finditer(text):
            if _is_name(text, match, 1, known):
                yield finding("names", match, _NAME_ADVICE, 1)
    for match in _GIVEN.finditer(text):
        if match.group(1) in GIVEN_NAMES and _is_name(text, match, 0, known):
            yield finding("names", match, _NAME_ADVICE)


def _is_name(text: str, match: re.Match[str], group: int | str, known: Known) -> bool:
    """Not an author, not an eponym ("… syndrome"), not a word that only looks like a name."""
    words = match.group(group).split()
    if words[-1] in NOT_SURNAMES or known.is_author(match.group(group)):
        return False
    return not _before_eponym_head(text, match.end(group))


def _before_eponym_head(text: str, end: int) -> bool:
    """Whether the next word (after "'s", a hyphen or a capitalised word) is an eponym's
    head noun: "Hashimoto thyroiditis", "Hashimoto's thyroiditis", "Bristol Stool Chart"."""
    after = _AFTER.match(text, end)
    return after is not None and after.group(1).casefold() in EPONYM_HEADS


def initials(text: str, known: Known) -> Iterator[Finding]:
    """Initials as the patient's name: after a title ("Mr. K", "Ms. L.P."), after "patient"
    or "initials", or opening a sentence ("A.B. was")."""
    for match in _TITLE.finditer(text):
        if match.group("initials"):
            yield finding("initials", match, _INITIALS_ADVICE)
    for pattern in (_PATIENT_INITIALS, _OPENING_INITIALS):
        for match in pattern.finditer(text):
            if match.group(1).strip() not in NOT_INITIALS:
                yield finding("initials", match, _INITIALS_ADVICE, 1)


_PLACE_WORDS = r"in|from|to|at|near|outside|around|via|visiting|of"
_CITY = re.compile(rf"\b(?:{_PLACE_WORDS})\s+(?:the\s+)?({_CAP}(?:\s+{_CAP})?)")
_INSTITUTION = re.compile(
    r"\b(?:Hospital|Infirmary|Medical\s+Cent(?:re|er)|Health\s+Cent(?:re|er)|Clinic|Hospice"
    rf"|Nursing\s+Home|Care\s+Home)\b(?:\s+of\s+{_CAP}(?:\s+{_CAP})?)?"
)
# The name before "Hospital", read back over at most `_NAME_REACH` characters (a bounded
# look back: a long run of capitalised words costs no more than a short one).
_INSTITUTION_NAME = re.compile(rf"(?:(?:St\.?|Saint)\s+)?{_CAP}(?:\s+(?:{_CAP}|of|the|and))*\s+$")
_NAME_REACH = 80
_STREET_WORDS = (
    r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Boulevard|Blvd|Way|Close|Crescent|Place"
    r"|Square|Terrace|Court|Gardens|Grove|Row|Walk"
)
_STREET = re.compile(
    rf"\b\d{{1,5}}[A-Za-z]?,?\s+(?:{_CAP}\s+){{1,3}}(?:{_STREET_WORDS})\b(?:,\s+{_CAP})?"
    rf"|\b(?:{_CAP}\s+){{1,2}}(?:Street|Road|Avenue|Lane|Boulevard)\b"
)
_POSTCODE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"  # UK: SW1A 1AA
    r"|\b(?i:zip(?:\s+code)?|post\s?code|postal\s+code)\s*:?\s*"
    r"(?=[A-Z]*\d)[A-Z0-9]{3,5}(?:[\s-][A-Z0-9]{3,4})?\b"  # ZIP code 02139
    r"|\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b"  # US: MA 02139
)
_NOT_PLACES = frozenset({"The", "A", "An", "Our", "This", "That", "His", "Her", "Their"})
_PLACE_ADVICE = (
    "is a place smaller than a region (Safe Harbor B); name the region or country at most, "
    'or "a tertiary hospital", "a city"'
)


def places(text: str, known: Known) -> Iterator[Finding]:
    """Hospitals and clinics named, street addresses, postcodes and ZIP codes, and cities
    after a word that places something."""
    yield from _institutions(text)
    for match in _STREET.finditer(text):
        if match.group().split()[0] not in _NOT_PLACES:
            yield finding("places", match, _PLACE_ADVICE)
    for match in _POSTCODE.finditer(text):
        yield finding("places", match, _PLACE_ADVICE)
    for match in _CITY.finditer(text):
        city = match.group(1).split()[0]
        if city in CITIES and not _before_eponym_head(text, match.end(1)):
            yield finding("places", match, _PLACE_ADVICE, 1)


def _institutions(text: str) -> Iterator[Finding]:
    """A hospital, clinic or home with its name: "St Mary's Hospital", "Royal Infirmary of
    Edinburgh" (not "the hospital", "Hospital day 3")."""
    for match in _INSTITUTION.finditer(text):
        reach = max(0, match.start() - _NAME_REACH)
        name = _INSTITUTION_NAME.search(text, reach, match.start())
        words = name.group().split() if name else []
        while words and words[0] in _NOT_PLACES | {"of", "the", "and"}:
            words.pop(0)
        if name and words:
            start = text.index(words[0], name.start())
            found = text[start : match.end()]
            yield Finding("places", start, match.end(), found, _PLACE_ADVICE)
